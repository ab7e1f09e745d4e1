"""Staff and children, and the people around each child."""

from __future__ import annotations

import peewee as pw

from .base import BaseModel, JSONField, now
from .home import Home


class Staff(BaseModel):
    home = pw.ForeignKeyField(Home, backref="staff")
    name = pw.CharField()
    role = pw.CharField(default="care_staff")
    induction_done = pw.BooleanField(default=False)
    level3 = pw.BooleanField(default=False)
    level3_on = pw.DateField(null=True)
    active = pw.BooleanField(default=True)
    os_user = pw.CharField(null=True, unique=True)
    interests = pw.TextField(default="")
    pin_hash = pw.CharField(null=True)
    # Wrong sign-ins in a row, and the time before which another is refused.
    failed_signins = pw.IntegerField(default=0)
    signin_wait_until = pw.DateTimeField(null=True)
    created_at = pw.DateTimeField(default=now)

    class Meta:
        indexes = ((("home", "name"), False),)


class Child(BaseModel):
    home = pw.ForeignKeyField(Home, backref="children")
    first_name = pw.CharField()
    last_name = pw.CharField()
    preferred_name = pw.CharField(default="")
    date_of_birth = pw.DateField()
    admitted_on = pw.DateField()
    left_on = pw.DateField(null=True)
    placement = pw.CharField(default="full_time")
    school = pw.CharField(default="")
    likes = pw.TextField(default="")
    dislikes = pw.TextField(default="")
    interests = pw.TextField(default="")
    fears = pw.TextField(default="")
    # Days between key-work sessions when the Support Plan sets its own rhythm.
    session_every_days = pw.IntegerField(null=True)
    # Rule slugs the child's plan switches off or on, beyond the home's policy.
    policy = JSONField(default=dict)
    created_at = pw.DateTimeField(default=now)


class Contact(BaseModel):
    child = pw.ForeignKeyField(Child, backref="contacts")
    # social_worker, iro, gp, dentist, family, school, other
    kind = pw.CharField()
    name = pw.CharField()
    relationship = pw.CharField(default="")
    phone = pw.CharField(default="")
    email = pw.CharField(default="")
    restrictions = pw.TextField(default="")
