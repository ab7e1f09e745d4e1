"""What the manager's workspace lists: each child's key workers, the absences
ahead with the cover arranged for each key child, and supervision per key worker.

Managers only; each list is a fixed handful of whole-home queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

import peewee as pw

from keywork_tui.services.actor import OVERSEERS, Actor, require
from keywork_tui.services.child_file import obligations as compliance
from keywork_tui.services.team.people import children_in_placement
from keywork_tui.services.team.staffing import (
    allocations_on,
    days_between,
    eligibility_words,
    key_child_days,
)
from models import Absence, Cover, KeyWorkerAllocation, Staff, Supervision

# Absences ending before today are history; these look this far ahead.
ABSENCES_AHEAD = dt.timedelta(days=90)


@dataclass(frozen=True)
class ChildAllocation:
    child_id: int
    child: str
    key_worker_id: int | None
    key_worker: str | None
    since: dt.date | None
    co_worker_id: int | None
    co_worker: str | None
    cover: str | None  # who covers today, when someone does


def allocation_board(actor: Actor, today: dt.date) -> list[ChildAllocation]:
    """Each child in placement with their key worker, co-worker and today's cover."""
    require(actor, *OVERSEERS, doing="see the allocation of key workers")
    children = children_in_placement(actor.home_id, today)
    current: dict[tuple[int, str], KeyWorkerAllocation] = {}
    query = (
        KeyWorkerAllocation.select(KeyWorkerAllocation, Staff)
        .join(Staff)
        .where(
            KeyWorkerAllocation.child.in_([c.id for c in children])
            & (KeyWorkerAllocation.starts_on <= today)
            & (KeyWorkerAllocation.ends_on.is_null() | (KeyWorkerAllocation.ends_on >= today))
        )
    )
    for a in query:
        current[(a.child_id, a.role)] = a
    covers = {
        c.child_id: c.staff.name
        for c in Cover.select(Cover, Staff)
        .join(Staff)
        .where(
            (Staff.home == actor.home_id) & (Cover.starts_on <= today) & (Cover.ends_on >= today)
        )
        .order_by(Cover.id)
    }
    rows = []
    for c in children:
        key, co = current.get((c.id, "key_worker")), current.get((c.id, "co_worker"))
        rows.append(
            ChildAllocation(
                c.id,
                c.short_name,
                key.staff_id if key else None,
                key.staff.name if key else None,
                key.starts_on if key else None,
                co.staff_id if co else None,
                co.staff.name if co else None,
                covers.get(c.id),
            )
        )
    return rows


@dataclass(frozen=True)
class ChildCover:
    child_id: int
    child: str
    covered_by: tuple[str, ...]  # everyone covering some day of the absence
    uncovered: tuple[dt.date, ...]  # days from today on with nobody covering


@dataclass(frozen=True)
class AbsenceRow:
    id: int
    staff_id: int
    staff: str
    kind: str
    starts_on: dt.date
    ends_on: dt.date
    note: str
    children: tuple[ChildCover, ...]

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1

    @property
    def uncovered(self) -> bool:
        return any(c.uncovered for c in self.children)


def absences_ahead(actor: Actor, today: dt.date) -> list[AbsenceRow]:
    """Absences running today or starting within 90 days, soonest first, with
    each of the absent worker's key children and who covers them."""
    require(actor, *OVERSEERS, doing="see absences and cover")
    absences = list(
        Absence.select(Absence, Staff)
        .join(Staff)
        .where(
            (Staff.home == actor.home_id)
            & (Absence.ends_on >= today)
            & (Absence.starts_on <= today + ABSENCES_AHEAD)
        )
        .order_by(Absence.starts_on, Staff.name)
    )
    key_days = key_child_days(absences, today)
    child_ids = [c for children in key_days.values() for c in children]
    covers = list(
        Cover.select(Cover, Staff)
        .join(Staff)
        .where(Cover.child.in_(child_ids) & (Cover.ends_on >= today))
    )
    return [_absence_row(a, key_days[a.id], covers) for a in absences]


def _absence_row(
    absence: Absence, children: dict[int, tuple[str, list[dt.date]]], covers: list[Cover]
) -> AbsenceRow:
    found = []
    for child_id, (name, days) in sorted(children.items(), key=lambda kv: kv[1][0].casefold()):
        mine = [
            c
            for c in covers
            if c.child_id == child_id
            and c.starts_on <= absence.ends_on
            and c.ends_on >= absence.starts_on
        ]
        covered = {d for c in mine for d in days_between(c.starts_on, c.ends_on)}
        names = tuple(dict.fromkeys(c.staff.name for c in sorted(mine, key=lambda c: c.starts_on)))
        found.append(ChildCover(child_id, name, names, tuple(d for d in days if d not in covered)))
    return AbsenceRow(
        absence.id,
        absence.staff_id,
        absence.staff.name,
        absence.kind,
        absence.starts_on,
        absence.ends_on,
        absence.note,
        tuple(found),
    )


@dataclass(frozen=True)
class SupervisionRow:
    staff_id: int
    name: str
    key_children: int
    last: dt.date | None
    held_this_year: int
    due: dt.date | None  # set when supervision is due soon or overdue
    status: str | None  # due_soon, due_today, overdue
    eligibility: str


def supervision_overview(actor: Actor, today: dt.date) -> list[SupervisionRow]:
    """Every active staff member: their last supervision, how many in the last
    year, and whether the home's rule has one due soon or overdue."""
    require(actor, *OVERSEERS, doing="see supervision")
    staff = list(
        Staff.select().where((Staff.home == actor.home_id) & Staff.active).order_by(Staff.name)
    )
    year_ago = today - dt.timedelta(days=365)
    in_the_year = cast(
        "Iterable[tuple[int, dt.date, int]]",
        Supervision.select(
            Supervision.staff, pw.fn.MAX(Supervision.held_on), pw.fn.COUNT(Supervision.id)
        )
        .where(
            Supervision.staff.in_([s.id for s in staff])
            & (Supervision.held_on <= today)
            & (Supervision.held_on > year_ago)
        )
        .group_by(Supervision.staff)
        .tuples(),
    )
    held = {staff_id: (last, count) for staff_id, last, count in in_the_year}
    last_ever = dict(
        cast(
            "Iterable[tuple[int, dt.date]]",
            Supervision.select(Supervision.staff, pw.fn.MAX(Supervision.held_on))
            .where(Supervision.staff.in_([s.id for s in staff]) & (Supervision.held_on <= today))
            .group_by(Supervision.staff)
            .tuples(),
        )
    )
    due = {
        o.staff_id: o
        for o in compliance.obligations(actor.home_id, today)
        if o.obligation == "supervision"
    }
    loads = allocations_on(actor.home_id, today)
    rows = []
    for s in staff:
        o = due.get(s.id)
        rows.append(
            SupervisionRow(
                s.id,
                s.name,
                loads[(s.id, "key_worker")],
                last_ever.get(s.id),
                held.get(s.id, (None, 0))[1],
                o.due if o else None,
                o.status if o else None,
                eligibility_words(s),
            )
        )
    return rows
