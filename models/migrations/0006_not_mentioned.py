"""A handover entry for a child the shift's book did not mention (an import of
paper records), told apart from a writer's own "nothing to add"."""

from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("handover_entry", "not_mentioned", BooleanField(default=False)),
    )
