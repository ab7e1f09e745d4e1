"""The key workers tab: each child's key worker, co-worker and today's cover;
allocating one (suggested by load and shared interests) or changing one, which
asks for the reason and keeps the history; admitting a child, and a child
leaving (their records are kept)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Input, Label, Select, Static, TextArea

from keywork_tui.outputs import StaffOut
from keywork_tui.schemas import AllocationIn, ChildIn
from keywork_tui.services import Actor, FieldError, clock
from keywork_tui.services.child_file.profile import REASON_WORDS
from keywork_tui.services.team import allocation, people, workspace
from keywork_tui.services.team import staffing as manager
from keywork_tui.services.team.staffing import Suggestion
from keywork_tui.services.team.workspace import ChildAllocation

from .date_prompt import DatePrompt
from .form_dialog import FormDialog, date_field, day_words, error_line, selected
from .messages import OpenProfile
from .report_dialog import report_on
from .widgets.fitted_table import Col
from .widgets.text import plain
from .workspace_pane import WorkspacePane

ROLE_WORDS = {"key_worker": "key worker", "co_worker": "co-worker"}


def suggestion_words(s: Suggestion, covers: bool = False) -> str:
    """'Lee Lane · 1 key child · 2 covers · shares chess': what the order rests on."""
    load = f"{s.key_children} key {'child' if s.key_children == 1 else 'children'}"
    if covers and s.covers:
        load += f" · {s.covers} cover{'s' if s.covers != 1 else ''}"
    shared = f" · shares {', '.join(s.shared)}" if s.shared else ""
    return f"{s.name} · {load}{shared}"


class AllocationPane(WorkspacePane[ChildAllocation]):
    COLUMNS = (
        Col("Child", least=10),
        Col("Key worker", least=10),
        Col("Since", drop=1),
        Col("Co-worker", least=8, drop=2),
        Col("Cover today", least=10),
    )
    EMPTY = "No children in placement yet: n admits the first child, with their key worker."
    BINDINGS = [
        Binding(
            "a",
            "allocate",
            "Allocate / change",
            id="allocation.allocate",
            tooltip="Allocate or change the highlighted child's key worker or co-worker",
        ),
        Binding(
            "n",
            "admit",
            "Admit a child",
            id="allocation.admit",
            tooltip="Admit a child to the home, with their key worker",
        ),
        Binding(
            "l",
            "leaves",
            "Leaves",
            id="allocation.leaves",
            tooltip="Record the highlighted child leaving the home (their records are kept)",
        ),
        Binding(
            "r",
            "report",
            "Report",
            id="allocation.report",
            tooltip="Write the highlighted child's report for a month or review period",
        ),
    ]

    def read(self) -> list[ChildAllocation]:
        return workspace.allocation_board(self.actor, clock.today())

    def key(self, row: ChildAllocation) -> str:
        return str(row.child_id)

    def intro(self) -> Text:
        missing = [r.child for r in self.rows if r.key_worker is None]
        if not missing:
            return Text(f"All {len(self.rows)} children have a key worker.")
        return Text.assemble(
            ("⚠ No key worker: ", "bold"), plain(", ".join(missing)), " · a allocates one"
        )

    def cells(self, row: ChildAllocation) -> tuple[str | Text, ...]:
        worker = plain(row.key_worker) if row.key_worker else Text("⚠ NONE", style="bold")
        return (
            plain(row.child),
            worker,
            f"{row.since:%d %b %Y}" if row.since else "",
            plain(row.co_worker or ""),
            plain(row.cover or ""),
        )

    def detail(self, row: ChildAllocation) -> Text:
        text = Text.assemble((row.child, "bold"))
        if row.key_worker and row.since:
            text.append(f"\nKey worker: {row.key_worker} since {day_words(row.since)}")
        else:
            text.append("\nNo key worker: a allocates one (only eligible staff can be chosen).")
        text.append(f"\nCo-worker: {row.co_worker or 'none'}")
        if row.cover:
            text.append(f"\nCovered today by {row.cover}")
        return text

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a child: their profile, as everywhere a child is a row."""
        event.stop()
        row = self.highlighted()
        if row is not None:
            self.post_message(OpenProfile(row.child_id))

    def action_allocate(self) -> None:
        row = self.need_row("a child")
        if row is not None:
            self._open_dialog(row)

    def _open_dialog(self, row: ChildAllocation) -> None:
        actor, today = self.actor, clock.today()
        self.call_service(
            lambda: manager.suggest_key_workers(actor, row.child_id, today, None),
            partial(self._offer, row),
            group="allocation-dialog",
        )

    def _offer(self, row: ChildAllocation, found: list[Suggestion]) -> None:
        if not found:
            self.app.notify(
                "Nobody eligible is free: add or qualify staff on the Staff tab.",
                severity="warning",
            )
            return
        self.ask(AllocationDialog(row, found, self._save), f"{row.child}: allocation saved.")

    def action_admit(self) -> None:
        self._open_admit()

    def _open_admit(self) -> None:
        actor = self.actor
        self.call_service(
            lambda: manager.eligible_key_workers(actor),
            self._offer_admit,
            group="allocation-dialog",
        )

    def _offer_admit(self, staff: list[StaffOut]) -> None:
        save = partial(self._admit, self.actor)
        self.ask(
            AdmitDialog(staff, save),
            "Child admitted: the first session and their likes and dislikes are now due.",
        )

    @staticmethod
    def _admit(actor: Actor, form: tuple[ChildIn, int | None]) -> object:
        return manager.admit_child(actor, *form)

    def action_report(self) -> None:
        row = self.need_row("a child")
        if row is not None:
            report_on(self.app, self.actor, row.child_id, row.child)

    def action_leaves(self) -> None:
        row = self.need_row("a child")
        if row is None:
            return

        def chosen(day: dt.date | None) -> None:
            if day is not None:
                self.run_write(
                    lambda: people.child_leaves(self.actor, row.child_id, day),
                    f"{row.child} left on {day_words(day)}: every record is kept.",
                )

        self.app.push_screen(
            DatePrompt(f"{row.child} leaves the home. Their last day:", "today"), chosen
        )

    def _save(self, data: AllocationIn) -> object:
        """A change of key worker goes through its own rule; anything else is an
        allocation (a change of co-worker still needs its reason)."""
        if data.role == "key_worker" and data.reason is not None:
            return manager.change_key_worker(
                self.actor,
                data.child_id,
                data.staff_id,
                data.starts_on,
                data.reason,
                data.reason_note,
            )
        return allocation.allocate(self.actor, data)


