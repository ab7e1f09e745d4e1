"""The manager's workspace rules: eligibility in words, changes of key worker
with their reasons and history, suggestions, cover warnings, unallocated children."""

from __future__ import annotations

import datetime as dt
import typing

import pytest

from keywork_tui.schemas import AbsenceIn, AllocationIn, CoverIn, StaffIn
from keywork_tui.services import (
    ConflictError,
    FieldError,
    PermissionDeniedError,
    ServiceError,
    audit,
    homes,
)
from keywork_tui.services.actor import Actor
from keywork_tui.services.child_file import obligations as compliance
from keywork_tui.services.team import allocation, people
from keywork_tui.services.team import staffing as manager
from keywork_tui.vocabulary import ChangeReason
from models import KeyWorkerAllocation

D = dt.date
ADMITTED = D(2026, 1, 5)  # as in conftest
TODAY = D(2026, 3, 2)  # a Monday
CHANGE = D(2026, 3, 9)
REASONS = typing.get_args(ChangeReason)


def _allocate(home, child, staff, role="key_worker", starts_on=ADMITTED) -> int:
    data = AllocationIn(child_id=child.id, staff_id=staff.id, starts_on=starts_on, role=role)
    return allocation.allocate(home.actor, data)


def _absent(home, staff, start, end, kind="leave") -> int:
    data = AbsenceIn(staff_id=staff.id, starts_on=start, ends_on=end, kind=kind)
    return allocation.record_absence(home.actor, data).id


def _cover(home, child, staff, start, end) -> None:
    data = CoverIn(child_id=child.id, staff_id=staff.id, starts_on=start, ends_on=end)
    allocation.arrange_cover(home.actor, data)


def _as(home, staff) -> Actor:
    return Actor(staff.id, staff.name, staff.role, home.id)


@pytest.fixture
def kim(add_staff):
    return add_staff("Kim Key", interests="Football, board games")


@pytest.fixture
def lee(add_staff):
    return add_staff("Lee Lane", interests="Drawing and chess")


@pytest.fixture
def amy(home, add_child, kim):
    child = add_child("Amy", interests="chess, drawing", likes="The dog; FOOTBALL")
    _allocate(home, child, kim)
    return child


# --- the staff overview -----------------------------------------------------------


def test_eligibility_in_words(home, add_staff):
    add_staff("Ann Able")
    add_staff("Nat New", induction_done=False)
    add_staff("Les Less", level3=False)
    gone = add_staff("Ola Old")
    people.deactivate_staff(home.actor, gone.id)
    rows = {r.name: r for r in manager.staff_overview(home.actor, TODAY)}
    assert rows["Ann Able"].eligible and rows["Ann Able"].eligibility == "eligible"
    assert rows["Nat New"].why_not == ("no induction",)
    assert rows["Les Less"].why_not == ("no level-3 qualification",)
    assert rows["Ola Old"].why_not == ("inactive",)
    assert rows["Mo Manager"].eligibility == "not eligible: no induction, no level-3 qualification"
    assert [r.name for r in manager.staff_overview(home.actor, TODAY)][-1] == "Ola Old"


def test_overview_counts_key_and_co_children_and_shows_absence(
    home, add_staff, add_child, kim, lee, amy
):
    ben, cal = add_child("Ben"), add_child("Cal")
    _allocate(home, ben, kim)
    _allocate(home, cal, kim, role="co_worker")
    left = add_child("Dee")
    _allocate(home, left, kim)
    people.child_leaves(home.actor, left.id, D(2026, 2, 1))
    _absent(home, lee, D(2026, 3, 1), D(2026, 3, 4), kind="sickness")
    people.update_staff(
        home.actor,
        lee.id,
        StaffIn(
            name="Lee Lane",
            induction_done=True,
            level3=True,
            level3_on=D(2025, 6, 1),
            os_user="lee",
        ),
    )
    rows = {r.name: r for r in manager.staff_overview(home.actor, TODAY)}
    assert (rows["Kim Key"].key_children, rows["Kim Key"].co_children) == (2, 1)
    assert rows["Kim Key"].absence is None
    lee_row = rows["Lee Lane"]
    assert (lee_row.key_children, lee_row.absence.kind) == (0, "sickness")
    assert (lee_row.level3_on, lee_row.os_user, lee_row.role) == (
        D(2025, 6, 1),
        "lee",
        "care_staff",
    )
    after = {r.name: r for r in manager.staff_overview(home.actor, D(2026, 3, 5))}
    assert after["Lee Lane"].absence is None


