"""Handover between shifts: signing on, writing entries, submitting, reading it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from keywork_tui.calendar import ShiftRef, next_shift, previous_shift, shift_at
from keywork_tui.schemas import HandoverEntryIn
from models import Acknowledgement, Child, Handover, HandoverEntry, Home, ShiftSignOn, Staff
from models.base import write_transaction

from . import audit, clock
from .actor import Actor
from .allocation import absences_on, covers_on, key_workers_on
from .errors import ConflictError, NotFoundError
from .people import children_in_placement

# How far back a bedtime concern keeps being shown.
BEDTIME_CONCERN_HANDOVERS = 3


@dataclass(frozen=True)
class BoardRow:
    child_id: int
    child: str
    key_worker: str | None
    key_worker_status: str | None  # on_shift, off_duty, absent
    absence_kind: str | None
    cover: str | None
    state: str | None
    mood: str
    bedtime_concern: str

    @property
    def no_cover(self) -> bool:
        return self.key_worker_status == "absent" and self.cover is None


@dataclass(frozen=True)
class Board:
    home: str
    outgoing: ShiftRef
    incoming: ShiftRef
    incoming_staff: list[str]
    rows: list[BoardRow]
    acknowledged_by: list[str] = field(default_factory=list)

    @property
    def no_cover(self) -> list[BoardRow]:
        return [r for r in self.rows if r.no_cover]


def shift_now(home_id: int, at: dt.datetime | None = None) -> ShiftRef:
    home = Home.get_by_id(home_id)
    return shift_at(at or clock.now(), home.day_shift_starts, home.night_shift_starts)


def sign_on(actor: Actor, shift: ShiftRef, staff_ids: list[int]) -> None:
    """Record who works a shift: this is how the program knows who is on duty."""
    with write_transaction():
        for staff_id in staff_ids:
            staff = Staff.get_or_none((Staff.id == staff_id) & (Staff.home == actor.home_id))
            if staff is None or not staff.active:
                raise NotFoundError(f"no active staff member with id {staff_id} in this home")
            row, created = ShiftSignOn.get_or_create(
                home=actor.home_id,
                shift_date=shift.date,
                shift=shift.name,
                staff=staff,
                defaults={"at": clock.now()},
            )
            if created:
                audit.record(actor, "shift.sign_on", row)


def open_handover(actor: Actor, shift: ShiftRef) -> int:
    """The handover written by `shift` (its outgoing staff), created if new."""
    existing = Handover.get_or_none(
        (Handover.home == actor.home_id)
        & (Handover.shift_date == shift.date)
        & (Handover.shift == shift.name)
    )
    if existing is not None:
        return existing.id
    with write_transaction():
        row = Handover.create(
            home=actor.home_id, shift_date=shift.date, shift=shift.name, created_at=clock.now()
        )
        audit.record(actor, "handover.open", row)
    return row.id


def _handover(actor: Actor, handover_id: int) -> Handover:
    row = Handover.get_or_none((Handover.id == handover_id) & (Handover.home == actor.home_id))
    if row is None:
        raise NotFoundError(f"no handover with id {handover_id}")
    return row


def write_entry(actor: Actor, handover_id: int, data: HandoverEntryIn) -> None:
    """Save (or replace) one child's entry while the handover is a draft."""
    with write_transaction():
        handover = _handover(actor, handover_id)
        if handover.status == "submitted":
            raise ConflictError("this handover is submitted: add an amendment instead")
        if not Child.get_or_none((Child.id == data.child_id) & (Child.home == actor.home_id)):
            raise NotFoundError(f"no child with id {data.child_id} in this home")
        values = data.model_dump(exclude={"child_id"})
        entry = HandoverEntry.get_or_none(
            (HandoverEntry.handover == handover) & (HandoverEntry.child == data.child_id)
        )
        before = audit.snapshot(entry) if entry else None
        if entry is None:
            entry = HandoverEntry(handover=handover, child=data.child_id)
        for key, value in values.items():
            setattr(entry, key, value)
        entry.by = actor.id
        entry.updated_at = clock.now()
        entry.save()
        audit.record(actor, "handover.entry", entry, before=before, child_id=data.child_id)


def submit(actor: Actor, handover_id: int, home_notes: str = "") -> None:
    with write_transaction():
        handover = _handover(actor, handover_id)
        if handover.status == "submitted":
            raise ConflictError("this handover was already submitted")
        before = audit.snapshot(handover)
        handover.home_notes = home_notes
        handover.status = "submitted"
        handover.written_by = actor.id
        handover.submitted_at = clock.now()
        handover.save()
        audit.record(actor, "handover.submit", handover, before=before)


