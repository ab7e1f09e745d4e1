"""A frame with its repeated styles folded draws the same screen: every
character in the style it had, every other control sequence where it was."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st
from textual.drivers.headless_driver import HeadlessDriver
from textual.drivers.linux_driver import LinuxDriver

from screens.terminal_output import driver_class, folded

_TOKEN = re.compile(r"\x1b\[([0-9;]*)m|(\x1b\[[0-9;?]*[A-Za-z])|(.)", re.S)


def drawn(text: str) -> list[tuple[str, ...]]:
    """What a terminal makes of `text`: each character with the styles laid
    on since the last reset (None until one: the state before is not known),
    and each other sequence in its place."""
    out: list[tuple[str, ...]] = []
    styles: list[str] | None = None
    for style, other, char in _TOKEN.findall(text):
        if other:
            out.append(("sequence", other))
        elif char:
            out.append(("char", char, "?" if styles is None else ";".join(styles)))
        elif style in ("", "0"):
            styles = []
        elif styles is None:
            styles = None
        else:
            styles.append(style)
    return out


STYLES = st.sampled_from(["1;38;5;253;48;5;235", "38;5;253;48;5;234", "3;38;5;247", "7", "0", ""])
TEXT = st.text(alphabet="ab \r\n‼é", max_size=6)
# A run as Textual writes it (a style, text, a reset), bare text, or a cursor move.
PIECES = st.one_of(
    st.builds(lambda s, t: f"\x1b[{s}m{t}\x1b[0m", STYLES, TEXT),
    TEXT,
    st.builds(lambda r, c: f"\x1b[{r};{c}H", st.integers(1, 24), st.integers(1, 80)),
    st.builds(lambda s: f"\x1b[{s}m", STYLES),
    st.just("\x1b[?2026h"),
)


@given(st.lists(PIECES, max_size=30))
def test_a_folded_frame_draws_what_the_frame_draws(pieces) -> None:
    frame = "".join(pieces)
    assert drawn(folded(frame)) == drawn(frame)


def test_cells_of_one_style_are_written_as_one_run() -> None:
    style = "\x1b[38;5;253;48;5;235m"
    # After the line before it, which ended with a reset: a cursor move keeps the style.
    row = f"\x1b[0m\x1b[8;1H{style} Amber \x1b[0m{style}      \x1b[0m{style} Dan \x1b[0m\x1b[1m!"
    cells = " Amber " + "      " + " Dan "
    assert folded(row) == f"\x1b[0m\x1b[8;1H{style}{cells}\x1b[0m\x1b[1m!"
    # The first style of a frame is laid over whatever the terminal had: not folded.
    first = f"{style}a\x1b[0m{style}b"
    assert folded(first) == first


def test_a_style_after_a_cursor_move_or_a_new_style_is_kept() -> None:
    style = "\x1b[7m"
    moved = f"{style}a\x1b[0m\x1b[2;1H{style}b\x1b[0m"
    assert folded(moved) == moved
    # Laid over another style, the same codes do not say what is in force.
    layered = f"\x1b[0m\x1b[1m{style}a\x1b[0m{style}b"
    assert folded(layered) == layered


def test_only_a_linux_terminal_gets_the_folding_driver() -> None:
    assert issubclass(driver_class(LinuxDriver), LinuxDriver)
    assert driver_class(LinuxDriver) is not LinuxDriver
    assert driver_class(HeadlessDriver) is HeadlessDriver