# --- changing a key worker ------------------------------------------------------------


@pytest.mark.parametrize("reason", REASONS)
def test_change_with_each_reason_keeps_history(home, kim, lee, amy, reason):
    note = "moved to nights" if reason == "other" else ""
    change = manager.change_key_worker(home.actor, amy.id, lee.id, CHANGE, reason, note)
    old = KeyWorkerAllocation.get_by_id(change.previous_allocation_id)
    new = KeyWorkerAllocation.get_by_id(change.allocation_id)
    assert (old.staff_id, old.starts_on, old.ends_on) == (kim.id, ADMITTED, D(2026, 3, 8))
    assert (new.staff_id, new.starts_on, new.ends_on) == (lee.id, CHANGE, None)
    assert (new.reason, new.reason_note) == (reason, note)
    assert (change.previous_staff, change.staff, change.reason) == ("Kim Key", "Lee Lane", reason)
    assert allocation.key_workers_on(home.id, D(2026, 3, 8))[amy.id].id == kim.id
    assert allocation.key_workers_on(home.id, CHANGE)[amy.id].id == lee.id


def test_change_is_audited(home, kim, lee, amy):
    change = manager.change_key_worker(home.actor, amy.id, lee.id, CHANGE, "child_request")
    events = audit.events(child_id=amy.id, action_prefix="allocation.")
    latest = {(e.action, e.record_id) for e in events[:2]}
    assert latest == {
        ("allocation.end", change.previous_allocation_id),
        ("allocation.start", change.allocation_id),
    }
    start = next(
        e for e in events if e.action == "allocation.start" and e.record_id == change.allocation_id
    )
    assert (start.after["reason"], start.staff_name) == ("child_request", "Mo Manager")


@pytest.mark.parametrize("note", ["", "   "])
def test_other_reason_needs_words(home, lee, amy, note):
    with pytest.raises(FieldError, match="say why") as raised:
        manager.change_key_worker(home.actor, amy.id, lee.id, CHANGE, "other", note)
    assert raised.value.field == "reason_note"
    assert KeyWorkerAllocation.select().count() == 1


def test_change_must_start_after_the_current_allocation(home, kim, lee, amy):
    with pytest.raises(ConflictError, match="must start after"):
        manager.change_key_worker(home.actor, amy.id, lee.id, ADMITTED, "staff_request")
    assert KeyWorkerAllocation.select().count() == 1
    assert KeyWorkerAllocation.get(KeyWorkerAllocation.child == amy.id).ends_on is None


def test_unknown_reason_is_refused_beside_its_field(home, lee, amy):
    with pytest.raises(FieldError) as raised:
        manager.change_key_worker(home.actor, amy.id, lee.id, CHANGE, "bored")
    assert raised.value.field == "reason"


@pytest.mark.parametrize(
    ("fields", "why"),
    [
        ({"induction_done": False}, "has not completed induction"),
        ({"level3": False}, "has no level-3 qualification"),
        (
            {"induction_done": False, "level3": False},
            "has not completed induction and has no level-3 qualification",
        ),
    ],
)
def test_ineligible_staff_refused_in_words(home, add_staff, amy, fields, why):
    new = add_staff("Nat New", **fields)
    with pytest.raises(ServiceError, match=f"Nat New cannot key-work: {why}"):
        manager.change_key_worker(home.actor, amy.id, new.id, CHANGE, "staff_left")
    assert KeyWorkerAllocation.get(KeyWorkerAllocation.child == amy.id).ends_on is None


def test_inactive_staff_refused(home, lee, amy):
    people.deactivate_staff(home.actor, lee.id)
    with pytest.raises(ServiceError, match="Lee Lane cannot key-work: is not active"):
        manager.change_key_worker(home.actor, amy.id, lee.id, CHANGE, "staff_request")


def test_same_key_worker_refused(home, kim, amy):
    with pytest.raises(ConflictError, match="Kim Key is already Amy Child's key worker"):
        manager.change_key_worker(home.actor, amy.id, kim.id, CHANGE, "relationship")


def test_change_needs_a_current_key_worker(home, add_child, lee):
    ben = add_child("Ben")
    with pytest.raises(ConflictError, match="Ben Child has no key worker to change"):
        manager.change_key_worker(home.actor, ben.id, lee.id, CHANGE, "manager_decision")