class AllocationDialog(FormDialog):
    """Choose who, as what, from when; a change also asks why."""

    DEFAULT_CSS = """
    AllocationDialog TextArea { height: 3; }
    AllocationDialog #why { height: auto; }
    AllocationDialog VerticalScroll { max-height: 15; }
    """

    def __init__(
        self,
        row: ChildAllocation,
        suggestions: list[Suggestion],
        save: Callable[[AllocationIn], Any],
    ) -> None:
        super().__init__(save)
        self.row, self.suggestions = row, suggestions

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text.assemble("Key worker for ", (self.row.child, "bold")))
            yield Static(id="current")
            with VerticalScroll():
                yield Label("As", classes="field")
                yield Select(
                    [(w, r) for r, w in ROLE_WORDS.items()],
                    value="key_worker",
                    allow_blank=False,
                    id="role",
                    compact=True,
                )
                yield Label("Who (fewest key children first)", classes="field")
                yield Select(
                    [(plain(suggestion_words(s)), s.staff_id) for s in self.suggestions],
                    value=self.suggestions[0].staff_id,
                    allow_blank=False,
                    id="staff",
                    compact=True,
                )
                yield error_line("staff_id")
                yield from date_field("starts_on", "From", "today", "today, mon, 1/12")
                with Vertical(id="why"):
                    yield Label("Why the change", classes="field")
                    yield Select(
                        [(w, r) for r, w in REASON_WORDS.items()],
                        id="reason",
                        prompt="choose the reason",
                        compact=True,
                    )
                    yield error_line("reason")
                    yield Label("In words (needed for 'other')", classes="field")
                    yield TextArea(id="reason_note", compact=True)
                    yield error_line("reason_note")
            yield error_line("form")
            yield Label("Ctrl+S saves · Esc cancels", classes="hint")

    def on_mount(self) -> None:
        self.show_parsed("starts_on", "today", ahead=True)
        self._show_role("key_worker")
        self.query_one("#staff", Select).focus()

    def _current(self, role: str) -> str | None:
        return self.row.key_worker if role == "key_worker" else self.row.co_worker

    def _show_role(self, role: str) -> None:
        current = self._current(role)
        words = ROLE_WORDS[role]
        self.query_one("#current", Static).update(
            plain(
                f"Current {words}: {current}. "
                "Choosing someone else changes it: the history is kept."
                if current
                else f"No {words} yet."
            )
        )
        self.query_one("#why").display = current is not None

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "role":
            self._show_role(str(event.value))

    def on_input_changed(self, event: Input.Changed) -> None:
        self.show_parsed("starts_on", event.value, ahead=True)

    def collect(self) -> AllocationIn:
        role = str(self.query_one("#role", Select).value)
        reason = self.query_one("#reason", Select).value
        changing = self._current(role) is not None
        if changing and reason is Select.NULL:
            raise FieldError("reason", f"choose why the {ROLE_WORDS[role]} changes")
        if changing and reason == "other" and not self.value("reason_note").strip():
            raise FieldError("reason_note", "say why in words when the reason is 'other'")
        starts_on: dt.date = self.field_date("starts_on", ahead=True)
        return AllocationIn(
            child_id=self.row.child_id,
            staff_id=int(selected(self.query_one("#staff", Select))),
            role=role,
            starts_on=starts_on,
            reason=str(reason) if changing else None,
            reason_note=self.value("reason_note") if changing else "",
        )


