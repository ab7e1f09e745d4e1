"""The handover board: what the incoming shift must know, child by child.

Read-only. Built from a fixed handful of queries for the whole home, so a
screen can rebuild it every time another terminal changes something.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import partial
from typing import NamedTuple

from keywork_tui.calendar import ShiftRef, next_shift, previous_shift
from keywork_tui.services import clock
from keywork_tui.services.child_file import obligations as compliance
from keywork_tui.services.child_file import upcoming
from keywork_tui.services.handover import notes as recorded
from keywork_tui.services.handover.notes import Note
from keywork_tui.services.handover.on_shift import (
    Unread,
    acknowledged,
    leader_of,
    signed_on,
    unread,
)
from keywork_tui.services.handover.shift import around, focus_of, start_of
from models import Amendment, Handover, HandoverEntry, Home, KeySession, Staff

# How far back a bedtime concern keeps being shown.
BEDTIME_CONCERN_HANDOVERS = 3
EVENTS_AHEAD = dt.timedelta(hours=24)


class AmendmentView(NamedTuple):
    """A correction to a handover entry, as the board shows it."""

    field: str
    original: str
    corrected: str
    reason: str
    by: str
    at: dt.datetime


class EntryView(NamedTuple):
    """One child's handover entry, as the board shows it."""

    state: str
    mood: str
    events: str
    bedtime_concern: str
    actions: str
    nothing_to_add: bool
    by: str
    updated_at: dt.datetime
    amendments: tuple[AmendmentView, ...] = ()
    not_mentioned: bool = False  # passed because the shift's book did not mention them


class BoardRow(NamedTuple):
    """One child's line on the handover board."""

    child_id: int
    child: str
    key_worker: str | None
    key_worker_status: str | None  # on_shift, off_duty, absent
    absence_kind: str | None
    cover: str | None
    entry: EntryView | None
    bedtime: tuple[Note, ...] = ()
    events_next_24h: tuple[str, ...] = ()
    overdue_count: int = 0
    unseen_concerns: int = 0
    # Significant events recorded since the outgoing shift began.
    significant: tuple[Note, ...] = ()

    @property
    def no_cover(self) -> bool:
        return self.key_worker_status == "absent" and self.cover is None

    @property
    def state(self) -> str | None:
        return self.entry.state if self.entry and not self.entry.nothing_to_add else None

    @property
    def mood(self) -> str:
        return self.entry.mood if self.entry else ""

    @property
    def bedtime_concern(self) -> str:
        return self.bedtime[0].text if self.bedtime else ""


@dataclass(frozen=True)
class Board:
    """The handover between two shifts, as the home screen shows it."""

    home: str
    outgoing: ShiftRef
    incoming: ShiftRef
    starts_at: dt.datetime
    incoming_staff: list[str]
    rows: list[BoardRow]
    acknowledged_by: list[str] = field(default_factory=list)
    handover_id: int | None = None
    status: str = "none"  # none, draft, submitted
    written_by: str | None = None
    submitted_at: dt.datetime | None = None
    home_notes: str = ""
    leader: str | None = None
    previous_unread: Unread | None = None
    for_cover: list[tuple[str, list[Note]]] = field(default_factory=list)
    in_focus: ShiftRef | None = None  # the handover that matters now

    @property
    def when(self) -> str:
        """ "now", "earlier" or "later": where this handover stands against the one in focus."""
        if self.in_focus is None or self.outgoing == self.in_focus:
            return "now"
        order = (self.outgoing.date, self.outgoing.name == "night")
        return "earlier" if order < (self.in_focus.date, self.in_focus.name == "night") else "later"

    @property
    def no_cover(self) -> list[BoardRow]:
        return [r for r in self.rows if r.no_cover]

    @property
    def not_acknowledged(self) -> list[str]:
        return [n for n in self.incoming_staff if n not in self.acknowledged_by]

    @property
    def is_night(self) -> bool:
        """Handing over to the night shift: bedtime concerns come first."""
        return self.incoming.name == "night"


# --- queries ------------------------------------------------------------------


