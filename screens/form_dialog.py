"""A modal form saved through a service call: errors beside their fields,
dates shown as they are read, and what was typed kept until the save succeeds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import ValidationError
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Label, Select, Static, TextArea
from textual.widgets.select import NoSelection

from keywork_tui.calendar import DateParseError, parse_due, parse_when
from keywork_tui.schemas import field_errors
from keywork_tui.services import FieldError, ServiceError, clock

from .dialog import ServiceDialog
from .widgets.text import plain

TALL = 40  # rows of a terminal from which a form shows more of itself at once


def day_words(day: dt.date) -> str:
    return f"{day:%a %d %b %Y}"


T = TypeVar("T")


def selected(select: Select[T]) -> T:
    """What a Select made with allow_blank=False holds: always something."""
    value = select.value
    if isinstance(value, NoSelection):
        raise ValueError(f"#{select.id} has nothing chosen")
    return value


def read_date(text: str, ahead: bool = False) -> dt.date:
    """A date as people type it: looking back for when something happened
    (yesterday, last fri, 21/12), ahead for a date to come (fri, in 2w, 21/12)."""
    if ahead:
        return parse_due(text, clock.today())
    return parse_when(text, clock.now()).date()


class FormDialog(ServiceDialog[Any]):
    """A form that saves through a service call run off the UI thread.

    Subclasses compose `#err-<field>` Statics (and `#err-form`) and build their
    input model in `collect`; `save` is called with it in a worker thread."""

    # A long form scrolls within a height that fits 80x24 (each form's own
    # max-height); a taller terminal shows more of it at once.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (TALL, "-tall")]
    # An error line shows only once there is an error on it.
    DEFAULT_CSS = """
    FormDialog Label.field { margin-top: 1; text-style: bold; }
    FormDialog .parsed { color: $text-muted; height: 1; }
    FormDialog TextArea { height: 4; }
    FormDialog VerticalScroll { height: auto; max-height: 18; }
    FormDialog.-tall VerticalScroll { max-height: 28; }
    FormDialog .error { display: none; }
    FormDialog .error.-shown { display: block; }
    """
    BINDINGS = [
        Binding(
            "escape", "cancel", "Cancel", id="profile_form.cancel", tooltip="Close without saving"
        ),
        Binding("ctrl+s", "save", "Save", id="profile_form.save", tooltip="Save this form"),
    ]

    def __init__(self, save: Callable[[Any], Any]) -> None:
        super().__init__()
        self.save = save

    def collect(self) -> object:
        """What `save` takes, read from the form: most often an input model."""
        raise NotImplementedError

    def show_errors(self, errors: dict[str, str]) -> None:
        placed = set()
        shown: list[Static] = []
        for static in self.query(".error").results(Static):
            name = (static.id or "").removeprefix("err-")
            static.update(plain(f"✗ {errors[name]}" if name in errors else ""))
            static.set_class(name in errors, "-shown")
            placed.add(name)
            if name in errors:
                shown.append(static)
        unplaced = [m for f, m in errors.items() if f not in placed]
        if unplaced:
            form = self.query_one("#err-form", Static)
            form.update(plain("✗ " + "; ".join(unplaced)))
            form.add_class("-shown")
            shown.append(form)
        if shown:
            # A long form scrolls: bring the first message into view.
            self.call_after_refresh(shown[0].scroll_visible, animate=False)

    def action_save(self) -> None:
        try:
            data = self.collect()
        except FieldError as exc:
            self.show_errors({exc.field: str(exc)})
            return
        except ValidationError as exc:
            self.show_errors(field_errors(exc))
            return
        self.show_errors({})
        self.write(data)

    def write(self, data: object) -> None:
        self.call_service(
            lambda: self.save(data),
            lambda result: self.dismiss(True if result is None else result),
            refused=self.show_refusal,
            group="write",
        )

    def show_refusal(self, error: ServiceError) -> None:
        """Beside its field when the services name one, else under the form."""
        field = error.field if isinstance(error, FieldError) else "form"
        self.show_errors({field: str(error)})

    def action_cancel(self) -> None:
        self.close_unless_typed(None)

    def value(self, widget_id: str) -> str:
        widget = self.query_one(f"#{widget_id}")
        if isinstance(widget, TextArea):
            return widget.text
        return self.query_one(f"#{widget_id}", Input).value

    def show_parsed(self, widget_id: str, text: str, blank: str = "", ahead: bool = False) -> None:
        """The date a typed text means, beside its field, before it is used."""
        parsed = self.query_one(f"#parsed-{widget_id}", Static)
        if not text.strip() and blank:
            parsed.update(plain(blank))
            return
        try:
            parsed.update(plain(f"→ {read_date(text, ahead):%A %d %B %Y}"))
        except DateParseError as exc:
            parsed.update(plain(f"✗ {exc}"))

    def field_date(self, widget_id: str, ahead: bool = False) -> dt.date:
        try:
            return read_date(self.value(widget_id), ahead)
        except DateParseError as exc:
            raise FieldError(widget_id, str(exc)) from None


def date_field(name: str, words: str, value: str = "", placeholder: str = "") -> ComposeResult:
    """A date typed as people say it, with the day it means and any error under it."""
    yield Label(words, classes="field")
    yield Input(value, id=name, compact=True, placeholder=placeholder)
    yield Static(classes="parsed", id=f"parsed-{name}")
    yield error_line(name)


def error_line(name: str) -> Static:
    """Where the message for field `name` (or "form") shows."""
    return Static(classes="error", id=f"err-{name}")
