"""Key-worker allocation, absences and cover: who a child goes to, on a day."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, NamedTuple

from keywork_tui.outputs import StaffOut
from keywork_tui.services import audit
from keywork_tui.services.actor import MANAGERS, PROVIDERS, Actor, child_of, require
from keywork_tui.services.errors import ConflictError, FieldError, NotFoundError, ServiceError
from models import Absence, Child, Cover, KeyWorkerAllocation, Staff
from models.base import Homes, of_homes, write_transaction

if TYPE_CHECKING:  # inputs arrive validated: reading who covers needs no pydantic
    from keywork_tui.schemas import AbsenceIn, AllocationIn, CoverIn


class AbsenceOut(NamedTuple):
    """A staff member's absence, as the services send it back."""

    id: int
    staff_id: int
    starts_on: dt.date
    ends_on: dt.date
    kind: str


class CoverOut(NamedTuple):
    """Who stands in for a child's key worker, and for which days."""

    id: int
    child_id: int
    staff_id: int
    staff_name: str
    starts_on: dt.date
    ends_on: dt.date


def _eligible_staff(actor: Actor, staff_id: int) -> Staff:
    staff = Staff.get_or_none((Staff.id == staff_id) & (Staff.home == actor.home_id))
    if staff is None:
        raise NotFoundError(f"no staff member with id {staff_id} in this home")
    missing = [
        what
        for what, ok in (
            ("is not active", staff.active),
            ("oversees the homes and does not key-work", staff.role not in PROVIDERS),
            ("has not completed induction", staff.induction_done),
            ("has no level-3 qualification", staff.level3),
        )
        if not ok
    ]
    if missing:
        raise ServiceError(f"{staff.name} cannot key-work: " + " and ".join(missing))
    return staff


def _current(child_id: int, role: str) -> KeyWorkerAllocation | None:
    return KeyWorkerAllocation.get_or_none(
        (KeyWorkerAllocation.child == child_id)
        & (KeyWorkerAllocation.role == role)
        & KeyWorkerAllocation.ends_on.is_null()
    )


def allocate(actor: Actor, data: AllocationIn) -> int:
    """Make `staff` the child's key (or co-) worker from a date, keeping history."""
    require(actor, *MANAGERS, doing="allocate key workers")
    with write_transaction():
        child = child_of(actor, data.child_id)
        staff = _eligible_staff(actor, data.staff_id)
        current = _current(child.id, data.role)
        if current is not None:
            if current.staff_id == staff.id:
                raise ConflictError(f"{staff.name} is already allocated to this child")
            if data.reason is None:
                raise ServiceError("a change of key worker needs a reason")
            if data.starts_on <= current.starts_on:
                raise ConflictError("the change must start after the current allocation began")
            before = audit.snapshot(current)
            current.ends_on = data.starts_on - dt.timedelta(days=1)
            current.save()
            audit.record(actor, "allocation.end", current, before=before, child_id=child.id)
        row = KeyWorkerAllocation.create(**data.model_dump())
        audit.record(actor, "allocation.start", row, child_id=child.id)
    return row.id


def end_allocation(actor: Actor, allocation_id: int, ends_on: dt.date) -> None:
    """End an open allocation on a day (its last day), without naming a successor."""
    require(actor, *MANAGERS, doing="end allocations")
    with write_transaction():
        row = (
            KeyWorkerAllocation.select()
            .join(Child)
            .where((KeyWorkerAllocation.id == allocation_id) & (Child.home == actor.home_id))
            .first()
        )
        if row is None:
            raise NotFoundError(f"no allocation with id {allocation_id} in this home")
        if row.ends_on is not None:
            raise ConflictError("this allocation has already ended")
        if ends_on < row.starts_on:
            raise FieldError("ends_on", "an allocation cannot end before it starts")
        before = audit.snapshot(row)
        row.ends_on = ends_on
        row.save()
        audit.record(actor, "allocation.end", row, before=before, child_id=row.child_id)


def key_workers_on(home_id: Homes, day: dt.date) -> dict[int, StaffOut]:
    """Each child's key worker on a day (of one home or several), in one query."""
    query = (
        KeyWorkerAllocation.select(KeyWorkerAllocation, Staff)
        .join(Staff)
        .switch(KeyWorkerAllocation)
        .join(Child)
        .where(
            of_homes(Child.home, home_id)
            & (KeyWorkerAllocation.role == "key_worker")
            & (KeyWorkerAllocation.starts_on <= day)
            & (KeyWorkerAllocation.ends_on.is_null() | (KeyWorkerAllocation.ends_on >= day))
        )
    )
    return {a.child_id: StaffOut.of(a.staff) for a in query}


def record_absence(actor: Actor, data: AbsenceIn) -> AbsenceOut:
    require(actor, *MANAGERS, doing="record absences")
    with write_transaction():
        staff = Staff.get_or_none((Staff.id == data.staff_id) & (Staff.home == actor.home_id))
        if staff is None:
            raise NotFoundError(f"no staff member with id {data.staff_id} in this home")
        row = Absence.create(**data.model_dump())
        audit.record(actor, "absence.add", row)
    return AbsenceOut(row.id, row.staff_id, row.starts_on, row.ends_on, row.kind)


def absences_on(home_id: Homes, day: dt.date) -> dict[int, AbsenceOut]:
    """Staff absent on a day, keyed by staff id, in one query."""
    query = (
        Absence.select()
        .join(Staff)
        .where(
            of_homes(Staff.home, home_id) & (Absence.starts_on <= day) & (Absence.ends_on >= day)
        )
    )
    return {a.staff_id: AbsenceOut(a.id, a.staff_id, a.starts_on, a.ends_on, a.kind) for a in query}


def arrange_cover(actor: Actor, data: CoverIn) -> CoverOut:
    require(actor, *MANAGERS, doing="arrange cover")
    with write_transaction():
        child = child_of(actor, data.child_id)
        staff = _eligible_staff(actor, data.staff_id)
        row = Cover.create(**data.model_dump())
        audit.record(actor, "cover.arrange", row, child_id=child.id)
    return CoverOut(row.id, row.child_id, staff.id, staff.name, row.starts_on, row.ends_on)


def covers_on(home_id: Homes, day: dt.date) -> dict[int, CoverOut]:
    """Cover arranged for each child on a day (the latest arrangement wins)."""
    query = (
        Cover.select(Cover, Staff)
        .join(Staff)
        .where(of_homes(Staff.home, home_id) & (Cover.starts_on <= day) & (Cover.ends_on >= day))
        .order_by(Cover.id)
    )
    return {
        c.child_id: CoverOut(c.id, c.child_id, c.staff_id, c.staff.name, c.starts_on, c.ends_on)
        for c in query
    }
