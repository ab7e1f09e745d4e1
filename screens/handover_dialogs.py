"""Small dialogs of the handover screen: sign-on, picking a colleague,
correcting a submitted entry, and the 'since you were away' digest."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Label, Select, Static

from keywork_tui.outputs import StaffOut
from keywork_tui.services import ServiceError
from keywork_tui.services.handover.away import Digest
from keywork_tui.services.handover.board import BoardRow

from .dialog import Dialog, ServiceDialog
from .handover_text import FIELD_WORDS
from .widgets.text import plain
from .widgets.tick_list import TickList

# The inputs (and pydantic) load when a dialog saves, not when the board opens.
if TYPE_CHECKING:
    from keywork_tui.schemas import (
        AmendmentIn,
        SignOnIn,  # noqa: F401 - named in a quoted base
    )


class SignOnDialog(Dialog["SignOnIn | None"]):
    """Tick who works the shift (space), choose who leads it, Enter to save."""

    DEFAULT_CSS = """
    SignOnDialog TickList { height: auto; max-height: 14; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="sign_on.cancel", tooltip="Change nothing"),
        Binding("ctrl+s", "save", "Save", id="sign_on.save", tooltip="Save who is on"),
    ]

    def __init__(
        self, label: str, staff: list[StaffOut], chosen: list[int], leader: int | None
    ) -> None:
        super().__init__()
        self.label, self.staff, self.chosen, self.leader = label, staff, chosen, leader

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text.assemble("Who works the ", (self.label, "bold"), "?"))
            yield TickList([(s.id, s.name) for s in self.staff], set(self.chosen), id="staff")
            yield Label("Shift leader")
            yield Select(
                [(plain(s.name), s.id) for s in self.staff],
                value=self.leader if self.leader is not None else Select.NULL,
                prompt="nobody named",
                id="leader",
                compact=True,
            )
            yield Static(classes="error", id="err-leader")
            yield Label(
                "Space ticks a name · Tab to the leader · Ctrl+S saves · Esc cancels",
                classes="hint",
            )

    def action_save(self) -> None:
        ticked = self.query_one(TickList).selected
        leader = self.query_one("#leader", Select).value
        leader_id = leader if isinstance(leader, int) else None
        from pydantic import ValidationError

        from keywork_tui.schemas import SignOnIn, field_errors

        try:
            data = SignOnIn(staff_ids=ticked, leader_id=leader_id)
        except ValidationError as exc:
            message = next(iter(field_errors(exc).values()), "check the names")
            self.query_one("#err-leader", Static).update(plain(f"✗ {message}"))
            return
        self.dismiss(data)

    def action_cancel(self) -> None:
        self.dismiss(None)


class AmendDialog(ServiceDialog[bool]):
    """Correct one field of a submitted entry, with a reason; the original stays."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="amend.cancel", tooltip="Change nothing"),
        Binding("ctrl+s", "save", "Save", id="amend.save", tooltip="Save the correction"),
    ]

    def __init__(self, row: BoardRow, save: Callable[[AmendmentIn], object]) -> None:
        super().__init__()
        self.row, self.save = row, save

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text.assemble("Correct ", (self.row.child, "bold"), "'s entry"))
            yield Select(
                [(words, field) for field, words in FIELD_WORDS.items()],
                value="mood",
                allow_blank=False,
                id="field",
                compact=True,
            )
            yield Label("Corrected text")
            yield Input(self._current("mood"), id="corrected")
            yield Static(classes="error", id="err-corrected")
            yield Label("Reason for the correction")
            yield Input(id="reason", placeholder="e.g. wrong child named")
            yield Static(classes="error", id="err-reason")
            yield Label("Ctrl+S saves · Esc cancels · the original stays on file", classes="hint")

    def _current(self, field: str) -> str:
        entry = self.row.entry
        return str(getattr(entry, field, "")) if entry else ""

    def on_select_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self.query_one("#corrected", Input).value = self._current(event.value)

    def action_save(self) -> None:
        for name in ("corrected", "reason"):
            self.query_one(f"#err-{name}", Static).update("")
        from pydantic import ValidationError

        from keywork_tui.schemas import AmendmentIn, field_errors

        try:
            data = AmendmentIn(
                field=str(self.query_one("#field", Select).value),
                corrected=self.query_one("#corrected", Input).value,
                reason=self.query_one("#reason", Input).value,
            )
        except ValidationError as exc:
            for name, message in field_errors(exc).items():
                target = name if name in ("corrected", "reason") else "corrected"
                self.query_one(f"#err-{target}", Static).update(plain(f"✗ {message}"))
            return
        self.call_service(lambda: self.save(data), lambda _: self.dismiss(True), group="write")

    def show_refusal(self, error: ServiceError) -> None:
        self.query_one("#err-corrected", Static).update(plain(f"✗ {error}"))

    def action_cancel(self) -> None:
        self.close_unless_typed(False)


class ReadDialog(Dialog[None]):
    """A longer read-only text, scrolled with the arrow keys."""

    DEFAULT_CSS = """
    ReadDialog > Vertical { width: 100; height: 90%; }
    ReadDialog VerticalScroll { height: 1fr; }
    """
    BINDINGS = [Binding("escape", "close", "Close", id="read.close", tooltip="Close")]

    def __init__(self, title: str, body: Text) -> None:
        super().__init__()
        self.title_text, self.body = title, body

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.title_text, style="bold"))
            with VerticalScroll():
                yield Static(self.body)
            yield Label("Esc closes", classes="hint")

    def action_close(self) -> None:
        self.dismiss(None)


class AwayDialog(Dialog[bool]):
    """What was recorded about your key children while you were away."""

    DEFAULT_CSS = """
    AwayDialog > Vertical { width: 100; height: 90%; }
    AwayDialog VerticalScroll { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Close", id="away.close", tooltip="Keep it for later"),
        Binding(
            "m",
            "read",
            "Mark read",
            id="away.read",
            tooltip="Mark all of this as read; it will not be shown again",
        ),
    ]

    def __init__(self, digest: Digest) -> None:
        super().__init__()
        self.digest = digest

    def compose(self) -> ComposeResult:
        since = f"{self.digest.since:%a %d %b %H:%M}" if self.digest.since else "your last shift"
        with Vertical():
            yield Label(Text.assemble(("Since you were away", "bold"), f" — since {since}"))
            with VerticalScroll():
                yield Static(self._notes())
            yield Label("m marks it all read · Esc keeps it for later", classes="hint")

    def _notes(self) -> Text:
        text = Text()
        for note in self.digest.notes:
            if text:
                text.append("\n")
            text.append(f"{note.at:%a %d %b %H:%M}  ", style="bold")
            text.append_text(plain(note.child, "bold"))
            text.append(f" · {note.kind} · ")
            text.append_text(plain(note.by))
            text.append("\n    ")
            text.append_text(plain(note.text))
        return text

    def action_read(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
