"""children.overview(): a key worker's own, co-worked and covered children, with
sessions a week, what is due, targets, dates and open actions."""

from __future__ import annotations

import datetime as dt

import pytest
from statements import count_statements

from keywork_tui.schemas import (
    AbsenceIn,
    ActionIn,
    AllocationIn,
    ChildIn,
    CoverIn,
    EventIn,
    SessionIn,
    TargetIn,
    TargetReviewIn,
)
from keywork_tui.services.actor import actor_for
from keywork_tui.services.child_file import key_children as children
from keywork_tui.services.child_file import obligations as compliance
from keywork_tui.services.child_file import plans_and_events as records
from keywork_tui.services.child_file import sessions as key_sessions
from keywork_tui.services.child_file.key_children import WEEKS, week_of
from keywork_tui.services.team import allocation, people

D = dt.date
NOW = dt.datetime(2026, 11, 30, 12, 0)  # a Monday
TODAY = NOW.date()
ADMITTED = D(2026, 1, 5)  # as in conftest

pytestmark = pytest.mark.now(NOW)


@pytest.fixture
def kim(add_staff):
    return add_staff("Kim Key")


@pytest.fixture
def kim_actor(kim):
    return actor_for(kim.id)


@pytest.fixture
def amy(home, add_child, kim):
    child = add_child("Amy")
    _allocate(home, child.id, kim.id)
    return child


def _allocate(home, child_id: int, staff_id: int, role: str = "key_worker") -> None:
    allocation.allocate(
        home.actor,
        AllocationIn(child_id=child_id, staff_id=staff_id, starts_on=ADMITTED, role=role),
    )


def _session(
    home,
    child_id: int,
    staff_id: int,
    held: dt.datetime | dt.date,
    *,
    final: bool = True,
    actions: list[ActionIn] | None = None,
):
    if not isinstance(held, dt.datetime):
        held = dt.datetime.combine(held, dt.time(16, 0))
    data = SessionIn(
        child_id=child_id,
        staff_id=staff_id,
        held_at=held,
        summary="Chatted.",
        actions=actions or [],
    )
    return key_sessions.save_session(home.actor, data, finalise=final)


def _only(actor, child_id: int):
    [found] = [o for o in children.overview(actor, TODAY) if o.child.id == child_id]
    return found


# --- who is listed ------------------------------------------------------------


def test_own_co_worked_and_covered_children_are_listed_as_such(
    home, add_child, add_staff, kim, kim_actor, amy
):
    lee = add_staff("Lee Lane")
    ben, cat, dot = add_child("Ben"), add_child("Cat"), add_child("Dot")
    for child in (ben, cat, dot):
        _allocate(home, child.id, lee.id)
    _allocate(home, ben.id, kim.id, role="co_worker")
    allocation.record_absence(
        home.actor,
        AbsenceIn(
            staff_id=lee.id, starts_on=D(2026, 11, 20), ends_on=D(2026, 12, 11), kind="sickness"
        ),
    )
    allocation.arrange_cover(
        home.actor,
        CoverIn(
            child_id=cat.id, staff_id=kim.id, starts_on=D(2026, 11, 20), ends_on=D(2026, 12, 4)
        ),
    )
    # A cover that ended yesterday is over.
    allocation.arrange_cover(
        home.actor,
        CoverIn(
            child_id=dot.id, staff_id=kim.id, starts_on=D(2026, 11, 20), ends_on=D(2026, 11, 29)
        ),
    )

    rows = children.overview(kim_actor, TODAY)

    assert [(r.child.first_name, r.relation, r.cover_until) for r in rows] == [
        ("Amy", "key worker", None),
        ("Ben", "co-worker", None),
        ("Cat", "cover", D(2026, 12, 4)),
    ]
    assert [(r.key_worker, r.key_worker_away) for r in rows] == [
        ("Kim Key", None),
        ("Lee Lane", "sickness"),
        ("Lee Lane", "sickness"),
    ]


