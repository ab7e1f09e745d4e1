"""Schema versions: numbered migrations applied on open, never a newer schema."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import peewee as pw
from playhouse.migrations import Runner

from .base import DatabaseOpenError, bind, db, make_database, write_transaction

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
HISTORY_TABLE = "schema_migration"


class SchemaTooNewError(DatabaseOpenError):
    """The file was written by a newer keywork; opening it could damage it."""


@dataclass(frozen=True)
class SchemaStatus:
    applied: list[str]
    pending: list[str]
    unknown: list[str]

    @property
    def version(self) -> int:
        return len(self.applied)


def _runner() -> Runner:
    return Runner(db.obj, directory=str(MIGRATIONS_DIR), table_name=HISTORY_TABLE)


def known_steps() -> list[str]:
    """The schema steps this program knows, oldest first."""
    return sorted(p.stem for p in MIGRATIONS_DIR.glob("[0-9]*.py"))


def head_version() -> int:
    return len(known_steps())


def status() -> SchemaStatus:
    rows = _runner().status()
    return SchemaStatus(
        applied=[m.name for m in rows if m.applied and m.path],
        pending=[m.name for m in rows if not m.applied],
        unknown=[m.name for m in rows if m.applied and not m.path],
    )


def upgrade(target: str | None = None) -> list[str]:
    """Apply pending migrations in one transaction; refuse a newer schema."""
    current = status()
    if current.unknown:
        raise SchemaTooNewError(
            "this database was written by a newer version of keywork "
            f"(schema step {current.unknown[-1]}); upgrade keywork before opening it"
        )
    if not current.pending:
        return []
    with write_transaction():
        applied: list[str] = _runner().up(target)  # playhouse has no types
        return applied


def open_database(target: str, *, migrate: bool = True, create: bool = True) -> SchemaStatus:
    """Bind the application to the database at `target` and bring it to head;
    a missing SQLite file is made only when `create`."""
    database = make_database(target, create=create)
    bind(database)
    try:
        database.connect(reuse_if_open=True)
        if migrate:
            upgrade()
        return status()
    except SchemaTooNewError:
        database.close()
        raise
    except pw.DatabaseError as exc:
        database.close()
        raise DatabaseOpenError(f"cannot open database {target}: {exc}") from exc
