"""The frame every dialog shares: centred, bordered, within the terminal.

A dialog composes one Vertical, the frame; these bases give it its look, and a
dialog that needs another width or layout adds a small rule of its own."""

from __future__ import annotations

from typing import TypeVar

from textual.binding import Binding, BindingType
from textual.screen import ModalScreen

from .service_calls import ServiceCalls

Result = TypeVar("Result")

# A modal screen hides the app's own keys: these pass lock and quit on to it,
# under the app's ids, so a key given to them in the keymap moves here too.
LEAVING_KEYS: list[BindingType] = [
    Binding("ctrl+l", "app.lock", "Lock", id="app.lock", show=False),
    Binding("ctrl+q", "app.quit", "Quit", id="app.quit", show=False),
]


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
    BINDINGS = LEAVING_KEYS

    # What the fields held once the dialog had filled them in (a subclass's
    # own on_mount runs first), so that typing can be told from it.
    _as_opened: list[str] | None = None

    def on_mount(self) -> None:
        self.call_after_refresh(self._note_as_opened)

    def _note_as_opened(self) -> None:
        self._as_opened = self._typed_values()

    def _typed_values(self) -> list[str]:
        from textual.widgets import Input, TextArea  # here: the board loads without them

        return [*(i.value for i in self.query(Input)), *(t.text for t in self.query(TextArea))]

    def close_unless_typed(self, result: Result) -> None:
        """Esc on a form: closed at once when nothing has been typed in it,
        else asked first, so a stray Esc does not throw a note away."""
        if self._as_opened is None or self._typed_values() == self._as_opened:
            self.dismiss(result)
            return
        from .session_dialogs import ConfirmDialog  # loaded when first asked

        def answered(lose: bool | None) -> None:
            if lose:
                self.dismiss(result)

        question = "Close without saving? What is typed here will be lost."
        self.app.push_screen(ConfirmDialog(question), answered)

    async def keep_before_switch(self) -> str | None:
        """keywork is closing: a dialog keeps nothing until it is saved, so what
        has been typed into it is named, for the person to go back to."""
        if self._as_opened is None or self._typed_values() == self._as_opened:
            return None
        return "what is typed in the open form"


class ServiceDialog(ServiceCalls, Dialog[Result]):
    """A dialog that reads or saves through `call_service`; it looks like any
    other (ServiceCalls is no DOMNode when running, so Textual takes this
    class's styles from Dialog)."""