def acknowledge(actor: Actor, handover_id: int) -> None:
    """The signed-in member of the incoming shift confirms they have read it."""
    with write_transaction():
        handover = _handover(actor, handover_id)
        if handover.status != "submitted":
            raise ConflictError("a handover can be acknowledged once it is submitted")
        row, created = Acknowledgement.get_or_create(
            handover=handover, staff=actor.id, defaults={"at": clock.now()}
        )
        if created:
            audit.record(actor, "handover.acknowledge", row)


# --- reading ---------------------------------------------------------------


def _recent_handovers(home_id: int, outgoing: ShiftRef) -> list[Handover]:
    shifts = [outgoing]
    for _ in range(BEDTIME_CONCERN_HANDOVERS - 1):
        shifts.append(previous_shift(shifts[-1]))
    wanted = {(s.date, s.name) for s in shifts}
    query = Handover.select().where(
        (Handover.home == home_id) & Handover.shift_date.between(shifts[-1].date, outgoing.date)
    )
    found = [h for h in query if (h.shift_date, h.shift) in wanted]
    return sorted(found, key=lambda h: (h.shift_date, h.shift == "night"), reverse=True)


def _signed_on(home_id: int, shift: ShiftRef) -> dict[int, str]:
    query = (
        ShiftSignOn.select(ShiftSignOn, Staff)
        .join(Staff)
        .where(
            (ShiftSignOn.home == home_id)
            & (ShiftSignOn.shift_date == shift.date)
            & (ShiftSignOn.shift == shift.name)
        )
        .order_by(Staff.name)
    )
    return {s.staff_id: s.staff.name for s in query}


def board(home_id: int, at: dt.datetime | None = None) -> Board:
    """What the incoming shift needs to know, child by child."""
    home = Home.get_by_id(home_id)
    outgoing = shift_at(at or clock.now(), home.day_shift_starts, home.night_shift_starts)
    incoming = next_shift(outgoing)
    children = children_in_placement(home_id, incoming.date)
    workers = key_workers_on(home_id, incoming.date)
    absent = absences_on(home_id, incoming.date)
    covers = covers_on(home_id, incoming.date)
    on_shift = _signed_on(home_id, incoming)
    handovers = _recent_handovers(home_id, outgoing)
    entries = _entries_by_child(handovers)
    current = next((h for h in handovers if h.shift_date == outgoing.date
                    and h.shift == outgoing.name), None)
    rows = []
    for child in children:
        worker = workers.get(child.id)
        status = None
        if worker is not None:
            status = "absent" if worker.id in absent else (
                "on_shift" if worker.id in on_shift else "off_duty")
        latest = entries.get(child.id, [])
        this_shift = next((e for e in latest if current and e.handover_id == current.id), None)
        cover = covers.get(child.id)
        rows.append(
            BoardRow(
                child_id=child.id,
                child=child.short_name,
                key_worker=worker.name if worker else None,
                key_worker_status=status,
                absence_kind=absent[worker.id].kind if status == "absent" else None,
                cover=cover.staff_name if cover and status != "on_shift" else None,
                state=this_shift.state if this_shift else None,
                mood=this_shift.mood if this_shift else "",
                bedtime_concern=next((e.bedtime_concern for e in latest if e.bedtime_concern), ""),
            )
        )
    acknowledged = _acknowledged_by(current) if current else []
    return Board(home.name, outgoing, incoming, list(on_shift.values()), rows, acknowledged)


def _entries_by_child(handovers: list[Handover]) -> dict[int, list[HandoverEntry]]:
    if not handovers:
        return {}
    order = {h.id: i for i, h in enumerate(handovers)}
    query = HandoverEntry.select().where(HandoverEntry.handover.in_(list(order)))
    grouped: dict[int, list[HandoverEntry]] = {}
    for entry in sorted(query, key=lambda e: order[e.handover_id]):
        grouped.setdefault(entry.child_id, []).append(entry)
    return grouped


def _acknowledged_by(handover: Handover) -> list[str]:
    query = (
        Acknowledgement.select(Acknowledgement, Staff)
        .join(Staff)
        .where(Acknowledgement.handover == handover)
        .order_by(Acknowledgement.at)
    )
    return [a.staff.name for a in query]
