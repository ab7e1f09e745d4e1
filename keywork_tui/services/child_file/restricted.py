"""Restricted sessions: who reads their content, and what everyone else sees.

Every path that lets session content out of the services passes through here,
so the rule is written once. Others still see that the session happened (when,
how long, by whom), so nobody mistakes it for a missed week.
"""

from __future__ import annotations

from collections.abc import Iterable

import peewee as pw

from keywork_tui.outputs import AmendmentOut, SessionOut
from keywork_tui.services.actor import Actor, works_with
from models import KeySession

RESTRICTED_TEXT = "Restricted entry: readable by the key worker, cover and managers"
# What a restricted session says about the child; the rest (when, how long,
# by whom, whether a concern was raised) stays visible.
CONTENT = ("activity", "views", "summary", "concern_text")


def _reaches(actor: Actor, child_id: int) -> bool:
    return actor.is_manager or works_with(actor, child_id)


def may_read(actor: Actor | None, session: SessionOut) -> bool:
    """Managers, the session's writer, and the child's key worker, co-worker
    or cover today; nobody reading without a name (a shared board)."""
    if not session.restricted:
        return True
    if actor is None:
        return False
    return session.staff_id == actor.id or _reaches(actor, session.child_id)


def readable_where(actor: Actor | None, child_id: int) -> pw.Expression | None:
    """The same rule as `may_read`, for one child's sessions in a query: the
    condition a session the actor may read meets, or None when they read all."""
    if actor is not None and _reaches(actor, child_id):
        return None
    unrestricted = KeySession.restricted == False  # noqa: E712 - SQL, not Python
    return unrestricted if actor is None else unrestricted | (KeySession.staff == actor.id)


def hidden(session: SessionOut) -> SessionOut:
    """The session as someone who may not read it sees it."""
    return session._replace(
        activity="", views="", concern_text="", actions=[], summary=RESTRICTED_TEXT
    )


def for_reader(actor: Actor | None, session: SessionOut) -> SessionOut:
    return session if may_read(actor, session) else hidden(session)


def for_reader_all(actor: Actor | None, found: Iterable[SessionOut]) -> list[SessionOut]:
    """Many sessions, asking once per child whether the actor works with them."""
    reach: dict[int, bool] = {}

    def readable(session: SessionOut) -> bool:
        if not session.restricted:
            return True
        if actor is None:
            return False
        if session.child_id not in reach:
            reach[session.child_id] = _reaches(actor, session.child_id)
        return session.staff_id == actor.id or reach[session.child_id]

    return [s if readable(s) else hidden(s) for s in found]


def amendments_for_reader(
    actor: Actor | None, session: SessionOut, found: list[AmendmentOut]
) -> list[AmendmentOut]:
    """Corrections keep the original text: hidden with the session's content."""
    if may_read(actor, session):
        return found
    return [
        a._replace(original="", corrected=RESTRICTED_TEXT) if a.field in CONTENT else a
        for a in found
    ]
