"""Sign-in: wrong attempts in a row and the growing wait they cause."""

from peewee import *
from playhouse.migrate import SchemaMigrator


def up(migrator: SchemaMigrator, db: Database) -> None:
    migrator.migrate(
        migrator.add_column("staff", "failed_signins", IntegerField(default=0)),
        migrator.add_column("staff", "signin_wait_until", DateTimeField(null=True)),
    )
