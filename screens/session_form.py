"""Parts of the session entry form: the actions agreed and progress on targets.

Each part reads its inputs back as plain dicts for SessionIn and can be filled
from a saved draft.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from keywork_tui.calendar import DateParseError, parse_due
from keywork_tui.services import clock
from keywork_tui.services.child_file.sessions import OpenTarget

from .widgets.text import plain

PURPOSE_WORDS = {
    "progress": "progress",
    "problems": "problems",
    "achievements": "achievements",
    "targets": "targets",
    "review_or_court": "a review or court",
    "future": "the future",
    "past": "the past",
    "other": "other",
}


class ActionRow(Horizontal):
    """One action agreed: what, who does it, and by when (typed flexibly)."""

    DEFAULT_CSS = """
    ActionRow { height: auto; }
    ActionRow .what { width: 3fr; }
    ActionRow .who { width: 1fr; margin: 0 1; }
    ActionRow .by { width: 14; }
    ActionRow .when { width: 12; color: $text-muted; }
    """

    def __init__(self, action: dict[str, Any] | None = None, who: str = "") -> None:
        super().__init__()
        self.action = action or {"text": "", "who": who, "by": None, "done": False}

    def compose(self) -> ComposeResult:
        by = self.action.get("by") or ""
        if isinstance(by, dt.date):
            by = f"{by:%d/%m/%Y}"
        elif by:
            by = dt.date.fromisoformat(by).strftime("%d/%m/%Y")
        yield Input(
            self.action.get("text", ""), placeholder="action agreed", classes="what", compact=True
        )
        yield Input(self.action.get("who", ""), placeholder="who", classes="who", compact=True)
        yield Input(by, placeholder="by: fri, 30/11", classes="by", compact=True)
        yield Static(classes="when")

    def on_mount(self) -> None:
        self._show_when(self.query_one(".by", Input).value)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.has_class("by"):
            self._show_when(event.value)

    def _show_when(self, text: str) -> None:
        """The day an action is due, as read, beside what was typed."""
        words = ""
        if text.strip():
            try:
                words = f"→ {parse_due(text, clock.today()):%a %d %b}"
            except DateParseError:
                words = "✗ not a date"
        self.query_one(".when", Static).update(words)

    def value(self, today: dt.date) -> dict[str, Any] | None:
        """The action as SessionIn wants it; None for a row left empty."""
        what, who, by = (i.value.strip() for i in self.query(Input))
        if not what and not by:
            return None
        when: dt.date | str | None = None
        if by:
            try:
                when = parse_due(by, today)
            except DateParseError:
                when = by  # pydantic names the field and says it is not a date
        return {"text": what, "who": who, "by": when, "done": bool(self.action.get("done"))}


class ProgressBox(Vertical):
    """A line for each open target of the chosen child."""

    DEFAULT_CSS = """
    ProgressBox { height: auto; }
    ProgressBox .target { color: $text-muted; }
    """

    def show(self, targets: list[OpenTarget], notes: dict[int, str]) -> None:
        self.targets = targets
        self.remove_children()
        if not targets:
            self.mount(Static("No open targets for this child.", classes="target"))
            return
        for target in targets:
            label = f"{target.text} (review by {target.review_by:%d %b})"
            self.mount(Label(plain(label), classes="target"))
            self.mount(
                Input(
                    notes.get(target.id, ""),
                    placeholder="progress (blank if none)",
                    id=f"progress-{target.id}",
                    compact=True,
                )
            )

    def value(self) -> list[dict[str, Any]]:
        notes = []
        for target in getattr(self, "targets", []):
            field = self.query(f"#progress-{target.id}")
            text = field.first(Input).value.strip() if field else ""
            if text:
                notes.append({"target_id": target.id, "note": text})
        return notes
