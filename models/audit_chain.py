"""The audit trail as a hash chain, and the records checked against it.

Each audit event's hash is SHA-256 over the previous event's hash and a
canonical JSON of the event, so changing, removing or reordering an event
breaks the chain from there on. Each record's stored values are compared
with the state its audit events leave it in, so a change made to a record
outside keywork (a hand edit, another program) is found too.

Both read through a `Reader`: a plain APSW connection to a file, so `keywork
check` and a backup verify a file without binding the application to it, or
the bound database (PostgreSQL), read as it stands.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple, Protocol

import apsw
import peewee as pw

GENESIS = "0" * 64
HEAD_ID = 1  # the one row of audit_head
# The event's own values, in the order they are stored; its id is left out so
# a hash can be worked out before the row is inserted.
HASHED = (
    "at",
    "staff_id",
    "staff_name",
    "home_id",
    "action",
    "table",
    "record_id",
    "child_id",
    "before",
    "after",
)
# Kept out of audit snapshots (the hash of a PIN or a set-up code), so never compared.
UNAUDITED = frozenset({"pin_hash", "code_hash"})


# Made once: `json.dumps` with options builds an encoder at every call (about
# a tenth of the time of encoding an event, and there is one per write).
_CANONICAL = json.JSONEncoder(
    default=str, sort_keys=True, separators=(",", ":"), ensure_ascii=False
)


# A string as the canonical encoder writes it (quoted, escaped, not ASCII-only).
_text = json.encoder.encode_basestring
_WHOLE_OR_NONE = {int, type(None)}


def canonical(value: Any) -> str:
    """One text for one value, whichever way it was read: dates and times as
    stored (ISO text), keys sorted."""
    return _CANONICAL.encode(value)


class Encoded(str):
    """A snapshot already written as canonical JSON: an event's before or after
    is encoded once, and that text is both hashed and stored."""


def encoded(value: Any) -> Encoded | None:
    return None if value is None else Encoded(_CANONICAL.encode(value))


# The event's values but its snapshots, in canonical (sorted) order.
_PLAIN = tuple(sorted(name for name in HASHED if name not in ("before", "after")))


def chain_hash(previous: str, event: dict[str, Any]) -> str:
    before, after = event.get("before"), event.get("after")
    if isinstance(before, Encoded | None) and isinstance(after, Encoded | None):
        body = _spliced(event, before, after)
    else:
        body = canonical({name: event.get(name) for name in HASHED})
    return hashlib.sha256(f"{previous}\n{body}".encode()).hexdigest()


def _spliced(event: dict[str, Any], before: str | None, after: str | None) -> str:
    """`canonical` of the whole event, with the snapshots' text put in place.
    An event's own values are written directly when they are of the kinds a
    write gives (a time, texts, whole numbers or none), as the encoder would
    write them; anything else goes through the encoder."""
    get = event.get
    at, name, action, table = get("at"), get("staff_name"), get("action"), get("table")
    ids = get("child_id"), get("home_id"), get("record_id"), get("staff_id")
    if (
        type(at) is dt.datetime
        and type(name) is str
        and type(action) is str
        and type(table) is str
        and {type(i) for i in ids} <= _WHOLE_OR_NONE
    ):
        child, home, record, staff = ["null" if i is None else str(i) for i in ids]
        return (
            f'{{"action":{_text(action)},"after":{after or "null"},"at":"{at}",'
            f'"before":{before or "null"},"child_id":{child},"home_id":{home},'
            f'"record_id":{record},"staff_id":{staff},"staff_name":{_text(name)},'
            f'"table":{_text(table)}}}'
        )
    return _spliced_by_encoder(event, before, after)


def _spliced_by_encoder(event: dict[str, Any], before: str | None, after: str | None) -> str:
    """`_spliced` for any values: "after" sorts between "action" and "at",
    "before" between "at" and "child_id". A key's quote is never escaped, and
    every quote within a value is, so the first `,"at":` and `,"child_id":`
    are the keys themselves."""
    plain = canonical({name: event.get(name) for name in _PLAIN})
    at, child = plain.index(',"at":'), plain.index(',"child_id":')
    return (
        f'{plain[:at]},"after":{after or "null"}'
        f'{plain[at:child]},"before":{before or "null"}{plain[child:]}'
    )


class Finding(NamedTuple):
    """The first thing that does not agree, for one line of `keywork check`."""

    table: str
    record_id: int | None
    what: str

    def line(self) -> str:
        where = f"{self.table} {self.record_id}" if self.record_id is not None else self.table
        return f"{where}: {self.what}"


class Verdict(NamedTuple):
    """What checking the audit chain found: the events read, the head, any break."""

    events: int
    head: str
    finding: Finding | None

    @property
    def ok(self) -> bool:
        return self.finding is None


class Reader(Protocol):
    """What the check reads with: whole statements, and a table's columns."""

    def rows(self, sql: str) -> Iterable[tuple[Any, ...]]: ...

    def columns(self, table: str) -> set[str]: ...


