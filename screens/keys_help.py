"""F1: the keys of the screen in use first, then the ones that work everywhere,
each with what it does, in a panel that fits 80x24. Esc or F1 closes it."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Label, Static

from .dialog import Dialog
from .widgets.text import plain


def _rows(screen: Screen[Any]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(this screen's keys, keys that work everywhere): keywork's own carry a
    tooltip; Textual's cursor keys are left to the widgets that show them."""
    here: list[tuple[str, str]] = []
    everywhere: list[tuple[str, str]] = []
    seen: set[str] = set()
    for active in screen.active_bindings.values():
        binding = active.binding
        if not binding.tooltip or binding.action in seen:
            continue
        seen.add(binding.action)
        line = (screen.app.get_key_display(binding), binding.tooltip)
        (everywhere if active.node is screen.app else here).append(line)
    return here, everywhere


def _table(rows: list[tuple[str, str]]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True, style="bold")
    table.add_column(overflow="fold")
    for key, words in rows:
        table.add_row(plain(key), plain(words))
    return table


class KeysHelp(Dialog[None]):
    """What each key does here; keys that work on every screen below."""

    DEFAULT_CSS = """
    KeysHelp > Vertical { width: 76; }
    KeysHelp VerticalScroll { height: auto; max-height: 80vh; }
    KeysHelp .heading { text-style: bold underline; margin-top: 1; }
    KeysHelp .hint { color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape,f1", "close", "Close", id="help.close", tooltip="Close the list of keys")
    ]

    def __init__(self, shown_over: Screen[Any]) -> None:
        super().__init__()
        self.shown_over = shown_over

    def compose(self) -> ComposeResult:
        here, everywhere = _rows(self.shown_over)
        title = getattr(self.shown_over, "MODE_TITLE", "") or "This screen"
        with Vertical():
            with VerticalScroll():
                yield Label(Text(f"Keys: {title}", style="bold"))
                yield Static(_table(here) if here else Text("No keys of its own."))
                yield Label("On every screen", classes="heading")
                yield Static(_table(everywhere))
            yield Label("Esc or F1 closes · Ctrl+P finds any command by name", classes="hint")

    def action_close(self) -> None:
        self.dismiss(None)
