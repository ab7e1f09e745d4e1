"""Key-work sessions: drafts, finalising, and corrections that keep the original."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from keywork_tui.schemas import AllocationIn, AmendmentIn, SessionIn, field_errors
from keywork_tui.services import (
    ConflictError,
    FieldError,
    NotFoundError,
    PermissionDeniedError,
    clock,
)
from keywork_tui.services.actor import actor_for
from keywork_tui.services.child_file import sessions
from keywork_tui.services.team import allocation
from models import Amendment, KeySession

NOW = dt.datetime(2026, 3, 10, 15, 0)
HELD = dt.datetime(2026, 3, 10, 11, 0)

pytestmark = pytest.mark.now(NOW)


@pytest.fixture
def kim(add_staff):
    return add_staff("Kim Key")


@pytest.fixture
def amy(home, add_child, kim):
    """Amy, with Kim as her key worker: only they (or a manager) record her sessions."""
    child = add_child("Amy")
    allocation.allocate(
        home.actor, AllocationIn(child_id=child.id, staff_id=kim.id, starts_on=child.admitted_on)
    )
    return child


def _session(child, staff, **fields) -> SessionIn:
    values = {"held_at": HELD, "summary": "Talked about school.", **fields}
    return SessionIn(child_id=child.id, staff_id=staff.id, **values)


def test_draft_update_then_finalise(kim, amy):
    me = actor_for(kim.id)
    draft = sessions.save_session(me, _session(amy, kim))
    assert (draft.status, draft.finalised_at) == ("draft", None)

    updated = sessions.save_session(me, _session(amy, kim, summary="Planned the trip."), draft.id)
    assert (updated.id, updated.status, updated.summary) == (draft.id, "draft", "Planned the trip.")

    later = NOW + dt.timedelta(hours=2)
    with clock.frozen(later):
        final = sessions.save_session(me, _session(amy, kim), draft.id, finalise=True)
    assert (final.status, final.finalised_at) == ("final", later)
    assert KeySession.select().count() == 1


def test_final_session_cannot_be_saved_again(kim, amy):
    me = actor_for(kim.id)
    final = sessions.save_session(me, _session(amy, kim), finalise=True)
    with pytest.raises(ConflictError):
        sessions.save_session(me, _session(amy, kim, summary="Rewritten."), final.id)
    assert KeySession.get_by_id(final.id).summary == "Talked about school."


def test_amendment_keeps_the_original(kim, amy):
    me = actor_for(kim.id)
    final = sessions.save_session(me, _session(amy, kim), finalise=True)
    correction = AmendmentIn(field="summary", corrected="Talked about college.", reason="typo")

    amended = sessions.amend_session(me, final.id, correction)

    assert amended.summary == "Talked about college."
    [row] = Amendment.select().where(Amendment.record_id == final.id)
    assert (row.table, row.field, row.by_id) == ("key_session", "summary", kim.id)
    assert (row.original, row.corrected, row.reason) == (
        "Talked about school.",
        "Talked about college.",
        "typo",
    )


def test_amending_minutes_stores_a_number(kim, amy):
    me = actor_for(kim.id)
    final = sessions.save_session(me, _session(amy, kim, minutes=30), finalise=True)
    sessions.amend_session(me, final.id, AmendmentIn(field="minutes", corrected="45", reason="x"))
    assert KeySession.get_by_id(final.id).minutes == 45
    assert Amendment.get(Amendment.record_id == final.id).original == "30"


def test_held_at_in_the_future_is_refused(kim, amy):
    with pytest.raises(FieldError) as raised:
        sessions.save_session(actor_for(kim.id), _session(amy, kim, held_at=NOW.replace(hour=16)))
    assert raised.value.field == "held_at"
    assert str(raised.value) == "held at is in the future"
    assert KeySession.select().count() == 0


def test_a_few_minutes_of_clock_drift_are_allowed(kim, amy):
    saved = sessions.save_session(
        actor_for(kim.id), _session(amy, kim, held_at=NOW + dt.timedelta(minutes=5))
    )
    assert saved.held_at == NOW + dt.timedelta(minutes=5)


@pytest.mark.parametrize("minutes", [4, 241, 0, -30])
def test_duration_outside_limits_is_refused(minutes):
    with pytest.raises(ValidationError) as raised:
        SessionIn(child_id=1, staff_id=1, held_at=HELD, minutes=minutes)
    assert "duration must be between 5 and 240 minutes" in field_errors(raised.value).values()


@pytest.mark.parametrize("minutes", [5, 240])
def test_duration_limits_are_inclusive(minutes):
    assert SessionIn(child_id=1, staff_id=1, held_at=HELD, minutes=minutes).minutes == minutes


def test_care_worker_cannot_record_as_someone_else(kim, amy, add_staff):
    lee = add_staff("Lee Lane")
    with pytest.raises(PermissionDeniedError):
        sessions.save_session(actor_for(kim.id), _session(amy, lee))
    assert KeySession.select().count() == 0


def test_manager_may_record_for_a_key_worker(home, kim, amy):
    saved = sessions.save_session(home.actor, _session(amy, kim))
    assert saved.staff_id == kim.id


# --- progress on targets, drafts, actions and late write-ups ---------------


def _target(actor, child, text="Walk to school on his own"):
    from keywork_tui.schemas import TargetIn
    from keywork_tui.services.child_file import plans_and_events as records

    return records.add_target(
        actor, TargetIn(child_id=child.id, text=text, set_on=dt.date(2026, 2, 1))
    )


def test_progress_notes_follow_the_draft_and_stay_when_final(home, kim, amy):
    from keywork_tui.schemas import ProgressIn
    from models import AuditEvent, TargetProgress

    me = actor_for(kim.id)
    walk, read = _target(home.actor, amy), _target(home.actor, amy, "Read at bedtime")
    first = [
        ProgressIn(target_id=walk, note="Walked half way"),
        ProgressIn(target_id=read, note="Two chapters"),
    ]
    draft = sessions.save_session(me, _session(amy, kim, progress=first))
    notes = {p.note for p in sessions.progress_of(me, draft.id)}
    assert notes == {"Walked half way", "Two chapters"}

    second = [ProgressIn(target_id=walk, note="Walked all the way")]
    sessions.save_session(me, _session(amy, kim, progress=second), draft.id, finalise=True)

    assert [(p.target_id, p.note) for p in sessions.progress_of(me, draft.id)] == [
        (walk, "Walked all the way")
    ]
    assert TargetProgress.select().count() == 1
    actions = [e.action for e in AuditEvent.select().where(AuditEvent.table == "target_progress")]
    assert sorted(actions) == [
        "progress.add",
        "progress.add",
        "progress.add",
        "progress.remove",
        "progress.remove",
    ]


def test_progress_on_another_childs_or_a_reviewed_target_is_refused(home, kim, amy, add_child):
    from keywork_tui.schemas import ProgressIn, TargetReviewIn
    from keywork_tui.services.child_file import plans_and_events as records

    me = actor_for(kim.id)
    ben = add_child("Ben")
    bens = _target(home.actor, ben)
    with pytest.raises(FieldError) as raised:
        sessions.save_session(
            me, _session(amy, kim, progress=[ProgressIn(target_id=bens, note="x")])
        )
    assert raised.value.field == "progress"
    done = _target(home.actor, amy)
    records.review_target(
        home.actor, done, TargetReviewIn(outcome="achieved", reviewed_on=dt.date(2026, 3, 1))
    )
    with pytest.raises(FieldError, match="already been reviewed"):
        sessions.save_session(
            me, _session(amy, kim, progress=[ProgressIn(target_id=done, note="x")])
        )
    assert KeySession.select().count() == 0


def test_own_drafts_newest_first_and_discarding_keeps_the_audit(home, kim, amy, add_child):
    from models import AuditEvent

    me = actor_for(kim.id)
    ben = add_child("Ben")
    allocation.allocate(
        home.actor, AllocationIn(child_id=ben.id, staff_id=kim.id, starts_on=ben.admitted_on)
    )
    older = sessions.save_session(me, _session(amy, kim))
    with clock.frozen(NOW + dt.timedelta(minutes=10)):
        newer = sessions.save_session(me, _session(ben, kim))
    sessions.save_session(me, _session(amy, kim), finalise=True)
    sessions.save_session(home.actor, _session(amy, home.manager))

    assert [d.id for d in sessions.drafts_of(me)] == [newer.id, older.id]

    sessions.discard_draft(me, older.id)
    assert [d.id for d in sessions.drafts_of(me)] == [newer.id]
    event = AuditEvent.get(AuditEvent.action == "session.discard")
    assert (event.record_id, event.after) == (older.id, None)
    assert event.before["summary"] == "Talked about school."


def test_a_final_session_cannot_be_discarded(kim, amy):
    me = actor_for(kim.id)
    final = sessions.save_session(me, _session(amy, kim), finalise=True)
    with pytest.raises(ConflictError):
        sessions.discard_draft(me, final.id)
    assert KeySession.select().count() == 1


def test_someone_elses_draft_cannot_be_discarded(kim, amy, add_staff):
    draft = sessions.save_session(actor_for(kim.id), _session(amy, kim))
    lee = add_staff("Lee Lane")
    with pytest.raises(PermissionDeniedError):
        sessions.discard_draft(actor_for(lee.id), draft.id)
    assert KeySession.select().count() == 1


def test_an_action_is_ticked_off_and_audited(kim, amy):
    from keywork_tui.schemas import ActionIn
    from models import AuditEvent

    me = actor_for(kim.id)
    final = sessions.save_session(
        me,
        _session(
            amy,
            kim,
            actions=[
                ActionIn(text="Ring school", who="Kim", by=dt.date(2026, 3, 12)),
                ActionIn(text="Buy boots"),
            ],
        ),
        finalise=True,
    )
    done = sessions.complete_action(me, final.id, 1)
    assert [a["done"] for a in done.actions] == [False, True]
    assert done.summary == final.summary
    event = AuditEvent.get(AuditEvent.action == "session.action")
    assert event.after == {"actions": done.actions}
    with pytest.raises(NotFoundError):
        sessions.complete_action(me, final.id, 5)


@pytest.mark.parametrize(
    ("finalised", "late"),
    [
        # Held Tuesday 10 March: five working days later is Tuesday 17 March.
        (dt.datetime(2026, 3, 17, 23, 0), False),
        (dt.datetime(2026, 3, 18, 9, 0), True),
    ],
)
def test_late_write_up_counts_working_days(kim, amy, finalised, late):
    me = actor_for(kim.id)
    draft = sessions.save_session(me, _session(amy, kim))
    with clock.frozen(finalised):
        final = sessions.save_session(me, _session(amy, kim), draft.id, finalise=True)
    assert final.finalised_at == finalised
    assert sessions.written_up_late(final, "england") is late
    assert sessions.written_up_late(draft, "england") is False


def test_bank_holidays_do_not_count_towards_the_write_up():
    # Held Thursday 24 December: Christmas, Boxing Day (on Monday 28th), the
    # weekends and New Year's Day do not count: 29, 30, 31 Dec, 4 and 5 Jan do.
    held = dt.datetime(2026, 12, 24, 10, 0)
    assert sessions.write_up_due(held, "england") == dt.date(2027, 1, 5)


def test_an_overlong_summary_is_refused_in_plain_words() -> None:
    import datetime as dt

    from pydantic import ValidationError

    from keywork_tui.schemas import SessionIn, StaffIn, field_errors

    with pytest.raises(ValidationError) as refused:
        SessionIn(
            child_id=1, staff_id=1, held_at=dt.datetime(2026, 11, 22, 16, 0), summary="x" * 20_001
        )
    assert field_errors(refused.value) == {"summary": "too long: at most 20,000 characters"}
    with pytest.raises(ValidationError):
        StaffIn(name="N" * 101)
    assert StaffIn(name="N" * 100).name == "N" * 100
