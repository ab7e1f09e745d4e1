"""Session entry: logging a key-work session from the keyboard."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from .base import ModeScreen


class SessionEntryScreen(ModeScreen):
    MODE_TITLE = "Session entry"
    def compose_body(self) -> ComposeResult:
        yield Static("Record a key-work session here.", id="session-intro")
