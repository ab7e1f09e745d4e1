"""A JSON object read with some of its lists an item at a time.

Ten years of a home's records are half a million objects: parsed whole they
take several times the file's size in memory before a single one is checked.
Here each item of the lists named is parsed and handed on by itself, so the
caller can check it and keep only what it needs; everything else is parsed as
`json` parses it, with the same decoder (its hooks included) and the same
errors at the same places.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection
from typing import Any

_SPACE = re.compile(r"[ \t\n\r]*")

# (list's key, index, item): called for each item of a list named, in order.
OnItem = Callable[[str, int, Any], None]


class DuplicateKeyError(ValueError):
    """The object names one key twice (the first key of the two is given)."""


def read_object(
    text: str, decoder: json.JSONDecoder, lists: Collection[str], on_item: OnItem
) -> Any:
    """The document in `text`. When it is an object, each of its keys in `lists`
    whose value is a list has its items given to `on_item` and stands in the
    result as an empty list; any other value is as `decoder` reads it."""
    pos = _skip(text, 0)
    if not text.startswith("{", pos):
        value, pos = decoder.raw_decode(text, pos)
        _at_end(text, pos)
        return value
    found: dict[str, Any] = {}
    pos = _skip(text, pos + 1)
    if text.startswith("}", pos):
        _at_end(text, pos + 1)
        return found
    while True:
        if not text.startswith('"', pos):
            raise json.JSONDecodeError(
                "Expecting property name enclosed in double quotes", text, pos
            )
        key, pos = decoder.raw_decode(text, pos)
        pos = _skip(text, pos)
        if not text.startswith(":", pos):
            raise json.JSONDecodeError("Expecting ':' delimiter", text, pos)
        if key in found:
            raise DuplicateKeyError(key)
        pos = _skip(text, pos + 1)
        if key in lists and text.startswith("[", pos):
            found[key], pos = [], _items(text, pos, decoder, key, on_item)
        else:
            found[key], pos = decoder.raw_decode(text, pos)
        pos = _skip(text, pos)
        if text.startswith(",", pos):
            pos = _skip(text, pos + 1)
        elif text.startswith("}", pos):
            _at_end(text, pos + 1)
            return found
        else:
            raise json.JSONDecodeError("Expecting ',' delimiter", text, pos)


def _items(text: str, pos: int, decoder: json.JSONDecoder, key: str, on_item: OnItem) -> int:
    """Each item of the list that opens at `pos`; where the list ends."""
    pos = _skip(text, pos + 1)
    if text.startswith("]", pos):
        return pos + 1
    index = 0
    while True:
        item, pos = decoder.raw_decode(text, pos)
        on_item(key, index, item)
        index += 1
        pos = _skip(text, pos)
        if text.startswith(",", pos):
            pos = _skip(text, pos + 1)
        elif text.startswith("]", pos):
            return pos + 1
        else:
            raise json.JSONDecodeError("Expecting ',' delimiter", text, pos)


def _skip(text: str, pos: int) -> int:
    match = _SPACE.match(text, pos)
    assert match is not None  # it matches the empty string too
    return match.end()


def _at_end(text: str, pos: int) -> None:
    pos = _skip(text, pos)
    if pos != len(text):
        raise json.JSONDecodeError("Extra data", text, pos)
