"""Dialogs of the child's profile: editing About, adding a target or a date,
recording a target's outcome, reading a whole session and correcting it.

Each form shows errors beside their field and keeps what was typed until the
service has saved it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Label, Select, Static, TextArea

from keywork_tui.schemas import (
    AmendmentIn,
    ChildAboutIn,
    ContactIn,
    EventIn,
    SignificantEventIn,
    TargetIn,
    TargetReviewIn,
)
from keywork_tui.services import FieldError, ServiceError, clock
from keywork_tui.services.child_file import sessions
from keywork_tui.services.child_file.profile import (
    AMENDABLE_WORDS,
    CONTACT_WORDS,
    TARGET_WORDS,
    About,
    ContactLine,
    SessionDetail,
    TargetLine,
)
from keywork_tui.services.child_file.upcoming import KIND_WORDS

from .dialog import ServiceDialog
from .form_dialog import FormDialog, date_field, day_words, error_line
from .widgets.text import plain

# --- About --------------------------------------------------------------------

ABOUT_LABELS = {
    "preferred_name": "Preferred name",
    "school": "School",
    "likes": "Likes",
    "dislikes": "Dislikes",
    "interests": "Interests",
    "fears": "Fears and worries",
}


class AboutDialog(FormDialog):
    """The child's preferred name, school, likes, dislikes, interests and fears."""

    DEFAULT_CSS = """
    AboutDialog VerticalScroll { max-height: 16; }
    AboutDialog TextArea { height: 3; }
    """

    def __init__(self, about: About, save: Callable[[ChildAboutIn], Any]) -> None:
        super().__init__(save)
        self.about = about

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text.assemble("About ", (self.about.name, "bold")))
            with VerticalScroll():
                for name, words in ABOUT_LABELS.items():
                    yield Label(words, classes="field")
                    value = getattr(self.about, name)
                    if name in ("preferred_name", "school"):
                        yield Input(
                            value, id=name, compact=True, placeholder="(none recorded: type to add)"
                        )
                    else:
                        yield TextArea(value, id=name, compact=True)
                    yield error_line(name)
            yield error_line("form")
            yield Label("Tab moves on · Ctrl+S saves · Esc cancels", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#preferred_name", Input).focus()

    def collect(self) -> ChildAboutIn:
        return ChildAboutIn(**{name: self.value(name) for name in ABOUT_LABELS})


# --- targets --------------------------------------------------------------------


class TargetDialog(FormDialog):
    """A new target; a blank review date means the end of the term or half-term."""

    def __init__(
        self,
        child_id: int,
        child_name: str,
        default_review_by: dt.date,
        save: Callable[[TargetIn], Any],
    ) -> None:
        super().__init__(save)
        self.child_id, self.child_name = child_id, child_name
        self.default_review_by = default_review_by

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text.assemble("New target for ", (self.child_name, "bold")))
            yield Label("What will the child do? (specific and measurable)", classes="field")
            yield TextArea(id="text", compact=True)
            yield error_line("text")
            yield from date_field(
                "review_by",
                "Review by (blank: the default)",
                placeholder="blank, 18/12, in 6w, fri",
            )
            yield error_line("form")
            yield Label("Ctrl+S saves · Esc cancels", classes="hint")

    @property
    def default_words(self) -> str:
        return f"→ default: {self.default_review_by:%A %d %B %Y} (end of term or half-term)"

    def on_mount(self) -> None:
        self.show_parsed("review_by", "", self.default_words)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.show_parsed("review_by", event.value, self.default_words, ahead=True)

    def collect(self) -> TargetIn:
        text = self.value("text")
        if not text.strip():
            raise FieldError("text", "write the target")
        typed = self.value("review_by").strip()
        review_by = self.field_date("review_by", ahead=True) if typed else None
        return TargetIn(
            child_id=self.child_id, text=text, set_on=clock.today(), review_by=review_by
        )


