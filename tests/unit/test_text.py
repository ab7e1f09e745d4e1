"""The one function text passes through: its quick way for plain text gives
what the long way gives, for any text at all."""

from __future__ import annotations

import unicodedata

from hypothesis import example, given
from hypothesis import strategies as st

from keywork_tui.text import clean_text, cleaned, one_line

# Plain ASCII and the characters the long way is there for: escapes, controls,
# carriage returns, bidirectional overrides, letters that NFC composes.
AWKWARD = st.lists(
    st.one_of(
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),
        st.sampled_from(["\x1b", "\x1b]52;c;", "\x07", "\r", "\n", "\t", "\x9b", "\x7f"]),
        st.sampled_from(["\u202e", "\u2066", "e\u0301", "\u00e9", "\u200b", "\u2028"]),
        st.characters(),
    )
).map("".join)


@given(AWKWARD)
@example("e\x07\u0301")  # the accent meets its letter once the bell is gone
@example("e\x1b[0m\u0301")
def test_the_quick_way_gives_what_the_long_way_gives(text: str) -> None:
    assert clean_text(text) == cleaned(text)
    assert clean_text(clean_text(text)) == clean_text(text)
    assert unicodedata.is_normalized("NFC", clean_text(text))


def test_plain_text_is_passed_through_and_the_rest_made_inert() -> None:
    plain = "Calm evening; played cards (2 rounds) & laughed."
    assert clean_text(plain) is plain
    assert (
        clean_text("ok\x1b[2Jthen\x1b]52;c;SGVsbG8=\x07 \u202eevil\r\nnext") == "okthen evil\nnext"
    )
    assert clean_text("Cafe\u0301") == "Caf\u00e9"
    assert one_line(" two\t words \n") == "two words"


@given(AWKWARD)
@example("\x1b[2J\r\n0")  # the line break was an end only once the escape went
def test_a_note_checked_again_is_the_note_checked_once(text: str) -> None:
    from keywork_tui.schemas import checked_text

    once = checked_text(text)
    assert checked_text(once) == once
    assert once == once.strip()
