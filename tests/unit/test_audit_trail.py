"""The audit trail as a manager reads it: filters, dates inclusive, managers only."""

from __future__ import annotations

import datetime as dt

import pytest

from keywork_tui.schemas import AllocationIn, SessionIn
from keywork_tui.services import PermissionDeniedError, audit, clock
from keywork_tui.services.actor import actor_for
from keywork_tui.services.child_file import sessions
from keywork_tui.services.team import allocation


def _session(child, staff, held: dt.datetime):
    me = actor_for(staff.id)
    with clock.frozen(held + dt.timedelta(hours=1)):
        return sessions.save_session(
            me, SessionIn(child_id=child.id, staff_id=staff.id, held_at=held, summary="Talked.")
        )


def test_filters_by_child_staff_kind_and_dates(home, add_staff, add_child):
    kim, amy, ben = add_staff("Kim Key"), add_child("Amy"), add_child("Ben")
    for child in (amy, ben):  # Kim key-works both, so records their sessions
        allocation.allocate(
            home.actor,
            AllocationIn(child_id=child.id, staff_id=kim.id, starts_on=child.admitted_on),
        )
    _session(amy, kim, dt.datetime(2026, 3, 2, 16, 0))
    _session(ben, kim, dt.datetime(2026, 3, 4, 16, 0))

    by_child = audit.trail(home.actor, child_id=amy.id, kind="session")
    assert [(e.action, e.child_id, e.staff_name) for e in by_child] == [
        ("session.draft", amy.id, "Kim Key")
    ]
    assert {e.staff_id for e in audit.trail(home.actor, staff_id=kim.id)} == {kim.id}
    # Dates are whole days, both ends included.
    on_the_4th = audit.trail(
        home.actor, kind="session", since=dt.date(2026, 3, 4), until=dt.date(2026, 3, 4)
    )
    assert [e.child_id for e in on_the_4th] == [ben.id]
    assert "session" in audit.kinds(home.actor) and "staff" in audit.kinds(home.actor)


def test_only_managers_read_the_trail(home, add_staff):
    kim = add_staff("Kim Key")
    with pytest.raises(PermissionDeniedError, match="read the audit trail"):
        audit.trail(actor_for(kim.id))
    with pytest.raises(PermissionDeniedError):
        audit.kinds(actor_for(kim.id))