class OutcomeDialog(FormDialog):
    """How an open target went, and the day it was reviewed."""

    def __init__(self, target: TargetLine, save: Callable[[TargetReviewIn], Any]) -> None:
        super().__init__(save)
        self.target = target

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text("Outcome of the target", style="bold"))
            yield Static(plain(self.target.text))
            yield Label(
                f"Set on {day_words(self.target.set_on)}, "
                f"review by {day_words(self.target.review_by)}",
                classes="hint",
            )
            yield Label("Outcome", classes="field")
            outcomes = [(words, value) for value, words in TARGET_WORDS.items() if value]
            yield Select(outcomes, value="achieved", allow_blank=False, id="outcome", compact=True)
            yield error_line("outcome")
            yield from date_field(
                "reviewed_on", "Reviewed on", "today", "today, yesterday, last fri, 21/12"
            )
            yield error_line("form")
            yield Label("Ctrl+S saves · Esc cancels", classes="hint")

    def on_mount(self) -> None:
        self.show_parsed("reviewed_on", "today")

    def on_input_changed(self, event: Input.Changed) -> None:
        self.show_parsed("reviewed_on", event.value)

    def collect(self) -> TargetReviewIn:
        return TargetReviewIn(
            outcome=str(self.query_one("#outcome", Select).value),
            reviewed_on=self.field_date("reviewed_on"),
        )


# --- personal dates ----------------------------------------------------------------


class EventDialog(FormDialog):
    """A date to plan ahead for: once, or every year."""

    # A day without a year is the next one; give the year for a date gone by.
    DATE_HINT = "type the date: the day it means shows here"

    def __init__(self, child_id: int, child_name: str, save: Callable[[EventIn], Any]) -> None:
        super().__init__(save)
        self.child_id, self.child_name = child_id, child_name

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text.assemble("A date for ", (self.child_name, "bold")))
            yield from date_field("date", "Date", placeholder="21/12, next fri, in 2w, 3/1/2027")
            yield Label("What it is", classes="field")
            yield Select(
                [(words, kind) for kind, words in KIND_WORDS.items()],
                value="appointment",
                allow_blank=False,
                id="kind",
                compact=True,
            )
            yield Label("How often", classes="field")
            # Two words, not a tick box: a ticked box differs only by colour.
            yield Select(
                [("once", False), ("every year", True)],
                value=False,
                allow_blank=False,
                id="yearly",
                compact=True,
            )
            yield Label("Note", classes="field")
            yield Input(id="note", compact=True, placeholder="e.g. court at 10:00, who takes them")
            yield error_line("note")
            yield error_line("form")
            yield Label("Ctrl+S saves · Esc cancels", classes="hint")

    def on_mount(self) -> None:
        self.show_parsed("date", "", self.DATE_HINT)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "date":
            self.show_parsed("date", event.value, self.DATE_HINT, ahead=True)

    def collect(self) -> EventIn:
        return EventIn(
            child_id=self.child_id,
            date=self.field_date("date", ahead=True),
            kind=str(self.query_one("#kind", Select).value),
            yearly=self.query_one("#yearly", Select).value is True,
            note=self.value("note"),
        )


# --- contacts -----------------------------------------------------------------------

CONTACT_FIELDS = (
    ("name", "Name", "e.g. Ruth Adams"),
    ("relationship", "Relationship or role", "e.g. mum, allocated social worker"),
    ("phone", "Phone", ""),
    ("email", "Email", ""),
)


class ContactDialog(FormDialog):
    """A contact of the child's, new or changed, with any restriction in words."""

    DEFAULT_CSS = """
    ContactDialog VerticalScroll { max-height: 17; }
    ContactDialog TextArea { height: 3; }
    """

    def __init__(
        self, child_name: str, contact: ContactLine | None, save: Callable[[ContactIn], Any]
    ) -> None:
        super().__init__(save)
        self.child_name, self.contact = child_name, contact

    def compose(self) -> ComposeResult:
        c = self.contact
        with Vertical():
            yield Label(
                Text.assemble(
                    "New contact for " if c is None else "Contact of ", (self.child_name, "bold")
                )
            )
            with VerticalScroll():
                yield Label("Who they are", classes="field")
                yield Select(
                    [(words, kind) for kind, words in CONTACT_WORDS.items()],
                    value=c.kind if c else "family",
                    allow_blank=False,
                    id="kind",
                    compact=True,
                )
                for name, words, hint in CONTACT_FIELDS:
                    yield Label(words, classes="field")
                    yield Input(
                        getattr(c, name) if c else "", id=name, compact=True, placeholder=hint
                    )
                    yield error_line(name)
                yield Label("‼ Restrictions (blank if none)", classes="field")
                yield TextArea(c.restrictions if c else "", id="restrictions")
                yield error_line("restrictions")
            yield error_line("form")
            yield Label("Ctrl+S saves · Esc cancels", classes="hint")

    def collect(self) -> ContactIn:
        return ContactIn(
            kind=str(self.query_one("#kind", Select).value),
            **{name: self.value(name) for name, _, _ in CONTACT_FIELDS},
            restrictions=self.value("restrictions"),
        )