@pytest.mark.parametrize("role", ["care_staff", "shift_leader"])
def test_only_managers_change_key_workers(home, add_staff, lee, amy, role):
    someone = add_staff("Sam Staff", role=role)
    with pytest.raises(PermissionDeniedError, match="change a child's key worker"):
        manager.change_key_worker(_as(home, someone), amy.id, lee.id, CHANGE, "staff_request")
    assert KeyWorkerAllocation.select().count() == 1


# --- suggestions ----------------------------------------------------------------


def test_interest_words_ignore_case_stop_words_and_short_words():
    words = manager.interest_words("Likes FOOTBALL and the dogs, art; TV", "Board games")
    assert set(words.values()) == {"football", "dogs", "art", "board", "games"}
    assert manager.shared_interests("a dog and chess", words) == ("dogs",)


def test_key_worker_suggestions_by_load_then_shared_interests(
    home, add_staff, add_child, kim, lee, amy
):
    pat = add_staff("Pat Pool", interests="cooking")
    ray = add_staff("Ray Reed", interests="Drawing, CHESS and football")
    busy = add_child("Ben")
    _allocate(home, busy, pat)
    cal = add_child("Cal", interests="Chess club", likes="drawing, dogs")
    found = manager.suggest_key_workers(home.actor, cal.id, TODAY)
    assert [(s.name, s.load, s.shared) for s in found] == [
        ("Lee Lane", 0, ("chess", "drawing")),
        ("Ray Reed", 0, ("chess", "drawing")),
        ("Kim Key", 1, ()),
        ("Pat Pool", 1, ()),
    ]
    assert [s.name for s in manager.suggest_key_workers(home.actor, cal.id, TODAY, limit=1)] == [
        "Lee Lane"
    ]
    assert ray.id in {s.staff_id for s in found}


def test_key_worker_suggestions_leave_out_absent_ineligible_and_current(
    home, add_staff, kim, lee, amy
):
    add_staff("Nat New", induction_done=False)
    gone = add_staff("Ola Old")
    people.deactivate_staff(home.actor, gone.id)
    away = add_staff("Ali Away")
    _absent(home, away, TODAY, TODAY)
    found = manager.suggest_key_workers(home.actor, amy.id, TODAY)
    assert [s.name for s in found] == ["Lee Lane"]
    assert found[0].shared == ("chess", "drawing")
    later = manager.suggest_key_workers(home.actor, amy.id, TODAY + dt.timedelta(days=1))
    assert [s.name for s in later] == ["Lee Lane", "Ali Away"]  # shared interests first


def test_cover_suggestions_exclude_absent_and_ineligible(home, add_staff, add_child, kim, lee, amy):
    pat = add_staff("Pat Pool")
    add_staff("Nat New", level3=False)
    ray = add_staff("Ray Reed")
    absence = _absent(home, kim, D(2026, 3, 9), D(2026, 3, 13))
    _absent(home, ray, D(2026, 3, 13), D(2026, 3, 20))  # away on the last day only
    _allocate(home, add_child("Ben"), lee)
    _cover(home, add_child("Cal"), pat, D(2026, 3, 10), D(2026, 3, 11))
    found = manager.suggest_cover(home.actor, absence, amy.id)
    assert [(s.name, s.key_children, s.covers, s.load) for s in found] == [
        ("Lee Lane", 1, 0, 1),
        ("Pat Pool", 0, 1, 1),
    ]
    assert found[0].shared == ("chess", "drawing")


def test_cover_suggestions_for_an_unknown_absence(home, amy):
    with pytest.raises(ServiceError, match="no absence with id 999"):
        manager.suggest_cover(home.actor, 999, amy.id)


# --- cover warnings ------------------------------------------------------------------


def test_uncovered_days_within_a_week_are_named(home, add_child, kim, lee, amy):
    ben = add_child("Ben")
    _allocate(home, ben, kim)
    start = TODAY + dt.timedelta(days=7)  # Mon 9 Mar
    _absent(home, kim, start, start + dt.timedelta(days=4))
    _cover(home, amy, lee, start, start + dt.timedelta(days=1))
    _cover(home, amy, lee, start + dt.timedelta(days=3), start + dt.timedelta(days=3))
    _cover(home, ben, lee, start, start + dt.timedelta(days=4))
    [warning] = manager.cover_warnings(home.actor, TODAY)
    assert (warning.kind, warning.staff, warning.absence_kind) == ("no_cover", "Kim Key", "leave")
    [child] = warning.children
    assert (child.child, child.days) == ("Amy Child", (D(2026, 3, 11), D(2026, 3, 13)))
    assert warning.text == (
        "Kim Key is away (leave) Mon 9 Mar to Fri 13 Mar: "
        "no cover for Amy Child on Wed 11 Mar, Fri 13 Mar."
    )


