"""Overdue work across the home."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from .base import ModeScreen


class OverdueScreen(ModeScreen):
    MODE_TITLE = "Overdue"
    def compose_body(self) -> ComposeResult:
        yield Static("Overdue work for the home is listed here.", id="overdue-intro")
