"""Which engine the suite runs on: SQLite files by default, or a PostgreSQL
server when KEYWORK_TEST_DB holds its URL (any database on it; each test gets
a new database of its own there, copied from one already migrated)."""

from __future__ import annotations

import itertools
import os
from pathlib import Path
from typing import Any

import pytest

TEST_SERVER = os.environ.get("KEYWORK_TEST_DB", "")
ON_POSTGRES = TEST_SERVER.startswith(("postgres://", "postgresql://"))


def sqlite_only(why: str) -> pytest.MarkDecorator:
    """For a test of something only a SQLite file has; `why` says what."""
    return pytest.mark.skipif(ON_POSTGRES, reason=f"SQLite only: {why}")


def server_url(database: str) -> str:
    """The URL of another database on the test server."""
    return TEST_SERVER.rsplit("/", 1)[0] + "/" + database


def audit_verdict(database: Path | str) -> Any:
    """What `keywork check` says of the audit trail: of the file on SQLite,
    read apart from the app; of the bound database on PostgreSQL."""
    from keywork_tui.services.exchange import backup

    if ON_POSTGRES:
        return backup.bound_history()
    return backup.inspect(Path(database)).history


def on_server(sql: str) -> None:
    """One statement on the test server, outside any transaction."""
    import psycopg

    with psycopg.connect(TEST_SERVER, autocommit=True) as connection:
        connection.execute(sql)


_numbers = itertools.count(1)


def new_database(request: pytest.FixtureRequest, template: str | None) -> str:
    """A database of the test's own on the test server (a copy of `template`,
    or empty), dropped after it; its URL."""
    import models

    name = f"kw_t_{request.getfixturevalue('worker_id')}_{next(_numbers)}"
    on_server(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))

    def drop() -> None:
        if models.db.obj is not None and not models.db.is_closed():
            models.db.close()
        on_server(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    request.addfinalizer(drop)
    return server_url(name)