def _recent_handovers(home_id: int, outgoing: ShiftRef) -> list[Handover]:
    shifts = [around(outgoing, -step) for step in range(BEDTIME_CONCERN_HANDOVERS)]
    wanted = {(s.date, s.name) for s in shifts}
    query = Handover.select().where(
        (Handover.home == home_id) & Handover.shift_date.between(shifts[-1].date, outgoing.date)
    )
    found = [h for h in query if (h.shift_date, h.shift) in wanted]
    return sorted(found, key=lambda h: (h.shift_date, h.shift == "night"), reverse=True)


def _entries_by_child(handovers: list[Handover]) -> dict[int, list[HandoverEntry]]:
    if not handovers:
        return {}
    order = {h.id: i for i, h in enumerate(handovers)}
    query = (
        HandoverEntry.select(HandoverEntry, Staff)
        .join(Staff)
        .where(HandoverEntry.handover.in_(list(order)))
    )
    grouped: dict[int, list[HandoverEntry]] = {}
    for entry in sorted(query, key=lambda e: order[e.handover_id]):
        grouped.setdefault(entry.child_id, []).append(entry)
    return grouped


def _amendments(entry_ids: list[int]) -> dict[int, list[AmendmentView]]:
    if not entry_ids:
        return {}
    query = (
        Amendment.select(Amendment, Staff)
        .join(Staff)
        .where((Amendment.table == "handover_entry") & Amendment.record_id.in_(entry_ids))
        .order_by(Amendment.at)
    )
    found: dict[int, list[AmendmentView]] = {}
    for a in query:
        found.setdefault(a.record_id, []).append(
            AmendmentView(a.field, a.original, a.corrected, a.reason, a.by.name, a.at)
        )
    return found


def _entry_view(entry: HandoverEntry, amendments: list[AmendmentView]) -> EntryView:
    return EntryView(
        entry.state,
        entry.mood,
        entry.events,
        entry.bedtime_concern,
        entry.actions,
        entry.nothing_to_add,
        entry.by.name,
        entry.updated_at,
        tuple(amendments),
        entry.not_mentioned,
    )


def _shift_label(handover_id: int, handovers: list[Handover]) -> str:
    h = next(h for h in handovers if h.id == handover_id)
    return f"{h.shift} handover {h.shift_date:%a %d %b}"


def _bedtime(
    entries: list[HandoverEntry], handovers: list[Handover], sessions: list[Note]
) -> tuple[Note, ...]:
    """Bedtime concerns from the last three handovers and sessions since, newest first."""
    notes = [
        Note(
            e.updated_at,
            e.child_id,
            "",
            "bedtime",
            e.by.name,
            e.by_id,
            e.bedtime_concern,
            _shift_label(e.handover_id, handovers),
        )
        for e in entries
        if e.bedtime_concern
    ]
    notes += [n for n in sessions if n.kind == "bedtime"]
    return tuple(sorted(notes, key=lambda n: n.at, reverse=True))


def _unseen_concerns(child_ids: list[int]) -> Counter[int]:
    query = KeySession.select(KeySession.child).where(
        KeySession.child.in_(child_ids)
        & (KeySession.concern == True)  # noqa: E712
        & KeySession.concern_seen_at.is_null()
    )
    return Counter(s.child_id for s in query)


# --- the board ----------------------------------------------------------------


