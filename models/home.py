"""The home: its nation (for bank holidays), shift times, policy and term dates."""

from __future__ import annotations

import peewee as pw

from .base import BaseModel, JSONField, Line, now


class Home(BaseModel):
    name = Line()
    nation = Line(default="england")
    profile = Line(default="childrens_home")
    day_shift_starts = Line(default="07:30")
    night_shift_starts = Line(default="22:00")
    # Overrides of the profile's rule intervals; empty means the defaults.
    policy = JSONField(default=dict)
    is_demo = pw.BooleanField(default=False)
    # Notes are checked against the home's language guide unless it says not.
    language_check = pw.BooleanField(default=True)
    created_at = pw.DateTimeField(default=now)


class TermDate(BaseModel):
    home = pw.ForeignKeyField(Home, backref="terms", on_delete="CASCADE")
    home_id: int
    starts_on = pw.DateField()
    ends_on = pw.DateField()
    # "term" or "half_term": some homes review targets at each half-term.
    kind = Line(default="term")
