"""A child's coming dates: birthdays, yearly anniversaries and one-off events."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from dateutil.relativedelta import relativedelta

from models import PersonalEvent

KIND_WORDS = {
    "birthday": "Birthday",
    "anniversary": "Anniversary",
    "appointment": "Appointment",
    "meeting": "Meeting",
    "review": "Review",
    "court": "Court",
    "contact": "Family contact",
    "other": "Date",
}


class Upcoming(NamedTuple):
    """A date coming up for a child (court, contact, a birthday)."""

    child_id: int
    date: dt.date
    kind: str
    note: str

    def label(self, today: dt.date) -> str:
        """'Tomorrow: Court (hearing at 10)' and the like, plain words."""
        days = (self.date - today).days
        when = {0: "Today", 1: "Tomorrow"}.get(days, f"{self.date:%a %d %b}")
        words = KIND_WORDS.get(self.kind, self.kind.capitalize())
        return f"{when}: {words}" + (f" ({self.note})" if self.note else "")


def next_occurrence(start: dt.date, yearly: bool, today: dt.date) -> dt.date | None:
    """The day on or after `today` a date (or, yearly, its anniversary) falls."""
    if not yearly:
        return start if start >= today else None
    # relativedelta takes 29 February to the 28th in other years.
    this_year = start + relativedelta(year=today.year)
    day = this_year if this_year >= today else start + relativedelta(year=today.year + 1)
    return max(day, start)


def _occurrence(start: dt.date, yearly: bool, first: dt.date, last: dt.date) -> dt.date | None:
    """The day `start` (or, yearly, its anniversary) falls within first..last."""
    day = next_occurrence(start, yearly, first)
    return day if day is not None and day <= last else None


def between(births: dict[int, dt.date], first: dt.date, last: dt.date) -> dict[int, list[Upcoming]]:
    """Every child's dates from `first` to `last` inclusive, soonest first, for
    children given by id with their date of birth."""
    found: dict[int, list[Upcoming]] = {}
    if not births:
        return found
    child_ids = list(births)
    for child_id, born in births.items():
        day = _occurrence(born, True, first, last)
        if day is not None and day > born:
            age = relativedelta(day, born).years
            found.setdefault(child_id, []).append(Upcoming(child_id, day, "birthday", f"{age}"))
    events = PersonalEvent.select().where(
        PersonalEvent.child.in_(child_ids)
        & (PersonalEvent.yearly | PersonalEvent.date.between(first, last))
    )
    for event in events:
        day = _occurrence(event.date, event.yearly, first, last)
        if day is not None:
            found.setdefault(event.child_id, []).append(
                Upcoming(event.child_id, day, event.kind, event.note)
            )
    return {
        child_id: sorted(_once(items), key=lambda u: (u.date, u.kind))
        for child_id, items in found.items()
    }


def _once(items: list[Upcoming]) -> list[Upcoming]:
    """A birthday also entered by hand as a date is shown once: the one worked
    out from the date of birth (listed first) keeps the age."""
    birthdays: set[dt.date] = set()
    kept = []
    for item in items:
        if item.kind == "birthday":
            if item.date in birthdays:
                continue
            birthdays.add(item.date)
        kept.append(item)
    return kept
