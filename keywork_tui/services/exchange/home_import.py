"""Importing a whole home from a keywork-import/1 file, all or nothing.

Every record goes through the same service function as everyday work, inside
one outer transaction: a refusal anywhere rolls the whole import back. The
handover books, reviews and sessions, most of a home's records, go in a
batch at a time (`past_books`, `record_past_reviews`, `record_past_sessions`),
each checked and leaving the rows and audit events those functions would. The
service clock is set to when each record was made (never later than the moment
of import), so rules such as "held at is in the future" are judged as they
would have been then, and the audit trail reads in the order things happened.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TypeVar

from keywork_tui.calendar import ShiftRef, next_shift, shift_starts
from keywork_tui.outputs import HomeOut, StaffOut
from keywork_tui.services import clock, homes
from keywork_tui.services.actor import Actor
from keywork_tui.services.child_file import plans_and_events as records
from keywork_tui.services.child_file import sessions
from keywork_tui.services.errors import FieldError, RecordRefusedError, ServiceError
from keywork_tui.services.exchange.held_records import column, values_at
from keywork_tui.services.exchange.import_format import (
    FileAllocation,
    ImportFile,
    entry_input,
    where,
)
from keywork_tui.services.handover import past_books
from keywork_tui.services.handover.past_books import PastBook, PastEntry
from keywork_tui.services.team import allocation, people, signin
from models.base import bulk_cache, write_transaction

R = TypeVar("R")

# Service field names as the file spells them, for messages about a record.
_FILE_FIELDS = {"child_id": "child", "staff_id": "staff", "starts_on": "from", "ends_on": "to"}

MORNING = dt.time(9, 0)
NOON = dt.time(12, 0)
EVENING = dt.time(17, 0)
_SUBMITTED_BEFORE_END = dt.timedelta(minutes=10)
# Past records built and written together: memory stays small whatever the years.
RECORDS_AT_ONCE = 5000

# (key of ImportSummary.counts, one, many)
NOUNS = (
    ("staff", "staff member", "staff"),
    ("children", "child", "children"),
    ("term_dates", "term", "terms"),
    ("allocations", "allocation", "allocations"),
    ("absences", "absence", "absences"),
    ("covers", "cover", "covers"),
    ("sessions", "session", "sessions"),
    ("reviews", "review", "reviews"),
    ("targets", "target", "targets"),
    ("events", "event", "events"),
    ("handover_entries", "handover entry", "handover entries"),
)


class ImportRecordError(ServiceError):
    """A service refused one record of the file; nothing was written."""


@dataclass(frozen=True)
class ImportSummary:
    home_id: int
    home: str
    counts: dict[str, int]

    def line(self) -> str:
        parts = [
            f"{self.counts[key]} {one if self.counts[key] == 1 else many}"
            for key, one, many in NOUNS
        ]
        return f"Imported {self.home}: " + ", ".join(parts)


@dataclass
class _Run:
    """One import under way: the file, the moment of import, and the rows written
    for the file's refs (it is the RefIds the records' to_input asks for)."""

    data: ImportFile
    now: dt.datetime
    home: HomeOut
    manager: Actor
    actors: dict[str, Actor] = field(default_factory=dict)
    child_ids: dict[str, int] = field(default_factory=dict)

    def child(self, ref: str) -> int:
        return self.child_ids[ref]

    def staff(self, ref: str) -> int:
        return self.actors[ref].id

    def when(self, *moments: dt.datetime | None) -> dt.datetime:
        """The earliest of the moments given, and never after the import itself."""
        return min([m for m in moments if m is not None] + [self.now])


def _on(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time)


@contextmanager
def _record(name: str) -> Iterator[None]:
    """Name the file's record in any refusal raised while writing it."""
    try:
        yield
    except ImportRecordError:
        raise
    except FieldError as exc:
        field_name = _FILE_FIELDS.get(exc.field, exc.field)
        raise ImportRecordError(f"{name}.{field_name}: {exc}; nothing was imported") from exc
    except ServiceError as exc:
        raise ImportRecordError(f"{name}: {exc}; nothing was imported") from exc


