"""Opening the database for the app and CLI, and checking its health."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import peewee as pw

from models import AuditEvent, base, db
from models.base import DatabaseOpenError, data_version, is_sqlite, sqlite_path, sqlite_version
from models.schema import SchemaTooNewError, head_version, open_database, status

__all__ = [
    "DatabaseOpenError",
    "SchemaTooNewError",
    "Health",
    "change_marker",
    "check",
    "close",
    "newest_audit_id",
    "open_target",
    "sqlite_path",
]

log = logging.getLogger("keywork.database")


def open_target(target: str, *, create: bool = False) -> int:
    """Open (and upgrade) the database at a path or URL; returns its schema version.
    Only commands that make a home pass `create`: the rest never make a file."""
    return open_database(target, create=create).version


def close() -> None:
    """Close this thread's connection; a failure here must not hide the real outcome."""
    if db.obj is None or db.is_closed():
        return
    try:
        db.close()
    except Exception:
        log.warning("database did not close cleanly", exc_info=True)


def guard_queries(check: Callable[[], None] | None) -> None:
    """Have `check` run before every statement (None: stop); it raises where
    no query belongs."""
    base.query_guard = check


def change_marker() -> int:
    """A number that moves whenever anyone, on any terminal, changes anything.

    SQLite's data_version moves when another connection commits; it is only
    comparable on one connection, so call this from one thread (the app polls
    it on its own). Other databases fall back to the newest audit event, which
    every write records."""
    version = data_version()
    if version is not None:
        return version
    return newest_audit_id()


def newest_audit_id() -> int:
    """The newest audit event's id: every write records one, so the same id on
    any connection, in any thread or process, means the same records."""
    # MAX, not ORDER BY ... LIMIT 1: SQLite plans it as one probe of the key.
    newest = AuditEvent.select(pw.fn.MAX(AuditEvent.id)).scalar()
    return int(newest or 0)


@dataclass(frozen=True)
class Health:
    schema_version: int
    head_version: int
    engine: str
    sqlite_version: str | None
    integrity: str
    foreign_key_problems: int

    @property
    def ok(self) -> bool:
        return self.integrity == "ok" and self.foreign_key_problems == 0


def check() -> Health:
    integrity, fk_problems = "ok", 0
    if is_sqlite():
        results = [row[0] for row in db.execute_sql("pragma integrity_check").fetchall()]
        integrity = "ok" if results == ["ok"] else "; ".join(results[:5])
        fk_problems = len(db.execute_sql("pragma foreign_key_check").fetchall())
    return Health(
        schema_version=status().version,
        head_version=head_version(),
        engine="sqlite (apsw)" if is_sqlite() else type(db.obj).__name__,
        sqlite_version=sqlite_version(),
        integrity=integrity,
        foreign_key_problems=fk_problems,
    )
