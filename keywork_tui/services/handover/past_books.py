"""Past shifts' handover books, written whole and many at once: how an import
brings in years of handovers.

A past book leaves the rows and the audit events the shift would have left by
writing it through `shift`, in the same order: the handover opened, each
writer's entries, the one who submitted it signed on to lead the shift where
their role does not make them a leader, the children it left out passed as
not mentioned, and the handover submitted. Here they are built in memory and
go in with a few statements for a whole batch of shifts, where writing them
one call at a time takes some forty statements a shift.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from keywork_tui.calendar import ShiftRef
from keywork_tui.schemas import HandoverEntryIn
from keywork_tui.services import audit
from keywork_tui.services.actor import LEADERS, Actor, children_of
from keywork_tui.services.errors import ConflictError, NotFoundError
from models import BaseModel, Child, Handover, HandoverEntry, ShiftSignOn
from models.base import write_transaction
from models.changes import announce
from models.given_ids import follow_given_ids, largest_id
from models.prepared import Insert

# Their SQL built once, each row's values given to the driver's executemany.
_NEW_HANDOVER = Insert(Handover)
_NEW_ENTRY = Insert(HandoverEntry)
_NEW_SIGN_ON = Insert(ShiftSignOn)


@dataclass(frozen=True)
class PastEntry:
    writer: Actor
    data: HandoverEntryIn


@dataclass(frozen=True)
class PastBook:
    """One past shift's book: its entries in the order they were written, at
    `written_at`; submitted by `submitted_by` at `submitted_at` when the shift
    is over, else left a draft: submitted, the children in placement that day
    without an entry are passed as not mentioned."""

    shift: ShiftRef
    entries: Sequence[PastEntry]
    written_at: dt.datetime
    submitted_by: Actor | None = None
    submitted_at: dt.datetime | None = None


@dataclass
class _Written:
    """The rows and events of a batch of books, ids given before they go in.
    Rows are plain values (`audit.Values`): thousands of model instances would
    cost more than writing them."""

    handovers: list[audit.Values]
    entries: list[audit.Values]
    sign_ons: list[audit.Values]
    events: list[dict[str, object]]


def write_books(home_id: int, books: Sequence[PastBook]) -> None:
    """Write the books into the home, in one transaction, or nothing: each
    child of the home, no shift with a handover already, one entry a child."""
    if not books:
        return
    with write_transaction():
        _refuse_strangers(home_id, books)
        children = _children(home_id, books)
        _refuse_written_shifts(home_id, books)
        written = _built(home_id, books, children)
        for insert, rows in (
            (_NEW_HANDOVER, written.handovers),
            (_NEW_ENTRY, written.entries),
            (_NEW_SIGN_ON, written.sign_ons),
        ):
            insert.many((row.fields for row in rows), with_ids=True)
        audit.chain_on(written.events)
        announce(home_id)
        follow_given_ids((Handover, HandoverEntry, ShiftSignOn))


def _refuse_strangers(home_id: int, books: Sequence[PastBook]) -> None:
    for book in books:
        for writer in [e.writer for e in book.entries] + [book.submitted_by]:
            if writer is not None and writer.home_id != home_id:
                raise NotFoundError(f"{writer.name} is not of this home")


def _children(home_id: int, books: Sequence[PastBook]) -> list[Child]:
    """The home's children by name, as `people.placed` orders them; a book's
    child of another home is not found."""
    children_of(home_id, (e.data.child_id for book in books for e in book.entries))
    query = Child.select(Child.id, Child.admitted_on, Child.left_on).where(Child.home == home_id)
    return list(query.order_by(Child.first_name, Child.last_name))


def _placed(children: list[Child], day: dt.date) -> Iterator[int]:
    """`people.in_placement` for children already read."""
    for child in children:
        if child.admitted_on <= day and (child.left_on is None or child.left_on > day):
            yield child.id


def _refuse_written_shifts(home_id: int, books: Sequence[PastBook]) -> None:
    days = [book.shift.date for book in books]
    kept = Handover.select(Handover.shift_date, Handover.shift).where(
        (Handover.home == home_id) & Handover.shift_date.between(min(days), max(days))
    )
    taken = {ShiftRef(row.shift_date, row.shift) for row in kept}
    seen: set[ShiftRef] = set()
    for book in books:
        if book.shift in taken or book.shift in seen:
            raise ConflictError(f"the {book.shift.label()} already has a handover")
        seen.add(book.shift)


class _Ids:
    """The next free id of each table, handed out in order."""

    def __init__(self, *models: type[BaseModel]) -> None:
        self._last = {model: largest_id(model) for model in models}

    def next(self, model: type[BaseModel]) -> int:
        self._last[model] += 1
        return self._last[model]


def _built(home_id: int, books: Sequence[PastBook], children: list[Child]) -> _Written:
    ids = _Ids(Handover, HandoverEntry, ShiftSignOn)
    written = _Written([], [], [], [])
    for book in books:
        _build(home_id, book, ids, written)
        if book.submitted_by is not None and book.submitted_at is not None:
            _submit(book, list(_placed(children, book.shift.date)), ids, written)
    return written


def _row(insert: Insert[Any], ids: _Ids, **given: Any) -> audit.Values:
    """A new row with the next id of its table, every field filled in as
    `Model.create` would (defaults for those not given)."""
    model = insert.model
    return audit.Values(model, {"id": ids.next(model), **insert.values(given)})


def _build(home_id: int, book: PastBook, ids: _Ids, out: _Written) -> None:
    opener = book.entries[0].writer if book.entries else book.submitted_by
    handover = _row(
        _NEW_HANDOVER,
        ids,
        home=home_id,
        shift_date=book.shift.date,
        shift=book.shift.name,
        home_notes="",
        status="draft",
        written_by=None,
        submitted_at=None,
        created_at=book.written_at,
    )
    out.handovers.append(handover)
    out.events.append(audit.event(opener, "handover.open", audit.Change(handover), book.written_at))
    mentioned: set[int] = set()
    for entry in book.entries:
        child_id = entry.data.child_id
        if child_id in mentioned:
            raise ConflictError(f"the {book.shift.label()} has two entries for one child")
        mentioned.add(child_id)
        values = entry.data.model_dump(exclude={"child_id"})
        row = _entry(ids, handover, child_id, entry.writer, book.written_at, **values)
        out.entries.append(row)
        change = audit.Change(row, None, child_id)
        out.events.append(audit.event(entry.writer, "handover.entry", change, book.written_at))


def _entry(
    ids: _Ids,
    handover: audit.Values,
    child_id: int,
    writer: Actor,
    at: dt.datetime,
    **values: object,
) -> audit.Values:
    given = {"handover": handover.fields["id"], "child": child_id, "by": writer.id}
    return _row(_NEW_ENTRY, ids, **given, updated_at=at, **values)


def _submit(book: PastBook, placed: list[int], ids: _Ids, out: _Written) -> None:
    handover = out.handovers[-1]
    mentioned = {entry.data.child_id for entry in book.entries}
    writer, at = book.submitted_by, book.submitted_at
    assert writer is not None and at is not None
    if writer.role not in LEADERS:
        # Whoever submitted the book led that shift, as the shift would have marked them.
        sign_on = _row(
            _NEW_SIGN_ON,
            ids,
            home=handover.fields["home"],
            shift_date=book.shift.date,
            shift=book.shift.name,
            staff=writer.id,
            leader=True,
            at=at,
        )
        out.sign_ons.append(sign_on)
        out.events.append(audit.event(writer, "shift.sign_on", audit.Change(sign_on), at))
    for child_id in placed:
        if child_id in mentioned:
            continue
        row = _entry(ids, handover, child_id, writer, at, nothing_to_add=True, not_mentioned=True)
        out.entries.append(row)
        change = audit.Change(row, None, child_id)
        out.events.append(audit.event(writer, "handover.entry", change, at))
    before = audit.snapshot(handover)
    handover.fields.update(status="submitted", written_by=writer.id, submitted_at=at)
    change = audit.Change(handover, before)
    out.events.append(audit.event(writer, "handover.submit", change, at))
