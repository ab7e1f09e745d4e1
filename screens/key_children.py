"""My key children: the signed-in worker's own children and those they cover."""

from __future__ import annotations

import asyncio

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from keywork_tui.services import children, clock
from keywork_tui.services.children import KeyChildRow

from .base import ChildTableScreen
from .widgets.text import plain


def relation_text(row: KeyChildRow) -> Text:
    if row.relation == "cover" and row.cover_until:
        return Text(f"cover until {row.cover_until:%d %b}")
    return Text(row.relation)


class KeyChildrenScreen(ChildTableScreen):
    MODE_TITLE = "My key children"
    DEFAULT_CSS = """
    KeyChildrenScreen #intro { padding: 0 1; height: auto; }
    KeyChildrenScreen DataTable { height: 1fr; }
    """

    def compose_body(self) -> ComposeResult:
        yield Static(id="intro")
        yield DataTable(id="key-children", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("Child", "Age", "As", "School", "Last session")
        self.load()

    def reload(self) -> None:
        self.load()

    @work(exclusive=True)
    async def load(self) -> None:
        today = clock.today()
        rows = await asyncio.to_thread(children.key_children, self.ctx.actor, today)
        intro = self.query_one("#intro", Static)
        intro.update(plain(f"Key children of {self.ctx.actor.name}: {len(rows)}"))
        table = self.query_one(DataTable)
        table.clear()
        for row in rows:
            last = row.last_session
            table.add_row(
                plain(row.child.short_name, "bold"),
                Text(str(row.child.age_on(today))),
                relation_text(row),
                plain(row.child.school),
                Text(f"{last:%a %d %b}" if last else "none yet"),
                key=str(row.child.id),
            )
