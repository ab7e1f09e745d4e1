"""Who is on a shift, who leads it, and who has read the handover it received."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import NamedTuple, cast

from keywork_tui.calendar import ShiftRef, next_shift
from models import Acknowledgement, Handover, ShiftSignOn, Staff

# Unread.missing when nobody signed on to read the handover.
NOBODY_YET = "nobody yet"


class Unread(NamedTuple):
    """A submitted handover some of its incoming staff have not acknowledged."""

    handover_id: int
    shift: ShiftRef
    missing: tuple[str, ...]
    leader: str | None
    leader_id: int | None


def signed_on(home_id: int, shift: ShiftRef) -> list[tuple[int, str, bool]]:
    """(staff id, name, leads the shift) for everyone signed on, by name."""
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
    return [(s.staff_id, s.staff.name, s.leader) for s in query]


def leader_of(on: list[tuple[int, str, bool]]) -> tuple[int, str] | None:
    """The marked leader, else a signed-on shift leader by role."""
    marked = [(i, n) for i, n, lead in on if lead]
    if marked:
        return marked[0]
    ids = [i for i, _, _ in on]
    if not ids:
        return None
    role = (
        Staff.select(Staff.id, Staff.name)
        .where(Staff.id.in_(ids) & (Staff.role == "shift_leader"))
        .order_by(Staff.name)
        .first()
    )
    return (role.id, role.name) if role else None


def acknowledged(handover_id: int) -> list[tuple[int, str]]:
    query = (
        Acknowledgement.select(Acknowledgement, Staff)
        .join(Staff)
        .where(Acknowledgement.handover == handover_id)
        .order_by(Acknowledgement.at)
    )
    return [(a.staff_id, a.staff.name) for a in query]


def unread(handover: Handover) -> Unread | None:
    """Who of the incoming shift has not read a submitted handover (None: all have)."""
    found = _unread_of([handover]) if handover.status == "submitted" else []
    return found[0] if found else None


def unread_in(
    home_ids: Sequence[int],
    first: dt.date,
    until: Mapping[int, dt.datetime],
    incoming_start: Callable[[int, ShiftRef], dt.datetime],
) -> dict[int, list[Unread]]:
    """For each home, its submitted handovers written from `first` on, whose
    incoming shift began (`incoming_start`, by home) before the home's `until`,
    that some of that shift have not read. The same queries for any number of homes."""
    handovers = [
        h
        for h in Handover.select().where(
            Handover.home.in_(list(home_ids))
            & (Handover.shift_date >= first)
            & (Handover.status == "submitted")
        )
        if incoming_start(h.home_id, next_shift(ShiftRef(h.shift_date, h.shift)))
        <= until[h.home_id]
    ]
    home_of = {h.id: h.home_id for h in handovers}
    found: dict[int, list[Unread]] = {home_id: [] for home_id in home_ids}
    for u in _unread_of(handovers):
        found[home_of[u.handover_id]].append(u)
    return found


def _unread_of(handovers: list[Handover]) -> list[Unread]:
    """Set-based: a fixed number of queries however many handovers there are.
    With nobody signed on, a handover is unread until someone acknowledges it."""
    if not handovers:
        return []
    first = min(h.shift_date for h in handovers)
    homes = sorted({h.home_id for h in handovers})
    on: dict[tuple[int, dt.date, str], list[tuple[int, str, int]]] = {}
    for s in (
        ShiftSignOn.select(ShiftSignOn, Staff)
        .join(Staff)
        .where(ShiftSignOn.home.in_(homes) & (ShiftSignOn.shift_date >= first))
        .order_by(Staff.name)
    ):
        # A leader marked at sign-on comes before one who leads by role.
        leads = 2 if s.leader else int(s.staff.role == "shift_leader")
        key = (s.home_id, s.shift_date, s.shift)
        on.setdefault(key, []).append((s.staff_id, s.staff.name, leads))
    read: dict[int, set[int]] = {}
    for a in Acknowledgement.select().where(
        Acknowledgement.handover.in_([h.id for h in handovers])
    ):
        read.setdefault(a.handover_id, set()).add(a.staff_id)
    found: list[Unread] = []
    unled: list[tuple[int, Handover]] = []  # led, for want of a leader, by the writer
    for h in sorted(handovers, key=lambda h: (h.home_id, h.shift_date, h.shift == "night")):
        shift = ShiftRef(h.shift_date, h.shift)
        nxt = next_shift(shift)
        team = on.get((h.home_id, nxt.date, nxt.name), [])
        readers = read.get(h.id, set())
        missing = tuple(name for staff_id, name, _ in team if staff_id not in readers)
        if not missing and (readers or team):
            continue
        ranked = sorted((t for t in team if t[2]), key=lambda t: -t[2])
        lead = (ranked[0][0], ranked[0][1]) if ranked else None
        if lead is None and h.written_by_id:
            unled.append((len(found), h))
        found.append(
            Unread(
                h.id,
                shift,
                missing or (NOBODY_YET,),
                lead[1] if lead else None,
                lead[0] if lead else None,
            )
        )
    return _led_by_writers(found, unled)


def _led_by_writers(found: list[Unread], unled: list[tuple[int, Handover]]) -> list[Unread]:
    """A handover nobody leads the reading of falls to whoever wrote it."""
    if not unled:
        return found
    writers = dict(
        cast(
            "Iterable[tuple[int, str]]",
            Staff.select(Staff.id, Staff.name)
            .where(Staff.id.in_([h.written_by_id for _, h in unled]))
            .tuples(),
        )
    )
    for at, h in unled:
        if h.written_by_id in writers:
            found[at] = found[at]._replace(
                leader=writers[h.written_by_id], leader_id=h.written_by_id
            )
    return found
