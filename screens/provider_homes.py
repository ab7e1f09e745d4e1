"""A provider's homes side by side (the Homes mode), and one home's overdue
list, read only, opened from it with Enter."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from keywork_tui.services.child_file.obligations import Obligation
from keywork_tui.services.provider import overview as provider
from keywork_tui.services.provider.key_working import HOW, Figures
from keywork_tui.services.provider.overview import HomeNow

from . import modes
from .base import ModeScreen
from .overdue import OVERDUE_COLUMNS, obligation_cells
from .widgets.fitted_table import Col, FittedTable
from .widgets.text import plain

HOME_COLUMNS = (
    Col("Home", least=10),
    Col("Children"),
    Col("No cover"),
    Col("No KW", drop=3),
    Col("Unread", drop=2),
    Col("Overdue"),
    Col("Bedtime", drop=1),
    Col("Sessions 7d", drop=4),
    Col("Delivery", drop=5),
)


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _days(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f} days"


def _warn(count: int) -> Text:
    """A count that needs someone: bold, with ‼, so it reads without colour."""
    return Text(f"‼ {count}", style="bold") if count else Text("0", style="dim")


def home_cells(h: HomeNow) -> tuple[Text, ...]:
    return (
        plain(h.name, "bold"),
        Text(str(h.children)),
        _warn(h.no_cover),
        _warn(h.no_key_worker),
        _warn(h.unread_handovers),
        _warn(h.overdue_total),
        Text(f"☾ {h.bedtime_tonight}" if h.bedtime_tonight else "0"),
        Text(f"{h.sessions_week} of {h.sessions_week_projected:.0f}"),
        Text(f"{_share(h.period.delivery)} ({_share(h.before.delivery)})"),
    )


def _figures_line(label: str, f: Figures) -> str:
    return (
        f"{label} {f.period.first:%d %b} – {f.period.last:%d %b %Y}: "
        f"allocated {_share(f.allocated_share)} of {f.children}, "
        f"to allocation {_days(f.days_to_allocation)}, "
        f"to first session {_days(f.days_to_first_session)}, "
        f"sessions {f.sessions} of {f.projected:.0f} ({_share(f.delivery)}), "
        f"child's views {_share(f.views_share)}"
    )


def detail_text(h: HomeNow) -> str:
    overdue = ", ".join(f"{kind.replace('_', ' ')} {n}" for kind, n in h.overdue.items())
    return "\n".join(
        [
            f"{h.name}: overdue {overdue or 'nothing'}",
            _figures_line("Key working", h.period),
            _figures_line("Before", h.before),
            f"How: {HOW}.",
        ]
    )


class HomesScreen(ModeScreen):
    MODE_TITLE = modes.title("homes")
    AUTO_FOCUS = "DataTable"
    DEFAULT_CSS = """
    HomesScreen #homes { height: 1fr; }
    HomesScreen #home_detail { height: auto; max-height: 40%; padding: 0 1; }
    HomesScreen #homes_summary { padding: 0 1; }
    """
    BINDINGS = [
        Binding(
            "enter",
            "open_home",
            "Overdue",
            id="homes.open",
            tooltip="The highlighted home's overdue list, to read",
        ),
    ]

    def compose_body(self) -> ComposeResult:
        yield Static(id="homes_summary")
        yield FittedTable(HOME_COLUMNS, id="homes")
        yield Static(id="home_detail")

    def on_mount(self) -> None:
        self.homes: list[HomeNow] = []
        self.load()

    def reload(self) -> None:
        self.load()

    def load(self) -> None:
        actor = self.ctx.actor
        self.call_service(lambda: provider.overview(actor), self._read, group="load")

    def _read(self, homes: list[HomeNow]) -> None:
        self.homes = homes
        table = self.query_one(FittedTable)
        table.show_rows([(str(h.home_id), home_cells(h)) for h in homes])
        summary = self.query_one("#homes_summary", Static)
        if not homes:
            summary.update("No homes in this database yet.")
            return
        late = sum(h.overdue_total for h in homes)
        uncovered = sum(h.no_cover for h in homes)
        summary.update(
            plain(
                f"{len(homes)} homes · {late} overdue · {uncovered} children with NO COVER · "
                "delivery over 28 days (the 28 before) · Enter: a home's overdue list"
            )
        )
        self._show_detail(homes[0].home_id)

    def _highlighted(self) -> HomeNow | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return next((h for h in self.homes if str(h.home_id) == row_key.value), None)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is not None:
            self._show_detail(int(event.row_key.value))

    def _show_detail(self, home_id: int) -> None:
        found = next((h for h in self.homes if h.home_id == home_id), None)
        if found is not None:
            self.query_one("#home_detail", Static).update(plain(detail_text(found)))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        # Enter on the table: the table takes the key, and says which row it was.
        event.stop()
        self.action_open_home()

    def action_open_home(self) -> None:
        home = self._highlighted()
        if home is None:
            self.notify("No home to open.", severity="warning")
            return
        self.app.push_screen(HomeOverdueScreen(home.home_id, home.name))


class HomeOverdueScreen(ModeScreen):
    """One home's overdue list as its staff see it on F4, to read only."""

    MODE_TITLE = "Home overdue"
    AUTO_FOCUS = "DataTable"
    DEFAULT_CSS = """
    HomeOverdueScreen #home_obligations { height: 1fr; }
    HomeOverdueScreen #home_overdue_summary { padding: 0 1; }
    """
    BINDINGS = [
        Binding(
            "escape",
            "close",
            "Close",
            id="home_overdue.close",
            tooltip="Back to the homes side by side",
        ),
    ]

    def __init__(self, home_id: int, name: str) -> None:
        super().__init__()
        self.home_id, self.home_name = home_id, name

    def compose_body(self) -> ComposeResult:
        yield Static(id="home_overdue_summary")
        yield FittedTable(OVERDUE_COLUMNS, id="home_obligations")

    def on_mount(self) -> None:
        self.sub_title = f"{self.ctx.actor.name} · {self.home_name} · overdue (read only)"
        self.load()

    def reload(self) -> None:
        self.load()

    def load(self) -> None:
        actor, home_id = self.ctx.actor, self.home_id
        self.call_service(lambda: provider.home_overdue(actor, home_id), self._read, group="load")

    def _read(self, items: list[Obligation]) -> None:
        self.query_one(FittedTable).show_rows(
            [(str(n), obligation_cells(o)) for n, o in enumerate(items)]
        )
        late = sum(o.status == "overdue" for o in items)
        self.query_one("#home_overdue_summary", Static).update(
            plain(
                f"{self.home_name}: {late} overdue, {len(items) - late} due today or soon"
                " · read only · Esc: back"
            )
            if items
            else plain(f"{self.home_name}: nothing overdue, due today or due soon · Esc: back")
        )

    def action_close(self) -> None:
        self.dismiss()
