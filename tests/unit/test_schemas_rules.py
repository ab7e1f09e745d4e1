"""The rules every boundary shares, stated once in schemas.py."""

from __future__ import annotations

import datetime as dt

import pytest

from keywork_tui.schemas import NotInCalendarError, NotIsoError, iso_day, iso_moment

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
