"""Working days, shifts and the dates people type."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keywork_tui.calendar import (
    DateParseError,
    ShiftRef,
    add_working_days,
    describe_when,
    parse_due,
    parse_when,
    shift_at,
)

WEDNESDAY = dt.datetime(2026, 3, 11, 15, 42)
FRIDAY = dt.datetime(2026, 3, 13, 9, 5)


def test_working_days_skip_christmas_and_new_year_in_england():
    assert add_working_days(dt.date(2026, 12, 23), 5, "england") == dt.date(2027, 1, 4)


def test_scotland_keeps_the_second_of_january():
    # 1 and 2 January 2026 are a Thursday and a Friday.
    assert add_working_days(dt.date(2025, 12, 31), 1, "england") == dt.date(2026, 1, 2)
    assert add_working_days(dt.date(2025, 12, 31), 1, "scotland") == dt.date(2026, 1, 5)


def test_zero_working_days_is_the_same_day():
    assert add_working_days(dt.date(2026, 12, 25), 0, "wales") == dt.date(2026, 12, 25)


@pytest.mark.parametrize(
    ("clock_time", "expected"),
    [
        (dt.time(7, 29), ShiftRef(dt.date(2026, 3, 9), "night")),
        (dt.time(7, 30), ShiftRef(dt.date(2026, 3, 10), "day")),
        (dt.time(21, 59), ShiftRef(dt.date(2026, 3, 10), "day")),
        (dt.time(22, 0), ShiftRef(dt.date(2026, 3, 10), "night")),
        (dt.time(3, 0), ShiftRef(dt.date(2026, 3, 9), "night")),
    ],
)
def test_shift_at(clock_time, expected):
    at = dt.datetime.combine(dt.date(2026, 3, 10), clock_time)
    assert shift_at(at, "07:30", "22:00") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", dt.datetime(2026, 3, 11, 15, 42)),
        ("Yesterday", dt.datetime(2026, 3, 10, 15, 42)),
        ("mon", dt.datetime(2026, 3, 9, 15, 42)),
        ("wed", dt.datetime(2026, 3, 11, 15, 42)),
        ("last fri", dt.datetime(2026, 3, 6, 15, 42)),
        ("last friday 10:15", dt.datetime(2026, 3, 6, 10, 15)),
        ("3d ago", dt.datetime(2026, 3, 8, 15, 42)),
        ("2 weeks ago", dt.datetime(2026, 2, 25, 15, 42)),
        ("21/12", dt.datetime(2025, 12, 21, 15, 42)),  # no year: the latest one
        ("10/3", dt.datetime(2026, 3, 10, 15, 42)),
        ("21/12/2026 16:30", dt.datetime(2026, 12, 21, 16, 30)),
        ("1/2", dt.datetime(2026, 2, 1, 15, 42)),  # day first, as in the UK
    ],
)
def test_parse_when_on_a_wednesday(text, expected):
    assert parse_when(text, WEDNESDAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("fri", dt.date(2026, 3, 13)),
        ("last fri", dt.date(2026, 3, 6)),
        ("thu", dt.date(2026, 3, 12)),
    ],
)
def test_parse_when_on_a_friday(text, expected):
    assert parse_when(text, FRIDAY).date() == expected


@pytest.mark.parametrize("text", ["", "   ", "banana", "32/13", "today 25:00", "mon 10:61"])
def test_parse_when_refuses_nonsense(text):
    with pytest.raises(DateParseError):
        parse_when(text, WEDNESDAY)


@pytest.mark.parametrize("text", ["today", "21/12", "12:00", "21/12/2026 16:30"])
def test_parse_when_is_to_the_minute(text):
    now = dt.datetime(2026, 3, 11, 15, 42, 17, 654321)
    parsed = parse_when(text, now)
    assert (parsed.second, parsed.microsecond) == (0, 0)


# Plain noise, and words people really type put together in odd ways.
TOKENS = ["last", "fri", "today", "3d", "ago", "weeks", "21/12", "31/02", "2026", "25:00", "10:30"]
TYPED = st.text(max_size=40) | st.lists(st.sampled_from(TOKENS), max_size=5).map(" ".join)


@given(TYPED)
def test_parse_when_returns_a_datetime_or_refuses_plainly(text):
    try:
        parsed = parse_when(text, WEDNESDAY)
    except DateParseError:
        return
    assert isinstance(parsed, dt.datetime)


@given(TYPED)
def test_parse_due_returns_a_date_or_refuses_plainly(text):
    try:
        due = parse_due(text, WEDNESDAY.date())
    except DateParseError:
        return
    assert isinstance(due, dt.date)


@given(TYPED)
def test_what_is_used_is_what_was_shown(text):
    """The words beside the field name the very time a save would use."""
    when, shown = describe_when(text, WEDNESDAY)
    if when is None:
        assert shown.startswith("✗ ")
        with pytest.raises(DateParseError):
            parse_when(text, WEDNESDAY)
    else:
        assert parse_when(text, WEDNESDAY) == when
        assert f"{when:%d %b %Y, %H:%M}" in shown


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", dt.date(2026, 3, 11)),
        ("tomorrow", dt.date(2026, 3, 12)),
        ("fri", dt.date(2026, 3, 13)),
        ("wed", dt.date(2026, 3, 11)),
        ("next wed", dt.date(2026, 3, 18)),
        ("mon", dt.date(2026, 3, 16)),
        ("in 3d", dt.date(2026, 3, 14)),
        ("2w", dt.date(2026, 3, 25)),
        ("21/12", dt.date(2026, 12, 21)),
        ("1/2", dt.date(2027, 2, 1)),  # no year: the next one
        ("1/2/2026", dt.date(2026, 2, 1)),
    ],
)
def test_parse_due_looks_ahead(text, expected):
    assert parse_due(text, WEDNESDAY.date()) == expected
