"""What was recorded about children in a stretch of time, as short notes.

Both the handover's "for the cover colleague" list and a key worker's "since
you were away" digest are read from here.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from keywork_tui.services.child_file.restricted import RESTRICTED_TEXT
from keywork_tui.services.policy import SIGNIFICANT_KINDS
from models import Child, Handover, HandoverEntry, KeySession, SignificantEvent, Staff

STATE_WORDS = {"settled": "settled", "watch": "watch", "unsettled": "unsettled"}


class Note(NamedTuple):
    """Something written about a child, wherever it was written."""

    at: dt.datetime
    child_id: int
    child: str
    kind: str  # handover, bedtime, session, concern, significant event
    by: str
    by_id: int
    text: str
    source: str = ""  # where it was said, e.g. "day handover Sun 22 Nov"


def _name(child: Child) -> str:
    return f"{child.preferred_name or child.first_name} {child.last_name}"


def entry_text(entry: HandoverEntry) -> str:
    parts = [f"state {STATE_WORDS.get(entry.state, entry.state)}"]
    for label, value in (
        ("mood", entry.mood),
        ("events", entry.events),
        ("actions", entry.actions),
    ):
        if value:
            parts.append(f"{label}: {value.rstrip('.')}")
    return "; ".join(parts)


def _entry_notes(child_ids: list[int], since: dt.datetime, until: dt.datetime) -> list[Note]:
    query = (
        HandoverEntry.select(HandoverEntry, Handover, Child, Staff)
        .join(Handover)
        .switch(HandoverEntry)
        .join(Child)
        .switch(HandoverEntry)
        .join(Staff)
        .where(
            HandoverEntry.child.in_(child_ids)
            & (Handover.status == "submitted")
            & (HandoverEntry.nothing_to_add == False)  # noqa: E712 - a SQL expression
            & (HandoverEntry.updated_at > since)
            & (HandoverEntry.updated_at <= until)
        )
    )
    notes = []
    for entry in query:
        name, by = _name(entry.child), entry.by.name
        source = f"{entry.handover.shift} handover {entry.handover.shift_date:%a %d %b}"
        notes.append(
            Note(
                entry.updated_at,
                entry.child_id,
                name,
                "handover",
                by,
                entry.by_id,
                entry_text(entry),
                source,
            )
        )
        if entry.bedtime_concern:
            notes.append(
                Note(
                    entry.updated_at,
                    entry.child_id,
                    name,
                    "bedtime",
                    by,
                    entry.by_id,
                    entry.bedtime_concern,
                    source,
                )
            )
    return notes


def session_concerns(child_ids: list[int], since: dt.datetime, until: dt.datetime) -> list[Note]:
    """Concerns raised in sessions (bedtime ones as kind "bedtime"), for the
    board the whole shift reads: a restricted session's concern says only that
    there is one."""
    return _session_notes(child_ids, since, until, True, readable=False) if child_ids else []


def _session_notes(
    child_ids: list[int],
    since: dt.datetime,
    until: dt.datetime,
    concerns_only: bool,
    *,
    readable: bool,
) -> list[Note]:
    where = (
        KeySession.child.in_(child_ids)
        & (KeySession.created_at > since)
        & (KeySession.created_at <= until)
    )
    if concerns_only:
        where &= KeySession.concern == True  # noqa: E712 - a SQL expression
    query = (
        KeySession.select(KeySession, Child, Staff)
        .join(Child)
        .switch(KeySession)
        .join(Staff)
        .where(where)
    )
    notes = []
    for s in query:
        name, by = _name(s.child), s.staff.name
        hidden = s.restricted and not readable
        if s.concern:
            kind = "bedtime" if s.bedtime else "concern"
            notes.append(
                Note(
                    s.created_at,
                    s.child_id,
                    name,
                    kind,
                    by,
                    s.staff_id,
                    RESTRICTED_TEXT if hidden else s.concern_text,
                    f"session {s.held_at:%a %d %b}",
                )
            )
        if not concerns_only:
            summary = RESTRICTED_TEXT if hidden else s.summary
            text = f"{s.kind} session, {s.minutes} min" + (f": {summary}" if summary else "")
            notes.append(Note(s.created_at, s.child_id, name, "session", by, s.staff_id, text))
    return notes


def significant_notes(child_ids: list[int], since: dt.datetime, until: dt.datetime) -> list[Note]:
    """Significant events recorded in the window, each as kind: what happened (who was told)."""
    query = (
        SignificantEvent.select(SignificantEvent, Child, Staff)
        .join(Child)
        .switch(SignificantEvent)
        .join(Staff)
        .where(
            SignificantEvent.child.in_(child_ids)
            & (SignificantEvent.created_at > since)
            & (SignificantEvent.created_at <= until)
        )
    )
    return [
        Note(
            e.created_at,
            e.child_id,
            _name(e.child),
            "significant event",
            e.by.name,
            e.by_id,
            _event_text(e),
        )
        for e in query
    ]


def _event_text(event: SignificantEvent) -> str:
    kind = SIGNIFICANT_KINDS.get(event.kind, event.kind.replace("_", " ").capitalize())
    told = f" (told: {event.told})" if event.told else ""
    return f"{kind}, {event.occurred_on:%a %d %b}: {event.summary}{told}"


def about(
    child_ids: list[int],
    since: dt.datetime,
    until: dt.datetime,
    *,
    concerns_only: bool = False,
    not_by: int | None = None,
) -> list[Note]:
    """Submitted handover entries, session concerns (and, unless `concerns_only`,
    sessions) and significant events about these children, newest first.

    For the children's own key worker, who reads restricted sessions too."""
    if not child_ids:
        return []
    notes = _session_notes(child_ids, since, until, concerns_only, readable=True)
    notes += _entry_notes(child_ids, since, until) + significant_notes(child_ids, since, until)
    if not_by is not None:
        notes = [n for n in notes if n.by_id != not_by]
    return sorted(notes, key=lambda n: (n.at, n.child, n.kind), reverse=True)
