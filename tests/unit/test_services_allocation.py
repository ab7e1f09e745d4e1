"""Key-worker allocation with its history, absences and cover."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from keywork_tui.schemas import AbsenceIn, AllocationIn, CoverIn, field_errors
from keywork_tui.services import ServiceError
from keywork_tui.services.team import allocation, people
from models import KeyWorkerAllocation

ADMITTED = dt.date(2026, 1, 5)
CHANGE = dt.date(2026, 2, 2)


def _allocate(home, child, staff, starts_on=ADMITTED, **extra) -> int:
    data = AllocationIn(child_id=child.id, staff_id=staff.id, starts_on=starts_on, **extra)
    return allocation.allocate(home.actor, data)


@pytest.mark.parametrize(
    ("fields", "why"),
    [
        ({"induction_done": False}, "has not completed induction"),
        ({"level3": False}, "has no level-3 qualification"),
    ],
)
def test_unqualified_staff_cannot_key_work(home, add_staff, add_child, fields, why):
    kim = add_staff("Kim Key", **fields)
    with pytest.raises(ServiceError, match=f"Kim Key cannot key-work: {why}"):
        _allocate(home, add_child("Amy"), kim)


def test_inactive_staff_cannot_key_work(home, add_staff, add_child):
    kim = add_staff("Kim Key")
    people.deactivate_staff(home.actor, kim.id)
    with pytest.raises(ServiceError, match="Kim Key cannot key-work: is not active"):
        _allocate(home, add_child("Amy"), kim)


def test_first_allocation_needs_no_reason(home, add_staff, add_child):
    amy, kim = add_child("Amy"), add_staff("Kim Key")
    _allocate(home, amy, kim)
    assert allocation.key_workers_on(home.id, ADMITTED)[amy.id].id == kim.id


def test_change_without_reason_is_refused(home, add_staff, add_child):
    amy, kim, lee = add_child("Amy"), add_staff("Kim Key"), add_staff("Lee Lane")
    _allocate(home, amy, kim)
    with pytest.raises(ServiceError, match="needs a reason"):
        _allocate(home, amy, lee, starts_on=CHANGE)
    assert KeyWorkerAllocation.select().count() == 1


def test_change_ends_the_previous_allocation_and_keeps_history(home, add_staff, add_child):
    amy, kim, lee = add_child("Amy"), add_staff("Kim Key"), add_staff("Lee Lane")
    first_id = _allocate(home, amy, kim)
    second_id = _allocate(home, amy, lee, starts_on=CHANGE, reason="staff_request")

    first = KeyWorkerAllocation.get_by_id(first_id)
    second = KeyWorkerAllocation.get_by_id(second_id)
    assert first.ends_on == CHANGE - dt.timedelta(days=1)
    assert (second.starts_on, second.ends_on, second.reason) == (CHANGE, None, "staff_request")


@pytest.mark.parametrize(
    ("day", "worker"),
    [
        (ADMITTED - dt.timedelta(days=1), None),
        (ADMITTED, "Kim Key"),
        (CHANGE - dt.timedelta(days=1), "Kim Key"),
        (CHANGE, "Lee Lane"),
        (CHANGE + dt.timedelta(days=60), "Lee Lane"),
    ],
)
def test_key_worker_on_each_side_of_a_change(home, add_staff, add_child, day, worker):
    amy, kim, lee = add_child("Amy"), add_staff("Kim Key"), add_staff("Lee Lane")
    _allocate(home, amy, kim)
    _allocate(home, amy, lee, starts_on=CHANGE, reason="long_absence")
    found = allocation.key_workers_on(home.id, day).get(amy.id)
    assert (found.name if found else None) == worker


def test_absences_on_a_date(home, add_staff):
    kim = add_staff("Kim Key")
    data = AbsenceIn(
        staff_id=kim.id, starts_on=dt.date(2026, 3, 9), ends_on=dt.date(2026, 3, 13), kind="leave"
    )
    allocation.record_absence(home.actor, data)
    assert allocation.absences_on(home.id, dt.date(2026, 3, 8)) == {}
    assert allocation.absences_on(home.id, dt.date(2026, 3, 9))[kim.id].kind == "leave"
    assert kim.id in allocation.absences_on(home.id, dt.date(2026, 3, 13))
    assert allocation.absences_on(home.id, dt.date(2026, 3, 14)) == {}


def test_covers_on_a_date(home, add_staff, add_child):
    amy, pat = add_child("Amy"), add_staff("Pat Pool")
    start, end = dt.date(2026, 3, 9), dt.date(2026, 3, 10)
    data = CoverIn(child_id=amy.id, staff_id=pat.id, starts_on=start, ends_on=end)
    allocation.arrange_cover(home.actor, data)
    assert allocation.covers_on(home.id, dt.date(2026, 3, 8)) == {}
    assert allocation.covers_on(home.id, dt.date(2026, 3, 10))[amy.id].staff_name == "Pat Pool"
    assert allocation.covers_on(home.id, dt.date(2026, 3, 11)) == {}


def test_cover_needs_an_eligible_colleague(home, add_staff, add_child):
    amy, new = add_child("Amy"), add_staff("Nat New", induction_done=False)
    data = CoverIn(child_id=amy.id, staff_id=new.id, starts_on=ADMITTED, ends_on=ADMITTED)
    with pytest.raises(ServiceError, match="has not completed induction"):
        allocation.arrange_cover(home.actor, data)


@pytest.mark.parametrize("note", ["", "   "])
def test_reason_other_needs_a_note(note):
    with pytest.raises(ValidationError) as raised:
        AllocationIn(child_id=1, staff_id=2, starts_on=CHANGE, reason="other", reason_note=note)
    assert field_errors(raised.value) == {"form": "say why when the reason is 'other'"}


def test_reason_other_with_a_note_is_accepted():
    data = AllocationIn(
        child_id=1, staff_id=2, starts_on=CHANGE, reason="other", reason_note="moved to nights"
    )
    assert data.reason_note == "moved to nights"
