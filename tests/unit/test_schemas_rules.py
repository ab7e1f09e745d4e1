"""The rules every boundary shares, stated once in schemas.py."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from keywork_tui.iso import NotInCalendarError, NotIsoError, iso_day, iso_moment
from keywork_tui.schemas import (
    AbsenceIn,
    AllocationIn,
    SessionIn,
    TermIn,
    ends_after_start,
    field_errors,
    in_order,
    other_explained,
    session_minutes,
)
from keywork_tui.services.exchange import import_format

DAY = dt.date(2026, 3, 9)

# --- strict ISO days and moments ---------------------------------------------------


def test_an_iso_day_is_read() -> None:
    assert iso_day("2026-03-09") == dt.date(2026, 3, 9)
    assert iso_day(dt.date(2026, 3, 9)) == dt.date(2026, 3, 9)


@pytest.mark.parametrize("text", ["20260309", "2026-W11-1", "9/3/2026", "2026-3-9", 20260309])
def test_a_day_in_another_form_is_not_iso(text: object) -> None:
    with pytest.raises(NotIsoError, match="write the date as YYYY-MM-DD"):
        iso_day(text)


def test_a_date_time_is_not_a_day() -> None:
    with pytest.raises(NotIsoError):
        iso_day(dt.datetime(2026, 3, 9, 10, 0))


def test_a_day_not_in_the_calendar_says_so() -> None:
    with pytest.raises(NotInCalendarError, match="2026-02-30 is not a date in the calendar"):
        iso_day("2026-02-30")


def test_an_iso_moment_is_read_to_the_minute() -> None:
    assert iso_moment("2026-03-09T16:05") == dt.datetime(2026, 3, 9, 16, 5)


@pytest.mark.parametrize(
    "text", ["2026-03-09 16:05", "2026-03-09T16:05:00", "2026-03-09T16:05Z", "2026-3-9T16:05"]
)
def test_a_moment_in_another_form_is_not_iso(text: str) -> None:
    with pytest.raises(NotIsoError, match="YYYY-MM-DDTHH:MM"):
        iso_moment(text)


def test_a_moment_that_never_happens_says_so() -> None:
    with pytest.raises(NotInCalendarError, match="is not a real date and time"):
        iso_moment("2026-03-09T25:00")


# --- rules across fields ---------------------------------------------------------------


def test_a_period_may_end_the_day_it_starts_or_stay_open() -> None:
    assert list(in_order(DAY, DAY, "last", "x")) == []
    assert list(in_order(DAY, None, "last", "x")) == []
    assert list(in_order(DAY, DAY - dt.timedelta(days=1), "last", "x")) == [("last", "x")]


def test_a_period_ending_first_names_what_it_is() -> None:
    before = DAY - dt.timedelta(days=1)
    assert list(ends_after_start("an absence", DAY, before, "to")) == [
        ("to", "an absence must end on or after the day it starts")
    ]


def test_an_input_breaking_a_rule_is_wrong_as_a_whole() -> None:
    with pytest.raises(ValidationError) as raised:
        AbsenceIn(staff_id=1, starts_on=DAY, ends_on=DAY - dt.timedelta(days=1), kind="leave")
    assert field_errors(raised.value) == {
        "form": "an absence must end on or after the day it starts"
    }


def test_the_import_names_the_field_of_the_same_rule() -> None:
    with pytest.raises(ValidationError) as raised:
        import_format.FileTerm(start="2026-03-09", end="2026-03-08")
    assert field_errors(raised.value) == {"end": "a term must end on or after the day it starts"}
    with pytest.raises(ValidationError, match="a term must end on or after"):
        TermIn(starts_on=DAY, ends_on=DAY - dt.timedelta(days=1))


def test_other_as_a_reason_needs_words() -> None:
    assert list(other_explained("other", "")) == [
        ("reason_note", "say why when the reason is 'other'")
    ]
    assert list(other_explained("other", "moved rooms")) == []
    with pytest.raises(ValidationError, match="say why when the reason is 'other'"):
        AllocationIn(child_id=1, staff_id=1, starts_on=DAY, reason="other")


@pytest.mark.parametrize("minutes", [5, 30, 240])
def test_a_session_lasts_five_minutes_to_four_hours(minutes: int) -> None:
    assert session_minutes(minutes) == minutes


@pytest.mark.parametrize("minutes", [4, 241])
def test_minutes_outside_the_limits_are_refused_alike(minutes: int) -> None:
    message = "duration must be between 5 and 240 minutes"
    with pytest.raises(ValueError, match=message):
        session_minutes(minutes)
    held = dt.datetime(2026, 3, 9, 10)
    with pytest.raises(ValidationError, match=message):
        SessionIn(child_id=1, staff_id=1, held_at=held, minutes=minutes)
