"""Indexes for the reads every screen makes, so none grows with the years of
history a home keeps:

- audit_event (home_id, action): the audit screen's list of kinds, found one
  action at a time rather than by reading every event of the home;
- audit_event (home_id, at): the audit trail, newest first, stopping at its 500;
- audit_event (child_id, at): the trail of one child, newest first, in place
  of the index on child_id alone (whose lookups it serves as well);
- key_session (child_id, status, held_at): drafts awaiting write-up, for the
  overdue list;
- key_session (staff_id, status, updated_at): a worker's own drafts, most
  recently touched first, offered on opening session entry;
- key_session (child_id, concern, concern_seen_at): concerns nobody has seen,
  for the handover board;
- key_session (child_id, created_at): sessions recorded since a time, for the
  board and a key worker's digest of what happened while away;
- handover_entry (child_id, updated_at): handover notes since a time, for the
  same digest;
- document_review (child_id, reviewed_on): a child's reviews newest first, on
  the profile;
- target (child_id, outcome, review_by): a child's open targets by review date,
  for session entry, key children and the overdue list.
"""

from peewee import *
from playhouse.migrate import SchemaMigrator


def up(migrator: SchemaMigrator, db: Database) -> None:
    migrator.migrate(
        migrator.add_index("audit_event", ("home_id", "action"), False),
        migrator.add_index("audit_event", ("home_id", "at"), False),
        migrator.add_index("audit_event", ("child_id", "at"), False),
        migrator.drop_index("audit_event", "auditevent_child_id"),
        migrator.add_index("key_session", ("child_id", "status", "held_at"), False),
        migrator.add_index("key_session", ("staff_id", "status", "updated_at"), False),
        migrator.add_index("key_session", ("child_id", "concern", "concern_seen_at"), False),
        migrator.add_index("key_session", ("child_id", "created_at"), False),
        migrator.add_index("handover_entry", ("child_id", "updated_at"), False),
        migrator.add_index("document_review", ("child_id", "reviewed_on"), False),
        migrator.add_index("target", ("child_id", "outcome", "review_by"), False),
    )
