"""Opening the database for the app and CLI, and checking its health."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import peewee as pw

from models import AuditEvent, base, db
from models.base import DatabaseOpenError, data_version, is_sqlite, sqlite_path
from models.changes import Listener
from models.schema import SchemaStatus, SchemaTooNewError, open_database

__all__ = [
    "DatabaseOpenError",
    "SchemaTooNewError",
    "change_marker",
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


def open_without_upgrade(target: str) -> SchemaStatus:
    """Bind to an existing database as it stands, for looking at it: its schema
    steps, none applied to it."""
    return open_database(target, migrate=False, create=False)


def server_version() -> str:
    """The PostgreSQL server's version, as it reports it."""
    return str(db.execute_sql("SHOW server_version").fetchone()[0])


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


class ChangeFeed:
    """Whether anyone, on any terminal, has changed the home's records: asked
    over and over by one thread, which alone uses the feed and its connection.
    SQLite's marker is read once a poll; a PostgreSQL server's notifications
    for the home are waited on, with no query asked."""

    def __init__(
        self, home_id: int | None, poll_seconds: float, seen_up_to: int | None = None
    ) -> None:
        """`home_id` None: every home's changes (a provider's terminal).
        `seen_up_to`: the newest audit event when the screen was read, before
        the feed began: anything written since is heard at the first ask."""
        self._listener = None if is_sqlite() else Listener(home_id)
        self._poll = poll_seconds
        self._slept = 0.0
        self._marker = None if self._listener else _marker_or_none()
        # Asked once the feed hears everything from here on, so nothing falls between.
        self._missed = seen_up_to is not None and _newest_or_none() not in (None, seen_up_to)

    def changed(self, seconds: float) -> bool:
        """Waits about `seconds` (plain sleeps: a moved clock must not stall it)."""
        if self._missed:
            self._missed = False
            return True
        if self._listener is not None:
            return self._listener.heard(seconds)
        time.sleep(seconds)
        self._slept += seconds
        if self._slept < self._poll:
            return False
        self._slept = 0.0
        now = _marker_or_none()
        if now is None or now == self._marker:
            return False
        self._marker = now
        return True

    def close(self) -> None:
        if self._listener is not None:
            self._listener.close()


def _newest_or_none() -> int | None:
    try:
        return newest_audit_id()
    except Exception:  # as for the marker: the next write is heard all the same
        log.warning("could not read the newest audit event", exc_info=True)
        return None


def _marker_or_none() -> int | None:
    try:
        return change_marker()
    except Exception:  # a busy or vanished database: try again next time
        log.warning("could not read the change marker", exc_info=True)
        return None


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
