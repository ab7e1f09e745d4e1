"""A small modal asking for a date, with the parsed date shown before use."""

from __future__ import annotations

import datetime as dt

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from keywork_tui.calendar import DateParseError, parse_when
from keywork_tui.services import clock

from .dialog import Dialog
from .widgets.text import plain


class DatePrompt(Dialog[dt.date | None]):
    """Returns the chosen date, or None when cancelled."""

    DEFAULT_CSS = """
    DatePrompt > Vertical { width: 60; padding: 1 2; }
    DatePrompt #parsed { color: $text-muted; height: 1; }
    DatePrompt #parsed.-error { color: $error; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="date.cancel", tooltip="Leave unchanged")]

    def __init__(self, question: str, default: str = "today") -> None:
        super().__init__()
        self.question = question
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(plain(self.question))
            yield Input(self.default, id="when", placeholder="today, yesterday, last fri, 21/12")
            yield Static(id="parsed")
            yield Label("Enter to record · Esc to cancel")

    def on_mount(self) -> None:
        self._show(self.default)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._show(event.value)

    def _parse(self, text: str) -> dt.date:
        day = parse_when(text, clock.now()).date()
        if day > clock.today():
            raise DateParseError("that date is in the future")
        return day

    def _show(self, text: str) -> None:
        parsed = self.query_one("#parsed", Static)
        try:
            day = self._parse(text)
        except DateParseError as exc:
            parsed.update(plain(f"✗ {exc}"))
            parsed.add_class("-error")
            return
        parsed.remove_class("-error")
        parsed.update(f"→ {day:%A %d %B %Y}")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            self.dismiss(self._parse(event.value))
        except DateParseError:
            self.query_one(Input).focus()  # the message is already beside the field

    def action_cancel(self) -> None:
        self.dismiss(None)
