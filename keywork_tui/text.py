"""Text made inert for a terminal: the one function every piece of stored or
typed text passes through, on the way in (validation) and on the way out (the
models read every text column through it), so no note, name or import can
move the cursor, retitle the terminal or write to the clipboard of whoever
reads it."""

from __future__ import annotations

import re
import unicodedata

# Whole escape sequences first (OSC such as clipboard writes, CSI such as screen
# clears), then any other C0/C1 control but tab and newline.
_ESCAPE = re.compile(r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b\[[0-?]*[ -/]*[@-~]?|\x1b.?")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Bidirectional overrides and isolates: they reorder what is shown.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def clean_text(value: str) -> str:
    """Normalise text and drop terminal control characters; tabs and line breaks stay."""
    # Printable ASCII, most of what is typed and read back, is already inert and
    # in NFC: it is passed through without the regular expressions.
    if value.isascii() and value.isprintable():
        return value
    return cleaned(value)


def cleaned(value: str) -> str:
    """clean_text the long way, for any text."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _BIDI.sub("", _CONTROL.sub("", _ESCAPE.sub("", value)))
    # Last, so a letter and its accent brought together by taking out what lay
    # between them are composed too: cleaning cleaned text changes nothing.
    return unicodedata.normalize("NFC", value)


def one_line(value: str) -> str:
    """clean_text, with every run of whitespace (tabs and line breaks too) one space."""
    return " ".join(clean_text(value).split())
