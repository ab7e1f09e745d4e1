"""The supervision and summary tabs: when each staff member was last
supervised and what the home's rule has due; per key worker, sessions held
against due, write-ups on time and overdue reviews, as bars, exportable as CSV."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Label, Select, TextArea
from textual.widgets.select import NoSelection

from keywork_tui.outputs import StaffOut
from keywork_tui.schemas import SupervisionIn
from keywork_tui.services import FieldError, clock
from keywork_tui.services.child_file import plans_and_events as records
from keywork_tui.services.exchange import reports
from keywork_tui.services.exchange.private_files import write_private
from keywork_tui.services.exchange.reports import WorkerSummary
from keywork_tui.services.team import people, workspace
from keywork_tui.services.team.workspace import SupervisionRow

from .form_dialog import FormDialog, date_field, day_words, error_line
from .widgets.fitted_table import Col
from .widgets.text import plain
from .workspace_pane import WorkspacePane

STATUS_WORDS = {"overdue": "OVERDUE", "due_today": "due today", "due_soon": "due soon"}
BAR_CELLS = 6


def _children(n: int) -> str:
    return f"{n} key {'child' if n == 1 else 'children'}"


class SupervisionPane(WorkspacePane[SupervisionRow]):
    COLUMNS = (
        Col("Name", least=10),
        Col("Keys"),
        Col("Last supervised", least=9),
        Col("In a year", least=5),
        Col("Due", least=8),
    )
    EMPTY = "No active staff."
    BINDINGS = [
        Binding(
            "a",
            "record",
            "Record supervision",
            id="supervision.record",
            tooltip="Record a supervision session for the highlighted staff member",
        ),
    ]

    def read(self) -> list[SupervisionRow]:
        return workspace.supervision_overview(self.actor, clock.today())

    def key(self, row: SupervisionRow) -> str:
        return str(row.staff_id)

    def intro(self) -> Text:
        late = [r.name for r in self.rows if r.status == "overdue"]
        if not late:
            return Text("No supervision overdue (the home's rule: once a term per key worker).")
        return Text.assemble(("⚠ Supervision overdue: ", "bold"), plain(", ".join(late)))

    def cells(self, row: SupervisionRow) -> tuple[str | Text, ...]:
        due = ""
        if row.due is not None and row.status is not None:
            due = f"{STATUS_WORDS.get(row.status, row.status)} {row.due:%d %b}"
        return (
            plain(row.name),
            str(row.key_children or ""),
            f"{row.last:%d %b %Y}" if row.last else "never",
            str(row.held_this_year),
            Text(due, style="bold" if row.status == "overdue" else ""),
        )

    def detail(self, row: SupervisionRow) -> Text:
        text = Text.assemble(
            (row.name, "bold"), f" · {_children(row.key_children)} · {row.eligibility}"
        )
        last = day_words(row.last) if row.last else "never recorded"
        text.append(f"\nLast supervised: {last} · {row.held_this_year} in the last year")
        if row.due and row.status:
            text.append(
                f"\nSupervision {STATUS_WORDS.get(row.status, row.status)}: {day_words(row.due)}"
            )
        return text

    def action_record(self) -> None:
        self._open()

    def _open(self) -> None:
        home_id = self.actor.home_id
        self.call_service(lambda: people.list_staff(home_id), self._ask, group="supervision-dialog")

    def _ask(self, staff: list[StaffOut]) -> None:
        row = self.highlighted()
        self.ask(
            SupervisionDialog(
                staff,
                row.staff_id if row else None,
                lambda data: records.record_supervision(self.actor, data),
            ),
            "Supervision recorded.",
        )


class SupervisionDialog(FormDialog):
    def __init__(
        self, staff: list[StaffOut], chosen: int | None, save: Callable[[SupervisionIn], Any]
    ) -> None:
        super().__init__(save)
        self.staff, self.chosen = staff, chosen

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text("Record supervision", style="bold"))
            with VerticalScroll():
                yield Label("Who was supervised", classes="field")
                ids = {s.id for s in self.staff}
                yield Select(
                    [(plain(s.name), s.id) for s in self.staff],
                    id="staff",
                    value=self.chosen if self.chosen in ids else Select.NULL,
                    prompt="choose the staff member",
                    compact=True,
                )
                yield error_line("staff_id")
                yield from date_field("held_on", "Held on", "today", "today, last fri, 3/11")
                yield Label("Note (kept on the staff file, not the child's)", classes="field")
                yield TextArea(id="note", compact=True)
            yield error_line("form")
            yield Label("Ctrl+S saves · Esc cancels", classes="hint")

    def on_mount(self) -> None:
        self.show_parsed("held_on", "today")
        self.query_one("#held_on", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.show_parsed("held_on", event.value)

    def collect(self) -> SupervisionIn:
        staff = self.query_one("#staff", Select).value
        if isinstance(staff, NoSelection):
            raise FieldError("staff_id", "choose who was supervised")
        held_on: dt.date = self.field_date("held_on")
        return SupervisionIn(staff_id=int(staff), held_on=held_on, note=self.value("note"))


# --- the home summary -------------------------------------------------------------


def bar(held: int, due: int | None) -> Text:
    """'████░░ 7/10' (held of due, short so the figures show at 80 columns);
    without a weekly rule, just the sessions held."""
    if due is None:
        return Text(f"{held} held")
    if due == 0:
        return Text("none due", style="dim")
    filled = round(BAR_CELLS * min(held, due) / due)
    style = "bold" if held < due else ""
    return Text.assemble(
        ("█" * filled, style), ("░" * (BAR_CELLS - filled), "dim"), f" {held}/{due}"
    )


def views_share(row: WorkerSummary) -> Text:
    """'3/7' sessions with the child's views; bold when fewer than half."""
    if not row.sessions:
        return Text("no sessions", style="dim")
    return Text(
        f"{row.views_recorded}/{row.sessions}",
        style="bold" if 2 * row.views_recorded < row.sessions else "",
    )


