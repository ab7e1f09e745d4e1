"""The audit trail as a hash chain: each event's hash covers the one before,
worked out here for the history a database already holds, and the chain's
end kept in a table of its own."""

import json

from peewee import *
from playhouse.migrate import SchemaMigrator

from models.audit_chain import GENESIS, HASHED, chain_hash


def up(migrator: SchemaMigrator, db: Database) -> None:
    migrator.migrate(
        migrator.add_column("audit_event", "hash", CharField(default="")),
    )
    columns = ", ".join(f'"{c}"' for c in HASHED)
    # peewee's stubs leave execute_sql unannotated.
    select = f"select id, {columns} from audit_event order by id"
    rows = db.execute_sql(select).fetchall()  # type: ignore[no-untyped-call]
    previous = GENESIS
    for row in rows:
        event = dict(zip(HASHED, row[1:], strict=True))
        for side in ("before", "after"):
            if event[side] is not None:
                event[side] = json.loads(event[side])
        previous = chain_hash(previous, event)
        db.execute_sql(  # type: ignore[no-untyped-call]
            f"update audit_event set hash = {db.param} where id = {db.param}", (previous, row[0])
        )

    class AuditHead(Model):
        events = IntegerField(default=0)
        hash = CharField()

        class Meta:
            database = db
            table_name = "audit_head"

    db.create_tables([AuditHead])
    AuditHead.create(id=1, events=len(rows), hash=previous)