# --- significant events ---------------------------------------------------------------


class SignificantDialog(FormDialog):
    """An incident or change in a child's life: what kind, when, what happened,
    who was told. Saving makes their Support and Safety Plans due that day."""

    DEFAULT_CSS = """
    SignificantDialog TextArea { height: 5; }
    """

    def __init__(
        self,
        child_id: int,
        child_name: str,
        kinds: dict[str, str],
        save: Callable[[SignificantEventIn], Any],
    ) -> None:
        super().__init__(save)
        self.child_id, self.child_name, self.kinds = child_id, child_name, kinds

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text.assemble("Significant event for ", (self.child_name, "bold")))
            yield Label("What kind", classes="field")
            yield Select(
                [(words, kind) for kind, words in self.kinds.items()],
                value=next(iter(self.kinds)),
                allow_blank=False,
                id="kind",
                compact=True,
            )
            yield error_line("kind")
            yield from date_field(
                "occurred_on", "When", "today", placeholder="today, yesterday, last fri, 21/11"
            )
            yield Label("What happened", classes="field")
            yield TextArea(id="summary")
            yield error_line("summary")
            yield Label("Who was told", classes="field")
            yield Input(
                id="told",
                compact=True,
                placeholder="e.g. social worker, parents, police, Ofsted, manager on call",
            )
            yield error_line("told")
            yield error_line("form")
            yield Label("Ctrl+S saves · Esc cancels · the plans fall due that day", classes="hint")

    def on_mount(self) -> None:
        self.show_parsed("occurred_on", "today")

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "occurred_on":
            self.show_parsed("occurred_on", event.value)

    def collect(self) -> SignificantEventIn:
        return SignificantEventIn(
            child_id=self.child_id,
            occurred_on=self.field_date("occurred_on"),
            kind=str(self.query_one("#kind", Select).value),
            summary=self.value("summary"),
            told=self.value("told"),
        )


# --- one session --------------------------------------------------------------------


def _heading(text: Text, words: str) -> None:
    text.append(f"\n\n{words}\n", style="bold")


def _block(text: Text, words: str, value: str) -> None:
    _heading(text, words)
    text.append_text(plain(value or "(nothing written)"))


def _iso_words(value: str) -> str:
    """An action's ISO due date in words; anything else as it was stored."""
    try:
        return day_words(dt.date.fromisoformat(value))
    except ValueError:
        return value


def _actions(text: Text, actions: list[dict[str, Any]]) -> None:
    _heading(text, "Actions")
    for action in actions:
        text.append("✓ done  " if action.get("done") else "○ to do ")
        text.append_text(plain(action.get("text", "")))
        if action.get("who"):
            text.append(" — ")
            text.append_text(plain(action["who"]))
        if action.get("by"):
            text.append_text(plain(f", by {_iso_words(str(action['by']))}"))
        text.append("\n")
    text.rstrip()


def session_text(detail: SessionDetail) -> Text:
    """The whole session as it reads in the child's file."""
    s = detail.session
    text = Text()
    text.append(f"{s.held_at:%A %d %B %Y, %H:%M}", style="bold")
    text.append(f" · {s.kind} · {s.minutes} minutes · with ")
    text.append_text(plain(detail.staff_name))
    if s.activity:
        text.append(" · ")
        text.append_text(plain(s.activity))
    text.append("\n")
    if s.status != "final":
        text.append("DRAFT: continue it from session entry (F5)", style="bold")
    else:
        late = ", written up late" if detail.late else ""
        written = f"{s.finalised_at:%a %d %b %Y %H:%M}" if s.finalised_at else "?"
        text.append(f"Final{late} (written up {written}) · c records a correction")
    if s.purposes:
        text.append("\nAbout: " + ", ".join(p.replace("_", " ") for p in s.purposes))
    _block(text, "Summary", s.summary)
    _block(text, "The child's views, wishes and feelings", s.views)
    if s.actions:
        _actions(text, s.actions)
    if detail.progress:
        _heading(text, "Progress on targets")
        for i, p in enumerate(detail.progress):
            text.append("\n" if i else "")
            text.append_text(plain(p.target_text, "italic"))
            text.append(": ")
            text.append_text(plain(p.note))
    if s.concern:
        _block(
            text,
            "⚑ Concern" + (" (☾ about bedtime or the night)" if s.bedtime else ""),
            s.concern_text,
        )
    if detail.amendments:
        _amendments(text, detail)
    return text


