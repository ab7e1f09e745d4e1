"""A child's report from the app: the period (last month unless changed) and
the file to write, HTML or Markdown by its name, readable by its owner only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from dateutil.relativedelta import relativedelta
from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Label, Select

from keywork_tui.config import reports_dir
from keywork_tui.schemas import ChildReportIn
from keywork_tui.services import FieldError, clock
from keywork_tui.services.actor import Actor
from keywork_tui.services.exchange import reports
from keywork_tui.services.exchange.reports import ChildReport, report_file_name

from .form_dialog import FormDialog, date_field, error_line


def last_month(today: dt.date) -> tuple[dt.date, dt.date]:
    first = (today - relativedelta(months=1)).replace(day=1)
    return first, first + relativedelta(months=1) - dt.timedelta(days=1)


class ReportDialog(FormDialog):
    """Dismisses with what `save` returns (the path written and the report)."""

    DEFAULT_CSS = """
    ReportDialog #path { width: 1fr; }
    """

    def __init__(
        self, child_id: int, child_name: str, save: Callable[[ChildReportIn], Any]
    ) -> None:
        super().__init__(save)
        self.child_id, self.child_name = child_id, child_name
        self.first, self.last = last_month(clock.today())
        self.name_typed = False  # once the user types a name, the dates leave it alone

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(f"Report on {self.child_name}", style="bold"))
            with VerticalScroll():
                yield from date_field("first", "From", f"{self.first:%d/%m/%Y}")
                yield from date_field("last", "To", f"{self.last:%d/%m/%Y}")
                yield Label("File (.html prints on A4; .md for Markdown)", classes="field")
                yield Input(str(self._default_path()), id="path", compact=True)
                yield error_line("path")
                # Words, not a tick box: without colour a tick box looks ticked either way.
                yield Select(
                    [
                        ("if the file exists, say so and write nothing", False),
                        ("if the file exists, replace it", True),
                    ],
                    value=False,
                    allow_blank=False,
                    id="overwrite",
                    compact=True,
                )
            yield error_line("form")
            yield Label("Ctrl+S writes the report · Esc cancels", classes="hint")

    def on_mount(self) -> None:
        for name in ("first", "last"):
            self.show_parsed(name, self.value(name))
        self.query_one("#first", Input).focus()

    def _default_path(self) -> Path:
        return reports_dir() / report_file_name(self.child_name, self.first, self.last)

    def on_input_changed(self, event: Input.Changed) -> None:
        name = event.input.id
        if name == "path":
            self.name_typed = event.value != str(self._default_path())
        elif name in ("first", "last"):
            self.show_parsed(name, event.value)
            self._follow_dates()

    def _follow_dates(self) -> None:
        """While the name is the one offered, it follows the period typed."""
        if self.name_typed:
            return
        try:
            self.first, self.last = self.field_date("first"), self.field_date("last")
        except FieldError:  # a half-typed date: keep the name until it reads
            return
        self.query_one("#path", Input).value = str(self._default_path())

    def collect(self) -> ChildReportIn:
        return ChildReportIn(
            child_id=self.child_id,
            first=self.field_date("first"),
            last=self.field_date("last"),
            path=self.value("path"),
            overwrite=self.query_one("#overwrite", Select).value is True,
        )


def report_on(app: App[Any], actor: Actor, child_id: int, child_name: str) -> None:
    """Ask for the period and file, write the report, and say where it went."""

    def written(result: tuple[Path, ChildReport] | None) -> None:
        if result:
            path, report = result
            app.notify(
                f"The report on {child_name} ({len(report.sessions)} sessions) is in "
                f"{path}, readable by you only.",
                timeout=12,
            )

    app.push_screen(
        ReportDialog(child_id, child_name, partial(reports.write_child_report, actor)), written
    )
