"""Session entry: logging a key-work session from the keyboard.

Errors show beside their field and nothing typed is cleared until it is saved.
"""

from __future__ import annotations

import asyncio

from pydantic import ValidationError
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Label, Select, Static, TextArea

from keywork_tui.calendar import DateParseError, parse_when
from keywork_tui.schemas import SessionIn, field_errors
from keywork_tui.services import FieldError, ServiceError, clock, people, sessions

from .base import ModeScreen
from .widgets.text import plain

FIELDS = ("child_id", "held_at", "kind", "minutes", "summary", "views", "concern_text")


class SessionEntryScreen(ModeScreen):
    MODE_TITLE = "Session entry"
    DEFAULT_CSS = """
    SessionEntryScreen VerticalScroll { padding: 0 1; }
    SessionEntryScreen .row { height: auto; }
    SessionEntryScreen .row > * { width: 1fr; }
    SessionEntryScreen Label.field { margin-top: 1; text-style: bold; }
    SessionEntryScreen .error { color: $error; height: auto; }
    SessionEntryScreen #parsed { color: $text-muted; height: 1; }
    SessionEntryScreen TextArea { height: 4; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save(False)", "Save draft", id="session.draft",
                tooltip="Keep this session as a draft to finish later"),
        Binding("ctrl+f", "save(True)", "Finalise", id="session.finalise",
                tooltip="Write the session up: it becomes part of the child's file"),
    ]

    def compose_body(self) -> ComposeResult:
        with VerticalScroll():
            yield Label("Child", classes="field")
            yield Select([], prompt="Choose a child", id="child_id")
            yield Static(classes="error", id="err-child_id")
            with Horizontal(classes="row"):
                yield Input("now", id="held_at", placeholder="now, yesterday 16:30, last fri")
                yield Select([("informal", "informal"), ("formal", "formal")],
                             value="informal", allow_blank=False, id="kind")
                yield Input("30", id="minutes", placeholder="minutes", type="integer")
            yield Static(id="parsed")
            yield Static(classes="error", id="err-held_at")
            yield Static(classes="error", id="err-minutes")
            yield Label("Summary", classes="field")
            yield TextArea(id="summary")
            yield Static(classes="error", id="err-summary")
            yield Label("The child's views, wishes and feelings", classes="field")
            yield TextArea(id="views")
            yield Label("Concern for the manager and the next handover (blank if none)",
                        classes="field")
            yield Input(id="concern_text")
            # Words, not a tick box: a ticked box differs only by colour.
            yield Select([("not about bedtime", False),
                          ("☾ about bedtime or the night: night staff are told", True)],
                         value=False, allow_blank=False, id="bedtime", compact=True)
            yield Static(classes="error", id="err-form")

    def on_mount(self) -> None:
        self.child_ids: set[int] = set()
        self.load_children()
        self._show_parsed("now")

    def on_screen_resume(self) -> None:
        self.take_pending_child()

    @work(exclusive=True)
    async def load_children(self) -> None:
        children = await asyncio.to_thread(
            people.children_in_placement, self.ctx.home.id, clock.today())
        self.child_ids = {c.id for c in children}
        select = self.query_one("#child_id", Select)
        select.set_options([(plain(c.short_name), c.id) for c in children])
        self.take_pending_child()

    def take_pending_child(self) -> None:
        child_id = self.app.pending_child
        if child_id is None or child_id not in self.child_ids:
            return
        self.app.pending_child = None
        self.query_one("#child_id", Select).value = child_id
        self.query_one("#summary", TextArea).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "held_at":
            self._show_parsed(event.value)

    def _show_parsed(self, text: str) -> None:
        try:
            when = parse_when(text, clock.now())
        except DateParseError as exc:
            self.query_one("#parsed", Static).update(plain(f"✗ {exc}"))
            return
        self.query_one("#parsed", Static).update(f"→ {when:%A %d %B %Y, %H:%M}")

    def _form(self) -> dict:
        held = self.query_one("#held_at", Input).value
        concern = self.query_one("#concern_text", Input).value.strip()
        child = self.query_one("#child_id", Select).value
        return {
            "child_id": None if child is Select.NULL else child,
            "staff_id": self.ctx.actor.id,
            "held_at": parse_when(held, clock.now()),
            "kind": self.query_one("#kind", Select).value,
            "minutes": self.query_one("#minutes", Input).value or 0,
            "summary": self.query_one("#summary", TextArea).text,
            "views": self.query_one("#views", TextArea).text,
            "concern": bool(concern),
            "concern_text": concern,
            "bedtime": bool(concern) and self.query_one("#bedtime", Select).value is True,
        }

    def _show_errors(self, errors: dict[str, str]) -> None:
        for name in (*FIELDS, "form"):
            target = self.query(f"#err-{name}")
            if target:
                target.first(Static).update(plain(f"✗ {errors[name]}" if name in errors else ""))
        unplaced = [m for f, m in errors.items() if not self.query(f"#err-{f}")]
        if unplaced:
            self.query_one("#err-form", Static).update(plain("✗ " + "; ".join(unplaced)))

    def action_save(self, finalise: bool) -> None:
        try:
            data = SessionIn(**self._form())
        except DateParseError as exc:
            self._show_errors({"held_at": str(exc)})
            return
        except ValidationError as exc:
            self._show_errors(field_errors(exc))
            return
        if finalise and not data.summary:
            self._show_errors({"summary": "write a summary before finalising"})
            return
        self.save(data, finalise)

    @work(exclusive=True, group="write")
    async def save(self, data: SessionIn, finalise: bool) -> None:
        try:
            saved = await asyncio.to_thread(sessions.save_session, self.ctx.actor, data,
                                            None, finalise=finalise)
        except FieldError as exc:
            self._show_errors({exc.field: str(exc)})
            return
        except ServiceError as exc:
            self._show_errors({"form": str(exc)})
            return
        self._show_errors({})
        word = "finalised" if finalise else "saved as a draft"
        self.notify(f"Session {word} ({saved.held_at:%d %b %H:%M}).")
        self._reset()
        self.app.refresh_overdue_count()

    def _reset(self) -> None:
        self.query_one("#summary", TextArea).text = ""
        self.query_one("#views", TextArea).text = ""
        self.query_one("#concern_text", Input).value = ""
        self.query_one("#bedtime", Select).value = False
        self.query_one("#held_at", Input).value = "now"
        self.query_one("#minutes", Input).value = "30"