def import_home(data: ImportFile, first_pin: str | None = None) -> ImportSummary:
    """Write the whole file as a new home (beside any others), or nothing at all. The one
    who sets the home up (`ImportFile.set_up_by`) gets `first_pin` in the same
    transaction; everyone else gets a PIN from a manager."""
    if first_pin is not None:
        first_pin = signin.validate_secret(first_pin)
    with bulk_cache(), write_transaction():
        # Checked inside the transaction, so no other terminal can add it meanwhile.
        if homes.name_taken(data.home.name):
            raise ServiceError(
                f"this database already holds a home named {data.home.name!r}; nothing was changed"
            )
        run = _set_up(data, clock.now())
        for step in (
            _terms,
            _children,
            _allocations,
            _absences_and_covers,
            _targets_and_events,
            _reviews,
            _sessions,
            # Before the handovers, so a book after a child left does not list them.
            _leavers,
            _handovers,
        ):
            step(run)
        if first_pin is not None:
            signin.set_pin(run.manager, run.manager.id, first_pin)
    counts = {
        key: len(data.home.term_dates if key == "term_dates" else getattr(data, key))
        for key, _, _ in NOUNS
    }
    return ImportSummary(run.home.id, run.home.name, counts)


def _first_day(data: ImportFile) -> dt.date | None:
    """The earliest thing the file records as having happened."""
    held = min(column(data.sessions, "held_at"), default=None)
    days = [
        *(c.admitted_on for c in data.children),
        *(t.start for t in data.home.term_dates),
        min(column(data.allocations, "from_"), default=None),
        min(column(data.targets, "set_on"), default=None),
        held.date() if held else None,
        min(column(data.reviews, "reviewed_on"), default=None),
        min(column(data.handover_entries, "shift_date"), default=None),
    ]
    return min((day for day in days if day is not None), default=None)


def _actor(staff: StaffOut) -> Actor:
    return Actor(staff.id, staff.name, staff.role, staff.home_id)


def _set_up(data: ImportFile, now: dt.datetime) -> _Run:
    """The home and its staff, by the file's first admin (who alone may add
    another admin) or else its first manager, on its first day."""
    boss = data.set_up_by()
    first = _first_day(data)
    with clock.frozen(min(_on(first, MORNING), now) if first else now):
        with _record("home"):
            home, manager = homes.create_home(data.home.to_input(), boss.to_input())
        actor = _actor(manager)  # create_home keeps an admin an admin
        run = _Run(data, now, home, actor, actors={boss.ref: actor})
        for index, entry in enumerate(data.staff):
            if entry is not boss:
                with _record(where("staff", index, entry.ref)):
                    run.actors[entry.ref] = _actor(people.add_staff(actor, entry.to_input()))
    return run


def _terms(run: _Run) -> None:
    for index, term in enumerate(run.data.home.term_dates):
        at = run.when(_on(term.start, MORNING))
        with _record(where("home.term_dates", index)), clock.frozen(at):
            homes.add_term(run.manager, term.to_input())


def _children(run: _Run) -> None:
    for index, entry in enumerate(run.data.children):
        at = run.when(_on(entry.admitted_on, MORNING))
        with _record(where("children", index, entry.ref)), clock.frozen(at):
            child = people.add_child(run.manager, entry.to_input())
        run.child_ids[entry.ref] = child.id


def _allocations(run: _Run) -> None:
    # In date order, so a change of key worker follows the allocation it replaces.
    ordered = sorted(enumerate(run.data.allocations), key=lambda pair: pair[1].from_)
    for index, entry in ordered:
        with _record(where("allocations", index)):
            _allocate(run, entry)


def _allocate(run: _Run, entry: FileAllocation) -> None:
    with clock.frozen(run.when(_on(entry.from_, MORNING))):
        allocation_id = allocation.allocate(run.manager, entry.to_input(run))
    if entry.to is not None:
        with clock.frozen(run.when(_on(entry.to, EVENING))):
            allocation.end_allocation(run.manager, allocation_id, entry.to)


def _absences_and_covers(run: _Run) -> None:
    # Calendar entries, possibly still to come: recorded at the moment of import.
    for index, absence in enumerate(run.data.absences):
        with _record(where("absences", index)):
            allocation.record_absence(run.manager, absence.to_input(run))
    for index, cover in enumerate(run.data.covers):
        with _record(where("covers", index)):
            allocation.arrange_cover(run.manager, cover.to_input(run))


def _targets_and_events(run: _Run) -> None:
    for index, target in enumerate(run.data.targets):
        with _record(where("targets", index)):
            with clock.frozen(run.when(_on(target.set_on, MORNING))):
                target_id = records.add_target(run.manager, target.to_input(run))
            review = target.review_input()
            if review is not None:
                with clock.frozen(run.when(_on(review.reviewed_on, NOON))):
                    records.review_target(run.manager, target_id, review)
    for index, event in enumerate(run.data.events):
        with _record(where("events", index)):
            records.add_event(run.manager, event.to_input(run))


