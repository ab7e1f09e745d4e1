"""The absence and cover tab: absences running or coming up, each absent key
worker's children and who covers them; recording an absence and choosing the
cover, suggested by load. What is set here feeds the handover's NO COVER."""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Callable
from functools import partial
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Label, Select, Static, TextArea
from textual.widgets.select import NoSelection

from keywork_tui.outputs import StaffOut
from keywork_tui.schemas import AbsenceIn, CoverIn
from keywork_tui.services import FieldError, clock
from keywork_tui.services.team import allocation, people, workspace
from keywork_tui.services.team import staffing as manager
from keywork_tui.services.team.staffing import CoverWarning, Suggestion, day_spans
from keywork_tui.services.team.workspace import AbsenceRow, ChildCover
from keywork_tui.vocabulary import AbsenceKind

from .form_dialog import FormDialog, date_field, day_words, error_line, selected
from .manager_allocation import suggestion_words
from .pick_dialog import PickDialog
from .widgets.fitted_table import Col
from .widgets.text import plain
from .workspace_pane import WorkspacePane

KINDS = typing.get_args(AbsenceKind)


def cover_words(c: ChildCover) -> str:
    if not c.uncovered:
        return f"{c.child}: covered by {', '.join(c.covered_by)}"
    gap = f"{c.child}: NO COVER {day_spans(c.uncovered)}"
    return gap + (f" (covered by {', '.join(c.covered_by)} on other days)" if c.covered_by else "")


class CoverPane(WorkspacePane[AbsenceRow]):
    COLUMNS = (
        Col("Who", least=10),
        Col("Why", least=8),
        Col("From"),
        Col("To"),
        Col("Key children", least=10),
    )
    EMPTY = "No absences recorded from today on: a records one."
    BINDINGS = [
        Binding(
            "a",
            "absence",
            "Record absence",
            id="cover.absence",
            tooltip="Record a staff member's leave, sickness, training or other absence",
        ),
        Binding(
            "c",
            "cover",
            "Arrange cover",
            id="cover.arrange",
            tooltip="Choose who covers a key child during the highlighted absence",
        ),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.warnings: list[CoverWarning] = []

    def read(self) -> list[AbsenceRow]:
        today = clock.today()
        self.warnings = manager.cover_warnings(self.actor, today)
        return workspace.absences_ahead(self.actor, today)

    def intro(self) -> Text:
        if not self.warnings:
            return Text("No warnings: every key child of an absent worker has cover.")
        text = Text()
        for w in self.warnings:
            text.append("⚠ ", style="bold").append_text(plain(w.text)).append("\n")
        text.rstrip()
        return text

    def cells(self, row: AbsenceRow) -> tuple[str | Text, ...]:
        children = Text()
        for c in row.children:
            if children:
                children.append(", ")
            children.append(plain(c.child))
            children.append(
                " NO COVER" if c.uncovered else " ✓", style="bold" if c.uncovered else ""
            )
        return (
            plain(row.staff),
            row.kind,
            f"{row.starts_on:%a %d %b}",
            f"{row.ends_on:%a %d %b}",
            children or Text("no key children", style="dim"),
        )

    def detail(self, row: AbsenceRow) -> Text:
        text = Text.assemble(
            (row.staff, "bold"),
            f" · {row.kind} · {day_words(row.starts_on)}"
            f" to {day_words(row.ends_on)} ({row.days} days)",
        )
        if row.note:
            text.append("\n").append_text(plain(row.note))
        for c in row.children:
            text.append("\n").append_text(plain(cover_words(c)))
        if any(c.uncovered for c in row.children):
            text.append("\nc arranges cover")
        return text

    def action_absence(self) -> None:
        self._open_absence()

    def _open_absence(self) -> None:
        home_id = self.actor.home_id
        self.call_service(
            lambda: people.list_staff(home_id), self._ask_absence, group="cover-dialog"
        )

    def _ask_absence(self, staff: list[StaffOut]) -> None:
        self.ask(
            AbsenceDialog(staff, lambda data: allocation.record_absence(self.actor, data)),
            "Absence recorded: c arranges cover for the key children.",
        )

    def action_cover(self) -> None:
        row = self.need_row("an absence")
        if row is None:
            return
        if not row.children:
            self.app.notify(f"{row.staff} has no key children to cover.", severity="warning")
            return
        if len(row.children) == 1:
            self._open_cover(row, row.children[0])
            return
        lines = [(str(c.child_id), plain(cover_words(c))) for c in row.children]

        def picked(child_id: str | None) -> None:
            chosen = next((c for c in row.children if str(c.child_id) == child_id), None)
            if chosen is not None:
                self._open_cover(row, chosen)

        self.app.push_screen(
            PickDialog(f"Cover which of {row.staff}'s key children?", lines), picked
        )

    def _open_cover(self, row: AbsenceRow, child: ChildCover) -> None:
        actor = self.actor
        self.call_service(
            lambda: manager.suggest_cover(actor, row.id, child.child_id),
            partial(self._offer_cover, row, child),
            group="cover-dialog",
        )

    def _offer_cover(self, row: AbsenceRow, child: ChildCover, found: list[Suggestion]) -> None:
        if not found:
            self.app.notify("Nobody eligible is free for these days.", severity="warning")
            return
        self.ask(
            CoverDialog(row, child, found, lambda data: allocation.arrange_cover(self.actor, data)),
            f"Cover arranged for {child.child}.",
        )


class AbsenceDialog(FormDialog):
    """Who is away, why, and from when to when (both days included)."""

    DEFAULT_CSS = """
    AbsenceDialog TextArea { height: 3; }
    """

    def __init__(self, staff: list[StaffOut], save: Callable[[AbsenceIn], Any]) -> None:
        super().__init__(save)
        self.staff = staff

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text("Record an absence", style="bold"))
            with VerticalScroll():
                yield Label("Who", classes="field")
                yield Select(
                    [(plain(s.name), s.id) for s in self.staff],
                    id="staff",
                    prompt="choose the staff member",
                    compact=True,
                )
                yield error_line("staff_id")
                yield Label("Why", classes="field")
                yield Select(
                    [(k, k) for k in KINDS],
                    value="leave",
                    allow_blank=False,
                    id="kind",
                    compact=True,
                )
                for name, words in (("starts_on", "First day away"), ("ends_on", "Last day away")):
                    yield from date_field(
                        name,
                        words,
                        "today" if name == "starts_on" else "",
                        "today, mon, 21/12, in 2w",
                    )
                yield Label("Note (optional)", classes="field")
                yield TextArea(id="note", compact=True)
            yield error_line("form")
            yield Label("Ctrl+S saves · Esc cancels", classes="hint")

    def on_mount(self) -> None:
        self.show_parsed("starts_on", "today", ahead=True)
        self.show_parsed("ends_on", "", "→ type the last day away")
        self.query_one("#staff", Select).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        name = event.input.id or ""
        self.show_parsed(name, event.value, "→ type the last day away", ahead=True)

    def collect(self) -> AbsenceIn:
        staff = self.query_one("#staff", Select).value
        if isinstance(staff, NoSelection):
            raise FieldError("staff_id", "choose who is away")
        starts_on = self.field_date("starts_on", ahead=True)
        if not self.value("ends_on").strip():
            raise FieldError("ends_on", "say the last day away")
        ends_on = self.field_date("ends_on", ahead=True)
        if ends_on < starts_on:
            raise FieldError("ends_on", "the last day is before the first")
        return AbsenceIn(
            staff_id=int(staff),
            starts_on=starts_on,
            ends_on=ends_on,
            kind=str(self.query_one("#kind", Select).value),
            note=self.value("note"),
        )


