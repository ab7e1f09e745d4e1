"""Everything held about one child, as JSON (a subject access request).

The file is written as it is read, record by record, so the memory it takes
does not grow with the years of the child's file: a session's progress notes
and corrections are read in step with the sessions, in the same order, not
gathered first. Restricted records are included: the manager reviews the file
before anything is disclosed. Each export is recorded in the audit trail.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from keywork_tui.services import audit, clock
from keywork_tui.services.actor import MANAGERS, Actor, child_of, require
from models import (
    Amendment,
    AuditEvent,
    Child,
    Contact,
    Cover,
    DocumentReview,
    Handover,
    HandoverEntry,
    KeySession,
    KeyWorkerAllocation,
    PersonalEvent,
    SignificantEvent,
    Staff,
    Target,
    TargetProgress,
)
from models.base import write_transaction

from .private_files import private_file

EXPORT_FORMAT = "keywork-child-export/1"
# Keys whose number is a member of staff: their names are listed at the end.
STAFF_KEYS = ("staff", "by", "concern_seen_by", "staff_id")


def write_child_export(
    actor: Actor, child_id: int, path: Path | str, *, overwrite: bool = False
) -> Path:
    """Write the export to a file only its owner can read."""
    child = _exported(actor, child_id)
    with private_file(path, overwrite=overwrite) as out:
        _write(actor, child, out)
    _audited(actor, child)
    return Path(path)


def export_child(actor: Actor, child_id: int) -> dict[str, Any]:
    """The same export as a value, for a caller that wants it whole."""
    child = _exported(actor, child_id)
    out = io.StringIO()
    _write(actor, child, out)
    _audited(actor, child)
    found: dict[str, Any] = json.loads(out.getvalue())
    return found


def _exported(actor: Actor, child_id: int) -> Child:
    require(actor, *MANAGERS, doing="export a child's records")
    return child_of(actor, child_id)


def _audited(actor: Actor, child: Child) -> None:
    with write_transaction():
        audit.record(actor, "child.export", child, before=audit.snapshot(child), child_id=child.id)


# --- writing --------------------------------------------------------------------


def _write(actor: Actor, child: Child, out: TextIO) -> None:
    staff: set[int] = set()
    out.write("{\n")
    for key, value in (
        ("format", EXPORT_FORMAT),
        ("exported_at", clock.now()),
        ("exported_by", actor.name),
        ("child", audit.snapshot(child)),
    ):
        out.write(f"  {json.dumps(key)}: {_json(value, 2)},\n")
    for key, records in _sections(child.id):
        out.write(f"  {json.dumps(key)}: [")
        first = True
        for record in records:
            _mentioned_staff(record, staff)
            out.write(("\n    " if first else ",\n    ") + _json(record, 4))
            first = False
        out.write("],\n" if first else "\n  ],\n")
    names = Staff.select(Staff.id, Staff.name).where(Staff.id.in_(sorted(staff)))
    out.write(f'  "staff": {_json({str(s.id): s.name for s in names}, 2)}\n}}\n')


def _json(value: Any, indent: int) -> str:
    """One value as indented JSON, dates as ISO text, set in at `indent`."""
    text = json.dumps(value, indent=2, ensure_ascii=False, default=_iso)
    return text.replace("\n", "\n" + " " * indent)


def _iso(value: Any) -> str:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not exported")


def _mentioned_staff(value: Any, found: set[int]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in STAFF_KEYS and isinstance(item, int):
                found.add(item)
            _mentioned_staff(item, found)
    elif isinstance(value, list):
        for item in value:
            _mentioned_staff(item, found)


# --- reading --------------------------------------------------------------------


def _sections(child_id: int) -> Iterator[tuple[str, Iterable[dict[str, Any]]]]:
    """Each part of the file and its records, read as they are written."""
    yield "contacts", _rows(Contact.select().where(Contact.child == child_id))
    allocations = KeyWorkerAllocation.select().where(KeyWorkerAllocation.child == child_id)
    yield "allocations", _rows(allocations.order_by(KeyWorkerAllocation.starts_on))
    covers = Cover.select().where(Cover.child == child_id)
    yield "covers", _rows(covers.order_by(Cover.starts_on))
    yield "sessions", _sessions(child_id)
    targets = Target.select().where(Target.child == child_id)
    yield "targets", _rows(targets.order_by(Target.set_on))
    reviews = DocumentReview.select().where(DocumentReview.child == child_id)
    yield "reviews", _rows(reviews.order_by(DocumentReview.reviewed_on))
    events = PersonalEvent.select().where(PersonalEvent.child == child_id)
    yield "events", _rows(events.order_by(PersonalEvent.date))
    significant = SignificantEvent.select().where(SignificantEvent.child == child_id)
    yield "significant_events", _rows(significant.order_by(SignificantEvent.occurred_on))
    yield "handover_entries", _handover_entries(child_id)
    yield "audit_events", _audit_events(child_id)


def _rows(query: Any) -> Iterator[dict[str, Any]]:
    for row in query.iterator():
        yield audit.snapshot(row)


def _sessions(child_id: int) -> Iterator[dict[str, Any]]:
    order = (KeySession.held_at, KeySession.id)
    sessions = KeySession.select().where(KeySession.child == child_id).order_by(*order)
    progress = (
        TargetProgress.select(TargetProgress, KeySession.id.alias("of"))
        .join(KeySession)
        .where(KeySession.child == child_id)
        .order_by(*order, TargetProgress.id)
    )
    amendments = (
        Amendment.select(Amendment, KeySession.id.alias("of"))
        .join(KeySession, on=(Amendment.record_id == KeySession.id))
        .where((Amendment.table == "key_session") & (KeySession.child == child_id))
        .order_by(*order, Amendment.at, Amendment.id)
    )
    progress_of = _InStep(progress.objects().iterator(), lambda row: row.of)
    amendments_of = _InStep(amendments.objects().iterator(), lambda row: row.of)
    for session in sessions.iterator():
        record = audit.snapshot(session)
        record["progress"] = [audit.snapshot(p) for p in progress_of.rows_for(session.id)]
        record["amendments"] = [audit.snapshot(a) for a in amendments_of.rows_for(session.id)]
        yield record


class _InStep:
    """Rows of a second query in the order of the first, taken as each row of
    the first comes: those for one row of the first, then on to the next."""

    def __init__(self, rows: Iterator[Any], key: Callable[[Any], int]) -> None:
        self._rows, self._key = rows, key
        self._next = next(rows, None)

    def rows_for(self, key: int) -> list[Any]:
        found = []
        while self._next is not None and self._key(self._next) == key:
            found.append(self._next)
            self._next = next(self._rows, None)
        return found


def _handover_entries(child_id: int) -> Iterator[dict[str, Any]]:
    query = (
        HandoverEntry.select(HandoverEntry, Handover)
        .join(Handover)
        .where(HandoverEntry.child == child_id)
        .order_by(Handover.shift_date, Handover.shift, HandoverEntry.id)
    )
    for entry in query.iterator():
        record = audit.snapshot(entry)
        record.update(shift_date=entry.handover.shift_date, shift=entry.handover.shift)
        yield record


def _audit_events(child_id: int) -> Iterator[dict[str, Any]]:
    about = (AuditEvent.child_id == child_id) | (
        (AuditEvent.table == "child") & (AuditEvent.record_id == child_id)
    )
    return _rows(AuditEvent.select().where(about).order_by(AuditEvent.at, AuditEvent.id))
