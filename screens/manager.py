"""The manager's workspace: staff, key workers, absences and cover,
supervision, the home summary and the home's settings, one tab each. Managers only: the services
refuse everyone else, and the screen says so."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static, TabbedContent, TabPane

from . import modes
from .base import ModeScreen
from .manager_allocation import AllocationPane
from .manager_cover import CoverPane
from .manager_home import HomePane
from .manager_staff import StaffPane
from .manager_team import SummaryPane, SupervisionPane
from .workspace_pane import WorkspacePane

TABS = (
    ("staff", "1 Staff", StaffPane),
    ("allocation", "2 Key workers", AllocationPane),
    ("cover", "3 Absence & cover", CoverPane),
    ("supervision", "4 Supervision", SupervisionPane),
    ("summary", "5 Summary", SummaryPane),
    ("home", "6 Home", HomePane),
)


class ManagerScreen(ModeScreen):
    MODE_TITLE = modes.title("manager")
    CSS_PATH = "manager.tcss"
    BINDINGS = [
        Binding(
            str(n),
            f"tab('{tab}')",
            words.split(" ", 1)[1],
            id=f"manager.tab.{tab}",
            show=False,
            tooltip=f"Show the {words.split(' ', 1)[1].lower()} tab",
        )
        for n, (tab, words, _) in enumerate(TABS, start=1)
    ]

    def compose_body(self) -> ComposeResult:
        yield Static(id="refused")
        with TabbedContent(initial="staff"):
            for tab, words, pane in TABS:
                with TabPane(words, id=tab):
                    yield pane(id=f"{tab}-pane")

    def on_mount(self) -> None:
        if not self.ctx.actor.is_manager:
            # The services refuse each read anyway; say it once, plainly.
            refused = self.query_one("#refused", Static)
            refused.update(
                "The manager's workspace is for managers. Ask the home's manager "
                "to change staff, key workers, cover or supervision."
            )
            refused.display = True
            self.query_one(TabbedContent).display = False
            return
        self.call_after_refresh(self._focus_active)

    def reload(self) -> None:
        for pane in self.query(WorkspacePane):
            if pane.is_mounted:
                pane.load()

    def show(self, tab: str, key: str | None = None) -> None:
        """Open a tab, on a row when one is named (a staff member's, say)."""
        self.action_tab(tab)
        if key is not None:
            self.query_one(f"#{tab}-pane", WorkspacePane).show_row(key)

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        self._focus_active()

    def _focus_active(self) -> None:
        tabs = self.query_one(TabbedContent)
        if tabs.active:
            self.query_one(f"#{tabs.active}-pane", WorkspacePane).focus_table()
