"""A SQLite file looked at from outside: is it whole, is it keywork's, and a
consistent copy of it. Nothing here goes through peewee or writes to the file
it examines, so a damaged database can be described rather than crash.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import apsw
import peewee as pw

from .audit_chain import FileReader, Verdict, verify
from .base import no_database_words
from .schema import HISTORY_TABLE, known_steps

HEADER = b"SQLite format 3\x00"
HEADER_SIZE = 100
# How long `check` waits on a file another program holds locked.
CHECK_BUSY_MS = 2000

Problem = Literal["missing", "not_a_database", "truncated", "corrupt", "incomplete", "locked"]


class FileProblem(Exception):
    """What is wrong with the file, as one line for the user and a kind for the exit code."""

    def __init__(self, kind: Problem, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class FileHealth:
    integrity: str  # "ok", or the first problems SQLite found
    foreign_key_problems: int
    migrations: list[str]
    history: Verdict | None  # None: the schema predates the chain, or the file is damaged


def _expected_size(header: bytes) -> int | None:
    """The size the header says the file has, when the header vouches for its count."""
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    counter, valid_for = header[24:28], header[92:96]
    return page_size * pages if pages and counter == valid_for else None


def _look_at_header(path: Path) -> None:
    if not path.exists():
        raise FileProblem("missing", no_database_words(path))
    if not path.is_file():
        raise FileProblem("not_a_database", f"{path} is not a file")
    with path.open("rb") as handle:
        header = handle.read(HEADER_SIZE)
    if len(header) < HEADER_SIZE or not header.startswith(HEADER):
        raise FileProblem("not_a_database", f"{path} is not a SQLite database")
    expected, size = _expected_size(header), path.stat().st_size
    # A checkpoint cut off (the power lost, kill -9) may have written page 1
    # and not yet the pages after it: those are still in the write-ahead log,
    # which SQLite reads first, so with a log beside it the file is judged by
    # its integrity check instead.
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        return
    if expected is not None and size < expected:
        raise FileProblem(
            "truncated",
            f"{path} is cut short: {size} of {expected} bytes; restore it from a backup",
        )


def _read_only(path: Path) -> apsw.Connection:
    connection = apsw.Connection(str(path), flags=apsw.SQLITE_OPEN_READONLY)
    connection.set_busy_timeout(CHECK_BUSY_MS)
    return connection


def _rows(connection: apsw.Connection, sql: str) -> list[tuple[Any, ...]]:
    return list(connection.execute(sql))


def examine(path: Path, models: list[type[pw.Model]]) -> FileHealth:
    """Read the whole file and report its health, the audit chain and the
    records against it included; raise FileProblem when it cannot be read as a
    keywork database at all."""
    _look_at_header(path)
    try:
        connection = _read_only(path)
    except apsw.Error as exc:
        raise _problem(path, exc) from None
    try:
        present = {
            r[0] for r in _rows(connection, "select name from sqlite_master where type = 'table'")
        }
        if HISTORY_TABLE not in present:
            raise FileProblem(
                "incomplete", f"{path} is not a whole keywork database: no table {HISTORY_TABLE}"
            )
        migrations = [
            r[0] for r in _rows(connection, f'select name from "{HISTORY_TABLE}" order by id')
        ]
        _whole_for_its_step(connection, path, migrations, models)
        found = [r[0] for r in _rows(connection, "pragma integrity_check")]
        problems = len(_rows(connection, "pragma foreign_key_check"))
        chained = any(r[1] == "hash" for r in _rows(connection, "pragma table_info(audit_event)"))
        whole = found == ["ok"] and not problems
        history = verify(FileReader(connection), models) if chained and whole else None
    except apsw.Error as exc:
        raise _problem(path, exc) from None
    finally:
        connection.close()
    integrity = "ok" if found == ["ok"] else "; ".join(found[:5])
    return FileHealth(integrity, problems, migrations, history)


def _whole_for_its_step(
    connection: apsw.Connection, path: Path, migrations: list[str], models: list[type[pw.Model]]
) -> None:
    """A file at an older schema step (a backup taken before an upgrade) lacks
    the tables and columns later steps add, and opening it adds them; at the
    current step every one must be there. Rows its audit trail records in a
    missing table are looked for when the chain is verified."""
    known = known_steps()
    if 0 < len(migrations) < len(known) and migrations == known[: len(migrations)]:
        return
    for model in models:
        table = model._meta.table_name
        stored = {r[1] for r in _rows(connection, f'pragma table_info("{table}")')}
        if not stored:
            raise FileProblem(
                "incomplete", f"{path} is not a whole keywork database: no table {table}"
            )
        lacking = [f.column_name for f in model._meta.sorted_fields if f.column_name not in stored]
        if lacking:
            raise FileProblem(
                "incomplete",
                f"{path} is not a whole keywork database: {table} has no column {lacking[0]}",
            )


def _problem(path: Path, exc: apsw.Error) -> FileProblem:
    if isinstance(exc, apsw.BusyError | apsw.LockedError):
        return FileProblem(
            "locked", f"{path} is locked by another program; try again when it has finished"
        )
    if isinstance(exc, apsw.NotADBError):
        return FileProblem("not_a_database", f"{path} is not a SQLite database")
    if isinstance(exc, apsw.CorruptError):
        return FileProblem(
            "corrupt", f"{path} is damaged (SQLite: {exc}); restore it from a backup"
        )
    if isinstance(exc, apsw.CantOpenError | apsw.PermissionsError | apsw.ReadOnlyError):
        return FileProblem("missing", f"cannot read {path}: {exc}")
    return FileProblem("corrupt", f"{path} cannot be read (SQLite: {exc})")


def create_private(path: Path) -> None:
    """A new, empty file readable by its owner only; never over an existing one."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def copy(source: Path, target: Path) -> None:
    """A consistent copy through SQLite's online backup: other terminals may go
    on writing to `source` meanwhile. `target` must be a new, empty file."""
    try:
        reader = _read_only(source)
    except apsw.Error as exc:
        raise _problem(source, exc) from None
    writer = apsw.Connection(str(target))
    try:
        with writer.backup("main", reader, "main") as step:
            step.step(-1)
        # A copy is one file on its own, without a write-ahead log beside it.
        writer.execute("pragma journal_mode = delete")
    except apsw.Error as exc:
        raise _problem(source, exc) from None
    finally:
        writer.close()
        reader.close()
