"""User keymaps: the config file's `[keys]` table gives a binding, by its id,
other keys (`"app.lock" = "ctrl+k"`, `"handover.write" = "w,f8"`), handed to
Textual's `App.set_keymap`. Every binding of keywork carries an id."""

from __future__ import annotations

import importlib
import pkgutil

from textual.binding import Binding
from textual.dom import DOMNode

from .config import ConfigError


def _subclasses(cls: type[object]) -> list[type[object]]:
    found: list[type[object]] = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


def _import_screens() -> None:
    """Screens loaded only when first opened (the profile, the writer) count too."""
    import screens

    for module in pkgutil.walk_packages(screens.__path__, "screens."):
        importlib.import_module(module.name)


def binding_ids() -> dict[str, Binding]:
    """Every keywork binding by id: the app's, each screen's, dialog's and tab's."""
    from . import app  # noqa: F401 - its bindings, and the screens it loads

    _import_screens()
    found: dict[str, Binding] = {}
    for cls in _subclasses(DOMNode):
        if not cls.__module__.startswith(("screens", "keywork_tui")):
            continue
        for binding in cls.__dict__.get("BINDINGS", []):
            if isinstance(binding, Binding) and binding.id:
                found.setdefault(binding.id, binding)
    return found


def checked_keymap(table: object) -> dict[str, str]:
    """The `[keys]` table, refused in one line when it names no binding or no key."""
    if table is None:
        return {}
    if not isinstance(table, dict):
        raise ConfigError("[keys] in the config file must be a table of binding id = keys")
    known = binding_ids()
    unknown = sorted(k for k in table if k not in known)
    if unknown:
        raise ConfigError(f"[keys] names no binding {', '.join(unknown)}: the README lists the ids")
    bad = sorted(k for k, v in table.items() if not (isinstance(v, str) and v.strip()))
    if bad:
        raise ConfigError(
            f'[keys] {", ".join(bad)}: give the keys in quotes, e.g. "ctrl+k" or "w,f8"'
        )
    return {k: v.replace(" ", "") for k, v in table.items()}
