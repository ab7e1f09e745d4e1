"""Staff and children, and the people around each child."""

from __future__ import annotations

import peewee as pw

from .base import BaseModel, JSONField, Line, Prose, now
from .home import Home


class Staff(BaseModel):
    home = pw.ForeignKeyField(Home, backref="staff")
    home_id: int
    name = Line()
    role = Line(default="care_staff")
    induction_done = pw.BooleanField(default=False)
    level3 = pw.BooleanField(default=False)
    level3_on = pw.DateField(null=True)
    active = pw.BooleanField(default=True)
    os_user = Line(null=True, unique=True)
    interests = Prose(default="")
    pin_hash = Line(null=True)
    # Wrong sign-ins in a row, and the time before which another is refused.
    failed_signins = pw.IntegerField(default=0)
    signin_wait_until = pw.DateTimeField(null=True)
    created_at = pw.DateTimeField(default=now)

    class Meta:
        indexes = ((("home", "name"), False),)


class Child(BaseModel):
    home = pw.ForeignKeyField(Home, backref="children")
    home_id: int
    first_name = Line()
    last_name = Line()
    preferred_name = Line(default="")
    date_of_birth = pw.DateField()
    admitted_on = pw.DateField()
    left_on = pw.DateField(null=True)
    placement = Line(default="full_time")
    school = Line(default="")
    likes = Prose(default="")
    dislikes = Prose(default="")
    interests = Prose(default="")
    fears = Prose(default="")
    # Days between key-work sessions when the Support Plan sets its own rhythm.
    session_every_days = pw.IntegerField(null=True)
    # Rule slugs the child's plan switches off or on, beyond the home's policy.
    policy = JSONField(default=dict)
    created_at = pw.DateTimeField(default=now)


class Contact(BaseModel):
    child = pw.ForeignKeyField(Child, backref="contacts")
    child_id: int
    # social_worker, iro, gp, dentist, family, school, other
    kind = Line()
    name = Line()
    relationship = Line(default="")
    phone = Line(default="")
    email = Line(default="")
    restrictions = Prose(default="")


class SetupCode(BaseModel):
    """A one-time code a manager gives a colleague with no PIN yet, so that they,
    and nobody else who reaches a shell, set their first one. Only its hash is kept."""

    staff = pw.ForeignKeyField(Staff, backref="setup_codes")
    staff_id: int
    code_hash = Line()
    issued_by = pw.ForeignKeyField(Staff, backref="+")
    issued_by_id: int
    issued_at = pw.DateTimeField(default=now)
    expires_at = pw.DateTimeField()
    # Used, or replaced by a newer code: either way it opens nothing any more.
    closed_at = pw.DateTimeField(null=True)
