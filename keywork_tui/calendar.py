"""Working days, shifts and flexible date entry (dateutil + holidays)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

import holidays
from dateutil import parser as date_parser
from dateutil.relativedelta import FR, MO, SA, SU, TH, TU, WE, relativedelta

# The holidays package knows the UK's nations by subdivision code.
_SUBDIVISION = {"england": "ENG", "wales": "WLS", "scotland": "SCT", "northern_ireland": "NIR"}


@lru_cache(maxsize=16)
def _bank_holidays(nation: str, year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("GB", subdiv=_SUBDIVISION[nation], years=year)


def is_working_day(day: dt.date, nation: str) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(nation, day.year)


def add_working_days(start: dt.date, days: int, nation: str) -> dt.date:
    """The date `days` working days after `start` (Mon-Fri, less bank holidays)."""
    day = start
    remaining = days
    while remaining > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day, nation):
            remaining -= 1
    return day


# --- shifts ----------------------------------------------------------------


@dataclass(frozen=True)
class ShiftRef:
    """A shift by the date it starts and its name: the 22:00 night of the 3rd
    is ("2026-12-03", "night") even after midnight."""

    date: dt.date
    name: str  # "day" or "night"

    def label(self) -> str:
        return f"{self.name.capitalize()} shift of {self.date:%a %d %b %Y}"


def _hhmm(text: str) -> dt.time:
    hours, minutes = text.split(":")
    return dt.time(int(hours), int(minutes))


def shift_at(at: dt.datetime, day_starts: str, night_starts: str) -> ShiftRef:
    day_start, night_start = _hhmm(day_starts), _hhmm(night_starts)
    now = at.time()
    if day_start <= now < night_start:
        return ShiftRef(at.date(), "day")
    if now >= night_start:
        return ShiftRef(at.date(), "night")
    return ShiftRef(at.date() - dt.timedelta(days=1), "night")


def next_shift(shift: ShiftRef) -> ShiftRef:
    if shift.name == "day":
        return ShiftRef(shift.date, "night")
    return ShiftRef(shift.date + dt.timedelta(days=1), "day")


def previous_shift(shift: ShiftRef) -> ShiftRef:
    if shift.name == "night":
        return ShiftRef(shift.date, "day")
    return ShiftRef(shift.date - dt.timedelta(days=1), "night")


def shift_starts(shift: ShiftRef, day_starts: str, night_starts: str) -> dt.datetime:
    start = _hhmm(day_starts if shift.name == "day" else night_starts)
    return dt.datetime.combine(shift.date, start)


# --- flexible dates --------------------------------------------------------

_WEEKDAYS = {"mon": MO, "tue": TU, "wed": WE, "thu": TH, "fri": FR, "sat": SA, "sun": SU}
_AGO = re.compile(r"^(\d{1,3})\s*(d|day|days|w|week|weeks)\s+ago$")


class DateParseError(ValueError):
    pass


def parse_when(text: str, now: dt.datetime) -> dt.datetime:
    """What people type for a date: today, yesterday, mon, last fri, 3d ago,
    21/12, 21/12/2026 16:30 (UK day-first). A weekday means the latest one not
    after today. Raises DateParseError with a plain message."""
    cleaned = " ".join(text.lower().split())
    if not cleaned:
        raise DateParseError("enter a date, for example today, last fri or 21/12")
    time_part = now.time().replace(second=0, microsecond=0)
    words = cleaned.split(" ")
    if re.fullmatch(r"\d{1,2}:\d{2}", words[-1]) and len(words) > 1:
        time_part = _parse_time(words[-1])
        cleaned = " ".join(words[:-1])
    day = _relative_day(cleaned, now.date())
    if day is not None:
        return dt.datetime.combine(day, time_part)
    start_of_minute = now.replace(second=0, microsecond=0)
    try:
        parsed = date_parser.parse(cleaned, dayfirst=True, default=start_of_minute)
    except (ValueError, OverflowError):
        raise DateParseError(f"cannot read {text.strip()!r} as a date") from None
    if parsed.tzinfo is not None:
        parsed = parsed.replace(tzinfo=None)
    if not re.search(r"\d{1,2}:\d{2}", cleaned):
        parsed = dt.datetime.combine(parsed.date(), time_part)
    return parsed


def _parse_time(text: str) -> dt.time:
    hours, minutes = (int(p) for p in text.split(":"))
    if hours > 23 or minutes > 59:
        raise DateParseError(f"{text} is not a time of day")
    return dt.time(hours, minutes)


def _relative_day(text: str, today: dt.date) -> dt.date | None:
    if text in ("today", "now"):
        return today
    if text == "yesterday":
        return today - dt.timedelta(days=1)
    match = _AGO.match(text)
    if match:
        count = int(match.group(1))
        unit_days = 7 if match.group(2).startswith("w") else 1
        return today - dt.timedelta(days=count * unit_days)
    last = text.removeprefix("last ")
    weekday = _WEEKDAYS.get(last[:3]) if len(last) >= 3 else None
    if weekday is not None and _is_weekday_word(last):
        latest = today + relativedelta(weekday=weekday(-1))
        # "last fri" said on a Friday means a week ago, "fri" means today.
        if text.startswith("last ") and latest == today:
            latest -= dt.timedelta(days=7)
        return latest
    return None


def _is_weekday_word(word: str) -> bool:
    names = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    return any(name.startswith(word) for name in names) or word in ("tues", "thur", "thurs")
