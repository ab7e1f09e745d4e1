"""'Since you were away': what was recorded about a key worker's children
while they were off shift, until they mark it read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import NamedTuple

from keywork_tui.calendar import ShiftRef, next_shift, no_later_than, shift_at
from keywork_tui.services import audit, clock
from keywork_tui.services.actor import Actor
from keywork_tui.services.errors import ConflictError
from keywork_tui.services.handover import notes as recorded
from keywork_tui.services.handover.notes import Note
from keywork_tui.services.handover.shift import start_of
from models import Absence, AwayRead, Home, KeyWorkerAllocation, ShiftSignOn
from models.base import write_transaction


class Digest(NamedTuple):
    """What was written about a key worker's children while they were off."""

    on_shift: bool
    since: dt.datetime | None
    notes: list[Note]

    @property
    def shown(self) -> bool:
        return self.on_shift and bool(self.notes)


def _order(shift: ShiftRef) -> tuple[dt.date, bool]:
    return shift.date, shift.name == "night"


def _worked(actor: Actor, current: ShiftRef) -> tuple[bool, ShiftRef | None]:
    """(signed on to this shift or the next, the last shift worked before this one)."""
    rows = (
        ShiftSignOn.select(ShiftSignOn.shift_date, ShiftSignOn.shift)
        .where(
            (ShiftSignOn.staff == actor.id)
            & (ShiftSignOn.shift_date <= current.date + dt.timedelta(days=1))
        )
        .order_by(ShiftSignOn.shift_date.desc())
        .limit(6)
    )
    worked = [ShiftRef(r.shift_date, r.shift) for r in rows]
    on_now = bool({current, next_shift(current)} & set(worked))
    before = [s for s in worked if _order(s) < _order(current)]
    return on_now, max(before, key=_order, default=None)


def _key_children(actor: Actor, day: dt.date) -> list[int]:
    query = KeyWorkerAllocation.select(KeyWorkerAllocation.child).where(
        (KeyWorkerAllocation.staff == actor.id)
        & (KeyWorkerAllocation.starts_on <= day)
        & (KeyWorkerAllocation.ends_on.is_null() | (KeyWorkerAllocation.ends_on >= day))
    )
    return [a.child_id for a in query]


def _last_read(actor: Actor) -> dt.datetime | None:
    row = (
        AwayRead.select(AwayRead.up_to)
        .where(AwayRead.staff == actor.id)
        .order_by(AwayRead.up_to.desc())
        .first()
    )
    return row.up_to if row else None


def _absence_began(
    actor: Actor,
    day: dt.date,
    last: ShiftRef | None,
    starts_of: Callable[[ShiftRef], dt.datetime],
) -> dt.datetime | None:
    """For the latest recorded absence that runs now or ended since the last shift
    worked: the end of the last shift worked before it began (or its first day)."""
    absence = (
        Absence.select()
        .where((Absence.staff == actor.id) & (Absence.starts_on <= day))
        .order_by(Absence.starts_on.desc())
        .first()
    )
    if absence is None or (last is not None and absence.ends_on < last.date):
        return None
    before = (
        ShiftSignOn.select(ShiftSignOn.shift_date, ShiftSignOn.shift)
        .where((ShiftSignOn.staff == actor.id) & (ShiftSignOn.shift_date < absence.starts_on))
        .order_by(ShiftSignOn.shift_date.desc(), ShiftSignOn.shift.desc())
        .first()
    )
    if before is None:
        return dt.datetime.combine(absence.starts_on, dt.time())
    return starts_of(next_shift(ShiftRef(before.shift_date, before.shift)))


def digest(actor: Actor, at: dt.datetime | None = None) -> Digest:
    """Everything others recorded about the actor's key children since the end
    of the last shift they worked, or since the last shift before a recorded
    absence began, whichever is earlier (or since they last marked it read)."""
    at = at or clock.now()
    home = Home.get_by_id(actor.home_id)
    current = shift_at(at, home.day_shift_starts, home.night_shift_starts)
    on_now, last = _worked(actor, current)
    starts_of = partial(start_of, home)
    starts = [starts_of(next_shift(last))] if last is not None else []
    began = _absence_began(actor, at.date(), last, starts_of)
    starts += [began] if began is not None else []
    if not starts:
        return Digest(on_now, None, [])
    since = min(starts)
    read = _last_read(actor)
    if read is not None and read > since:
        since = no_later_than(read)
    notes = recorded.about(_key_children(actor, at.date()), since, at, not_by=actor.id)
    return Digest(on_now, since, notes)


def mark_read(actor: Actor, up_to: dt.datetime) -> None:
    """The key worker has read the digest as it stood at `up_to`."""
    if up_to > clock.now():
        raise ConflictError("cannot mark as read what has not happened yet")
    with write_transaction():
        row = AwayRead.create(staff=actor.id, up_to=up_to, at=clock.now())
        audit.record(actor, "away.read", row)
