"""Handover reading: the shift leader, bedtime concerns raised in sessions, and
when each key worker last read what happened while they were away."""

import datetime

from peewee import *
from playhouse.migrate import SchemaMigrator


def up(migrator: SchemaMigrator, db: Database) -> None:
    migrator.migrate(
        migrator.add_column("shift_sign_on", "leader", BooleanField(default=False)),
        migrator.add_column("key_session", "bedtime", BooleanField(default=False)),
    )

    class Staff(Model):
        class Meta:
            database = db
            table_name = "staff"

    class AwayRead(Model):
        staff = ForeignKeyField(Staff)
        up_to = DateTimeField()
        at = DateTimeField(default=datetime.datetime.now)

        class Meta:
            database = db
            table_name = "away_read"

    db.create_tables([AwayRead])
