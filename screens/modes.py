"""The app's modes: each one's title and where its screen lives, so the app
can list every mode while loading a screen's module only when it first opens
(the first paint waits for the handover alone)."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

from textual.screen import Screen

# Mode: (title, module, screen class). The order is the function keys' order.
MODES: dict[str, tuple[str, str, str]] = {
    "handover": ("Handover", "screens.handover", "HandoverScreen"),
    "children": ("My key children", "screens.key_children", "KeyChildrenScreen"),
    "overdue": ("Overdue", "screens.overdue", "OverdueScreen"),
    "session": ("Session entry", "screens.session_entry", "SessionEntryScreen"),
    "manager": ("Manager", "screens.manager", "ManagerScreen"),
    "audit": ("Audit", "screens.audit_view", "AuditScreen"),
    # A provider's, and where a provider starts: no function key, the palette's "Go to homes".
    "homes": ("Homes", "screens.provider_homes", "HomesScreen"),
}
PROVIDERS_ONLY = ("homes",)
SIGN_IN = ("Sign in", "screens.sign_in", "SignInScreen")


def title(mode: str) -> str:
    return MODES[mode][0]


def opener(mode: str) -> Callable[[], Screen[Any]]:
    """What Textual's MODES wants for `mode`: a call that makes its screen,
    importing the screen's module the first time."""
    _, module, name = MODES.get(mode, SIGN_IN)

    def make() -> Screen[Any]:
        made: Screen[Any] = getattr(import_module(module), name)()
        # A new screen takes its styles from the stylesheet as it stands when it
        # mounts. Textual counts it out of date all the same and reads every
        # source again (a full reparse and restyle of the app, some 15 ms) the
        # first time each mode opens; a change of theme still restyles it, and
        # the app styles itself before its first screen (KeyworkApp.on_event).
        made._css_update_count = made.app._css_update_count
        return made

    return make
