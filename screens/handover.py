"""The home screen: what the incoming shift must know about every child."""

from __future__ import annotations

import asyncio

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from keywork_tui.services import handover_board
from keywork_tui.services.handover_board import Board, BoardRow

from .base import ChildTableScreen
from .widgets.text import plain

STATUS_WORDS = {"on_shift": "✓ on shift", "off_duty": "○ off duty", "absent": "✗ absent"}
STATE_WORDS = {"settled": "settled", "watch": "! watch", "unsettled": "‼ unsettled"}


def status_text(row: BoardRow) -> Text:
    if row.key_worker is None:
        return Text("‼ NO KEY WORKER", style="bold reverse")
    if row.no_cover:
        return Text(f"‼ NO COVER ({row.absence_kind})", style="bold reverse")
    words = STATUS_WORDS.get(row.key_worker_status or "", "")
    if row.key_worker_status == "absent":
        words = f"✗ {row.absence_kind}"
    text = Text(words)
    if row.cover:
        text.append(" → cover ")
        text.append_text(plain(row.cover, "bold"))
    return text


class HandoverScreen(ChildTableScreen):
    MODE_TITLE = "Handover"
    DEFAULT_CSS = """
    HandoverScreen #shift { padding: 0 1; height: auto; }
    HandoverScreen #no-cover { padding: 0 1; height: auto; display: none; }
    HandoverScreen #no-cover.shown { display: block; background: $error 30%; }
    HandoverScreen DataTable { height: 1fr; }
    HandoverScreen #detail { height: auto; max-height: 8; padding: 0 1;
        border-top: solid $primary; }
    """
    BINDINGS = [
        Binding("r", "refresh", "Refresh", id="handover.refresh",
                tooltip="Read the handover again from the database"),
    ]

    def compose_body(self) -> ComposeResult:
        yield Static(id="shift")
        yield Static(id="no-cover")
        yield DataTable(id="children", cursor_type="row", zebra_stripes=True)
        yield Static(id="detail")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Child", "Bedtime", "Key worker", "Status", "State")
        self.board: Board | None = None
        self.load()

    def action_refresh(self) -> None:
        self.load()

    @work(exclusive=True)
    async def load(self) -> None:
        board = await asyncio.to_thread(handover_board.board, self.ctx.home.id)
        self.show(board)

    def show(self, board: Board) -> None:
        self.board = board
        shift = Text.assemble(
            (board.outgoing.label(), "bold"),
            f" hands over to the {board.incoming.name} shift.  On next: ",
            plain(", ".join(board.incoming_staff) or "nobody signed on yet"),
        )
        self.query_one("#shift", Static).update(shift)
        self._show_no_cover(board)
        table = self.query_one(DataTable)
        table.clear()
        for row in board.rows:
            table.add_row(
                plain(row.child, "bold"),
                Text("☾ yes" if row.bedtime_concern else ""),
                plain(row.key_worker or "—"),
                status_text(row),
                Text(STATE_WORDS.get(row.state or "", "no entry")),
                key=str(row.child_id),
            )
        self._show_detail(0)

    def _show_no_cover(self, board: Board) -> None:
        banner = self.query_one("#no-cover", Static)
        missing = [r for r in board.rows if r.no_cover or r.key_worker is None]
        banner.set_class(bool(missing), "shown")
        if missing:
            text = Text("‼ NO COVER: ", style="bold")
            text.append_text(plain(", ".join(r.child for r in missing)))
            text.append(" has nobody standing in for an absent key worker.")
            banner.update(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(event.cursor_row)

    def _show_detail(self, index: int) -> None:
        detail = self.query_one("#detail", Static)
        if not self.board or not self.board.rows:
            detail.update("No children in placement.")
            return
        row = self.board.rows[min(index, len(self.board.rows) - 1)]
        text = Text.assemble(plain(row.child, "bold"), "  ")
        text.append_text(status_text(row))
        if row.mood:
            text.append("\nMood: ")
            text.append_text(plain(row.mood))
        if row.bedtime_concern:
            text.append("\n☾ Bedtime: ", style="bold")
            text.append_text(plain(row.bedtime_concern))
        detail.update(text)