def _reviews(run: _Run) -> None:
    for start, reviews in _slices(run.data.reviews):
        past = [
            records.PastReview(
                run.actors[review.by], review.to_input(run), run.when(_on(review.reviewed_on, NOON))
            )
            for review in reviews
        ]
        try:
            records.record_past_reviews(run.home.id, past)
        except RecordRefusedError as exc:
            with _record(where("reviews", start + exc.index)):
                raise exc.cause from None


def _sessions(run: _Run) -> None:
    for start, entries in _slices(run.data.sessions):
        past = []
        for index, entry in enumerate(entries, start):
            written = entry.finalised_at
            if written is not None and written > run.now:
                with _record(where("sessions", index)):
                    raise FieldError("finalised_at", "finalised at is in the future")
            # The draft an hour after the session, or when it was written up if sooner.
            drafted = run.when(entry.held_at + dt.timedelta(hours=1), written)
            past.append(
                sessions.PastSession(run.actors[entry.staff], entry.to_input(run), drafted, written)
            )
        try:
            sessions.record_past_sessions(run.home.id, past)
        except RecordRefusedError as exc:
            with _record(where("sessions", start + exc.index)):
                raise exc.cause from None


def _slices(found: Sequence[R]) -> Iterator[tuple[int, Sequence[R]]]:
    """The records RECORDS_AT_ONCE at a time, each slice with where it starts."""
    for start in range(0, len(found), RECORDS_AT_ONCE):
        yield start, found[start : start + RECORDS_AT_ONCE]


def _shift_bounds(run: _Run, shift: ShiftRef) -> tuple[dt.datetime, dt.datetime]:
    times = (run.home.day_shift_starts, run.home.night_shift_starts)
    return shift_starts(shift, *times), shift_starts(next_shift(shift), *times)


# The places in the file of a shift's entries, by shift.
_Entries = list[int]
_Shifts = dict[ShiftRef, _Entries]


def _handovers(run: _Run) -> None:
    """Entries written near the end of their shift, a shift's together; a shift
    that is over is submitted by whoever wrote its last entry. Written whole,
    a batch of shifts at once (`past_books`)."""
    entries = run.data.handover_entries
    by_shift: _Shifts = {}
    shifts = zip(column(entries, "shift_date"), column(entries, "shift"), strict=True)
    for index, (day, shift) in enumerate(shifts):
        by_shift.setdefault(ShiftRef(day, shift), []).append(index)
    # Built a batch at a time: years of books built at once would hold every
    # entry twice over (the file's record and the service's input) until written.
    for batch in _batches(by_shift):
        books = [(places[0], _book(run, shift, places)) for shift, places in batch]
        with _record(where("handover_entries", books[0][0])):
            past_books.write_books(run.home.id, [book for _, book in books])


def _batches(by_shift: _Shifts) -> Iterator[list[tuple[ShiftRef, _Entries]]]:
    """Whole shifts, about RECORDS_AT_ONCE entries a batch whatever the home's size."""
    batch: list[tuple[ShiftRef, _Entries]] = []
    size = 0
    for shift, entries in by_shift.items():
        batch.append((shift, entries))
        size += len(entries)
        if size >= RECORDS_AT_ONCE:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _book(run: _Run, shift: ShiftRef, places: _Entries) -> PastBook:
    starts, ends = _shift_bounds(run, shift)
    if starts > run.now:
        with _record(where("handover_entries", places[0])):
            raise FieldError("shift_date", "this shift has not started yet")
    # Read as values: years of entries need only their fields, not the models.
    entries = [values_at(run.data.handover_entries, place) for place in places]
    written = [PastEntry(run.actors[e.by], entry_input(e, run)) for e in entries]
    book = PastBook(shift, written, run.when(ends - dt.timedelta(minutes=20)))
    if ends > run.now:
        return book
    # A book that names only some children: the rest were not mentioned.
    return replace(book, submitted_by=written[-1].writer, submitted_at=ends - _SUBMITTED_BEFORE_END)


def _leavers(run: _Run) -> None:
    # After the care records, so everything dated before a child left is on their file.
    for index, entry in enumerate(run.data.children):
        if entry.left_on is None:
            continue
        at = run.when(_on(entry.left_on, EVENING))
        with _record(where("children", index, entry.ref)), clock.frozen(at):
            people.child_leaves(run.manager, run.child_ids[entry.ref], entry.left_on)
