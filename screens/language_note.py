"""The quiet line beside a field that names words of the home's language
guide found in what is typed, with what to try instead. It only points out:
it never blocks a save and never touches the text."""

from __future__ import annotations

from textual.widgets import Static

from keywork_tui.services.child_file.language import Guide, note

from .widgets.text import plain


class LanguageNote(Static):
    """One line, cut with an ellipsis, so a long note never pushes the form
    about; no line at all while there is nothing to say."""

    DEFAULT_CSS = """
    LanguageNote { height: 1; width: 100%; color: $text-muted; text-wrap: nowrap;
        text-overflow: ellipsis; display: none; }
    """

    def check(self, text: str, guide: Guide) -> None:
        words = note(text, guide)
        self.update(plain(words))
        self.display = bool(words)
