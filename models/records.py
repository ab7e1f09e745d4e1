"""The child's file: sessions, reviews, targets, dates and significant events."""

from __future__ import annotations

import peewee as pw

from .base import BaseModel, JSONField, Line, Prose, now
from .people import Child, Staff


class KeySession(BaseModel):
    child = pw.ForeignKeyField(Child, backref="sessions")
    child_id: int
    staff = pw.ForeignKeyField(Staff, backref="sessions")
    staff_id: int
    held_at = pw.DateTimeField()
    # formal or informal
    kind = Line(default="informal")
    activity = Line(default="")
    minutes = pw.IntegerField(default=30)
    purposes = JSONField(default=list)
    views = Prose(default="")
    summary = Prose(default="")
    # [{"text": ..., "who": ..., "by": "YYYY-MM-DD", "done": false}]
    actions = JSONField(default=list)
    concern = pw.BooleanField(default=False)
    concern_text = Prose(default="")
    # The concern is about bedtime or the night: night staff must hear it.
    bedtime = pw.BooleanField(default=False)
    concern_seen_by = pw.ForeignKeyField(Staff, null=True, backref="+")
    concern_seen_by_id: int | None
    concern_seen_at = pw.DateTimeField(null=True)
    restricted = pw.BooleanField(default=False)
    # draft or final
    status = Line(default="draft")
    finalised_at = pw.DateTimeField(null=True)
    created_at = pw.DateTimeField(default=now)
    updated_at = pw.DateTimeField(default=now)

    class Meta:
        indexes = (
            (("child", "held_at"), False),
            # Drafts due a write-up; a worker's own drafts, latest first.
            (("child", "status", "held_at"), False),
            (("staff", "status", "updated_at"), False),
            # Concerns nobody has seen; sessions recorded since a time.
            (("child", "concern", "concern_seen_at"), False),
            (("child", "created_at"), False),
        )


class Target(BaseModel):
    child = pw.ForeignKeyField(Child, backref="targets")
    child_id: int
    text = Prose()
    set_on = pw.DateField()
    review_by = pw.DateField()
    # achieved, partly, not_yet, replaced; null while open
    outcome = Line(null=True)
    reviewed_on = pw.DateField(null=True)
    created_at = pw.DateTimeField(default=now)

    class Meta:
        # A child's open targets by review date (outcome is null while open).
        indexes = ((("child", "outcome", "review_by"), False),)


class TargetProgress(BaseModel):
    session = pw.ForeignKeyField(KeySession, backref="progress")
    session_id: int
    target = pw.ForeignKeyField(Target, backref="progress")
    target_id: int
    note = Prose()


class DocumentReview(BaseModel):
    child = pw.ForeignKeyField(Child, backref="reviews")
    child_id: int
    document = Line()
    reviewed_on = pw.DateField()
    # updated or no_change
    outcome = Line()
    note = Prose(default="")
    by = pw.ForeignKeyField(Staff, backref="reviews")
    by_id: int
    created_at = pw.DateTimeField(default=now)

    class Meta:
        indexes = (
            (("child", "document", "reviewed_on"), False),
            # A child's reviews newest first.
            (("child", "reviewed_on"), False),
        )


class PersonalEvent(BaseModel):
    child = pw.ForeignKeyField(Child, backref="events")
    child_id: int
    date = pw.DateField()
    # birthday, anniversary, appointment, meeting, review, court, contact, other
    kind = Line()
    yearly = pw.BooleanField(default=False)
    note = Prose(default="")
    created_at = pw.DateTimeField(default=now)


class SignificantEvent(BaseModel):
    """An incident or change that makes the Support and Safety Plans due now."""

    child = pw.ForeignKeyField(Child, backref="significant_events")
    child_id: int
    occurred_on = pw.DateField()
    # One of policy.SIGNIFICANT_KINDS, or a kind the home added.
    kind = Line(default="other")
    summary = Prose()
    told = Prose(default="")  # who was told: parents, social worker, police, Ofsted
    by = pw.ForeignKeyField(Staff, backref="+")
    by_id: int
    created_at = pw.DateTimeField(default=now)


class Supervision(BaseModel):
    staff = pw.ForeignKeyField(Staff, backref="supervisions")
    staff_id: int
    supervisor = pw.ForeignKeyField(Staff, backref="+")
    supervisor_id: int
    held_on = pw.DateField()
    note = Prose(default="")
    created_at = pw.DateTimeField(default=now)


class Amendment(BaseModel):
    """A correction to a final record: the original value stays readable."""

    table = Line()
    record_id = pw.IntegerField()
    field = Line()
    original = Prose()
    corrected = Prose()
    reason = Prose()
    by = pw.ForeignKeyField(Staff, backref="+")
    by_id: int
    at = pw.DateTimeField(default=now)

    class Meta:
        indexes = ((("table", "record_id"), False),)
