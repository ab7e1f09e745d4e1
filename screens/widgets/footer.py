"""The key bar at the foot of every screen.

Textual's footer builds all its keys again each time the screen's bindings
change, and a screen that opens (mounted, resumed, focused) changes them
three times before it is first drawn: three sets of keys, each styled three
times. This one rebuilds only when the keys it would show differ from those
it shows, and at most once per refresh.
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer


class KeyBar(Footer):
    def __init__(self) -> None:
        super().__init__()
        self._rebuild_due = False
        self._showing: Hashable = None  # the keys of the last build that showed any

    def compose(self) -> ComposeResult:
        keys, built = _shown(self.screen), False
        for widget in super().compose():  # yielded as made: key groups nest as they open
            built = True
            yield widget
        self._showing = keys if built else None

    def bindings_changed(self, screen: Screen[object]) -> None:
        if self._rebuild_due:
            return  # the rebuild already asked for reads the bindings when it runs
        if self._showing is not None and screen is self.screen and _shown(screen) == self._showing:
            return
        super().bindings_changed(screen)
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self._rebuild_due = True
            self.call_after_refresh(self._rebuilt)

    def _rebuilt(self) -> None:
        self._rebuild_due = False


def _shown(screen: Screen[object]) -> Hashable:
    """What the bar would draw for these bindings: key, label, enabled, tooltip."""
    return tuple(
        (binding.key, binding.key_display, binding.description, enabled, tooltip, binding.action)
        for _node, binding, enabled, tooltip in screen.active_bindings.values()
        if binding.show
    )
