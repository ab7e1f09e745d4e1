"""KeyworkApp: the four modes, their keys, and the signed-in context."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from functools import partial

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import HelpPanel

from screens.audit_view import AuditScreen
from screens.base import DatabaseChanged
from screens.context import SessionContext
from screens.handover import HandoverScreen
from screens.key_children import KeyChildrenScreen
from screens.manager import ManagerScreen
from screens.overdue import OverdueScreen
from screens.session_entry import SessionEntryScreen

from .services import Actor, clock, compliance, database, homes, people
from .services.people import resolve_staff

log = logging.getLogger("keywork.app")
__all__ = ["KeyworkApp", "resolve_staff"]
CHANGE_POLL_SECONDS = 1.0

MODE_TITLES = {mode: screen.MODE_TITLE for mode, screen in (
    ("handover", HandoverScreen),
    ("children", KeyChildrenScreen),
    ("overdue", OverdueScreen),
    ("session", SessionEntryScreen),
    ("manager", ManagerScreen),
    ("audit", AuditScreen),
)}


class KeyworkApp(App):
    TITLE = "keywork"
    MODES = {
        "handover": HandoverScreen,
        "children": KeyChildrenScreen,
        "overdue": OverdueScreen,
        "session": SessionEntryScreen,
        "manager": ManagerScreen,
        "audit": AuditScreen,
    }
    DEFAULT_MODE = "handover"
    BINDINGS = [
        Binding("f1", "toggle_help", "Help", id="app.help",
                tooltip="Show or hide the keys for this screen"),
        Binding("f2", "switch_mode('handover')", "Handover", id="app.mode.handover",
                tooltip="The shift handover (home screen)"),
        Binding("f3", "switch_mode('children')", "Key children", id="app.mode.children",
                tooltip="Your key children and the children you cover"),
        Binding("f4", "switch_mode('overdue')", "Overdue", id="app.mode.overdue",
                tooltip="Overdue and due-soon work across the home"),
        Binding("f5", "switch_mode('session')", "Session", id="app.mode.session",
                tooltip="Record a key-work session"),
        Binding("f6", "switch_mode('manager')", "Manager", id="app.mode.manager",
                tooltip="Staff, key workers, absence cover, supervision and the home summary"),
        Binding("f7", "switch_mode('audit')", "Audit", id="app.mode.audit",
                tooltip="Every change on file, with who, when and the values before and after"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", tooltip="Leave keywork"),
    ]

    def __init__(self, home_id: int, staff_id: int, database: str) -> None:
        super().__init__()
        staff = next(s for s in people.list_staff(home_id) if s.id == staff_id)
        self.ctx = SessionContext(
            home=homes.get_home(home_id),
            actor=Actor(staff.id, staff.name, staff.role, home_id),
            database=database,
        )
        # The child a "record a session" key chose, for session entry to pick up.
        self.pending_child: int | None = None
        # The mode to go back to once that session is saved.
        self.session_origin: str | None = None
        self.overdue = 0
        self._set_title()

    def _set_title(self) -> None:
        demo = " · DEMO" if self.ctx.home.is_demo else ""
        late = f" · ‼ {self.overdue} overdue" if self.overdue else ""
        self.title = f"{self.ctx.home.name}{demo}{late}"

    def on_mount(self) -> None:
        self.refresh_overdue_count()
        self._marker = database.change_marker()
        # Another terminal's change shows here within about two seconds.
        self.set_interval(CHANGE_POLL_SECONDS, self._watch_database)

    def _watch_database(self) -> None:
        try:
            marker = database.change_marker()
        except Exception:  # a busy or vanished database: try again next tick
            log.warning("could not read the change marker", exc_info=True)
            return
        if marker == self._marker:
            return
        self._marker = marker
        self.refresh_overdue_count()
        # Every open screen of this mode hears it; each decides what to re-read.
        for screen in self.screen_stack:
            screen.post_message(DatabaseChanged())

    @work(exclusive=True, group="overdue-count")
    async def refresh_overdue_count(self) -> None:
        """The header of every mode carries the home's overdue count."""
        self.overdue = await asyncio.to_thread(
            compliance.overdue_count, self.ctx.home.id, clock.today())
        self._set_title()

    def open_session(self, child_id: int) -> None:
        """Session entry with the child already chosen from where the key was pressed."""
        self.pending_child = child_id
        self.session_origin = self.current_mode if self.current_mode != "session" else None
        self.switch_mode("session")
        if isinstance(self.screen, SessionEntryScreen):
            self.screen.call_after_refresh(self.screen.open_up)

    def open_profile(self, child_id: int) -> None:
        """The child's profile, over whichever mode asked for it."""
        from screens.child_profile import ChildProfileScreen

        self.push_screen(ChildProfileScreen(child_id))

    def action_toggle_help(self) -> None:
        if self.screen.query(HelpPanel):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for mode, title in MODE_TITLES.items():
            yield SystemCommand(
                f"Go to {title.lower()}", f"Switch to the {title.lower()} screen",
                lambda mode=mode: self.switch_mode(mode),
            )
        yield from _screen_actions(screen)
        if isinstance(screen, OverdueScreen):
            yield from screen.palette_commands()


def _screen_actions(screen: Screen) -> Iterable[SystemCommand]:
    """Every key of the screen, searchable by its words in the command palette."""
    title = getattr(screen, "MODE_TITLE", "") or "This screen"
    seen: set[str] = set()
    for active in screen.active_bindings.values():
        binding = active.binding
        # Keywork's own keys all carry a tooltip; Textual's built-in ones do not.
        if (active.node is not screen or binding.action in seen
                or not (binding.description and binding.tooltip)):
            continue
        seen.add(binding.action)
        yield SystemCommand(f"{title}: {binding.description}", binding.tooltip or "",
                            partial(screen.run_action, binding.action))