class SummaryPane(WorkspacePane[WorkerSummary]):
    COLUMNS = (
        Col("Key worker", least=10),
        Col("Keys"),
        Col("4 weeks"),
        Col("12 weeks"),
        Col("On time", least=6),
        Col("Late reviews", least=6),
        Col("Views", least=5),
    )
    EMPTY = "No key workers yet."
    BINDINGS = [
        Binding(
            "x",
            "export",
            "Export CSV",
            id="summary.export",
            tooltip="Write this summary to a CSV file only you can read",
        ),
    ]

    def read(self) -> list[WorkerSummary]:
        return reports.home_summary(self.actor, clock.today())

    def key(self, row: WorkerSummary) -> str:
        return str(row.staff_id)

    def intro(self) -> Text:
        return Text(
            f"Per key worker, to {clock.today():%a %d %b %Y}: sessions held of due "
            "(one a week per key child), write-ups on time of all written, reviews "
            "overdue, sessions with the child's views."
        )

    def cells(self, row: WorkerSummary) -> tuple[str | Text, ...]:
        written = row.write_ups_on_time + row.write_ups_late
        writeups = Text(
            f"{row.write_ups_on_time}/{written}" if written else "",
            style="bold" if row.write_ups_late else "",
        )
        return (
            plain(row.name),
            str(row.key_children),
            bar(row.held_4w, row.due_4w),
            bar(row.held_12w, row.due_12w),
            writeups,
            Text(str(row.overdue_reviews or ""), style="bold"),
            views_share(row),
        )

    def detail(self, row: WorkerSummary) -> Text:
        due4 = "not counted" if row.due_4w is None else str(row.due_4w)
        due12 = "not counted" if row.due_12w is None else str(row.due_12w)
        return Text.assemble(
            (row.name, "bold"),
            f" · {_children(row.key_children)}\n",
            f"Last 4 weeks: {row.held_4w} held of {due4} due · last 12 weeks: "
            f"{row.held_12w} held of {due12} due\n",
            f"Write-ups: {row.write_ups_on_time} on time, {row.write_ups_late} late · "
            f"reviews overdue: {row.overdue_reviews}\n",
            f"The child's own views recorded in {row.views_recorded} of {row.sessions} "
            "sessions in the last 12 weeks",
        )

    def action_export(self) -> None:
        if not self.rows:
            self.app.notify("Nothing to export yet.", severity="warning")
            return
        text = reports.summary_csv(self.rows)
        self.ask(
            ExportDialog(lambda path: write_private(path, text)),
            "Summary written (readable only by you).",
        )


class ExportDialog(FormDialog):
    """Ask where to write a file; an existing file is never overwritten here."""

    def __init__(self, save: Callable[[Path], Any]) -> None:
        super().__init__(save)

    def compose(self) -> ComposeResult:
        default = Path.home() / f"keywork-summary-{clock.today():%Y-%m-%d}.csv"
        with Vertical():
            yield Label(Text("Export the summary as CSV", style="bold"))
            with VerticalScroll():
                yield Label("File", classes="field")
                yield Input(str(default), id="path", compact=True)
                yield error_line("path")
            yield error_line("form")
            yield Label("Ctrl+S or Enter writes · Esc cancels", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    def on_input_submitted(self, _: Input.Submitted) -> None:
        self.action_save()

    def collect(self) -> Any:
        typed = self.value("path").strip()
        if not typed:
            raise FieldError("path", "name the file to write")
        return Path(typed).expanduser()
