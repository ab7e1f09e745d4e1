"""Significant events: a kind from the home's list, when, what happened and who
was told; the Support and Safety Plans fall due that day, and the next
handover shows the event."""

from __future__ import annotations

import datetime as dt

import pytest

from keywork_tui.schemas import ReviewIn, SignificantEventIn
from keywork_tui.services import FieldError, clock, homes
from keywork_tui.services.child_file import obligations as compliance
from keywork_tui.services.child_file import plans_and_events as records
from keywork_tui.services.handover import board as handover_board
from models import SignificantEvent

NOW = dt.datetime(2026, 11, 22, 17, 30)
PLANS = ("support_plan", "safety_plan")


def _record(actor, child_id, **fields) -> int:
    values = {"summary": "Left at 19:00 without saying, found at the park", **fields}
    return records.record_significant_event(
        actor, SignificantEventIn(child_id=child_id, occurred_on=NOW.date(), **values)
    )


def test_an_event_keeps_its_kind_and_who_was_told(home, add_child):
    amy = add_child("Amy")
    event_id = _record(
        home.actor, amy.id, kind="missing_from_home", told="police, social worker on call"
    )
    row = SignificantEvent.get_by_id(event_id)
    assert (row.kind, row.told, row.by_id) == (
        "missing_from_home",
        "police, social worker on call",
        home.actor.id,
    )


def test_a_kind_the_home_does_not_record_is_refused_beside_its_field(home, add_child):
    amy = add_child("Amy")
    with pytest.raises(FieldError) as refused:
        _record(home.actor, amy.id, kind="fire")
    assert refused.value.field == "kind" and "Missing from home" in str(refused.value)


def test_a_home_adds_its_own_kinds(home, add_child, admin):
    amy = add_child("Amy")
    homes.set_policy(admin, {"significant_event_kinds": ["Self-harm", "Exclusion from school"]})
    kinds = records.event_kinds(home.id)
    assert list(kinds)[-3:] == ["self_harm", "exclusion_from_school", "other"]
    _record(home.actor, amy.id, kind="self_harm")


def _plans_due(home, child_id) -> dict[str, dt.date]:
    return {
        o.obligation: o.due
        for o in compliance.obligations(home.id, NOW.date())
        if o.child_id == child_id and o.obligation in PLANS
    }


def test_the_support_and_safety_plans_fall_due_that_day(home, add_child):
    amy = add_child("Amy")
    for plan in PLANS:  # both up to date last week
        records.record_review(
            home.actor,
            ReviewIn(
                child_id=amy.id,
                document=plan,
                reviewed_on=NOW.date() - dt.timedelta(days=7),
                outcome="no_change",
            ),
        )
    assert all(due > NOW.date() for due in _plans_due(home, amy.id).values())
    _record(home.actor, amy.id, kind="police")
    assert _plans_due(home, amy.id) == {plan: NOW.date() for plan in PLANS}


def test_the_next_handover_shows_it(home, add_child):
    amy = add_child("Amy")
    _record(home.actor, amy.id, kind="hospital", told="mum")
    with clock.frozen(NOW + dt.timedelta(hours=3)):
        [row] = handover_board.board(home.id).rows
    [note] = row.significant
    assert note.text.startswith("Hospital, Sun 22 Nov: Left at 19:00")
    assert note.text.endswith("(told: mum)")
