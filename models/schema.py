"""Schema versions: numbered migrations applied on open, never a newer schema."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import peewee as pw

from .base import DatabaseOpenError, bind, db, make_database, write_transaction

if TYPE_CHECKING:
    from playhouse.migrations import Runner

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
HISTORY_TABLE = "schema_migration"


class SchemaTooNewError(DatabaseOpenError):
    """The file was written by a newer keywork; opening it could damage it."""


class SchemaStatus(NamedTuple):
    """Where a database's schema stands against the steps this program knows."""

    applied: list[str]
    pending: list[str]
    unknown: list[str]

    @property
    def version(self) -> int:
        return len(self.applied)


def _runner() -> Runner:
    # Only to apply steps: reading where a database stands needs none of it.
    from playhouse.migrations import Runner

    return Runner(db.obj, directory=str(MIGRATIONS_DIR), table_name=HISTORY_TABLE)


def known_steps() -> list[str]:
    """The schema steps this program knows, oldest first (as playhouse's
    runner finds them: a file named for its number)."""
    names = (p.name for p in MIGRATIONS_DIR.iterdir())
    return sorted(n[:-3] for n in names if n[:1].isdigit() and n.endswith(".py"))


def head_version() -> int:
    return len(known_steps())


def status() -> SchemaStatus:
    """The steps applied, still to apply, and applied by a newer keywork; read
    from the runner's own history table, in one query once it exists."""
    database = db.obj
    done: set[str] = set()
    if database.table_exists(HISTORY_TABLE):
        done = {name for (name,) in database.execute_sql(f"SELECT name FROM {HISTORY_TABLE}")}
    known = known_steps()
    return SchemaStatus(
        applied=[n for n in known if n in done],
        pending=[n for n in known if n not in done],
        unknown=sorted(done.difference(known)),  # numbered with leading zeros, as ours are
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