def test_a_child_who_has_left_is_not_listed(home, add_child, kim, kim_actor, amy):
    eve = add_child("Eve")
    _allocate(home, eve.id, kim.id)
    people.child_leaves(home.actor, eve.id, TODAY - dt.timedelta(days=1))
    assert [r.child.first_name for r in children.overview(kim_actor, TODAY)] == ["Amy"]
    assert [r.child.first_name for r in children.key_children(kim_actor, TODAY)] == ["Amy"]


def test_someone_without_key_children_gets_an_empty_list(home):
    assert children.overview(home.actor, TODAY) == []


# --- sessions a week --------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_back", "week"),
    [(0, 11), (6, 11), (7, 10), (13, 10), (14, 9), (83, 0), (84, None), (-1, None)],
)
def test_week_of_counts_back_in_whole_weeks_from_today(days_back, week):
    assert week_of(TODAY, TODAY - dt.timedelta(days=days_back)) == week


def test_weekly_counts_include_drafts_and_show_empty_weeks_as_zero(home, kim, kim_actor, amy):
    back = [0, 6, 7, 7, 83, 84]  # 84 days back is just outside the twelve weeks
    for i, days in enumerate(back):
        held = dt.datetime.combine(TODAY - dt.timedelta(days=days), dt.time(9, i))
        _session(home, amy.id, kim.id, held, final=i % 2 == 0)

    weekly = _only(kim_actor, amy.id).weekly

    assert len(weekly) == WEEKS
    assert weekly == (1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2)


def test_a_session_late_today_counts_in_the_last_week(home, kim, kim_actor, amy):
    _session(home, amy.id, kim.id, NOW - dt.timedelta(minutes=1))
    _session(home, amy.id, kim.id, dt.datetime.combine(TODAY - dt.timedelta(days=6), dt.time()))
    assert _only(kim_actor, amy.id).weekly[-1] == 2


# --- what is due ----------------------------------------------------------------


def test_next_due_is_the_first_session_until_there_is_one(home, kim, kim_actor, amy):
    found = _only(kim_actor, amy.id)
    assert (found.next_due, found.next_due_rule) == (
        ADMITTED + dt.timedelta(days=2),
        "first_session",
    )
    assert found.last_session is None


def test_next_due_is_a_week_after_the_last_session(home, kim, kim_actor, amy):
    _session(home, amy.id, kim.id, D(2026, 11, 26), final=False)
    found = _only(kim_actor, amy.id)
    assert (found.next_due, found.next_due_rule) == (D(2026, 12, 3), "key_session")
    assert found.last_session == dt.datetime(2026, 11, 26, 16, 0)


def test_a_childs_own_session_rhythm_sets_next_due(home, kim, kim_actor):
    fay = people.add_child(
        home.actor,
        ChildIn(
            first_name="Fay",
            last_name="Child",
            date_of_birth=D(2012, 3, 4),
            admitted_on=ADMITTED,
            session_every_days=14,
        ),
    )
    _allocate(home, fay.id, kim.id)
    _session(home, fay.id, kim.id, D(2026, 11, 26))
    assert _only(kim_actor, fay.id).next_due == D(2026, 12, 10)


def test_overdue_work_is_the_overdue_list_for_that_child(home, add_child, kim, kim_actor, amy):
    other = add_child("Gus")
    _allocate(home, other.id, kim.id)
    _session(home, amy.id, kim.id, D(2026, 11, 26), final=False)

    found = _only(kim_actor, amy.id)

    expected = [o for o in compliance.obligations(home.id, TODAY) if o.child_id == amy.id]
    assert list(found.obligations) == expected
    assert found.overdue and all(o.status == "overdue" for o in found.overdue)
    # Nothing in January, so the support plan is long overdue.
    assert "support_plan" in {o.obligation for o in found.overdue}
    assert all(o.child_id == amy.id for o in found.obligations)


# --- targets, dates and actions --------------------------------------------------------


