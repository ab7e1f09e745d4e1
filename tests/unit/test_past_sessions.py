"""Past sessions written together (the import's path) leave exactly what
saving each draft and writing it up one call at a time would have, and are
checked as those calls check them."""

from __future__ import annotations

import datetime as dt

import pytest
from playhouse.shortcuts import model_to_dict

from keywork_tui.schemas import ActionIn, AllocationIn, ProgressIn, SessionIn, TargetIn
from keywork_tui.services import clock
from keywork_tui.services.actor import actor_for
from keywork_tui.services.child_file import plans_and_events as records
from keywork_tui.services.child_file import sessions
from keywork_tui.services.child_file.sessions import PastSession
from keywork_tui.services.errors import FieldError, PermissionDeniedError, RecordRefusedError
from keywork_tui.services.team import allocation
from models import AuditEvent, AuditHead, KeySession, TargetProgress, db

pytestmark = pytest.mark.now(dt.datetime(2026, 3, 12, 15, 0))


@pytest.fixture
def past(home, add_staff, add_child):
    """Two written up (one with an action and a target's progress), one still a draft."""
    amy = add_child("Amy", "Ash", admitted_on=dt.date(2026, 1, 5))
    kim = actor_for(add_staff("Kim Key").id)
    with clock.frozen(dt.datetime(2026, 1, 5, 9, 0)):
        allocation.allocate(
            home.actor, AllocationIn(child_id=amy.id, staff_id=kim.id, starts_on=amy.admitted_on)
        )
        target = records.add_target(
            home.actor, TargetIn(child_id=amy.id, text="Ask for help", set_on=amy.admitted_on)
        )

    def session(day: int, final: bool, **fields) -> PastSession:
        held = dt.datetime(2026, 2, day, 16)
        data = SessionIn(child_id=amy.id, staff_id=kim.id, held_at=held, summary="Talked", **fields)
        written = held + dt.timedelta(hours=3) if final else None
        return PastSession(kim, data, held + dt.timedelta(hours=1), written)

    return [
        session(
            2,
            True,
            views="Likes football",
            actions=[ActionIn(text="Ring school")],
            progress=[ProgressIn(target_id=target, note="Asked twice")],
        ),
        session(9, True, concern=True, concern_text="Not sleeping", bedtime=True),
        session(10, False),
    ]


def _written() -> dict[str, list[dict[str, object]]]:
    actions = ("session.draft", "session.finalise", "progress.add")
    events = AuditEvent.select().where(AuditEvent.action.in_(actions)).order_by(AuditEvent.id)
    return {
        "sessions": [model_to_dict(s, recurse=False) for s in KeySession.select()],
        "progress": [model_to_dict(p, recurse=False) for p in TargetProgress.select()],
        # An event's own id is the database's (PostgreSQL does not reuse a
        # rolled-back one); its hash and the chain's head say the rest.
        "events": [model_to_dict(e, recurse=False, exclude=[AuditEvent.id]) for e in events],
        "head": [model_to_dict(h) for h in AuditHead.select()],
    }


def _one_call_at_a_time(one: PastSession) -> None:
    with clock.frozen(one.drafted_at):
        draft = sessions.save_session(one.by, one.data)
    if one.finalised_at is not None:
        with clock.frozen(one.finalised_at):
            sessions.save_session(one.by, one.data, draft.id, finalise=True)


def test_written_together_is_what_one_call_at_a_time_writes(home, past) -> None:
    with db.atomic() as attempt:
        for one in past:
            _one_call_at_a_time(one)
        expected = _written()
        attempt.rollback()
    assert _written()["sessions"] == []

    sessions.record_past_sessions(home.id, past)

    assert _written() == expected
    assert [s["status"] for s in expected["sessions"]] == ["final", "final", "draft"]
    assert len(expected["progress"]) == 1


def test_a_session_by_someone_not_working_with_the_child_writes_none(home, past, add_staff) -> None:
    stranger = actor_for(add_staff("Sal Stranger").id)
    data = past[1].data.model_copy(update={"staff_id": stranger.id})
    refused = [past[0], PastSession(stranger, data, past[1].drafted_at, past[1].finalised_at)]
    with pytest.raises(RecordRefusedError) as caught:
        sessions.record_past_sessions(home.id, refused)
    assert caught.value.index == 1 and isinstance(caught.value.cause, PermissionDeniedError)
    assert not KeySession.select().exists()


def test_a_session_drafted_before_it_was_held_is_refused(home, past) -> None:
    early = PastSession(past[1].by, past[1].data, dt.datetime(2026, 2, 1, 12))
    with pytest.raises(RecordRefusedError) as caught:
        sessions.record_past_sessions(home.id, [past[0], early])
    assert caught.value.index == 1 and isinstance(caught.value.cause, FieldError)
    assert not KeySession.select().exists() and not TargetProgress.select().exists()
