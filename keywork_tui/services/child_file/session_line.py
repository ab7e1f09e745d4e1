"""One session as the child's profile lists it and a report on the child reads it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from keywork_tui.outputs import SessionOut
from keywork_tui.services import clock
from keywork_tui.services.child_file import sessions
from models import KeySession


@dataclass(frozen=True)
class SessionLine:
    id: int
    held_at: dt.datetime
    kind: str
    activity: str
    minutes: int
    staff_name: str
    status: str  # draft or final
    write_up: str  # on time, late, pending, overdue (a draft past its write-up date)
    # What a review reads: what was said, the child's own words, what was agreed.
    summary: str
    views: str
    actions: tuple[str, ...]
    written_at: dt.datetime | None  # finalised, or last saved as a draft
    concern: bool
    bedtime: bool
    concern_text: str
    restricted: bool

    @property
    def late(self) -> bool:
        """Final, and written up after its write-up time."""
        return self.write_up == "late"

    @property
    def status_words(self) -> str:
        if self.status != "final":
            return "draft"
        return "final, written up late" if self.late else "final"


def session_line(row: KeySession, out: SessionOut, nation: str, days: int) -> SessionLine:
    """The line of `row` (selected with its Staff) as `out` shows it to the reader;
    `days` is the home's write-up time in working days."""
    return SessionLine(
        id=out.id,
        held_at=out.held_at,
        kind=out.kind,
        activity=out.activity,
        minutes=out.minutes,
        staff_name=row.staff.name,
        status=out.status,
        write_up=write_up(out, nation, days),
        summary=out.summary,
        views=out.views,
        actions=tuple(action_words(a) for a in out.actions),
        written_at=row.finalised_at or row.updated_at,
        concern=out.concern,
        bedtime=out.bedtime,
        concern_text=out.concern_text,
        restricted=out.restricted,
    )


def action_words(action: dict[str, Any]) -> str:
    """'Ring school (Kim Key, by 2026-03-06): done'."""
    who = ", ".join(
        str(v) for v in (action.get("who"), action.get("by") and f"by {action.get('by')}") if v
    )
    state = "done" if action.get("done") else "not done yet"
    return f"{action.get('text', '')}" + (f" ({who})" if who else "") + f": {state}"


def write_up(session: SessionOut, nation: str, days: int) -> str:
    if session.status == "final":
        return "late" if sessions.written_up_late(session, nation, days) else "on time"
    due = sessions.write_up_due(session.held_at, nation, days)
    return "overdue" if due < clock.today() else "pending"
