"""What the services send back: a home, a staff member, a child, a session,
a correction, an audit event, each read from its row.

Named tuples, not pydantic models or dataclasses: what comes back was
validated on its way in, and the first screen (which shows only these) then
starts without loading pydantic, or compiling a dataclass's methods, at all.
`of(row)` reads a row's attributes, or a mapping's keys, by the fields' names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, NamedTuple, Self


def _values(names: tuple[str, ...], row: Any) -> dict[str, Any]:
    """The values of `names` in a row (by attribute) or a mapping (by key)."""
    if isinstance(row, Mapping):
        return {name: row[name] for name in names}
    return {name: getattr(row, name) for name in names}


class HomeOut(NamedTuple):
    """A home as the services send it back."""

    id: int
    name: str
    nation: str
    profile: str
    day_shift_starts: str
    night_shift_starts: str
    is_demo: bool

    @classmethod
    def of(cls, row: Any) -> Self:
        return cls(**_values(cls._fields, row))


class StaffOut(NamedTuple):
    """A staff member as the services send them back (never their PIN's hash)."""

    id: int
    home_id: int
    name: str
    role: str
    induction_done: bool
    level3: bool
    active: bool
    os_user: str | None

    @property
    def eligible(self) -> bool:
        """Only staff with induction and a level-3 qualification may key-work."""
        return self.induction_done and self.level3 and self.active

    @classmethod
    def of(cls, row: Any) -> Self:
        return cls(**_values(cls._fields, row))


class ChildOut(NamedTuple):
    """A child as the services send them back."""

    id: int
    home_id: int
    first_name: str
    last_name: str
    preferred_name: str
    date_of_birth: dt.date
    admitted_on: dt.date
    left_on: dt.date | None
    placement: str
    school: str

    @property
    def display_name(self) -> str:
        """Preferred name first, then the legal name for the file."""
        if self.preferred_name and self.preferred_name != self.first_name:
            return f"{self.preferred_name} ({self.first_name} {self.last_name})"
        return f"{self.first_name} {self.last_name}"

    @property
    def short_name(self) -> str:
        return f"{self.preferred_name or self.first_name} {self.last_name}"

    def age_on(self, day: dt.date) -> int:
        before_birthday = (day.month, day.day) < (self.date_of_birth.month, self.date_of_birth.day)
        return day.year - self.date_of_birth.year - int(before_birthday)

    @classmethod
    def of(cls, row: Any) -> Self:
        return cls(**_values(cls._fields, row))


class SessionOut(NamedTuple):
    """A key-work session as the services send it back."""

    id: int
    child_id: int
    staff_id: int
    held_at: dt.datetime
    kind: str
    activity: str
    minutes: int
    purposes: list[str]
    views: str
    summary: str
    # As stored: the JSON of each ActionIn (text, who, by, done).
    actions: list[dict[str, Any]]
    concern: bool
    concern_text: str
    bedtime: bool
    restricted: bool
    status: str
    finalised_at: dt.datetime | None

    @classmethod
    def of(cls, row: Any) -> Self:
        return cls(**_values(cls._fields, row))


class AmendmentOut(NamedTuple):
    """A correction to a saved record: the original, the corrected text and why."""

    id: int
    field: str
    original: str
    corrected: str
    reason: str
    by_id: int
    at: dt.datetime

    @classmethod
    def of(cls, row: Any) -> Self:
        return cls(**_values(cls._fields, row))


class AuditOut(NamedTuple):
    """One event of the audit trail: who, when, and the values before and after."""

    id: int
    at: dt.datetime
    staff_id: int | None
    staff_name: str
    action: str
    table: str
    record_id: int | None
    child_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    @classmethod
    def of(cls, row: Any) -> Self:
        return cls(**_values(cls._fields, row))
