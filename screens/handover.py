"""The home screen: what the incoming shift must know about every child."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, NamedTuple

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from keywork_tui.calendar import ShiftRef
from keywork_tui.outputs import StaffOut
from keywork_tui.services import Actor, ServiceError, clock
from keywork_tui.services.child_file import obligations as compliance
from keywork_tui.services.handover import away
from keywork_tui.services.handover import board as handover_board
from keywork_tui.services.handover import shift as handover
from keywork_tui.services.handover.away import Digest
from keywork_tui.services.handover.board import Board, BoardRow
from keywork_tui.services.handover.shift import AbsentOnShiftError
from keywork_tui.services.team import people

from . import handover_text as words
from . import modes
from .base import ChildTableScreen
from .messages import OpenProfile, OverdueCounted, RecordsWritten
from .widgets.fitted_table import Col, FittedTable
from .widgets.text import plain

# The dialogs are imported where they open: the board's first frame needs none
# of them (nor pydantic, whose input models they make).
if TYPE_CHECKING:
    from keywork_tui.schemas import AmendmentIn, SignOnIn

# Names and the key worker's state shorten before a column goes; on the
# narrowest screens the next 24 hours go first (the detail pane has them).
HANDOVER_COLUMNS = (
    Col("Child", least=10),
    Col("Bed"),
    Col("State"),
    Col("Key worker", least=12),
    Col("Late", drop=1),
    Col("Next 24h", least=8, drop=2),
)


class HandoverRead(NamedTuple):
    """What the handover screen reads at once: the board, what the reader has
    missed, and the home's overdue count (the rules worked out once for both)."""

    home_id: int
    board: Board
    digest: Digest | None
    overdue: int


def read(home_id: int, actor: Actor, pinned: ShiftRef | None = None) -> HandoverRead:
    board = handover_board.board(home_id, None, pinned)
    overdue = compliance.overdue_count(home_id, clock.today())
    return HandoverRead(home_id, board, away.digest(actor), overdue)


