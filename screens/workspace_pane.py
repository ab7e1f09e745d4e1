"""One tab of the manager's workspace: a line of context, a table, and the
details of the highlighted row. Reads run off the UI thread; a refusal from
the services (not a manager) shows in place of the table."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from keywork_tui.services import Actor, ServiceError

from .base import ModeScreen
from .host import Host
from .messages import RecordsWritten
from .service_calls import ServiceCalls
from .widgets.fitted_table import Col, FittedTable
from .widgets.text import plain

Row = TypeVar("Row")


class WorkspacePane(ServiceCalls, Vertical, Generic[Row]):
    """Subclasses set COLUMNS and implement `read`, `cells` and `detail`."""

    DEFAULT_CSS = """
    WorkspacePane { height: 1fr; }
    WorkspacePane .intro { height: auto; max-height: 4; padding: 0 1; }
    WorkspacePane DataTable { height: 1fr; }
    WorkspacePane .detail-box {
        height: auto; max-height: 8; padding: 0 1; border-top: solid $primary;
    }
    """

    app: Host
    COLUMNS: tuple[Col, ...] = ()
    EMPTY = "Nothing to show."

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.rows: list[Row] = []
        self._wanted: str | None = None  # a row asked for before the rows were read

    def compose(self) -> ComposeResult:
        yield Static("Reading…", classes="intro")
        yield FittedTable(self.COLUMNS)
        with VerticalScroll(classes="detail-box"):
            yield Static(classes="detail")

    def on_mount(self) -> None:
        self.load()

    @property
    def actor(self) -> Actor:
        return self.app.ctx.actor

    @property
    def workspace(self) -> ModeScreen:
        """The mode screen the pane is a tab of, which reads every tab again."""
        return cast(ModeScreen, self.screen)

    # --- what subclasses fill in -----------------------------------------------

    def read(self) -> list[Row]:
        """The pane's rows; runs in a worker thread."""
        raise NotImplementedError

    def cells(self, row: Row) -> tuple[str | Text, ...]:
        raise NotImplementedError

    def key(self, row: Row) -> str:
        return str(getattr(row, "id", id(row)))

    def intro(self) -> Text:
        return Text("")

    def detail(self, row: Row) -> Text:
        return Text("")

    # --- reading and showing ---------------------------------------------------

    def load(self) -> None:
        self.call_service(self.read, self._loaded, refused=self._refused, group="pane-load")

    def _refused(self, error: ServiceError) -> None:
        if self._still_here():
            self.query_one(".intro", Static).update(plain(f"✗ {error}."))

    def _loaded(self, rows: list[Row]) -> None:
        if not self._still_here():
            return
        kept = self.highlighted()  # the row to stay on, wherever it moves to
        self.rows = rows
        self.query_one(".intro", Static).update(self.intro())
        wanted, self._wanted = self._wanted, None
        self._fill(wanted or (self.key(kept) if kept is not None else None))

    def _still_here(self) -> bool:
        # The read ran off the UI thread: the pane may have gone meanwhile (the
        # screen closed, the app quitting), and then there is nothing to fill.
        return self.is_attached and bool(self.query(DataTable))

    def _fill(self, kept: str | None) -> None:
        table = self.query_one(FittedTable)
        keys = [self.key(r) for r in self.rows]
        table.show_rows(
            [
                (self.key(r), [plain(c) if isinstance(c, str) else c for c in self.cells(r)])
                for r in self.rows
            ],
            cursor=keys.index(kept) if kept in keys else None,
        )
        self._show_detail()

    def highlighted(self) -> Row | None:
        table = self.query_one(DataTable)
        if not self.rows or not table.row_count:
            return None
        return self.rows[min(max(table.cursor_row, 0), len(self.rows) - 1)]

    def on_data_table_row_highlighted(self, _: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        row = self.highlighted()
        self.query_one(".detail", Static).update(
            self.detail(row) if row is not None else Text(self.EMPTY)
        )

    def focus_table(self) -> None:
        self.query_one(DataTable).focus()

    def show_row(self, key: str) -> None:
        """Highlight the row with this key, once the rows are read."""
        keys = [self.key(r) for r in self.rows]
        if key in keys:
            self.query_one(DataTable).move_cursor(row=keys.index(key))
        else:
            self._wanted = key
            self.load()

    # --- writing ----------------------------------------------------------------

    def ask(
        self, dialog: ModalScreen[Any], done: str, after: Callable[[Any], None] | None = None
    ) -> None:
        """Open a form; once it has saved, say so and read every tab again."""

        def closed(saved: object) -> None:
            if not saved:
                return
            self.app.notify(done)
            self.post_message(RecordsWritten())
            self.workspace.reload()
            if after is not None:
                after(saved)

        self.app.push_screen(dialog, closed)

    def need_row(self, words: str) -> Row | None:
        row = self.highlighted()
        if row is None:
            self.app.notify(f"Choose {words} first.", severity="warning")
        return row

    def run_write(self, write: Callable[[], object], done: str) -> None:
        """A write with no form (deactivating, say)."""

        def written(_: object) -> None:
            self.app.notify(done)
            self.post_message(RecordsWritten())
            self.workspace.reload()

        self.call_service(write, written, group="pane-write")