class FileReader(NamedTuple):
    """A SQLite file, through its own read-only connection."""

    connection: apsw.Connection

    def rows(self, sql: str) -> Iterable[tuple[Any, ...]]:
        return self.connection.execute(sql)

    def columns(self, table: str) -> set[str]:
        """None when the file has no such table."""
        return {r[1] for r in self.connection.execute(f'pragma table_info("{table}")')}


class BoundReader(NamedTuple):
    """The database the models are bound to, on any engine."""

    database: pw.Database

    def rows(self, sql: str) -> Iterable[tuple[Any, ...]]:
        return list(self.database.execute_sql(sql))  # type: ignore[no-untyped-call]

    def columns(self, table: str) -> set[str]:
        return {c.name for c in self.database.get_columns(table)}


def _events(connection: Reader) -> Iterator[tuple[int, str, dict[str, Any]]]:
    columns = ", ".join(f'"{c}"' for c in HASHED)
    query = f"select id, hash, {columns} from audit_event order by id"
    for row in connection.rows(query):
        event = dict(zip(HASHED, row[2:], strict=True))
        for side in ("before", "after"):
            if event[side] is not None:
                event[side] = json.loads(event[side])
        yield row[0], row[1], event


def verify(connection: Reader, models: list[type[pw.Model]]) -> Verdict:
    """Walk the chain, replaying each record's events, then compare the records."""
    previous, count = GENESIS, 0
    states: dict[tuple[str, int], dict[str, Any] | None] = {}
    for event_id, stored, event in _events(connection):
        expected = chain_hash(previous, event)
        if stored != expected:
            what = (
                "the event was changed, or one before it removed"
                if stored
                else "the event has no hash: it was not written by keywork"
            )
            return Verdict(count, previous, Finding("audit_event", event_id, what))
        previous, count = expected, count + 1
        _replay(states, event)
    short = _short_of_head(connection, count, previous)
    return Verdict(count, previous, short or _compare(connection, models, states))


def _short_of_head(connection: Reader, count: int, last: str) -> Finding | None:
    rows = list(connection.rows(f"select events, hash from audit_head where id = {HEAD_ID}"))
    if not rows:
        return None if count == 0 else Finding("audit_head", None, "missing")
    events, head = rows[0]
    if (events, head) != (count, last):
        return Finding(
            "audit_event",
            None,
            f"the trail holds {count} event(s) but {events} "
            "were written: the newest were removed or changed",
        )
    return None


def _replay(states: dict[tuple[str, int], dict[str, Any] | None], event: dict[str, Any]) -> None:
    if event["record_id"] is None:
        return
    key = (event["table"], event["record_id"])
    before, after = event["before"], event["after"]
    if after is None:
        states[key] = None  # deleted, with its last values kept in the event
    elif before is None or states.get(key) is None:
        states[key] = dict(after)  # a whole row: made, or read whole at sign-in
    else:
        states[key] = {**states[key], **after}  # type: ignore[dict-item]


def _rows(connection: Reader, model: type[pw.Model], stored: set[str]) -> Iterator[dict[str, Any]]:
    """The model's rows as stored; a file at an older schema step lacks the
    columns later steps add, so only the columns it has are read."""
    fields = [
        f for f in model._meta.sorted_fields if f.name not in UNAUDITED and f.column_name in stored
    ]
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    for raw in connection.rows(f'select {columns} from "{model._meta.table_name}"'):
        # As stored: a control character put in by hand must not be cleaned away here.
        yield {
            f.name: getattr(f, "stored_value", f.python_value)(v)
            for f, v in zip(fields, raw, strict=True)
        }


def _compare(
    connection: Reader,
    models: list[type[pw.Model]],
    states: dict[tuple[str, int], dict[str, Any] | None],
) -> Finding | None:
    for model in models:
        table = model._meta.table_name
        seen: set[int] = set()
        stored = connection.columns(table)
        for row in _rows(connection, model, stored) if stored else ():
            record_id = row["id"]
            seen.add(record_id)
            if (table, record_id) not in states:
                return Finding(
                    table, record_id, "no audit event records it: it was added outside keywork"
                )
            state = states[(table, record_id)]
            if state is None:
                return Finding(table, record_id, "its audit trail says it was removed")
            differs = [
                k for k, v in state.items() if k in row and canonical(v) != canonical(row[k])
            ]
            if differs:
                return Finding(
                    table,
                    record_id,
                    f"{', '.join(sorted(differs))} differs from what its audit trail recorded",
                )
        gone = sorted(
            i for (t, i), s in states.items() if t == table and s is not None and i not in seen
        )
        if gone:
            return Finding(table, gone[0], "removed outside keywork: its audit trail records it")
    return None