class CoverDialog(FormDialog):
    """Who covers one key child, and for which days of the absence."""

    def __init__(
        self,
        absence: AbsenceRow,
        child: ChildCover,
        suggestions: list[Suggestion],
        save: Callable[[CoverIn], Any],
    ) -> None:
        super().__init__(save)
        self.absence, self.child, self.suggestions = absence, child, suggestions

    def _default_span(self) -> tuple[dt.date, dt.date]:
        days = self.child.uncovered or (
            max(self.absence.starts_on, clock.today()),
            self.absence.ends_on,
        )
        return min(days), max(days)

    def compose(self) -> ComposeResult:
        first, last = self._default_span()
        with Vertical():
            yield Label(Text.assemble("Cover for ", (self.child.child, "bold")))
            yield Static(
                plain(
                    f"{self.absence.staff} is away ({self.absence.kind}) "
                    f"{day_words(self.absence.starts_on)} to "
                    f"{day_words(self.absence.ends_on)}."
                )
            )
            with VerticalScroll():
                yield Label("Who covers (fewest key children and covers first)", classes="field")
                options = [
                    (plain(suggestion_words(s, covers=True)), s.staff_id) for s in self.suggestions
                ]
                yield Select(
                    options,
                    value=self.suggestions[0].staff_id,
                    allow_blank=False,
                    id="staff",
                    compact=True,
                )
                for name, words, day in (("starts_on", "From", first), ("ends_on", "To", last)):
                    yield from date_field(name, words, f"{day:%d/%m/%Y}")
            yield error_line("form")
            yield Label("Ctrl+S saves · Esc cancels", classes="hint")

    def on_mount(self) -> None:
        for name in ("starts_on", "ends_on"):
            self.show_parsed(name, self.value(name), ahead=True)
        self.query_one("#staff", Select).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.show_parsed(event.input.id or "", event.value, ahead=True)

    def collect(self) -> CoverIn:
        starts_on = self.field_date("starts_on", ahead=True)
        ends_on = self.field_date("ends_on", ahead=True)
        if ends_on < starts_on:
            raise FieldError("ends_on", "cover must end on or after the day it starts")
        return CoverIn(
            child_id=self.child.child_id,
            staff_id=int(selected(self.query_one("#staff", Select))),
            starts_on=starts_on,
            ends_on=ends_on,
            absence_id=self.absence.id,
        )