def test_only_open_targets_are_listed_soonest_review_first(home, kim, kim_actor, amy):
    def add(text: str, review_by: dt.date) -> int:
        return records.add_target(
            home.actor,
            TargetIn(child_id=amy.id, text=text, set_on=D(2026, 11, 2), review_by=review_by),
        )

    add("Later", D(2026, 12, 18))
    done = add("Reviewed", D(2026, 11, 20))
    add("Sooner", D(2026, 12, 4))
    records.review_target(
        home.actor, done, TargetReviewIn(outcome="achieved", reviewed_on=D(2026, 11, 20))
    )

    targets = _only(kim_actor, amy.id).targets

    assert [(t.text, t.review_by) for t in targets] == [
        ("Sooner", D(2026, 12, 4)),
        ("Later", D(2026, 12, 18)),
    ]


def test_only_open_actions_are_listed_from_drafts_and_finals(home, kim, kim_actor, amy):
    final = _session(
        home,
        amy.id,
        kim.id,
        D(2026, 11, 2),
        actions=[
            ActionIn(text="Ring school", who="Kim Key", by=D(2026, 11, 9)),
            ActionIn(text="Book the dentist", who="Kim Key", by=D(2026, 11, 20)),
        ],
    )
    _session(
        home,
        amy.id,
        kim.id,
        D(2026, 11, 26),
        final=False,
        actions=[ActionIn(text="Buy football boots", who="Amy")],
    )
    key_sessions.complete_action(home.actor, final.id, 0)

    actions = _only(kim_actor, amy.id).actions

    assert [(a.text, a.who, a.by) for a in actions] == [
        ("Book the dentist", "Kim Key", D(2026, 11, 20)),
        ("Buy football boots", "Amy", None),
    ]
    assert [a.days_late(TODAY) for a in actions] == [10, 0]
    assert (actions[0].session_id, actions[0].index, actions[0].agreed_on) == (
        final.id,
        1,
        D(2026, 11, 2),
    )


def test_next_dates_include_the_birthday_and_events_within_sixty_days(home, kim, kim_actor):
    hal = people.add_child(
        home.actor,
        ChildIn(
            first_name="Hal", last_name="Child", date_of_birth=D(2012, 12, 10), admitted_on=ADMITTED
        ),
    )
    _allocate(home, hal.id, kim.id)
    for day, kind in (
        (D(2026, 12, 3), "court"),
        (D(2026, 11, 20), "contact"),
        (D(2027, 2, 20), "review"),
    ):
        records.add_event(home.actor, EventIn(child_id=hal.id, date=day, kind=kind))

    dates = _only(kim_actor, hal.id).dates

    assert [(u.date, u.kind, u.note) for u in dates] == [
        (D(2026, 12, 3), "court", ""),
        (D(2026, 12, 10), "birthday", "14"),
    ]


# --- a fixed number of queries ---------------------------------------------------------


def _add_children(home, add_child, kim, first: int, last: int) -> None:
    for number in range(first, last):
        child = add_child(f"Child{number:02d}")
        _allocate(home, child.id, kim.id)
        _session(home, child.id, kim.id, D(2026, 11, 2), actions=[ActionIn(text="Call home")])
        _session(home, child.id, kim.id, D(2026, 11, 24), final=False)
        records.add_target(
            home.actor,
            TargetIn(
                child_id=child.id,
                text="Ask for help",
                set_on=D(2026, 11, 2),
                review_by=D(2026, 12, 18),
            ),
        )
        records.add_event(
            home.actor, EventIn(child_id=child.id, date=D(2026, 12, 20), kind="contact")
        )


def test_query_count_does_not_grow_with_children(home, add_child, kim, kim_actor, monkeypatch):
    counts = {}
    made = 0
    for size in (2, 12):
        _add_children(home, add_child, kim, made, size)
        made = size
        assert len(children.overview(kim_actor, TODAY)) == size
        counts[size] = count_statements(monkeypatch, lambda: children.overview(kim_actor, TODAY))
    print(f"queries run by overview(): {counts}")
    assert 0 < counts[2] == counts[12] <= 40
