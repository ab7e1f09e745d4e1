"""The database, declared once and bound at start-up.

SQLite runs through APSW because its wheels carry a current SQLite: the one
bundled with Python 3.11 predates the WAL-reset fix of SQLite 3.51.3.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Collection, Iterator
from contextlib import AbstractContextManager, contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import apsw
import peewee as pw
from playhouse.apsw_ext import APSWDatabase

from keywork_tui.text import clean_text, one_line
from models.audit_chain import Encoded

db = pw.DatabaseProxy()

# Several seconds: the office terminal and a manager over SSH share one file.
BUSY_TIMEOUT_SECONDS = 8

SQLITE_PRAGMAS = (
    ("journal_mode", "wal"),
    ("foreign_keys", 1),
    ("synchronous", "full"),
)


class DatabaseOpenError(Exception):
    """The database cannot be opened; the message is meant for the user."""


def now() -> dt.datetime:
    """Default for the time a row was made: the services' one clock, so a test
    or the demo that chose its instant sees it here too. Imported late, since
    the services import the models."""
    from keywork_tui.services import clock

    return clock.now()


class BaseModel(pw.Model):
    # Declared for the type checker only: peewee adds the `id` primary key, and
    # a `<name>_id` column beside each foreign key, without naming them here.
    id: pw.AutoField[int]

    class Meta:
        database = db
        legacy_table_names = False


# Every text column is read through keywork_tui.text, so text that reached the
# database another way (a hand edit, an older version, a bad import) is as
# inert on screen, on paper and in an export as text saved through the
# services. `stored_value` is what the file holds, for the audit chain.


class _Inert:
    """Reads text through `clean`; `stored_value` is what the file holds."""

    clean: Any

    def python_value(self, value: Any) -> Any:
        value = self.stored_value(value)
        return type(self).clean(value) if isinstance(value, str) else value

    def stored_value(self, value: Any) -> Any:
        return super().python_value(value)  # type: ignore[misc]


class Line(_Inert, pw.CharField):
    """One line: a name, a code, a short label."""

    clean = staticmethod(one_line)


class Prose(_Inert, pw.TextField):
    """Text that keeps its line breaks: notes, summaries, worries."""

    clean = staticmethod(clean_text)


def _inert(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [_inert(v) for v in value]
    if isinstance(value, dict):
        return {k: _inert(v) for k, v in value.items()}
    return value


# One encoder for every JSON column, where `json.dumps` with options makes one a call.
_JSON = json.JSONEncoder(default=str, sort_keys=True)


class JSONField(pw.TextField):
    """JSON stored as text so SQLite and PostgreSQL read it the same way."""

    def db_value(self, value: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, Encoded):  # written once for the audit chain, kept as written
            return str(value)
        return _JSON.encode(value)

    def python_value(self, value: str | None) -> Any:
        return _inert(self.stored_value(value))

    def stored_value(self, value: str | None) -> Any:
        return None if value is None else json.loads(value)


def _create_private_file(path: Path) -> None:
    """Create the file 0600 before SQLite opens it, so it is never world-readable."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        if path.is_file():
            return  # an existing database keeps its own permissions
        raise DatabaseOpenError(f"cannot create database {path}: a folder is in the way") from None
    except OSError as exc:
        raise DatabaseOpenError(f"cannot create database {path}: {exc.strerror}") from exc
    os.close(fd)


def _bind_as_text(_cursor: apsw.Cursor, _index: int, value: Any) -> str:
    # APSW binds only SQLite's own types; dates, times and decimals go in as
    # ISO text, which is what peewee's fields read back.
    if isinstance(value, dt.date | dt.time | Decimal):
        return str(value)
    raise TypeError(f"cannot store a {type(value).__name__} in SQLite")


# Called before every statement when set: the app sets a check that a query is
# not run on its UI thread, where it would freeze the screen.
query_guard: Callable[[], None] | None = None


class KeyworkSqliteDatabase(APSWDatabase):  # type: ignore[misc]  # playhouse has no types
    def _add_conn_hooks(self, conn: apsw.Connection) -> None:
        conn.convert_binding = _bind_as_text
        # SQLite's own lower() and LIKE fold ASCII only: "Élodie" must match "élodie".
        conn.create_scalar_function("kw_casefold", _casefold, 1, deterministic=True)
        super()._add_conn_hooks(conn)

    def execute_sql(self, *args: Any, **kwargs: Any) -> Any:
        if query_guard is not None:
            query_guard()
        return super().execute_sql(*args, **kwargs)


class KeyworkPostgresDatabase(pw.PostgresqlDatabase):
    def execute_sql(self, *args: Any, **kwargs: Any) -> Any:
        if query_guard is not None:
            query_guard()
        return super().execute_sql(*args, **kwargs)  # type: ignore[no-untyped-call]


POSTGRES_EXTRA = "PostgreSQL needs keywork's postgres extra: pip install 'keywork[postgres]'"


def postgres_database(url: str) -> KeyworkPostgresDatabase:
    """A provider's PostgreSQL server, through psycopg 3 (the `postgres` extra)."""
    name, params = server_params(url)
    try:
        import psycopg  # noqa: F401  # only to say plainly that it is missing
    except ImportError:
        raise DatabaseOpenError(POSTGRES_EXTRA) from None
    return KeyworkPostgresDatabase(name, prefer_psycopg3=True, **params)


