"""Past reviews written together (the import's path) leave exactly what
recording them one at a time would have, and are checked as it checks them."""

from __future__ import annotations

import datetime as dt

import pytest
from playhouse.shortcuts import model_to_dict

from keywork_tui.schemas import AllocationIn, HomeIn, ReviewIn, StaffIn
from keywork_tui.services import clock
from keywork_tui.services.actor import actor_for
from keywork_tui.services.child_file import plans_and_events as records
from keywork_tui.services.child_file.plans_and_events import PastReview
from keywork_tui.services.errors import (
    FieldError,
    NotFoundError,
    PermissionDeniedError,
    RecordRefusedError,
)
from keywork_tui.services.homes import create_home
from keywork_tui.services.team import allocation
from models import AuditEvent, AuditHead, DocumentReview, db

pytestmark = pytest.mark.now(dt.datetime(2026, 3, 12, 15, 0))


@pytest.fixture
def reviews(home, add_staff, add_child):
    """A manager's review and two by the child's key worker, on days of their own."""
    amy = add_child("Amy", "Ash", admitted_on=dt.date(2026, 1, 5))
    kim = actor_for(add_staff("Kim Key").id)
    with clock.frozen(dt.datetime(2026, 1, 5, 9, 0)):
        allocation.allocate(
            home.actor,
            AllocationIn(child_id=amy.id, staff_id=kim.id, starts_on=dt.date(2026, 1, 5)),
        )

    def review(by, day: int, document: str, outcome: str = "no_change") -> PastReview:
        on = dt.date(2026, 2, day)
        data = ReviewIn(child_id=amy.id, document=document, reviewed_on=on, outcome=outcome)
        return PastReview(by, data, dt.datetime.combine(on, dt.time(12)))

    return [
        review(home.actor, 2, "support_plan", "updated"),
        review(kim, 3, "risk_assessment"),
        review(kim, 9, "support_plan"),
    ]


def _written() -> dict[str, list[dict[str, object]]]:
    return {
        "reviews": [model_to_dict(r, recurse=False) for r in DocumentReview.select()],
        # An event's own id is the database's (PostgreSQL does not reuse a
        # rolled-back one); its hash and the chain's head say the rest.
        "events": [
            model_to_dict(e, recurse=False, exclude=[AuditEvent.id])
            for e in AuditEvent.select()
            .where(AuditEvent.action == "review.record")
            .order_by(AuditEvent.id)
        ],
        "head": [model_to_dict(h) for h in AuditHead.select()],
    }


def test_written_together_is_what_one_at_a_time_writes(home, reviews) -> None:
    with db.atomic() as attempt:
        for review in reviews:
            with clock.frozen(review.at):
                records.record_review(review.by, review.data)
        expected = _written()
        attempt.rollback()
    assert _written()["reviews"] == []

    records.record_past_reviews(home.id, reviews)

    assert _written() == expected
    assert len(expected["reviews"]) == 3


def test_a_review_by_someone_not_working_with_the_child_writes_none(
    home, reviews, add_staff
) -> None:
    stranger = actor_for(add_staff("Sal Stranger").id)
    refused = [*reviews[:2], PastReview(stranger, reviews[2].data, reviews[2].at)]
    with pytest.raises(RecordRefusedError) as caught:
        records.record_past_reviews(home.id, refused)
    assert caught.value.index == 2
    assert isinstance(caught.value.cause, PermissionDeniedError)
    assert not DocumentReview.select().exists()


def test_a_review_after_its_recording_is_refused(home, reviews) -> None:
    early = PastReview(reviews[1].by, reviews[1].data, dt.datetime(2026, 2, 1, 12))
    with pytest.raises(RecordRefusedError) as caught:
        records.record_past_reviews(home.id, [reviews[0], early])
    assert caught.value.index == 1 and isinstance(caught.value.cause, FieldError)
    assert not DocumentReview.select().exists()


def test_a_review_by_staff_of_another_home_writes_none(home, reviews) -> None:
    other, manager = create_home(HomeIn(name="Other House"), StaffIn(name="Oz Other"))
    theirs = actor_for(manager.id)
    refused = [reviews[0], PastReview(theirs, reviews[1].data, reviews[1].at)]
    with pytest.raises(RecordRefusedError) as caught:
        records.record_past_reviews(home.id, refused)
    assert caught.value.index == 1 and isinstance(caught.value.cause, NotFoundError)
    assert not DocumentReview.select().exists()
