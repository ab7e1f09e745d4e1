"""Strict ISO days and moments. Files and the command line write days and times
one way only; a date picker's or a spreadsheet's other forms are read where
they are typed. Plain checks, without pydantic: the command line parses its
dates before anything is validated."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import TypeVar

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", re.ASCII)
_Read = TypeVar("_Read", dt.date, dt.datetime)


class NotIsoError(ValueError):
    """The text is not in the one ISO form."""


class NotInCalendarError(ValueError):
    """The text has the ISO form, but no such day or time exists."""


def _iso(
    value: object, form: re.Pattern[str], read: Callable[[str], _Read], shape: str, unreal: str
) -> _Read:
    if not (isinstance(value, str) and form.fullmatch(value)):
        raise NotIsoError(shape)
    try:
        return read(value)
    except ValueError:
        raise NotInCalendarError(f"{value} {unreal}") from None


def iso_day(value: object) -> dt.date:
    """Only YYYY-MM-DD: pydantic alone would also take numbers and date-times."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    shape = "write the date as YYYY-MM-DD"
    return _iso(value, _ISO_DAY, dt.date.fromisoformat, shape, "is not a date in the calendar")


def iso_moment(value: object) -> dt.datetime:
    """Only YYYY-MM-DDTHH:MM, in the home's local time (no seconds, no zone)."""
    if isinstance(value, dt.datetime):
        return value
    shape = "write the date and time as YYYY-MM-DDTHH:MM"
    return _iso(value, _ISO_MOMENT, dt.datetime.fromisoformat, shape, "is not a real date and time")
