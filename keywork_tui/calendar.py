"""Working days, shifts and flexible date entry (dateutil + holidays)."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import NamedTuple

from dateutil import tz
from dateutil.relativedelta import FR, MO, SA, SU, TH, TU, WE, relativedelta

# England, Wales, Scotland and Northern Ireland keep one time. dateutil falls
# back to its own copy of the zone database on a machine without one.
HOME_ZONE = tz.gettz("Europe/London")

# The holidays package knows the UK's nations by subdivision code.
_SUBDIVISION = {"england": "ENG", "wales": "WLS", "scotland": "SCT", "northern_ireland": "NIR"}


@lru_cache(maxsize=16)
def _bank_holidays(nation: str, year: int) -> frozenset[dt.date]:
    from keywork_tui import bank_holidays

    return bank_holidays.dates(_SUBDIVISION[nation], year)


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


# --- real time between wall-clock times -------------------------------------
# Records hold the home's wall-clock time. Where the clocks change, an hour of
# wall time is missing (March) or comes twice (October), so lengths and
# deadlines are worked out on the real timeline.


def instant(wall: dt.datetime) -> dt.datetime:
    """A wall-clock time as a moment in UTC. In the hour that comes twice,
    `fold=1` means the second time round; a time the clocks skip counts as
    if they had not yet gone forward."""
    return wall.replace(tzinfo=HOME_ZONE).astimezone(dt.UTC)


def elapsed(start: dt.datetime, end: dt.datetime) -> dt.timedelta:
    """The real time from one wall-clock time to another."""
    return instant(end) - instant(start)


def after(wall: dt.datetime, delta: dt.timedelta) -> dt.datetime:
    """The wall-clock time `delta` of real time after `wall` (fold set in the
    hour that comes twice)."""
    return (instant(wall) + delta).astimezone(HOME_ZONE).replace(tzinfo=None)


def before(wall: dt.datetime, delta: dt.timedelta) -> dt.datetime:
    return after(wall, -delta)


def no_later_than(wall: dt.datetime) -> dt.datetime:
    """A lower bound for "since this stored time" that loses nothing: a stored
    time in the hour that comes twice may mean either pass, so the bound goes
    back to the start of that hour (UK clocks go back at 02:00 BST, so the
    hour that repeats is 01:00-01:59). Something is shown twice, not missed."""
    if tz.datetime_ambiguous(wall, HOME_ZONE):
        return wall.replace(minute=0, second=0, microsecond=0, fold=0)
    return wall


# --- shifts ----------------------------------------------------------------


class ShiftRef(NamedTuple):
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


def shift_length(shift: ShiftRef, day_starts: str, night_starts: str) -> dt.timedelta:
    """Real hours worked: a night the clocks go forward is an hour shorter,
    one they go back an hour longer."""
    begins = shift_starts(shift, day_starts, night_starts)
    return elapsed(begins, shift_starts(next_shift(shift), day_starts, night_starts))


# --- flexible dates --------------------------------------------------------

_WEEKDAYS = {"mon": MO, "tue": TU, "wed": WE, "thu": TH, "fri": FR, "sat": SA, "sun": SU}
_AGO = re.compile(r"^(\d{1,3})\s*(d|day|days|w|week|weeks)\s+ago$")


class DateParseError(ValueError):
    pass


def parse_when(text: str, now: dt.datetime) -> dt.datetime:
    """What people type for when something happened: today, yesterday, mon,
    last fri, 3d ago, 21/12, 21/12/2026 16:30 (UK day-first). A weekday means
    the latest one not after today, and a day without a year the latest one not
    after today. Raises DateParseError with a plain message."""
    return _parse(text, now, ahead=False)


def parse_due(text: str, today: dt.date) -> dt.date:
    """What people type for when something is due: today, tomorrow, fri (the
    next one, today included), next fri, in 3d, 2w, 21/12 (the next one)."""
    return _parse(text, dt.datetime.combine(today, dt.time(12)), ahead=True).date()


def describe_when(text: str, now: dt.datetime) -> tuple[dt.datetime | None, str]:
    """The parsed time and the words shown beside the field before it is used."""
    try:
        when = parse_when(text, now)
    except DateParseError as exc:
        return None, f"✗ {exc}"
    return when, f"→ {when:%a %d %b %Y, %H:%M}"


def _parse(text: str, now: dt.datetime, *, ahead: bool) -> dt.datetime:
    cleaned = " ".join(text.lower().split())
    if not cleaned:
        raise DateParseError("enter a date, for example today, last fri or 21/12")
    time_part = now.time().replace(second=0, microsecond=0)
    words = cleaned.split(" ")
    if re.fullmatch(r"\d{1,2}:\d{2}", words[-1]) and len(words) > 1:
        time_part = _parse_time(words[-1])
        cleaned = " ".join(words[:-1])
    relative = _relative_ahead if ahead else _relative_day
    day = relative(cleaned, now.date())
    if day is not None:
        return dt.datetime.combine(day, time_part)
    parsed = _absolute(cleaned, text, now)
    if not re.search(r"\d{1,2}:\d{2}", cleaned):
        parsed = dt.datetime.combine(parsed.date(), time_part)
    if not re.search(r"\d{4}|\d+/\d+/\d+", cleaned):
        parsed = _nearest_year(parsed, now.date(), ahead)
    return parsed


def _absolute(cleaned: str, text: str, now: dt.datetime) -> dt.datetime:
    from dateutil import parser as date_parser  # only for what the shortcuts do not read

    start_of_minute = now.replace(second=0, microsecond=0)
    try:
        parsed = date_parser.parse(cleaned, dayfirst=True, default=start_of_minute)
    except (ValueError, OverflowError):
        raise DateParseError(f"cannot read {text.strip()!r} as a date") from None
    return parsed.replace(tzinfo=None) if parsed.tzinfo is not None else parsed


def _nearest_year(parsed: dt.datetime, today: dt.date, ahead: bool) -> dt.datetime:
    """'21/12' typed in January means last December; typed for a due date in
    December it means the coming one."""
    try:
        if not ahead and parsed.date() > today:
            return parsed + relativedelta(years=-1)
        if ahead and parsed.date() < today:
            return parsed + relativedelta(years=1)
    except (ValueError, OverflowError):
        pass
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


_IN = re.compile(r"^(?:in\s+)?(\d{1,3})\s*(d|day|days|w|week|weeks)$")


def _relative_ahead(text: str, today: dt.date) -> dt.date | None:
    if text in ("today", "now"):
        return today
    if text == "tomorrow":
        return today + dt.timedelta(days=1)
    match = _IN.match(text)
    if match:
        unit_days = 7 if match.group(2).startswith("w") else 1
        return today + dt.timedelta(days=int(match.group(1)) * unit_days)
    word = text.removeprefix("next ")
    weekday = _WEEKDAYS.get(word[:3]) if len(word) >= 3 else None
    if weekday is not None and _is_weekday_word(word):
        soonest = today + relativedelta(weekday=weekday(+1))
        # "next fri" said on a Friday means a week on, "fri" means today.
        if text.startswith("next ") and soonest == today:
            soonest += dt.timedelta(days=7)
        return soonest
    return None


def _is_weekday_word(word: str) -> bool:
    names = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    return any(name.startswith(word) for name in names) or word in ("tues", "thur", "thurs")
