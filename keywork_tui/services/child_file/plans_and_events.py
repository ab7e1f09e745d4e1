"""The rest of the child's file: reviews, targets, dates, significant events,
and staff supervision."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from keywork_tui.schemas import (
    EventIn,
    ReviewIn,
    SignificantEventIn,
    SupervisionIn,
    TargetIn,
    TargetReviewIn,
)
from keywork_tui.services import audit, clock
from keywork_tui.services.actor import (
    MANAGERS,
    Actor,
    child_of,
    children_of,
    require,
    require_child_access,
)
from keywork_tui.services.errors import (
    ConflictError,
    FieldError,
    NotFoundError,
    RecordRefusedError,
    ServiceError,
)
from keywork_tui.services.policy import TARGET_FALLBACK, TARGET_MIN_TIME, significant_kinds
from models import (
    Child,
    DocumentReview,
    Home,
    PersonalEvent,
    SignificantEvent,
    Staff,
    Supervision,
    Target,
    TermDate,
)
from models.base import BaseModel, write_transaction
from models.changes import announce
from models.given_ids import follow_given_ids, largest_id
from models.prepared import Insert


def _child(actor: Actor, child_id: int, doing: str | None = None) -> Child:
    """The child of the actor's home; with `doing`, only for those who work with them."""
    child = child_of(actor, child_id)
    if doing is not None:
        require_child_access(actor, child.id, doing=doing)
    return child


def _not_future(field: str, day: dt.date) -> None:
    if day > clock.today():
        raise FieldError(field, f"{field.replace('_', ' ')} is in the future")


def _create(actor: Actor, action: str, model: type[BaseModel], child: Child, **values: Any) -> int:
    with write_transaction():
        row = model.create(child=child, created_at=clock.now(), **values)
        audit.record(actor, action, row, child_id=child.id)
    return row.id


def record_review(actor: Actor, data: ReviewIn) -> int:
    """A document reviewed and signed, including a review that found no change."""
    child = _child(actor, data.child_id, "record a review of their documents")
    _not_future("reviewed_on", data.reviewed_on)
    values = data.model_dump(exclude={"child_id"})
    return _create(actor, "review.record", DocumentReview, child, by=actor.id, **values)


@dataclass(frozen=True)
class PastReview:
    """A review from a home's past record, recorded by `by` at `at`."""

    by: Actor
    data: ReviewIn
    at: dt.datetime


# Past reviews go in many at once: the SQL of one row built once.
_NEW_REVIEW = Insert(DocumentReview)


def record_past_reviews(home_id: int, reviews: Sequence[PastReview]) -> None:
    """Reviews from a home's past record (an import), written together in one
    transaction, or none: each is checked as `record_review` would have checked
    it when it was recorded, and leaves the row and audit event it would."""
    if not reviews:
        return
    with write_transaction():
        children_of(home_id, (review.data.child_id for review in reviews))
        first = largest_id(DocumentReview) + 1
        rows, events = [], []
        for index, review in enumerate(reviews):
            try:
                if review.by.home_id != home_id:
                    raise NotFoundError(f"{review.by.name} is not of this home")
                with clock.frozen(review.at):
                    # The children were read together above: only who may write is asked.
                    doing = "record a review of their documents"
                    require_child_access(review.by, review.data.child_id, doing=doing)
                    _not_future("reviewed_on", review.data.reviewed_on)
            except ServiceError as exc:
                raise RecordRefusedError(index, exc) from exc
            given = {"child": review.data.child_id, "created_at": review.at, "by": review.by.id}
            values = _NEW_REVIEW.values(given | review.data.model_dump(exclude={"child_id"}))
            row = audit.Values(DocumentReview, {"id": first + index, **values})
            rows.append(row.fields)
            change = audit.Change(row, None, review.data.child_id)
            events.append(audit.event(review.by, "review.record", change, review.at))
        _NEW_REVIEW.many(rows, with_ids=True)
        audit.chain_on(events)
        announce(home_id)
        follow_given_ids([DocumentReview])


def default_review_by(home_id: int, set_on: dt.date) -> dt.date:
    """The end of the first term or half-term (from the home's term dates) that
    leaves the child at least two weeks; about a half-term without term dates."""
    earliest = set_on + TARGET_MIN_TIME
    end = (
        TermDate.select(TermDate.ends_on)
        .where((TermDate.home == home_id) & (TermDate.ends_on >= earliest))
        .order_by(TermDate.ends_on)
        .first()
    )
    return end.ends_on if end else set_on + TARGET_FALLBACK


def add_target(actor: Actor, data: TargetIn) -> int:
    child = _child(actor, data.child_id, "set targets with them")
    values = data.model_dump(exclude={"child_id"})
    values["review_by"] = data.review_by or default_review_by(actor.home_id, data.set_on)
    return _create(actor, "target.add", Target, child, **values)


def review_target(actor: Actor, target_id: int, data: TargetReviewIn) -> None:
    """Record how an open target went; a reviewed target keeps its outcome."""
    _not_future("reviewed_on", data.reviewed_on)
    with write_transaction():
        target = (
            Target.select()
            .join(Child)
            .where((Target.id == target_id) & (Child.home == actor.home_id))
            .first()
        )
        if target is None:
            raise NotFoundError(f"no target with id {target_id} in this home")
        require_child_access(actor, target.child_id, doing="review their targets")
        if target.outcome is not None:
            raise ConflictError("this target has already been reviewed")
        if data.reviewed_on < target.set_on:
            raise FieldError("reviewed_on", "a target is reviewed on or after the day it is set")
        before = audit.snapshot(target)
        target.outcome = data.outcome
        target.reviewed_on = data.reviewed_on
        target.save()
        audit.record(actor, "target.review", target, before=before, child_id=target.child_id)


def add_event(actor: Actor, data: EventIn) -> int:
    child = _child(actor, data.child_id, "add dates to their file")
    values = data.model_dump(exclude={"child_id"})
    return _create(actor, "event.add", PersonalEvent, child, **values)


def event_kinds(home_id: int) -> dict[str, str]:
    """The kinds of significant event this home records (slug: words)."""
    home = Home.get_by_id(home_id)
    return significant_kinds(home.policy if isinstance(home.policy, dict) else {})


def record_significant_event(actor: Actor, data: SignificantEventIn) -> int:
    """Any member of staff: an incident is recorded by whoever was there. It
    makes the child's Support and Safety Plans due that day, and the next
    handover shows it."""
    child = _child(actor, data.child_id)
    _not_future("occurred_on", data.occurred_on)
    kinds = significant_kinds(child.home.policy if isinstance(child.home.policy, dict) else {})
    if data.kind not in kinds:
        raise FieldError("kind", f"choose one of: {', '.join(kinds.values())}")
    values = data.model_dump(exclude={"child_id"})
    return _create(actor, "significant.record", SignificantEvent, child, by=actor.id, **values)


def record_supervision(actor: Actor, data: SupervisionIn) -> int:
    require(actor, *MANAGERS, doing="record supervision")
    _not_future("held_on", data.held_on)
    staff = Staff.get_or_none((Staff.id == data.staff_id) & (Staff.home == actor.home_id))
    if staff is None:
        raise NotFoundError(f"no staff member with id {data.staff_id} in this home")
    with write_transaction():
        row = Supervision.create(supervisor=actor.id, **data.model_dump())
        audit.record(actor, "supervision.record", row)
    return row.id
