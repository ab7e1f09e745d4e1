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

# Long enough for any switch of screen to have been made.
LEAVING_SECONDS = 1.0


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
        self._leaving = False

    # --- leaving for another screen ------------------------------------------
    # A screen asks the app for another by message, which the app reads after
    # the keys already typed: those keys must not act here on the way out (an
    # "a" of "Talked about" acknowledging the handover).
    _leaving = False

    def leave_for(self, message: Message) -> None:
        """Ask the app for another screen; this one's keys wait until it has
        gone (or a moment has passed, if the app opened nothing)."""
        self._leaving = True
        self.app.post_message(message)
        self.set_timer(LEAVING_SECONDS, self._stay)

    def _stay(self) -> None:
        self._leaving = False

    @property
    def leaving(self) -> bool:
        """Asked for another screen, not yet gone: the app holds keys back."""
        return self._leaving

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not self._leaving

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
            self.leave_for(OpenSession(int(row_key.value)))
