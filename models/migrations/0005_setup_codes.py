"""One-time set-up codes: how a colleague with no PIN yet sets their first."""

from peewee import *
from playhouse.migrate import SchemaMigrator


def up(migrator: SchemaMigrator, db: Database) -> None:
    class Staff(Model):
        class Meta:
            database = db
            table_name = "staff"

    class SetupCode(Model):
        staff = ForeignKeyField(Staff, backref="setup_codes")
        code_hash = CharField()
        issued_by = ForeignKeyField(Staff, backref="+")
        issued_at = DateTimeField()
        expires_at = DateTimeField()
        closed_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "setup_code"

    db.create_tables([SetupCode])
