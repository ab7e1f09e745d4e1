"""Writing for the child: listed words are found as whole words in any case,
with where they are; a home adds, takes off and switches off words, each
change audited and only by a manager."""

from __future__ import annotations

import pytest
from engines import audit_verdict
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from keywork_tui.schemas import LanguageCheckIn, LanguageRemoveIn, LanguageWordIn, field_errors
from keywork_tui.services import FieldError, PermissionDeniedError, audit
from keywork_tui.services.actor import actor_for
from keywork_tui.services.child_file import language
from keywork_tui.services.child_file.language import SHIPPED, Guide, findings, key_of, note

GUIDE = Guide()


def _words(text: str, guide: Guide = GUIDE) -> list[str]:
    return [text[f.start : f.end] for f in findings(text, guide)]


# --- matching --------------------------------------------------------------------


def test_a_listed_word_is_found_in_any_case_with_its_suggestion() -> None:
    [found] = findings("Talked about her new PLACEMENT.", GUIDE)
    assert (found.word, found.suggestion) == ("placement", "home")
    assert (found.start, found.end) == (21, 30)


def test_only_whole_words_are_found() -> None:
    assert _words("He contacted his social worker over a continental breakfast") == []
    assert _words("contact with mum; contacts at the weekend") == ["contact", "contacts"]
    assert _words("Community unity; a unit.") == ["unit"]


def test_only_the_listed_forms_of_a_word_are_found() -> None:
    assert _words("absconded, absconding, absconds") == ["absconded", "absconding", "absconds"]
    assert _words("refusals") == []  # not listed: never guessed


def test_the_longer_phrase_wins_and_a_document_name_is_left_alone() -> None:
    assert [f.word for f in findings("The placement broke down.", GUIDE)] == ["placement breakdown"]
    assert _words("Placement Plan reviewed; contact details updated") == []
    assert _words("sibling contact on Saturday") == ["sibling contact"]


def test_a_phrase_may_break_across_a_line_or_a_hyphen() -> None:
    assert _words("a looked-after\nchild") == ["looked-after\nchild"]
    assert _words("Attention-seeking") == ["Attention-seeking"]


def test_the_app_s_own_words_are_not_pointed_out() -> None:
    assert _words("Key work session: we planned the key-work targets") == []


def test_the_note_names_each_word_once_as_typed() -> None:
    text = "Placement was fine; placement again. He kicked off and refused tea."
    assert note(text, GUIDE) == (
        "“Placement”: try “home” · “kicked off”: try “was upset or angry (say what "
        "happened)” · “refused”: try “said no, or chose not to”"
    )
    assert note("A quiet evening.", GUIDE) == ""


def test_a_guide_switched_off_finds_nothing() -> None:
    assert findings("placement", Guide(SHIPPED, on=False)) == []
    assert findings("placement", language.OFF) == []


def test_the_shipped_guide_is_a_usable_size_with_a_suggestion_for_each() -> None:
    assert 15 <= len(SHIPPED) <= 25
    assert all(e.suggestion for e in SHIPPED)
    assert len({e.key for e in SHIPPED}) == len(SHIPPED)
    assert not any("key work" in k for e in SHIPPED for k in e.keys)


LISTED = [form for e in SHIPPED for form in (e.word, *e.forms)]
FILLER = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Zs", "Cc")), max_size=60
)


@given(FILLER)
def test_findings_never_change_the_text_and_point_at_a_listed_word(text: str) -> None:
    before = str(text)
    found = findings(text, GUIDE)
    assert text == before
    last = 0
    keys = {k for e in SHIPPED for k in e.keys}
    for f in found:
        assert last <= f.start < f.end <= len(text)  # in order, never overlapping
        assert key_of(text[f.start : f.end]) in keys
        assert not text[f.start - 1 : f.start].isalnum() and not text[f.end : f.end + 1].isalnum()
        last = f.end


@given(FILLER, st.sampled_from(LISTED), FILLER, st.booleans())
def test_a_listed_word_between_spaces_is_always_found(
    head: str, word: str, tail: str, upper: bool
) -> None:
    said = word.upper() if upper else word
    text = f"{head} {said} {tail}"
    spans = [(f.start, f.end) for f in findings(text, GUIDE)]
    start = len(head) + 1
    # Found itself, or inside a longer listed phrase the filler made with it.
    assert any(s <= start and start + len(said) <= e for s, e in spans)


# --- the home's guide -------------------------------------------------------------


def test_a_new_home_checks_the_shipped_guide(home) -> None:
    guide = language.guide_for(home.actor)
    assert guide.on and guide.entries == SHIPPED and guide.taken_off == ()


