"""The frame every mode shares: header with home and signed-in staff, footer."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header

from .context import SessionContext
from .host import Host
from .messages import OpenSession
from .service_calls import ServiceCalls
from .widgets.footer import KeyBar


class DatabaseChanged(Message):
    """Someone (maybe on another terminal) changed the records: read them again."""


class ModeScreen(ServiceCalls, Screen[None]):
    """A top-level mode. Subclasses add their body between header and footer."""

    app: Host
    MODE_TITLE = ""
    was_away = False  # set once another screen has been over this one

    @property
    def ctx(self) -> SessionContext:
        return self.app.ctx

    def compose(self) -> ComposeResult:
        actor = self.ctx.actor
        # The signed-in name is always in view: the terminal is shared.
        self.sub_title = f"{actor.name} · {self.MODE_TITLE}"
        yield Header(icon="≡")
        yield from self.compose_body()
        yield KeyBar()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_database_changed(self, _: DatabaseChanged) -> None:
        self.reload()

    def on_screen_suspend(self) -> None:
        self.was_away = True

    def on_screen_resume(self) -> None:
        # Another mode may have changed what this one shows while it was away;
        # the first showing follows the load on mount, so it reads nothing more.
        if self.was_away:
            self.reload()

    def reload(self) -> None:
        """Read the screen's records again without touching what is being typed."""


class ChildTableScreen(ModeScreen):
    """A mode whose table has one row per child, keyed by the child's id."""

    BINDINGS = [
        Binding(
            "s",
            "session",
            "Session",
            id="child_table.session",
            tooltip="Record a key-work session for the highlighted child",
        ),
    ]

    def action_session(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            self.notify("No child to choose.", severity="warning")
            return
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        if row_key.value is not None:
            self.post_message(OpenSession(int(row_key.value)))
