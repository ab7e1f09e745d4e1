"""The frame every dialog shares: centred, bordered, within the terminal.

A dialog composes one Vertical, the frame; these bases give it its look, and a
dialog that needs another width or layout adds a small rule of its own."""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen

from .service_calls import ServiceCalls

Result = TypeVar("Result")


class Dialog(ModalScreen[Result]):
    """A dialog over the screen it was opened from, which shows dimmed behind it."""

    # Never wider or taller than the terminal, and below its first line, where
    # notices show (see the app's CSS): 96% of any height leaves that line. A
    # label wraps within the dialog rather than running off its edge.
    SCOPED_CSS = False
    DEFAULT_CSS = """
    Dialog { align: center middle; }
    Dialog > Vertical {
        width: 72; max-width: 96%; height: auto; max-height: 96%;
        margin-top: 1; padding: 0 1; border: thick $primary; background: $surface;
    }
    Dialog .hint { color: $text-muted; }
    Dialog .error { color: $error; height: auto; }
    Dialog Label { width: 100%; }
    """


class ServiceDialog(ServiceCalls, Dialog[Result]):
    """A dialog that reads or saves through `call_service`; it looks like any
    other (ServiceCalls is no DOMNode when running, so Textual takes this
    class's styles from Dialog)."""
