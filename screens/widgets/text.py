"""User text is shown as text: never parsed as markup, whatever it contains."""

from __future__ import annotations

from rich.text import Text


def plain(value: object, style: str = "") -> Text:
    return Text("" if value is None else str(value), style=style)