def server_params(url: str) -> tuple[str, dict[str, Any]]:
    """The database a server's URL names, and how to connect: user, password
    (escaped as in any URL), host, port and options such as `sslmode`."""
    if not urlparse(url).path.strip("/"):
        raise DatabaseOpenError(f"no database named in {url!r} (postgresql://user@host/NAME)")
    from playhouse.db_url import parse as parse_url  # with its drivers' modules: a server only

    try:
        params = parse_url(url, unquote_password=True, unquote_user=True)
    except Exception as exc:  # a malformed URL
        raise DatabaseOpenError(f"cannot read database URL {url!r}: {exc}") from exc
    return params.pop("database"), params


def _require_file(path: Path) -> None:
    """For opening what exists only: a mistyped path names itself, and nothing is made."""
    if path.is_file():
        return
    if path.exists():
        raise DatabaseOpenError(f"{path} is a folder, not a database file")
    raise DatabaseOpenError(no_database_words(path))


def no_database_words(path: Path) -> str:
    """What to say when the file named is not there: every command says it alike."""
    nor = "" if path.parent.is_dir() else f" (nor a folder {path.parent})"
    return (
        f"no database at {path}{nor}: is the path mistyped? `keywork init` or "
        "`keywork import` makes a new one, `keywork demo` a demo"
    )


def sqlite_database(path: Path, *, create: bool = True) -> KeyworkSqliteDatabase:
    if create:
        _create_private_file(path)
    else:
        _require_file(path)
    return KeyworkSqliteDatabase(
        str(path),
        pragmas=SQLITE_PRAGMAS,
        timeout=BUSY_TIMEOUT_SECONDS,
        # Every transaction takes the write lock at BEGIN: a deferred one that
        # upgrades later fails with SQLITE_BUSY when another terminal writes.
        lock_type="IMMEDIATE",
    )


def sqlite_path(target: str) -> Path | None:
    """The file behind a path or SQLite URL (sqlite:///rel, sqlite:////abs), else None."""
    parsed = urlparse(target)
    if parsed.scheme in ("", "file") or len(parsed.scheme) == 1:  # C:\ paths
        return Path(parsed.path if parsed.scheme == "file" else target)
    if parsed.scheme in ("sqlite", "apsw"):
        path = target.split("://", 1)[1]
        if not path or path == "/":
            raise DatabaseOpenError(f"no file in database URL {target!r}")
        return Path(path[1:] if path.startswith("/") else path)
    return None


def make_database(target: str, *, create: bool = True) -> pw.Database:
    """Build (not connect) the database named by a path or a URL; a SQLite file
    that does not exist is made only when `create`."""
    path = sqlite_path(target)
    if path is not None:
        return sqlite_database(path, create=create)
    scheme = urlparse(target).scheme
    if scheme in ("postgres", "postgresql"):
        return postgres_database(target)
    raise DatabaseOpenError(
        f"unknown database URL scheme {scheme!r} (use a path, sqlite:/// or postgresql://)"
    )


# How many times a database has been bound in this process: what was read
# from one bound before is not to be taken for the one bound now.
_binding = 0


def bind(database: pw.Database) -> None:
    global _binding
    db.initialize(database)
    _binding += 1


def binding() -> int:
    """Which binding of a database this is (it moves on each `bind`)."""
    return _binding


def _casefold(*values: object) -> str | None:
    return None if values[0] is None else str(values[0]).casefold()


def folded(column: pw.ColumnBase) -> pw.ColumnBase:
    """A text column compared without regard to case, in any script: Python's
    casefold on SQLite, lower() on PostgreSQL. Compare it with casefolded words."""
    return pw.fn.kw_casefold(column) if is_sqlite() else pw.fn.lower(column)


# One home by its id, or several at once (a provider's overview reads them together).
Homes = int | Collection[int]


def of_homes(field: pw.Field[Any], homes: Homes) -> pw.Expression:
    """`field` is the home, or one of the homes."""
    if isinstance(homes, int):
        return field == homes
    return field.in_(sorted(homes))


def is_sqlite() -> bool:
    return isinstance(db.obj, pw.SqliteDatabase)


# Any number: the key of the one advisory lock keywork's writers take on PostgreSQL.
WRITE_LOCK_KEY = 0x6B657977  # "keyw"


def write_transaction() -> AbstractContextManager[Any]:
    """One transaction for a service write, one writer at a time. SQLite takes
    its write lock at BEGIN (IMMEDIATE, via lock_type); on PostgreSQL the same
    is an advisory lock held to the transaction's end, so a service may read a
    count, a chain's head or a draft and write it back with nothing lost."""
    if is_sqlite():
        return db.atomic()
    return _one_writer()


@contextmanager
def _one_writer() -> Iterator[Any]:
    with db.atomic() as transaction:
        db.execute_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")
        yield transaction


# For a bulk write (an import): years of rows and their indexes overflow
# SQLite's default cache of 2 MB, and every page it lets go is read again.
BULK_CACHE_KB = 64 * 1024


@contextmanager
def bulk_cache() -> Iterator[None]:
    """A larger page cache on SQLite while the block runs (PostgreSQL keeps its own)."""
    if not is_sqlite():
        yield
        return
    before = db.execute_sql("pragma cache_size").fetchone()[0]
    db.execute_sql(f"pragma cache_size=-{BULK_CACHE_KB}")
    try:
        yield
    finally:
        db.execute_sql(f"pragma cache_size={int(before)}")


def sqlite_version() -> str | None:
    if not is_sqlite():
        return None
    return str(db.execute_sql("select sqlite_version()").fetchone()[0])


def bound_file() -> Path | None:
    """The SQLite file the application is bound to (None for another engine)."""
    if not is_sqlite():
        return None
    return Path(db.obj.database).resolve()


def data_version() -> int | None:
    """Changes by other connections bump this; screens poll it to refresh."""
    if not is_sqlite():
        return None
    return int(db.execute_sql("pragma data_version").fetchone()[0])
