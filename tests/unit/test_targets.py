"""Targets: a review date defaults to the end of the term or half-term."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from keywork_tui.schemas import TargetIn, TermIn
from keywork_tui.services import audit, homes
from keywork_tui.services.child_file import plans_and_events as records
from models import Target

pytestmark = pytest.mark.now(dt.datetime(2026, 9, 10, 12, 0))

D = dt.date


@pytest.fixture
def amy(home, add_child):
    return add_child("Amy", "Ash")


def _terms(home, *spans):
    for start, end, kind in spans:
        homes.add_term(home.actor, TermIn(starts_on=start, ends_on=end, kind=kind))


def _review_by(home, amy, set_on, review_by=None) -> dt.date:
    target_id = records.add_target(
        home.actor,
        TargetIn(
            child_id=amy.id, text="Ask for help at break.", set_on=set_on, review_by=review_by
        ),
    )
    return Target.get_by_id(target_id).review_by


def test_review_defaults_to_the_end_of_the_half_term(home, amy):
    _terms(
        home,
        (D(2026, 9, 1), D(2026, 12, 18), "term"),
        (D(2026, 9, 1), D(2026, 10, 23), "half_term"),
    )
    assert _review_by(home, amy, D(2026, 9, 7)) == D(2026, 10, 23)


def test_a_target_set_just_before_half_term_runs_to_the_end_of_term(home, amy):
    _terms(
        home,
        (D(2026, 9, 1), D(2026, 12, 18), "term"),
        (D(2026, 9, 1), D(2026, 10, 23), "half_term"),
    )
    assert _review_by(home, amy, D(2026, 10, 19)) == D(2026, 12, 18)


def test_without_term_dates_a_target_runs_about_a_half_term(home, amy):
    assert _review_by(home, amy, D(2026, 9, 7)) == D(2026, 10, 19)


def test_a_chosen_review_date_is_kept(home, amy):
    _terms(home, (D(2026, 9, 1), D(2026, 12, 18), "term"))
    assert _review_by(home, amy, D(2026, 9, 7), D(2026, 9, 30)) == D(2026, 9, 30)


def test_a_review_before_the_target_is_set_is_refused():
    with pytest.raises(ValidationError, match="review by must be on or after"):
        TargetIn(child_id=1, text="x", set_on=D(2026, 9, 7), review_by=D(2026, 9, 1))


def test_the_target_and_its_review_date_are_audited(home, amy):
    _review_by(home, amy, D(2026, 9, 7))
    [event] = audit.events(home_id=home.id, action_prefix="target.add")
    assert event.staff_name == "Mo Manager"
    assert event.after["review_by"] == "2026-10-19"
