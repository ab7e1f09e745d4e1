"""Overdue work across the home: filter it, and record a review in place."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import partial
from typing import get_args

from rich.text import Text
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Select, Static

from keywork_tui.schemas import ReviewIn
from keywork_tui.services import clock
from keywork_tui.services.child_file import obligations as compliance
from keywork_tui.services.child_file import plans_and_events as records
from keywork_tui.services.child_file.obligations import Obligation
from keywork_tui.vocabulary import Document

from . import modes
from .base import ModeScreen
from .date_prompt import DatePrompt
from .messages import OpenProfile, OpenSession, RecordsWritten
from .palette import ScreenCommands
from .widgets.fitted_table import Col, FittedTable
from .widgets.text import plain

LATENESS_STYLE = {"overdue": "bold", "due_today": "", "due_soon": "dim"}
SYMBOL = {"overdue": "‼", "due_today": "!", "due_soon": "○"}


def lateness_text(o: Obligation) -> Text:
    return Text(f"{SYMBOL[o.status]} {o.lateness}", style=LATENESS_STYLE[o.status])


def obligation_cells(o: Obligation) -> tuple[Text, ...]:
    """One row of an overdue list, in OVERDUE_COLUMNS' order."""
    return (
        plain(o.subject, "bold"),
        lateness_text(o),
        plain(o.title),
        Text(f"{o.due:%d %b %y}"),
        plain(o.responsible),
    )


def is_document(o: Obligation) -> bool:
    """A document review can be recorded from the list; other work cannot."""
    return o.child_id is not None and o.obligation in DOCUMENTS


DOCUMENTS = frozenset(get_args(Document))


# Who is responsible stays on screen however long the child's name or the
# obligation; the due date goes first on the narrowest terminals.
OVERDUE_COLUMNS = (
    Col("Child", least=10),
    Col("How late", least=10),
    Col("Obligation", least=14),
    Col("Due", drop=1),
    Col("Responsible", least=10),
)


