"""Moving a home in: one home's whole SQLite file copied into the bound
database (a provider's PostgreSQL, or another file), all or nothing.

Every table comes across: the records, amendments, drafts, sign-ons, set-up
codes and the audit history. Each row's id moves past the ids the database
already holds, and every reference moves with it, in the records and in the
audit events' before-and-after values alike. The events are chained on after
the database's own, in their order, so `keywork check` walks one unbroken
chain and finds every record agreeing with it. The file is checked whole
before anything is written, and a copy that cannot finish writes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import apsw
import peewee as pw

from keywork_tui.services import audit
from keywork_tui.services.actor import MANAGERS, Actor
from keywork_tui.services.errors import ServiceError
from keywork_tui.services.homes import name_taken
from models import ALL_MODELS, AuditEvent, AuditHead, BaseModel, Home, Staff
from models.audit_chain import HASHED
from models.base import write_transaction
from models.given_ids import follow_given_ids, largest_id
from models.schema import known_steps

from .backup import inspect

COPIED: list[type[BaseModel]] = [m for m in ALL_MODELS if m not in (AuditEvent, AuditHead)]
NUMBERED: list[type[BaseModel]] = [*COPIED, AuditEvent]
BY_TABLE = {m._meta.table_name: m for m in ALL_MODELS}
BATCH = 500  # rows an INSERT: well inside either engine's limit of bound values


class CopyError(ServiceError):
    """The file cannot be copied in; nothing was written."""


@dataclass(frozen=True)
class CopySummary:
    home_id: int
    home: str
    rows: int
    events: int


def copy_home(source: Path, copier_id: int) -> CopySummary:
    """Copy the file's one home into the bound database. `copier_id` is, in the
    file, the manager who signed in to copy it: the copy is audited to them."""
    tables, events = _read_checked(source)
    home = tables["home"][0]
    if not any(s["id"] == copier_id and s["role"] in MANAGERS for s in tables["staff"]):
        raise CopyError("only a manager of the home in the file can copy it")
    with write_transaction():
        if name_taken(home["name"]):
            raise CopyError(f"this database already holds a home named {home['name']!r}")
        _refuse_taken_logins(tables["staff"])
        moved = {m: largest_id(m) for m in NUMBERED}
        for model in COPIED:
            rows = [_moved_row(model, row, moved) for row in tables[model._meta.table_name]]
            for batch in pw.chunked(rows, BATCH):
                model.insert_many(batch).execute()
        # After the database's own events, in their order, each hashed anew.
        audit.chain_on([_moved_event(e, moved) for e in events])
        follow_given_ids(NUMBERED)
        home_id = home["id"] + moved[Home]
        staff = Staff.get_by_id(copier_id + moved[Staff])
        actor = Actor(staff.id, staff.name, staff.role, home_id)
        audit.record(actor, "home.copy", Home.get_by_id(home_id))
    return CopySummary(home_id, home["name"], sum(len(t) for t in tables.values()), len(events))


def _read_checked(source: Path) -> tuple[dict[str, list[dict[str, Any]]], list[dict[str, Any]]]:
    health = inspect(source)
    if health.integrity != "ok" or health.foreign_key_problems:
        raise CopyError(f"{source} is damaged: run `keywork check` on it")
    if health.history is None or not health.history.ok:
        raise CopyError(f"{source} does not agree with its audit trail: run `keywork check` on it")
    if set(health.migrations) != set(known_steps()):
        raise CopyError(f"{source} is at another schema step: open it once with this keywork first")
    connection = apsw.Connection(str(source), flags=apsw.SQLITE_OPEN_READONLY)
    try:
        tables = {m._meta.table_name: list(_rows(connection, m)) for m in COPIED}
        events = list(_events(connection))
    finally:
        connection.close()
    if len(tables["home"]) != 1:
        raise CopyError(f"{source} holds {len(tables['home'])} homes: copy a file of one home")
    return tables, events


def _rows(connection: apsw.Connection, model: type[BaseModel]) -> Iterator[dict[str, Any]]:
    """The model's rows as stored, by field name (a text's control characters kept)."""
    fields = model._meta.sorted_fields
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    query = f'select {columns} from "{model._meta.table_name}" order by id'
    for raw in connection.execute(query):
        yield {
            f.name: getattr(f, "stored_value", f.python_value)(v)
            for f, v in zip(fields, raw, strict=True)
        }


def _events(connection: apsw.Connection) -> Iterator[dict[str, Any]]:
    columns = ", ".join(f'"{c}"' for c in ("id", *HASHED))
    for raw in connection.execute(f"select {columns} from audit_event order by id"):
        event = dict(zip(("id", *HASHED), raw, strict=True))
        for side in ("before", "after"):
            if event[side] is not None:
                event[side] = json.loads(event[side])
        yield event


def _refuse_taken_logins(staff: list[dict[str, Any]]) -> None:
    logins = [s["os_user"] for s in staff if s["os_user"]]
    taken = [r.os_user for r in Staff.select(Staff.os_user).where(Staff.os_user.in_(logins))]
    if taken:
        raise CopyError(
            f"the login {sorted(taken)[0]!r} is already a member of staff's in this database: "
            "a login is one person's; clear it in one home first"
        )


def _moved_row(
    model: type[BaseModel], row: dict[str, Any], moved: dict[type[BaseModel], int]
) -> dict[str, Any]:
    """The row with its id and every reference moved past the database's own."""
    out = dict(row)
    for name, value in row.items():
        if value is None or not isinstance(value, int) or isinstance(value, bool):
            continue
        field = model._meta.fields.get(name)
        if name == "id":
            out[name] = value + moved[model]
        elif isinstance(field, pw.ForeignKeyField):
            out[name] = value + moved[field.rel_model]
    if model._meta.table_name == "amendment" and row.get("table") in BY_TABLE:
        out["record_id"] = row["record_id"] + moved[BY_TABLE[row["table"]]]
    return out


def _moved_event(event: dict[str, Any], moved: dict[type[BaseModel], int]) -> dict[str, Any]:
    model = BY_TABLE.get(event["table"])
    out = dict(event, id=event["id"] + moved[AuditEvent])
    for name, target in (("staff_id", Staff), ("home_id", Home), ("child_id", BY_TABLE["child"])):
        if out[name] is not None:
            out[name] += moved[target]
    if model is not None:
        if out["record_id"] is not None:
            out["record_id"] += moved[model]
        for side in ("before", "after"):
            if out[side] is not None:
                out[side] = _moved_row(model, out[side], moved)
    return out