class HandoverScreen(ChildTableScreen):
    MODE_TITLE = modes.title("handover")
    BINDINGS = [
        Binding(
            "enter",
            "profile",
            "Profile",
            id="handover.profile",
            tooltip="The highlighted child's profile: likes, fears, contacts, restrictions",
        ),
        Binding(
            "i",
            "significant",
            "Incident",
            id="handover.significant",
            show=False,
            tooltip="Record a significant event for the highlighted child",
        ),
        Binding(
            "w",
            "write",
            "Write",
            id="handover.write",
            tooltip="Write the outgoing shift's handover, child by child",
        ),
        Binding(
            "a",
            "acknowledge",
            "I've read it",
            id="handover.acknowledge",
            tooltip="Confirm, under your name, that you have read this handover",
        ),
        Binding(
            "A",
            "acknowledge_for",
            "Read (colleague)",
            id="handover.acknowledge_for",
            show=False,
            tooltip="Record that a colleague on the incoming shift has read it",
        ),
        Binding(
            "o",
            "sign_on",
            "Sign on",
            id="handover.sign_on",
            tooltip="Choose who works the incoming shift and who leads it",
        ),
        Binding(
            "c",
            "correct",
            "Correct",
            id="handover.correct",
            show=False,
            tooltip="Amend the highlighted child's submitted entry (the original is kept)",
        ),
        Binding(
            "v",
            "cover_list",
            "For cover",
            id="handover.cover",
            show=False,
            tooltip="What was recorded for colleagues standing in for a key worker",
        ),
        Binding(
            "d",
            "digest",
            "Since away",
            id="handover.digest",
            show=False,
            tooltip="What was recorded about your key children while you were away",
        ),
        Binding(
            "left_square_bracket",
            "step(-1)",
            "Earlier",
            id="handover.earlier",
            show=False,
            tooltip="The handover before this one",
        ),
        Binding(
            "right_square_bracket",
            "step(1)",
            "Later",
            id="handover.later",
            show=False,
            tooltip="The handover after this one",
        ),
        Binding(
            "t",
            "now",
            "Now",
            id="handover.now",
            show=False,
            tooltip="Back to the handover that matters now",
        ),
        Binding(
            "g",
            "go_to",
            "Go to date",
            id="handover.go_to",
            show=False,
            tooltip="Open the handovers of another day",
        ),
        Binding(
            "r",
            "refresh",
            "Refresh",
            id="handover.refresh",
            show=False,
            tooltip="Read the handover again from the database",
        ),
    ]

    def compose_body(self) -> ComposeResult:
        yield Static(id="shift")
        yield Static(id="alerts")
        yield Static(id="away")
        yield FittedTable(HANDOVER_COLUMNS, id="children")
        yield Static(id="detail")
        yield Static(id="reading")

    def on_mount(self) -> None:
        self.board: Board | None = None
        self.digest: Digest | None = None
        # None follows the clock; a shift is pinned once the user browses.
        self.pinned: ShiftRef | None = None
        # Read before the app ran (`keywork` at a terminal): the first frame
        # holds the rows, with no worker's round trip and no second drawing.
        first, self.app.first_handover = self.app.first_handover, None
        if first is not None and first.home_id == self.ctx.home.id:
            self._read(first)
        else:
            self.load()

    def reload(self) -> None:
        self.load()

    def action_refresh(self) -> None:
        self.load()

    def load(self) -> None:
        home_id, actor, pinned = self.ctx.home.id, self.ctx.actor, self.pinned
        self.call_service(lambda: read(home_id, actor, pinned), self._read, group="handover-load")

    def _read(self, found: HandoverRead) -> None:
        self.digest = found.digest
        self.post_message(OverdueCounted(found.overdue))
        self.show(found.board)

    # --- showing -----------------------------------------------------------

    def show(self, board: Board) -> None:
        self.board = board
        self.query_one("#shift", Static).update(words.shift_line(board))
        alerts = words.alerts(board)
        banner = self.query_one("#alerts", Static)
        banner.set_class(bool(alerts.plain), "shown")
        banner.update(alerts)
        banner_away = self.query_one("#away", Static)
        shown = self.digest is not None and self.digest.shown
        banner_away.set_class(shown, "shown")
        if shown and self.digest:
            banner_away.update(words.away_line(self.digest))
        self._fill_table(board)
        self.query_one("#reading", Static).update(words.reading_line(board))

    def _fill_table(self, board: Board) -> None:
        table = self.query_one(FittedTable)
        table.show_rows(
            [
                (
                    str(row.child_id),
                    (
                        plain(row.child, "bold"),
                        words.bedtime_cell(row, board.is_night),
                        words.state_cell(row),
                        words.worker_cell(row, short=True),
                        words.late_cell(row),
                        words.next_cell(row),
                    ),
                )
                for row in board.rows
            ]
        )
        self._show_detail(table.cursor_row)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(event.cursor_row)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_profile()

    def _highlighted(self) -> BoardRow | None:
        table = self.query_one(DataTable)
        if not self.board or not self.board.rows or table.cursor_row < 0:
            return None
        return self.board.rows[min(table.cursor_row, len(self.board.rows) - 1)]

    def action_profile(self) -> None:
        row = self._highlighted()
        if row is not None:
            self.post_message(OpenProfile(row.child_id))

    def action_significant(self) -> None:
        # The child's file and its dialogs load when first asked for, not
        # with the handover: the first paint does not wait for them.
        from keywork_tui.services.child_file import plans_and_events as records

        row = self._highlighted()
        if row is not None:
            home_id = self.ctx.home.id
            self.call_service(
                lambda: records.event_kinds(home_id),
                partial(self._ask_significant, row.child_id, row.child),
                group="ask",
            )

    def _ask_significant(self, child_id: int, name: str, kinds: dict[str, str]) -> None:
        def closed(saved: object) -> None:
            if saved:
                self.notify(f"{name}: significant event recorded; Support and Safety Plans due.")
                self.load()
                self.post_message(RecordsWritten())

        from keywork_tui.services.child_file import plans_and_events as records

        from .profile_dialogs import SignificantDialog

        save = partial(records.record_significant_event, self.ctx.actor)
        self.app.push_screen(SignificantDialog(child_id, name, kinds, save), closed)

    def _show_detail(self, index: int) -> None:
        detail = self.query_one("#detail", Static)
        if not self.board or not self.board.rows:
            detail.update(words.empty_home_words(self.ctx.actor.is_manager))
            return
        row = self.board.rows[min(max(index, 0), len(self.board.rows) - 1)]
        detail.update(words.detail(row, self.board))

    # --- browsing ----------------------------------------------------------

    def action_step(self, step: int) -> None:
        if self.board is None:
            return
        self.pinned = handover.around(self.board.outgoing, step)
        self.load()

    def action_now(self) -> None:
        self.pinned = None
        self.load()

    def action_go_to(self) -> None:
        def chosen(day: dt.date | None) -> None:
            if day is not None:
                self.pinned = ShiftRef(day, "day")
                self.load()

        from .date_prompt import DatePrompt

        self.app.push_screen(DatePrompt("Open the handovers of which day?"), chosen)

    # --- writing -----------------------------------------------------------

    def action_write(self) -> None:
        if self.board is None:
            return
        if self.board.status == "submitted":
            self.notify(
                "This handover is submitted. Press c to correct an entry.", severity="warning"
            )
            return
        from .handover_write import HandoverWriteScreen

        self.app.push_screen(HandoverWriteScreen(self.board.outgoing))

    def _run(self, job: Callable[[], object], done: str) -> None:
        """Run a service write; report the outcome in words."""

        def written(_: object) -> None:
            self.notify(done)
            self.load()

        self.call_service(job, written, group="handover-write", exclusive=False)

    def show_refusal(self, error: ServiceError) -> None:
        self.notify(str(error), severity="error", timeout=8)

    def _submitted(self) -> Board | None:
        """The board, when its handover is submitted and so can be read."""
        board = self.board
        if board is None or board.handover_id is None or board.status != "submitted":
            self.notify(
                "There is no submitted handover here to acknowledge yet.", severity="warning"
            )
            return None
        return board

    def action_acknowledge(self) -> None:
        board = self._submitted()
        if board is None or board.handover_id is None:
            return
        actor, handover_id = self.ctx.actor, board.handover_id
        self._run(
            lambda: handover.acknowledge(actor, handover_id),
            f"Recorded: {actor.name} has read the {board.outgoing.name} handover.",
        )

    def action_acknowledge_for(self) -> None:
        board = self._submitted()
        if board is None or board.handover_id is None:
            return
        home_id = self.ctx.home.id
        self.call_service(
            lambda: people.list_staff(home_id), lambda s: self._ask_who_read(board, s)
        )

    def _ask_who_read(self, board: Board, everyone: list[StaffOut]) -> None:
        if board.handover_id is None:
            return
        staff = [s for s in everyone if s.name not in board.acknowledged_by]
        first = [s for s in staff if s.name in board.not_acknowledged]
        rest = [s for s in staff if s.name not in board.not_acknowledged]
        handover_id, actor = board.handover_id, self.ctx.actor

        def chosen(key: str | None) -> None:
            if key is not None:
                staff_id = int(key)
                name = next(s.name for s in staff if s.id == staff_id)
                self._run(
                    lambda: handover.acknowledge(actor, handover_id, staff_id),
                    f"Recorded: {name} has read the handover.",
                )

        lines = [(str(s.id), plain(s.name)) for s in first + rest]
        from .pick_dialog import PickDialog

        self.app.push_screen(PickDialog("Who has read this handover?", lines), chosen)

    def action_sign_on(self) -> None:
        if self.board is None:
            return
        board, home_id = self.board, self.ctx.home.id
        self.call_service(lambda: people.list_staff(home_id), lambda s: self._ask_sign_on(board, s))

    def _ask_sign_on(self, board: Board, staff: list[StaffOut]) -> None:
        self.board = board
        incoming = self.board.incoming
        current = set(self.board.incoming_staff)
        chosen_ids = [s.id for s in staff if s.name in current]
        leader = next((s.id for s in staff if s.name == self.board.leader), None)

        def chosen(result: SignOnIn | None) -> None:
            if result is not None:
                self._sign_on(incoming, result)

        from .handover_dialogs import SignOnDialog

        self.app.push_screen(SignOnDialog(incoming.label(), staff, chosen_ids, leader), chosen)

    def _sign_on(self, shift: ShiftRef, data: SignOnIn) -> None:
        """Sign the shift on; anyone recorded as away that day is asked about first."""
        actor = self.ctx.actor

        def signed(_: object) -> None:
            self.notify(f"Signed on: {shift.label()}.")
            self.load()

        def refused(error: ServiceError) -> None:
            if not isinstance(error, AbsentOnShiftError):
                self.show_refusal(error)
                return
            absent = error.absent
            question = (
                f"Recorded as away that day: {'; '.join(absent.values())}. "
                "Sign them on all the same? (The absence stays on record.)"
            )

            def answered(yes: bool | None) -> None:
                if yes:
                    self._sign_on(shift, data.model_copy(update={"despite_absence": list(absent)}))

            from .session_dialogs import ConfirmDialog

            self.app.push_screen(ConfirmDialog(question), answered)

        self.call_service(
            lambda: handover.set_shift_staff(actor, shift, data),
            signed,
            refused=refused,
            group="handover-write",
            exclusive=False,
        )

    def action_correct(self) -> None:
        board = self.board
        if board is None or board.status != "submitted" or board.handover_id is None:
            self.notify(
                "Only a submitted handover is corrected; a draft is edited (w).", severity="warning"
            )
            return
        table = self.query_one(DataTable)
        if not board.rows:
            return
        row = board.rows[min(table.cursor_row, len(board.rows) - 1)]
        if row.entry is None:
            self.notify(f"There is no entry for {row.child} to correct.", severity="warning")
            return
        actor, handover_id = self.ctx.actor, board.handover_id

        def save(data: AmendmentIn) -> None:
            handover.amend_entry(actor, handover_id, row.child_id, data)

        def closed(saved: bool | None) -> None:
            if saved:
                self.notify(f"Correction to {row.child}'s entry saved; the original is kept.")
                self.load()

        from .handover_dialogs import AmendDialog

        self.app.push_screen(AmendDialog(row, save), closed)

    def action_cover_list(self) -> None:
        if self.board is None or not self.board.for_cover:
            self.notify("Nothing recorded this shift for a colleague standing in.")
            return
        from .handover_dialogs import ReadDialog

        self.app.push_screen(
            ReadDialog("For colleagues standing in for a key worker", words.cover_lines(self.board))
        )

    def action_digest(self) -> None:
        digest, actor = self.digest, self.ctx.actor
        if digest is None or not digest.notes:
            self.notify("Nothing new about your key children since your last shift.")
            return
        up_to = clock.now()

        def closed(read: bool | None) -> None:
            if read:
                self._run(lambda: away.mark_read(actor, up_to), "Marked as read.")

        from .handover_dialogs import AwayDialog

        self.app.push_screen(AwayDialog(digest), closed)
