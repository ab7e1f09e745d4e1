"""A handover entry for a child the shift's book did not mention (an import of
paper records), told apart from a writer's own "nothing to add"."""

from peewee import *
from playhouse.migrate import SchemaMigrator


def up(migrator: SchemaMigrator, db: Database) -> None:
    migrator.migrate(
        migrator.add_column("handover_entry", "not_mentioned", BooleanField(default=False)),
    )