def test_a_manager_adds_a_word_and_it_is_found_and_audited(home) -> None:
    guide = language.add_word(
        home.actor, LanguageWordIn(word="  Bed  Space ", suggestion="bedroom")
    )
    added = guide.entry("bed space")
    assert added is not None and added.by_home and added.word == "Bed Space"
    assert note("There is a bed-space free.", guide) == "“bed-space”: try “bedroom”"
    [event] = audit.events(action_prefix="language.")
    assert (event.action, event.staff_name) == ("language.add", home.manager.name)
    assert event.after["word"] == "Bed Space" and event.after["suggestion"] == "bedroom"


def test_a_home_re_words_a_shipped_word_and_keeps_its_forms(home) -> None:
    guide = language.add_word(home.actor, LanguageWordIn(word="Placement", suggestion="the house"))
    assert note("two placements", guide) == "“placements”: try “the house”"
    assert len(guide.entries) == len(SHIPPED)


def test_taking_off_a_shipped_word_and_putting_it_back(home) -> None:
    guide = language.remove_word(home.actor, LanguageRemoveIn(word="UNIT"))
    assert guide.entry("unit") is None and [e.word for e in guide.taken_off] == ["unit"]
    assert findings("the unit", guide) == []
    guide = language.add_word(home.actor, LanguageWordIn(word="unit", suggestion="house"))
    assert guide.entry("unit") is not None and guide.taken_off == ()
    actions = [e.action for e in reversed(audit.events(action_prefix="language."))]
    assert actions == ["language.remove", "language.add"]


def test_a_word_the_home_added_is_removed_and_the_trail_still_holds(home, database) -> None:
    language.add_word(home.actor, LanguageWordIn(word="bed space", suggestion="bedroom"))
    guide = language.remove_word(home.actor, LanguageRemoveIn(word="bed space"))
    assert guide.entry("bed space") is None and guide.taken_off == ()
    [removed, _] = audit.events(action_prefix="language.")
    assert removed.after is None and removed.before["word"] == "bed space"
    verdict = audit_verdict(database)
    assert verdict is not None and verdict.ok


def test_switching_the_check_off_and_on(home) -> None:
    guide = language.set_check(home.actor, LanguageCheckIn(on=False))
    assert not guide.on and findings("placement", guide) == []
    language.set_check(home.actor, LanguageCheckIn(on=False))  # no change, no event
    [event] = audit.events(action_prefix="language.")
    assert (event.action, event.after) == ("language.check", {"language_check": False})
    assert language.set_check(home.actor, LanguageCheckIn(on=True)).on


def test_only_a_manager_edits_the_guide_and_everyone_reads_it(home, add_staff) -> None:
    kim = actor_for(add_staff("Kim Key").id)
    with pytest.raises(
        PermissionDeniedError, match="only a manager or admin can change the home's language guide"
    ):
        language.add_word(kim, LanguageWordIn(word="bed space", suggestion="bedroom"))
    with pytest.raises(PermissionDeniedError):
        language.remove_word(kim, LanguageRemoveIn(word="unit"))
    with pytest.raises(PermissionDeniedError):
        language.set_check(kim, LanguageCheckIn(on=False))
    assert language.guide_for(kim).entries == SHIPPED
    assert audit.events(action_prefix="language.") == []


def test_what_cannot_be_changed_is_said_beside_the_word(home) -> None:
    with pytest.raises(FieldError, match="already in the guide, with that suggestion") as err:
        language.add_word(home.actor, LanguageWordIn(word="placement", suggestion="home"))
    assert err.value.field == "word"
    with pytest.raises(FieldError, match="checked as a form of “placement”"):
        language.remove_word(home.actor, LanguageRemoveIn(word="placements"))
    with pytest.raises(FieldError, match="“bed space” is not in the home's guide"):
        language.remove_word(home.actor, LanguageRemoveIn(word="bed space"))
    assert audit.events(action_prefix="language.") == []


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"word": " ", "suggestion": "home"}, "word", "this cannot be blank"),
        ({"word": "--", "suggestion": "home"}, "word", "needs at least one letter"),
        ({"word": "unit", "suggestion": ""}, "suggestion", "this cannot be blank"),
        ({"word": "x" * 61, "suggestion": "home"}, "word", "at most 60 characters"),
        ({"word": "unit", "suggestion": "home", "colour": "red"}, "colour", "Extra inputs"),
    ],
)
def test_bad_input_is_refused_in_words(data: dict, field: str, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        LanguageWordIn(**data)
    assert message in field_errors(refused.value)[field]
