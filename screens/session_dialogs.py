"""Dialogs of session entry: taking up a kept draft, and confirming a discard."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from keywork_tui.outputs import SessionOut

from .dialog import Dialog
from .widgets.text import plain

NEW = "new"


def draft_line(draft: SessionOut, names: dict[int, str]) -> Text:
    words = " ".join(draft.summary.split())
    snippet = (words[:40] + "…") if len(words) > 40 else words
    return Text.assemble(
        plain(names.get(draft.child_id, "a child"), "bold"),
        f" · held {draft.held_at:%a %d %b %H:%M}",
        plain(f" · {snippet}" if snippet else " · no summary yet"),
    )


class DraftsDialog(Dialog[int | str | None]):
    """The signed-in worker's kept drafts: carry one on, discard it, or start anew.

    Returns a draft's id, "new" for a fresh form, or "discard:ID" once a
    discard is confirmed.
    """

    DEFAULT_CSS = """
    DraftsDialog OptionList { height: auto; max-height: 12; }
    """
    BINDINGS = [
        Binding(
            "escape",
            "cancel",
            "Cancel",
            id="drafts.cancel",
            tooltip="Close this list and leave the form as it is",
        ),
        Binding(
            "d",
            "discard",
            "Discard draft",
            id="drafts.discard",
            tooltip="Throw away the highlighted draft (the audit keeps a copy)",
        ),
    ]

    def __init__(self, drafts: list[SessionOut], names: dict[int, str], title: str) -> None:
        super().__init__()
        self.drafts, self.names, self.title_words = drafts, names, title

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.title_words, style="bold"))
            options = [Option(draft_line(d, self.names), id=str(d.id)) for d in self.drafts]
            options.append(Option("＋ Start a new session instead", id=NEW))
            yield OptionList(*options, id="drafts")
            yield Label(
                "Enter carries on the highlighted draft · d discards it · Esc closes",
                classes="hint",
            )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        chosen = event.option.id or NEW
        self.dismiss(NEW if chosen == NEW else int(chosen))

    def action_discard(self) -> None:
        option_list = self.query_one(OptionList)
        index = option_list.highlighted
        if index is None or index >= len(self.drafts):
            return
        draft = self.drafts[index]

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.dismiss(f"discard:{draft.id}")

        name = self.names.get(draft.child_id, "this child")
        self.app.push_screen(
            ConfirmDialog(f"Discard the draft for {name} held {draft.held_at:%a %d %b %H:%M}?"),
            confirmed,
        )

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDialog(Dialog[bool]):
    """y confirms; n or Esc keeps things as they are."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes", tooltip="Yes, do it"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no", tooltip="No, keep it"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(plain(self.question))
            yield Label("y: yes · n or Esc: no", classes="hint")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
