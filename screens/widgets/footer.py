"""The key bar at the foot of every screen: the keys the focused field and its
screen answer to, on one line, with the command palette's key on the right.

One widget draws every key, where Textual's footer mounts a widget for each:
an opening screen's bar is one node to style and draw, not fifteen, and a
change of keys is one repaint. A key is clicked as it is pressed; a key the
screen refuses just now is dimmed and rings the bell; resting the pointer on
one shows what it does.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget

DIMMED = Style(dim=True)


class Key(NamedTuple):
    """One key as the key bar draws it."""

    key: str  # as pressed, e.g. "ctrl+s"
    shown: str  # as drawn, e.g. "^s"
    description: str
    enabled: bool
    tooltip: str


class KeyBar(Widget, can_focus=False):
    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        &:hover { pointer: pointer; }
        & > .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.keys: tuple[Key, ...] = ()
        self.palette: Key | None = None
        self._places: list[tuple[int, int, Key]] = []  # where each key is drawn: [start, end)

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if screen is not self.screen:
            return
        keys, palette = self._read(screen)
        if (keys, palette) != (self.keys, self.palette):
            self.keys, self.palette = keys, palette
            self.refresh()

    def _read(self, screen: Screen[object]) -> tuple[tuple[Key, ...], Key | None]:
        """The keys to show, one per action as Textual's footer shows them."""
        app, seen, keys = self.app, set(), []
        palette: Key | None = None
        for key, (_node, binding, enabled, tooltip) in screen.active_bindings.items():
            if key == app.COMMAND_PALETTE_BINDING and app.ENABLE_COMMAND_PALETTE:
                tip = binding.tooltip or binding.description
                palette = Key(key, app.get_key_display(binding), binding.description, enabled, tip)
                continue
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            shown = app.get_key_display(binding)
            keys.append(Key(binding.key, shown, binding.description, enabled, tooltip))
        return tuple(keys), palette

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key")
        words_style = self.get_component_rich_style("key-bar--description")
        width = self.size.width
        right = Text(no_wrap=True)
        if self.palette is not None:  # as Textual draws it: "▏^p palette "
            right = self._drawn(self.palette, key_style, words_style)[1:]
            right = Text("▏", style=DIMMED) + right
        line, places = Text(no_wrap=True, overflow="crop"), []
        room = max(0, width - right.cell_len)
        for key in self.keys:
            drawn = self._drawn(key, key_style, words_style)
            if line.cell_len + drawn.cell_len - 1 > room:
                break  # a key is shown whole (but for its last space) or not at all
            places.append((line.cell_len, min(room, line.cell_len + drawn.cell_len), key))
            line.append_text(drawn)
        line.truncate(room, pad=True)
        if self.palette is not None and right.cell_len <= width:
            places.append((room, room + right.cell_len, self.palette))
            line.append_text(right)
        self._places = places
        return line

    @staticmethod
    def _drawn(key: Key, key_style: Style, words_style: Style) -> Text:
        drawn = Text.assemble((f" {key.shown} ", key_style), (f"{key.description} ", words_style))
        if not key.enabled:
            drawn.stylize(DIMMED)
        return drawn

    def key_at(self, x: int) -> Key | None:
        """The key drawn at column `x` of the bar, if any."""
        return next((key for start, end, key in self._places if start <= x < end), None)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        key = self.key_at(event.x)
        if key is None:
            return
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        key = self.key_at(event.x)
        self.tooltip = (key.tooltip or key.description) if key else None

    def on_leave(self) -> None:
        self.tooltip = None
