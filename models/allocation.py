"""Who is key worker for whom, who is away, and who covers."""

from __future__ import annotations

import peewee as pw

from .base import BaseModel, Line, Prose, now
from .people import Child, Staff


class KeyWorkerAllocation(BaseModel):
    child = pw.ForeignKeyField(Child, backref="allocations")
    child_id: int
    staff = pw.ForeignKeyField(Staff, backref="allocations")
    staff_id: int
    # key_worker or co_worker
    role = Line(default="key_worker")
    starts_on = pw.DateField()
    ends_on = pw.DateField(null=True)
    # Why this allocation replaced the one before it (null for the first).
    reason = Line(null=True)
    reason_note = Prose(default="")
    created_at = pw.DateTimeField(default=now)

    class Meta:
        indexes = ((("child", "ends_on"), False),)


class Absence(BaseModel):
    staff = pw.ForeignKeyField(Staff, backref="absences")
    staff_id: int
    starts_on = pw.DateField()
    ends_on = pw.DateField()
    # leave, sickness, training, other
    kind = Line()
    note = Prose(default="")
    created_at = pw.DateTimeField(default=now)


class Cover(BaseModel):
    child = pw.ForeignKeyField(Child, backref="covers")
    child_id: int
    staff = pw.ForeignKeyField(Staff, backref="covers")
    staff_id: int
    starts_on = pw.DateField()
    ends_on = pw.DateField()
    absence = pw.ForeignKeyField(Absence, null=True, backref="covers")
    absence_id: int | None
    created_at = pw.DateTimeField(default=now)
