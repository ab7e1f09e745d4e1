"""Handover between shifts: who signed on, what was said, who read it."""

from __future__ import annotations

import peewee as pw

from .base import BaseModel, Line, Prose, now
from .home import Home
from .people import Child, Staff


class Handover(BaseModel):
    home = pw.ForeignKeyField(Home, backref="handovers")
    home_id: int
    # The date the outgoing shift started, and which shift it was.
    shift_date = pw.DateField()
    shift = Line()
    home_notes = Prose(default="")
    # draft or submitted
    status = Line(default="draft")
    written_by = pw.ForeignKeyField(Staff, null=True, backref="+")
    written_by_id: int | None
    submitted_at = pw.DateTimeField(null=True)
    created_at = pw.DateTimeField(default=now)

    class Meta:
        indexes = ((("home", "shift_date", "shift"), True),)


class HandoverEntry(BaseModel):
    # Found by the indexes below, which begin with each: none of their own.
    handover = pw.ForeignKeyField(Handover, backref="entries", on_delete="CASCADE", index=False)
    handover_id: int
    child = pw.ForeignKeyField(Child, backref="handover_entries", index=False)
    child_id: int
    # settled, watch, unsettled
    state = Line(default="settled")
    mood = Prose(default="")
    events = Prose(default="")
    bedtime_concern = Prose(default="")
    actions = Prose(default="")
    nothing_to_add = pw.BooleanField(default=False)
    # Passed because the shift's written record (an imported book) did not
    # mention the child: no one said there was nothing to add.
    not_mentioned = pw.BooleanField(default=False)
    restricted = pw.BooleanField(default=False)
    by = pw.ForeignKeyField(Staff, backref="+")
    by_id: int
    updated_at = pw.DateTimeField(default=now)

    class Meta:
        indexes = (
            (("handover", "child"), True),
            # A child's handover notes since a time.
            (("child", "updated_at"), False),
        )


class ShiftSignOn(BaseModel):
    home = pw.ForeignKeyField(Home, backref="+")
    home_id: int
    shift_date = pw.DateField()
    shift = Line()
    staff = pw.ForeignKeyField(Staff, backref="sign_ons")
    staff_id: int
    # The one who leads the shift: unread handovers fall to them.
    leader = pw.BooleanField(default=False)
    at = pw.DateTimeField(default=now)

    class Meta:
        indexes = ((("home", "shift_date", "shift", "staff"), True),)


class Acknowledgement(BaseModel):
    handover = pw.ForeignKeyField(Handover, backref="acknowledgements", on_delete="CASCADE")
    handover_id: int
    staff = pw.ForeignKeyField(Staff, backref="+")
    staff_id: int
    at = pw.DateTimeField(default=now)

    class Meta:
        indexes = ((("handover", "staff"), True),)


class AwayRead(BaseModel):
    """A key worker has read what was recorded about their children up to `up_to`."""

    staff = pw.ForeignKeyField(Staff, backref="+")
    staff_id: int
    up_to = pw.DateTimeField()
    at = pw.DateTimeField(default=now)
