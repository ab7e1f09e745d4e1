"""A JSON object read with its lists an item at a time: the same document, and
the same errors at the same places, as `json` reading it whole."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keywork_tui.services.exchange.json_items import DuplicateKeyError, read_object

LISTS = ("sessions", "handover_entries")
DECODER = json.JSONDecoder()

SCALARS = st.none() | st.booleans() | st.integers() | st.text(max_size=8)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=8,
)
DOCUMENTS = st.dictionaries(st.sampled_from([*LISTS, "home", "staff", "x"]), VALUES, max_size=5)


def read(text: str) -> tuple[Any, list[tuple[str, int, Any]]]:
    seen: list[tuple[str, int, Any]] = []
    found = read_object(text, DECODER, LISTS, lambda *item: seen.append(item))
    return found, seen


@given(DOCUMENTS, st.sampled_from([None, 2]))
def test_a_document_reads_as_json_reads_it_with_the_lists_given_item_by_item(doc, indent) -> None:
    text = json.dumps(doc, indent=indent)
    found, seen = read(text)
    whole = json.loads(text)
    given_lists = {k for k in LISTS if isinstance(whole.get(k), list)}
    assert found == {k: ([] if k in given_lists else v) for k, v in whole.items()}
    assert seen == [
        (k, i, item) for k in whole if k in given_lists for i, item in enumerate(whole[k])
    ]


def _json_error(text: str) -> tuple[str, int] | None:
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return exc.msg, exc.pos
    return None


def _our_error(text: str) -> tuple[str, int] | None:
    try:
        read(text)
    except json.JSONDecodeError as exc:
        return exc.msg, exc.pos
    return None


@given(DOCUMENTS, st.data())
def test_a_broken_document_fails_where_json_says_it_does(doc, data) -> None:
    text = json.dumps(doc, indent=1)
    cut = data.draw(st.integers(0, len(text)))
    broken = text[:cut] + data.draw(st.sampled_from(["", ",", "]", "}", ":", "x", " 1", '"']))
    assert _our_error(broken) == _json_error(broken)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "  ",
        "[1, 2]",
        '"text"',
        "{}",
        "{ }",
        '{"a": 1,}',
        '{"a" 1}',
        '{"sessions": [1 2]}',
        '{"sessions": [1,]}',
        '{"a": 1} x',
        '{"sessions": []}',
        "{1: 2}",
        '{"a": [}',
    ],
)
def test_edges_fail_or_read_as_json_does(text) -> None:
    expected = _json_error(text)
    assert _our_error(text) == expected
    if expected is None:
        found, seen = read(text)
        assert seen == [] or text.startswith('{"sessions"')


def test_a_key_given_twice_is_refused() -> None:
    with pytest.raises(DuplicateKeyError, match="sessions"):
        read('{"sessions": [1], "sessions": [2]}')