PLACEMENT_WORDS = {
    "full_time": "full time",
    "residential_school": "residential school",
    "short_break": "short breaks",
}
NO_KEY_WORKER = -1


class AdmitDialog(FormDialog):
    """A new child: their names, birthday, the day they arrive, their placement
    and school, and their key worker from that day."""

    DEFAULT_CSS = """
    AdmitDialog VerticalScroll { max-height: 16; }
    """

    def __init__(
        self, staff: list[StaffOut], save: Callable[[tuple[ChildIn, int | None]], Any]
    ) -> None:
        super().__init__(save)
        self.staff = staff

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text("Admit a child", style="bold"))
            with VerticalScroll():
                for name, words in (
                    ("first_name", "First name"),
                    ("last_name", "Last name"),
                    ("preferred_name", "Preferred name (blank: first name)"),
                ):
                    yield Label(words, classes="field")
                    yield Input(id=name, compact=True)
                    yield error_line(name)
                yield from date_field("date_of_birth", "Date of birth", placeholder="e.g. 4/3/2012")
                yield from date_field("admitted_on", "Arrives", "today", "today, mon, 1/12")
                yield Label("Placement", classes="field")
                yield Select(
                    [(w, p) for p, w in PLACEMENT_WORDS.items()],
                    value="full_time",
                    allow_blank=False,
                    id="placement",
                    compact=True,
                )
                yield Label("School", classes="field")
                yield Input(id="school", compact=True)
                yield error_line("school")
                yield Label("Key worker (eligible staff)", classes="field")
                yield Select(
                    [(plain(s.name), s.id) for s in self.staff]
                    + [("none yet: allocate later (a)", NO_KEY_WORKER)],
                    value=self.staff[0].id if self.staff else NO_KEY_WORKER,
                    allow_blank=False,
                    id="key_worker",
                    compact=True,
                )
            yield error_line("form")
            yield Label("Ctrl+S saves · Esc cancels", classes="hint")

    def on_mount(self) -> None:
        self.show_parsed("date_of_birth", "", "type the date of birth")
        self.show_parsed("admitted_on", "today")
        self.query_one("#first_name", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id in ("date_of_birth", "admitted_on"):
            self.show_parsed(event.input.id, event.value)

    def collect(self) -> tuple[ChildIn, int | None]:
        worker = selected(self.query_one("#key_worker", Select))
        data = ChildIn(
            first_name=self.value("first_name"),
            last_name=self.value("last_name"),
            preferred_name=self.value("preferred_name"),
            date_of_birth=self._born(),
            admitted_on=self.field_date("admitted_on"),
            placement=str(self.query_one("#placement", Select).value),
            school=self.value("school"),
        )
        return data, (None if worker == NO_KEY_WORKER else int(worker))

    def _born(self) -> dt.date:
        if not self.value("date_of_birth").strip():
            raise FieldError("date_of_birth", "type the date of birth")
        return self.field_date("date_of_birth")
