"""The home's language guide, from the Home tab: the words pointed out while
staff write for the child, with what to try instead. A manager adds a word
(or gives a listed one another suggestion), takes one off (a shipped one
too) and switches the whole check on or off; every change is audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Input, Label, Static

from keywork_tui.schemas import LanguageCheckIn, LanguageRemoveIn, LanguageWordIn
from keywork_tui.services import Actor
from keywork_tui.services.child_file import language
from keywork_tui.services.child_file.language import Entry, Guide

from .dialog import ServiceDialog
from .form_dialog import FormDialog, error_line
from .session_dialogs import ConfirmDialog
from .widgets.text import plain


def guide_words(guide: Guide) -> str:
    """The guide in a few words, for the Home tab's line of keys."""
    if not guide.on:
        return "off"
    return f"{len(guide.entries)} words"


class LanguageGuideDialog(ServiceDialog[None]):
    DEFAULT_CSS = """
    LanguageGuideDialog DataTable { height: auto; max-height: 12; }
    LanguageGuideDialog #state { height: auto; }
    LanguageGuideDialog #taken-off { height: auto; color: $text-muted; }
    """
    BINDINGS = [
        Binding(
            "a",
            "add",
            "Add",
            id="language.add",
            tooltip="Add a word or phrase, or give a listed one another suggestion",
        ),
        Binding(
            "e",
            "change",
            "Change",
            id="language.change",
            tooltip="Change what the highlighted word suggests instead",
        ),
        Binding(
            "d",
            "remove",
            "Take off",
            id="language.remove",
            tooltip="Stop pointing out the highlighted word",
        ),
        Binding(
            "o",
            "switch",
            "On / off",
            id="language.switch",
            tooltip="Switch the whole check on or off for the home",
        ),
        Binding("escape", "close", "Close", id="language.close", tooltip="Back to the Home tab"),
    ]

    def __init__(self, actor: Actor, guide: Guide) -> None:
        super().__init__()
        self.actor, self.guide = actor, guide
        self.added = ""  # the word last saved, to stay on its row

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text("Writing for the child: the home's language guide", style="bold"))
            yield Static(id="state")
            yield DataTable(cursor_type="row", zebra_stripes=True)
            yield Static(id="taken-off")
            yield Label(
                "a add · e change · d take off · o switch on or off · Esc closes", classes="hint"
            )

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("Word", "Try instead")
        self.show(self.guide)
        self.query_one(DataTable).focus()

    def show(self, guide: Guide, on_word: str | None = None) -> None:
        self.guide = guide
        self.query_one("#state", Static).update(
            "Pointed out while staff write, never blocking. * = the home's own"
            if guide.on
            else "✗ Switched off: nothing is pointed out (o switches it on)."
        )
        table = self.query_one(DataTable)
        highlighted = self._highlighted()
        kept = on_word or (highlighted.word if highlighted else None)
        table.clear()
        for entry in guide.entries:
            word = plain(entry.word + (" *" if entry.by_home else ""))
            table.add_row(word, plain(entry.suggestion), key=entry.key)
        keys = [e.key for e in guide.entries]
        if kept is not None and language.key_of(kept) in keys:
            table.move_cursor(row=keys.index(language.key_of(kept)))
        off = ", ".join(e.word for e in guide.taken_off)
        taken_off = self.query_one("#taken-off", Static)
        taken_off.update(plain(f"Taken off: {off} (a puts one back)"))
        taken_off.display = bool(off)

    def _highlighted(self) -> Entry | None:
        table = self.query_one(DataTable)
        if not self.guide.entries or not table.row_count:
            return None
        return self.guide.entries[min(max(table.cursor_row, 0), len(self.guide.entries) - 1)]

    # --- changes ------------------------------------------------------------------

    def action_add(self) -> None:
        self._ask_word(WordDialog(self._add_word))

    def action_change(self) -> None:
        entry = self._highlighted()
        if entry is not None:
            self._ask_word(WordDialog(self._add_word, entry.word, entry.suggestion))

    def _add_word(self, data: LanguageWordIn) -> Guide:
        """Runs in the form's worker thread."""
        guide = language.add_word(self.actor, data)
        self.added = data.word
        return guide

    def _ask_word(self, dialog: WordDialog) -> None:
        def saved(guide: Guide | None) -> None:
            if isinstance(guide, Guide):
                self.show(guide, on_word=self.added)
                self.app.notify("The language guide is changed (and audited).")

        self.app.push_screen(dialog, saved)

    def action_remove(self) -> None:
        entry = self._highlighted()
        if entry is None:
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.write(
                    lambda: language.remove_word(self.actor, LanguageRemoveIn(word=entry.word)),
                    f"“{entry.word}” is no longer pointed out.",
                )

        self.app.push_screen(ConfirmDialog(f"Stop pointing out “{entry.word}”?"), confirmed)

    def action_switch(self) -> None:
        on = not self.guide.on
        self.write(
            lambda: language.set_check(self.actor, LanguageCheckIn(on=on)),
            "The language guide is switched on."
            if on
            else "The language guide is switched off: nothing is pointed out.",
        )

    def write(self, change: Callable[[], Guide], done: str) -> None:
        def changed(guide: Guide) -> None:
            self.show(guide)
            self.app.notify(done)

        self.call_service(change, changed, group="language-write")

    def action_close(self) -> None:
        self.dismiss(None)


class WordDialog(FormDialog):
    """A word or phrase for the guide and what to try instead."""

    def __init__(
        self, save: Callable[[LanguageWordIn], Any], word: str = "", suggestion: str = ""
    ) -> None:
        super().__init__(save)
        self.word, self.suggestion = word, suggestion

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text("A word for the language guide", style="bold"))
            yield Label("Word or phrase (found in any case, as a whole word)", classes="field")
            yield Input(self.word, id="word", compact=True, placeholder="e.g. bed space")
            yield error_line("word")
            yield Label("Try instead", classes="field")
            yield Input(self.suggestion, id="suggestion", compact=True, placeholder="e.g. bedroom")
            yield error_line("suggestion")
            yield error_line("form")
            yield Label(
                "Ctrl+S saves · Esc cancels · a listed word takes the new suggestion",
                classes="hint",
            )

    def on_mount(self) -> None:
        self.query_one("#suggestion" if self.word else "#word", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "word":
            self.query_one("#suggestion", Input).focus()
        else:
            self.action_save()

    def collect(self) -> LanguageWordIn:
        return LanguageWordIn(word=self.value("word"), suggestion=self.value("suggestion"))
