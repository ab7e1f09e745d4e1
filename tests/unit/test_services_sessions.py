"""Key-work sessions: drafts, finalising, and corrections that keep the original."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from keywork_tui.schemas import AmendmentIn, SessionIn, field_errors
from keywork_tui.services import (
    ConflictError,
    FieldError,
    PermissionDeniedError,
    clock,
    sessions,
)
from keywork_tui.services.actor import actor_for
from models import Amendment, KeySession

NOW = dt.datetime(2026, 3, 10, 15, 0)
HELD = dt.datetime(2026, 3, 10, 11, 0)


@pytest.fixture(autouse=True)
def frozen_clock():
    with clock.frozen(NOW):
        yield


@pytest.fixture
def kim(add_staff):
    return add_staff("Kim Key")


@pytest.fixture
def amy(add_child):
    return add_child("Amy")


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
