"""Opening the SQLite file: permissions, pragmas, locking and plain errors."""

from __future__ import annotations

import stat

import apsw
import pytest
from engines import sqlite_only

import models
from keywork_tui.services import homes
from models.base import (
    BUSY_TIMEOUT_SECONDS,
    DatabaseOpenError,
    data_version,
    make_database,
    sqlite_version,
    write_transaction,
)
from models.schema import open_database

pytestmark = sqlite_only("the file's permissions, pragmas and locking")


def _pragma(name: str) -> object:
    # fetchall: a cursor left part-read would hold its statement open.
    return models.db.execute_sql(f"pragma {name}").fetchall()[0][0]


def test_new_file_is_readable_by_its_owner_only(database):
    assert stat.S_IMODE(database.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("pragma", "expected"),
    [
        ("journal_mode", "wal"),
        ("foreign_keys", 1),
        ("synchronous", 2),  # FULL
        ("busy_timeout", BUSY_TIMEOUT_SECONDS * 1000),
    ],
)
def test_pragmas_in_force_after_open(database, pragma, expected):
    assert _pragma(pragma) == expected


def test_busy_timeout_is_at_least_a_second(database):
    assert _pragma("busy_timeout") >= 1000


def test_sqlite_has_the_wal_reset_fix(database):
    version = tuple(int(part) for part in sqlite_version().split("."))
    assert version >= (3, 51, 3)


def test_write_transaction_takes_the_write_lock_at_begin(database):
    other = apsw.Connection(str(database))
    other.set_busy_timeout(50)
    try:
        # Nothing is written inside: only an IMMEDIATE begin holds the lock.
        with write_transaction(), pytest.raises(apsw.BusyError):
            other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    finally:
        other.close()


def test_close_after_open_succeeds(database):
    models.db.close()
    assert models.db.is_closed()


def test_writes_by_another_terminal_are_seen(database, home):
    before = data_version()
    other = apsw.Connection(str(database))
    try:
        other.execute("update home set name = 'Renamed House'")
    finally:
        other.close()
    assert data_version() != before
    assert homes.get_home(home.id).name == "Renamed House"


def test_unknown_url_scheme_is_refused():
    with pytest.raises(DatabaseOpenError, match="unknown database URL scheme 'ftp'"):
        make_database("ftp://example.org/kw.sqlite")


def test_file_that_is_not_a_database_is_refused_plainly(tmp_path):
    path = tmp_path / "notes.sqlite"
    text = "shopping list: milk, bread, eggs\n" * 200
    path.write_text(text)
    with pytest.raises(DatabaseOpenError) as raised:
        open_database(str(path))
    message = str(raised.value)
    assert str(path) in message
    assert "not a database" in message
    assert "Traceback" not in message and "\n" not in message
    assert path.read_text() == text
