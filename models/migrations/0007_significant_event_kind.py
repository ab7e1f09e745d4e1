"""A significant event says what kind it was and who was told, as well as what
happened."""

from peewee import *
from playhouse.migrate import SchemaMigrator


def up(migrator: SchemaMigrator, db: Database) -> None:
    migrator.migrate(
        migrator.add_column("significant_event", "kind", CharField(default="other")),
        migrator.add_column("significant_event", "told", TextField(default="")),
    )
