"""A significant event says what kind it was and who was told, as well as what
happened."""

from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("significant_event", "kind", CharField(default="other")),
        migrator.add_column("significant_event", "told", TextField(default="")),
    )
