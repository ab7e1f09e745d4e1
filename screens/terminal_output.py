"""What goes to the terminal: each frame with its repeated styles folded.

Textual writes every run of text as a style, the text and a reset, so a table
row of cells in the same colours repeats the same codes a dozen times. Where a
reset is followed at once by the style already in force, the two cancel out
and are left out: the screen drawn is the same, in about a fifth fewer bytes,
which is what a manager over SSH waits for.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.driver import Driver

# A style (SGR), with the reset that comes just before it, if one does.
_STYLE = re.compile(r"(\x1b\[0?m)?\x1b\[([0-9;]*)m")
# The terminal's style is not known from this text: before its first reset,
# or after styles laid one over another.
_UNKNOWN = "?"
_RESET = ("", "0")


def folded(text: str) -> str:
    """`text` with each reset that is followed by the style in force left out,
    with that style: every character is drawn in the style it had."""
    in_force = _UNKNOWN

    def fold(match: re.Match[str]) -> str:
        nonlocal in_force
        reset, style = match[1], match[2]
        if reset is not None and style == in_force:
            return ""
        if style in _RESET:
            in_force = ""
        elif reset is not None or in_force == "":
            in_force = style
        else:
            in_force = _UNKNOWN
        return match[0]

    return _STYLE.sub(fold, text)


def driver_class(chosen: type[Driver]) -> type[Driver]:
    """The driver to run with: Textual's own for a Linux terminal, writing
    folded frames; any other (a test's, the web's, one set by the
    environment) as it is."""
    from textual.drivers.linux_driver import LinuxDriver

    if chosen is not LinuxDriver:
        return chosen

    class FoldingDriver(LinuxDriver):
        def write(self, data: str) -> None:
            super().write(folded(data))

    return FoldingDriver
