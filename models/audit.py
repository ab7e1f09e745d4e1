"""The audit trail: who changed what, when, with the values before and after."""

from __future__ import annotations

import peewee as pw

from .base import BaseModel, JSONField, Line, now


class AuditEvent(BaseModel):
    at = pw.DateTimeField(default=now)
    # Plain ids, not foreign keys: the trail must outlive any record it names.
    staff_id = pw.IntegerField(null=True)
    staff_name = Line(default="")
    home_id = pw.IntegerField(null=True)
    action = Line()
    table = Line()
    record_id = pw.IntegerField(null=True)
    child_id = pw.IntegerField(null=True)
    before = JSONField(null=True)
    after = JSONField(null=True)
    # SHA-256 chained to the event before (models.audit_chain).
    hash = Line(default="")

    class Meta:
        # The audit screen's kinds, its trail and one child's trail, newest first:
        # every read of the trail is of one home or one child, so neither the
        # time nor the action is indexed alone (each index is a write per event).
        indexes = (
            (("home_id", "action"), False),
            (("home_id", "at"), False),
            (("child_id", "at"), False),
        )


class AuditHead(BaseModel):
    """The chain's end, written with every event: removing the newest events
    leaves a chain that is whole but shorter than this says."""

    events = pw.IntegerField(default=0)
    hash = Line()
