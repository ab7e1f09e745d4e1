"""Choosing one of a few lines: a colleague, an action, a record."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from .dialog import Dialog
from .widgets.text import plain


class PickDialog(Dialog[str | None]):
    """Choose one of a few lines; Enter picks (its id), Esc cancels."""

    DEFAULT_CSS = """
    PickDialog OptionList { height: auto; max-height: 14; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="pick_line.cancel", tooltip="Change nothing")
    ]

    def __init__(self, question: str, lines: list[tuple[str, Text]]) -> None:
        super().__init__()
        self.question, self.lines = question, lines

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(plain(self.question))
            yield OptionList(*[Option(text, id=key) for key, text in self.lines])
            yield Label("Enter picks · Esc cancels", classes="hint")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