def test_absence_eight_days_away_is_not_warned_yet(home, kim, amy):
    _absent(home, kim, TODAY + dt.timedelta(days=8), TODAY + dt.timedelta(days=10))
    assert manager.cover_warnings(home.actor, TODAY) == []
    assert len(manager.cover_warnings(home.actor, TODAY + dt.timedelta(days=1))) == 1


def test_running_absence_counts_from_today_and_joins_days(home, kim, amy):
    _absent(home, kim, TODAY - dt.timedelta(days=3), TODAY + dt.timedelta(days=2), kind="sickness")
    [warning] = manager.cover_warnings(home.actor, TODAY)
    assert warning.children[0].days == (TODAY, D(2026, 3, 3), D(2026, 3, 4))
    assert warning.text.endswith("no cover for Amy Child on Mon 2 Mar to Wed 4 Mar.")


def test_no_warning_when_covered_or_without_key_children(home, kim, lee, amy):
    _absent(home, kim, TODAY, TODAY + dt.timedelta(days=2))
    _absent(home, lee, TODAY, TODAY + dt.timedelta(days=2))  # no key children
    _cover(home, amy, lee, TODAY, TODAY + dt.timedelta(days=2))
    assert manager.cover_warnings(home.actor, TODAY) == []


def test_long_absence_suggests_a_change_of_key_worker(home, kim, lee, amy):
    start = TODAY + dt.timedelta(days=2)
    _absent(home, kim, start, start + dt.timedelta(days=28), kind="sickness")
    _cover(home, amy, lee, start, start + dt.timedelta(days=28))
    [warning] = manager.cover_warnings(home.actor, TODAY)
    assert (warning.kind, [c.child for c in warning.children]) == ("long_absence", ["Amy Child"])
    assert "29 days: consider a change of key worker for Amy Child" in warning.text


def test_long_absence_threshold_from_the_home_policy(home, kim, amy, admin):
    _absent(home, kim, TODAY, TODAY + dt.timedelta(days=11))
    assert [w.kind for w in manager.cover_warnings(home.actor, TODAY)] == ["no_cover"]
    homes.set_policy(admin, {"long_absence_days": 10})
    assert manager.long_absence_days(home.id) == 10
    kinds = [w.kind for w in manager.cover_warnings(home.actor, TODAY)]
    assert kinds == ["no_cover", "long_absence"]


# --- children without a key worker --------------------------------------------------------


def test_children_without_key_worker(home, add_child, kim, lee, amy):
    ben = add_child("Ben")
    add_child("Cal", admitted_on=D(2026, 4, 1))  # not here yet
    gone = add_child("Dee")
    people.child_leaves(home.actor, gone.id, D(2026, 2, 1))
    assert [c.first_name for c in manager.children_without_key_worker(home.id, TODAY)] == ["Ben"]
    _allocate(home, ben, lee, starts_on=CHANGE)
    assert [c.id for c in manager.children_without_key_worker(home.id, TODAY)] == [ben.id]
    assert manager.children_without_key_worker(home.id, CHANGE) == []


def test_unallocated_child_is_overdue_for_the_managers(home, add_child, lee, amy):
    ben = add_child("Ben", admitted_on=D(2026, 2, 27))
    found = [
        o for o in compliance.obligations(home.id, TODAY) if o.obligation == "key_worker_allocation"
    ]
    assert [(o.child_id, o.title, o.due, o.status, o.days_overdue) for o in found] == [
        (ben.id, "Allocate a key worker", D(2026, 2, 27), "overdue", 3)
    ]
    assert (found[0].responsible, found[0].responsible_id, found[0].falls_to) == (
        "Mo Manager",
        None,
        "managers",
    )
    on_admission = [
        o
        for o in compliance.obligations(home.id, D(2026, 2, 27))
        if o.obligation == "key_worker_allocation"
    ]
    assert [o.status for o in on_admission] == ["due_today"]
    _allocate(home, ben, lee, starts_on=D(2026, 3, 1))
    assert not [
        o for o in compliance.obligations(home.id, TODAY) if o.obligation == "key_worker_allocation"
    ]
