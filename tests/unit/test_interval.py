"""A rule's interval added to a date lands where relativedelta lands."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from keywork_tui.services.policy import Interval, parse_interval

days = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2090, 12, 31))
counts = st.integers(min_value=0, max_value=40)
units = st.sampled_from(["day", "week", "month", "year"])


@given(days, counts, units)
def test_an_interval_lands_where_relativedelta_does(day: dt.date, count: int, unit: str) -> None:
    interval = parse_interval(f"{count} {unit}s")
    assert isinstance(interval, Interval)
    expected = day + relativedelta(**{f"{unit}s": count})
    assert day + interval == expected
    assert interval + day == expected


@given(days, st.integers(-30, 30), st.integers(-30, 30), st.integers(-400, 400))
def test_mixed_and_backward_intervals_agree_too(
    day: dt.date, years: int, months: int, offset: int
) -> None:
    interval = Interval(years=years, months=months, days=offset)
    assert day + interval == day + relativedelta(years=years, months=months, days=offset)


def test_month_ends_and_leap_days() -> None:
    assert dt.date(2027, 1, 31) + Interval(months=1) == dt.date(2027, 2, 28)
    assert dt.date(2028, 1, 31) + Interval(months=1) == dt.date(2028, 2, 29)
    assert dt.date(2028, 2, 29) + Interval(years=1) == dt.date(2029, 2, 28)


def test_a_moment_still_goes_through_relativedelta() -> None:
    at = dt.datetime(2027, 1, 31, 22, 30)
    assert at + Interval(months=1) == dt.datetime(2027, 2, 28, 22, 30)
    assert Interval(weeks=1) == relativedelta(weeks=1)  # the reports compare so


def test_an_interval_with_more_than_a_span_is_relativedeltas_to_add() -> None:
    day = dt.date(2027, 1, 31)
    for extra in ({"day": 1}, {"weekday": 0}, {"hours": 30}, {"leapdays": 1}, {"month": 6}):
        assert day + Interval(months=1, **extra) == day + relativedelta(months=1, **extra)