def board(home_id: int, at: dt.datetime | None = None, outgoing: ShiftRef | None = None) -> Board:
    """The handover in focus at `at` (or the one written by `outgoing`)."""
    home = Home.get_by_id(home_id)
    starts = partial(start_of, home)
    in_focus = focus_of(home, at)
    outgoing = outgoing or in_focus
    incoming = next_shift(outgoing)
    begins = starts(incoming)
    day = begins.date()
    # The rules' pass for the day, with the children and key workers it read.
    worked = compliance.worked_out(home_id, day, home)
    children = worked.children
    ids = [c.id for c in children]
    workers, absent, covers = worked.who.workers, worked.who.absent, worked.who.covers
    on = signed_on(home_id, incoming)
    on_ids = {staff_id for staff_id, _, _ in on}
    handovers = _recent_handovers(home_id, outgoing)
    entries = _entries_by_child(handovers)
    current = next(
        (h for h in handovers if (h.shift_date, h.shift) == (outgoing.date, outgoing.name)), None
    )
    # Session concerns count from the oldest of the handovers bedtime concerns come from.
    window = starts(around(outgoing, 1 - BEDTIME_CONCERN_HANDOVERS))
    until = min(clock.now(), starts(next_shift(incoming)))
    sessions = recorded.session_concerns(ids, window, until)
    incidents = recorded.significant_notes(ids, starts(outgoing), until)
    this_shift = {
        cid: next((e for e in es if current and e.handover_id == current.id), None)
        for cid, es in entries.items()
    }
    amends = _amendments([e.id for e in this_shift.values() if e is not None])
    coming = upcoming.between(
        {c.id: c.date_of_birth for c in children}, day, (begins + EVENTS_AHEAD).date()
    )
    late = Counter(
        o.child_id for o in worked.obligations if o.status == "overdue" and o.child_id is not None
    )
    unseen = _unseen_concerns(ids)
    rows = []
    for child in children:
        worker = workers.get(child.id)
        status = None
        if worker is not None:
            status = (
                "absent"
                if worker.id in absent
                else "on_shift"
                if worker.id in on_ids
                else "off_duty"
            )
        entry = this_shift.get(child.id)
        cover = covers.get(child.id)
        rows.append(
            BoardRow(
                child_id=child.id,
                child=child.short_name,
                key_worker=worker.name if worker else None,
                key_worker_status=status,
                absence_kind=absent[worker.id].kind if worker and status == "absent" else None,
                cover=cover.staff_name if cover and status != "on_shift" else None,
                entry=_entry_view(entry, amends.get(entry.id, [])) if entry else None,
                bedtime=_bedtime(
                    entries.get(child.id, []),
                    handovers,
                    [n for n in sessions if n.child_id == child.id],
                ),
                events_next_24h=tuple(u.label(day) for u in coming.get(child.id, [])),
                overdue_count=late.get(child.id, 0),
                unseen_concerns=unseen.get(child.id, 0),
                significant=tuple(n for n in incidents if n.child_id == child.id),
            )
        )
    leader = leader_of(on)
    # Among the recent ones: concerns reach back further than one shift.
    previous = previous_shift(outgoing)
    before = next(
        (h for h in handovers if (h.shift_date, h.shift) == (previous.date, previous.name)), None
    )
    return Board(
        home=home.name,
        outgoing=outgoing,
        incoming=incoming,
        starts_at=begins,
        incoming_staff=[name for _, name, _ in on],
        rows=rows,
        acknowledged_by=[n for _, n in acknowledged(current.id)] if current else [],
        handover_id=current.id if current else None,
        status=current.status if current else "none",
        written_by=Staff.get_by_id(current.written_by_id).name
        if current and current.written_by_id
        else None,
        submitted_at=current.submitted_at if current else None,
        home_notes=current.home_notes if current else "",
        leader=leader[1] if leader else None,
        previous_unread=unread(before) if before else None,
        in_focus=in_focus,
        for_cover=_for_cover(
            rows, this_shift, [n for n in sessions if n.at >= starts(outgoing)], leader
        ),
    )


def _for_cover(
    rows: list[BoardRow],
    this_shift: dict[int, HandoverEntry | None],
    sessions: list[Note],
    leader: tuple[int, str] | None,
) -> list[tuple[str, list[Note]]]:
    """What was recorded this shift about children whose key worker is not on
    the incoming shift, under the name of whoever stands in for them."""
    grouped: dict[str, list[Note]] = {}
    for row in rows:
        if row.key_worker_status not in ("off_duty", "absent"):
            continue
        who = row.cover or (leader[1] if leader else "the shift leader")
        notes = [n for n in sessions if n.child_id == row.child_id and n.kind == "concern"]
        entry = this_shift.get(row.child_id)
        if row.entry and not row.entry.nothing_to_add and entry is not None:
            notes.append(
                Note(
                    row.entry.updated_at,
                    row.child_id,
                    row.child,
                    "handover",
                    row.entry.by,
                    entry.by_id,
                    recorded.entry_text(entry),
                )
            )
        notes += [n for n in row.bedtime if n.kind == "bedtime"][:1]
        if notes:
            named = [n._replace(child=row.child) for n in notes]
            grouped.setdefault(who, []).extend(named)
    return sorted(grouped.items())
