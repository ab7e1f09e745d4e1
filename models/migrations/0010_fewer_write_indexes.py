"""Indexes no read needs, dropped: each is one more write for every audit
event and handover entry, the two tables a home's years fill.

- audit_event (at) and (action): the trail is read for one home or one child,
  through (home_id, at), (home_id, action) and (child_id, at);
- handover_entry (handover_id): the unique (handover_id, child_id) begins with
  it, and serves a handover's entries and the cascade when one is removed;
- handover_entry (child_id): (child_id, updated_at) begins with it.
"""

from peewee import *
from playhouse.migrate import SchemaMigrator


def up(migrator: SchemaMigrator, db: Database) -> None:
    migrator.migrate(
        migrator.drop_index("audit_event", "auditevent_at"),
        migrator.drop_index("audit_event", "auditevent_action"),
        migrator.drop_index("handover_entry", "handoverentry_handover_id"),
        migrator.drop_index("handover_entry", "handoverentry_child_id"),
    )