def _amendments(text: Text, detail: SessionDetail) -> None:
    _heading(text, "Corrections (the original is kept)")
    for i, a in enumerate(detail.amendments):
        text.append("\n" if i else "")
        text.append(f"{a.field_words} · {a.at:%a %d %b %Y %H:%M} · by ")
        text.append_text(plain(a.by_name))
        text.append("\n  reason: ")
        text.append_text(plain(a.reason))
        text.append("\n  original: ")
        text.append_text(plain(a.original))
        text.append("\n  → corrected: ")
        text.append_text(plain(a.corrected))


class SessionDialog(ServiceDialog[None]):
    """A whole session, read-only; `c` corrects a final one."""

    DEFAULT_CSS = """
    SessionDialog > Vertical { width: 100; height: 90%; }
    SessionDialog VerticalScroll { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "close", "Close", id="profile_session.close", tooltip="Close"),
        Binding(
            "c",
            "correct",
            "Correct",
            id="profile_session.correct",
            tooltip="Correct a field of this final session; the original is kept",
        ),
    ]

    def __init__(
        self, load: Callable[[], SessionDetail], amend: Callable[[AmendmentIn], Any]
    ) -> None:
        super().__init__()
        self.load_detail, self.amend = load, amend
        self.detail: SessionDetail | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text("Key-work session", style="bold"))
            with VerticalScroll():
                yield Static("Reading the session…", id="body")
            yield Label("↑↓ scroll · c corrects · Esc closes", classes="hint")

    def on_mount(self) -> None:
        self.refresh_detail()

    def refresh_detail(self, to_corrections: bool = False) -> None:
        self.call_service(
            self.load_detail,
            partial(self._show_detail, to_corrections),
            refused=self._refused,
            group="load",
        )

    def _refused(self, error: ServiceError) -> None:
        self.query_one("#body", Static).update(plain(f"✗ {error}"))

    def _show_detail(self, to_corrections: bool, detail: SessionDetail) -> None:
        self.detail = detail
        self.query_one("#body", Static).update(session_text(detail))
        if to_corrections:
            # The corrections come last: show the one just saved, and stay at
            # the end while the longer text is laid out (until the reader scrolls).
            self.query_one(VerticalScroll).anchor()

    def action_correct(self) -> None:
        detail = self.detail
        if detail is None:
            return
        if detail.session.status != "final":
            self.notify("This is a draft: continue it from session entry (F5).", severity="warning")
            return

        def closed(saved: bool | None) -> None:
            if saved:
                self.notify("Correction saved; the original is kept.")
                self.refresh_detail(to_corrections=True)

        self.app.push_screen(CorrectionDialog(detail, self.amend), closed)

    def action_close(self) -> None:
        self.dismiss(None)


class CorrectionDialog(FormDialog):
    """Correct one field of a final session, with a reason; the original stays."""

    def __init__(self, detail: SessionDetail, save: Callable[[AmendmentIn], Any]) -> None:
        super().__init__(save)
        self.detail = detail

    def compose(self) -> ComposeResult:
        held = f"{self.detail.session.held_at:%a %d %b %Y %H:%M}"
        with Vertical():
            yield Label(Text.assemble(("Correct the session of ", "bold"), held))
            yield Label("Field", classes="field")
            yield Select(
                [(AMENDABLE_WORDS.get(f, f), f) for f in sessions.AMENDABLE],
                value="summary",
                allow_blank=False,
                id="field",
                compact=True,
            )
            yield error_line("field")
            yield Label("Corrected value", classes="field")
            yield TextArea(self.detail.current("summary"), id="corrected", compact=True)
            yield error_line("corrected")
            yield Label("Reason for the correction", classes="field")
            yield Input(id="reason", compact=True, placeholder="e.g. wrong date typed")
            yield error_line("reason")
            yield error_line("form")
            yield Label("Ctrl+S saves · Esc cancels · the original stays on file", classes="hint")

    def on_select_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self.query_one("#corrected", TextArea).text = self.detail.current(event.value)

    def collect(self) -> AmendmentIn:
        if not self.value("reason").strip():
            raise FieldError("reason", "give a reason for the correction")
        return AmendmentIn(
            field=str(self.query_one("#field", Select).value),
            corrected=self.value("corrected"),
            reason=self.value("reason"),
        )
