"""A list of names to tick with space or enter; the tick is a symbol, not a colour."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from .text import plain


class TickList(OptionList):
    BINDINGS = [
        Binding(
            "space,enter",
            "tick",
            "Tick",
            id="tick.toggle",
            tooltip="Tick or untick the highlighted name",
        ),
    ]

    class Changed(Message):
        """A name was ticked or unticked."""

    def __init__(self, items: list[tuple[int, str]], ticked: set[int], **kwargs: object) -> None:
        self.items = items
        self.ticked = set(ticked)
        super().__init__(*[self._option(i, n) for i, n in items], **kwargs)  # type: ignore[arg-type]

    def _option(self, item_id: int, name: str) -> Option:
        mark = "[✓] " if item_id in self.ticked else "[ ] "
        return Option(Text.assemble(mark, plain(name)), id=str(item_id))

    @property
    def selected(self) -> list[int]:
        """Ticked ids, in the list's order."""
        return [i for i, _ in self.items if i in self.ticked]

    def action_tick(self) -> None:
        index = self.highlighted
        if index is None:
            return
        item_id, name = self.items[index]
        self.ticked.symmetric_difference_update({item_id})
        self.replace_option_prompt_at_index(index, self._option(item_id, name).prompt)
        self.post_message(self.Changed())

    def set_ticked(self, ticked: set[int]) -> None:
        """Tick exactly these, as when a saved record is shown again."""
        self.ticked = set(ticked)
        for index, (item_id, name) in enumerate(self.items):
            self.replace_option_prompt_at_index(index, self._option(item_id, name).prompt)