class OverdueScreen(ModeScreen):
    MODE_TITLE = modes.title("overdue")
    COMMANDS = {ScreenCommands}  # the filters by name
    AUTO_FOCUS = "DataTable"
    CSS_PATH = "overdue.tcss"
    BINDINGS = [
        Binding(
            "enter",
            "profile",
            "Profile",
            id="overdue.profile",
            tooltip="The profile of the child on this row",
        ),
        Binding(
            "m", "toggle_mine", "Mine", id="overdue.mine", tooltip="Show only what falls to you"
        ),
        Binding(
            "w",
            "focus_filter('worker')",
            "Worker",
            id="overdue.worker",
            tooltip="Filter by responsible staff member",
        ),
        Binding(
            "c", "focus_filter('child')", "Child", id="overdue.child", tooltip="Filter by child"
        ),
        Binding(
            "k",
            "focus_filter('kind')",
            "Kind",
            id="overdue.kind",
            tooltip="Filter by kind of obligation",
        ),
        Binding("x", "clear_filters", "Clear", id="overdue.clear", tooltip="Clear every filter"),
        Binding(
            "u",
            "record('updated')",
            "Updated",
            id="overdue.updated",
            tooltip="Record the document on this row as reviewed and updated",
        ),
        Binding(
            "n",
            "record('no_change')",
            "No change",
            id="overdue.no_change",
            tooltip="Record the document on this row as reviewed with no change",
        ),
        Binding(
            "s",
            "session",
            "Session",
            id="overdue.session",
            tooltip="Record a session for the child on this row",
        ),
    ]

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="filters"):
            yield Select([], prompt="Any worker", id="worker", compact=True)
            yield Select([], prompt="Any child", id="child", compact=True)
            yield Select([], prompt="Any kind", id="kind", compact=True)
        yield Static(id="summary")
        yield FittedTable(OVERDUE_COLUMNS, id="obligations")
        yield Static(id="detail")

    def on_mount(self) -> None:
        self.items: list[Obligation] = []
        self.shown: list[Obligation] = []
        self.mine = False
        self.load()

    def reload(self) -> None:
        self.load()

    def load(self) -> None:
        home_id, on_day = self.ctx.home.id, clock.today()
        self.call_service(lambda: compliance.obligations(home_id, on_day), self._read, group="load")

    def _read(self, items: list[Obligation]) -> None:
        self.items = items
        self._fill_filters()
        self.show()

    def _fill_filters(self) -> None:
        choices = {
            name: sorted(
                {
                    self._value(o, name)
                    for o in self.items
                    if name != "child" or o.child_id is not None
                }
            )
            for name in ("worker", "child", "kind")
        }
        for name, values in choices.items():
            select = self.query_one(f"#{name}", Select)
            current = select.value
            with self.prevent(Select.Changed):
                select.set_options([(plain(v), v) for v in values])
                if current in values:
                    select.value = current

    def _matches(self, o: Obligation) -> bool:
        wanted = {n: self.query_one(f"#{n}", Select).value for n in ("worker", "child", "kind")}
        actor = self.ctx.actor
        if self.mine and not (
            o.responsible_id == actor.id or (o.falls_to == "managers" and actor.is_manager)
        ):
            return False
        checks = (("worker", o.responsible), ("child", o.subject), ("kind", o.title))
        return all(wanted[n] in (Select.NULL, None) or wanted[n] == v for n, v in checks)

    def show(self) -> None:
        self.shown = [o for o in self.items if self._matches(o)]
        self.query_one(FittedTable).show_rows(
            [(str(n), obligation_cells(o)) for n, o in enumerate(self.shown)]
        )
        self._show_detail()
        late = sum(o.status == "overdue" for o in self.shown)
        scope = "mine" if self.mine else "whole home"
        if not self.items:
            self.query_one("#summary", Static).update(
                "Nothing overdue, due today or due soon. Work falls due once children are "
                "admitted (F6, Key workers, n) and as the rules say (F6, Home)."
            )
            return
        self.query_one("#summary", Static).update(
            f"{len(self.shown)} shown ({scope}): {late} overdue, "
            f"{len(self.shown) - late} due today or soon"
        )

    def palette_commands(self) -> Iterator[SystemCommand]:
        """Every filter by name, for the command palette."""
        yield SystemCommand(
            "Overdue: only mine", "Toggle what falls to you", self.action_toggle_mine
        )
        yield SystemCommand(
            "Overdue: clear filters", "Show the whole home", self.action_clear_filters
        )
        for name, label in (("worker", "responsible"), ("child", "child"), ("kind", "kind")):
            values = sorted({self._value(o, name) for o in self.items})
            for value in values:
                yield SystemCommand(
                    f"Overdue: {label} {value}",
                    f"Filter the list by {label}",
                    partial(self.set_filter, name, value),
                )

    @staticmethod
    def _value(o: Obligation, name: str) -> str:
        return {"worker": o.responsible, "child": o.subject, "kind": o.title}[name]

    def set_filter(self, name: str, value: str) -> None:
        self.query_one(f"#{name}", Select).value = value

    @on(Select.Changed)
    def _filter_changed(self) -> None:
        self.show()

    def action_toggle_mine(self) -> None:
        self.mine = not self.mine
        self.show()

    def action_focus_filter(self, name: str) -> None:
        select = self.query_one(f"#{name}", Select)
        select.focus()
        select.expanded = True

    def action_clear_filters(self) -> None:
        self.mine = False
        for name in ("worker", "child", "kind"):
            with self.prevent(Select.Changed):
                self.query_one(f"#{name}", Select).clear()
        self.show()
        self.query_one(DataTable).focus()

    def current(self) -> Obligation | None:
        table = self.query_one(DataTable)
        if not self.shown or table.cursor_row < 0:
            return None
        return self.shown[min(table.cursor_row, len(self.shown) - 1)]

    def action_record(self, outcome: str) -> None:
        item = self.current()
        if item is None or not is_document(item):
            self.notify("Choose a document review row to record it here.", severity="warning")
            return
        words = "updated" if outcome == "updated" else "reviewed with no change"
        question = f"{item.title} for {item.subject}: {words}. Reviewed on:"

        def done(day: dt.date | None) -> None:
            if day is not None:
                self.save_review(item, outcome, day)

        self.app.push_screen(DatePrompt(question), done)

    def save_review(self, item: Obligation, outcome: str, day: dt.date) -> None:
        data = ReviewIn(
            child_id=item.child_id, document=item.obligation, reviewed_on=day, outcome=outcome
        )
        actor = self.ctx.actor

        def recorded(_: object) -> None:
            self.notify(f"{item.title} recorded for {item.subject}.")
            self.post_message(RecordsWritten())
            self.load()

        self.call_service(
            lambda: records.record_review(actor, data),
            recorded,
            refused=lambda error: self.notify(f"Not recorded: {error}", severity="error"),
            group="write",
        )

    def on_data_table_row_highlighted(self, _: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        """The highlighted row in full, which a narrow table may shorten."""
        item = self.current()
        detail = self.query_one("#detail", Static)
        detail.display = item is not None
        if item is not None:
            detail.update(
                Text.assemble(
                    plain(item.subject, "bold"),
                    ": ",
                    plain(item.title),
                    " · ",
                    lateness_text(item),
                    f" · due {item.due:%a %d %b %Y} · ",
                    plain(item.responsible),
                )
            )

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_profile()

    def action_profile(self) -> None:
        item = self.current()
        if item is None or item.child_id is None:
            self.notify("This row is not about a child: it has no profile.", severity="warning")
            return
        self.post_message(OpenProfile(item.child_id))

    def action_session(self) -> None:
        item = self.current()
        if item is None or item.child_id is None:
            self.notify("Choose a child's row to record a session.", severity="warning")
            return
        self.leave_for(OpenSession(item.child_id))
