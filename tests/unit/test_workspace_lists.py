"""What the manager's workspace lists: allocations, absences with their cover,
and supervision per staff member; managers only."""

from __future__ import annotations

import datetime as dt

import pytest

from keywork_tui.schemas import AbsenceIn, AllocationIn, CoverIn, SupervisionIn
from keywork_tui.services import PermissionDeniedError
from keywork_tui.services.actor import Actor
from keywork_tui.services.child_file import plans_and_events as records
from keywork_tui.services.team import allocation, workspace

D = dt.date
ADMITTED = D(2026, 1, 5)  # as in conftest
TODAY = D(2026, 3, 2)  # a Monday


@pytest.fixture
def frozen(monkeypatch):
    from keywork_tui.services import clock

    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2026, 3, 2, 10, 0))
    monkeypatch.setattr(clock, "today", lambda: TODAY)


@pytest.fixture
def team(home, add_staff, add_child):
    kim, lee = add_staff("Kim Key"), add_staff("Lee Lane")
    amy, ben, cal = add_child("Amy"), add_child("Ben"), add_child("Cal")
    for child, staff, role in (
        (amy, kim, "key_worker"),
        (ben, kim, "key_worker"),
        (amy, lee, "co_worker"),
    ):
        allocation.allocate(
            home.actor,
            AllocationIn(child_id=child.id, staff_id=staff.id, starts_on=ADMITTED, role=role),
        )
    return kim, lee, amy, ben, cal


def test_allocation_board_names_key_co_worker_and_cover(home, team):
    kim, lee, amy, ben, cal = team
    allocation.arrange_cover(
        home.actor, CoverIn(child_id=ben.id, staff_id=lee.id, starts_on=TODAY, ends_on=TODAY)
    )
    rows = {r.child: r for r in workspace.allocation_board(home.actor, TODAY)}
    assert (rows["Amy Child"].key_worker, rows["Amy Child"].co_worker) == ("Kim Key", "Lee Lane")
    assert rows["Amy Child"].since == ADMITTED
    assert rows["Ben Child"].cover == "Lee Lane" and rows["Amy Child"].cover is None
    assert rows["Cal Child"].key_worker is None and rows["Cal Child"].key_worker_id is None


def test_absences_ahead_show_each_key_child_and_the_days_left_uncovered(home, team):
    kim, lee, amy, ben, _ = team
    absence = allocation.record_absence(
        home.actor,
        AbsenceIn(staff_id=kim.id, starts_on=D(2026, 3, 4), ends_on=D(2026, 3, 6), kind="leave"),
    )
    allocation.arrange_cover(
        home.actor,
        CoverIn(
            child_id=amy.id,
            staff_id=lee.id,
            starts_on=D(2026, 3, 4),
            ends_on=D(2026, 3, 6),
            absence_id=absence.id,
        ),
    )
    [row] = workspace.absences_ahead(home.actor, TODAY)
    assert (row.staff, row.kind, row.days) == ("Kim Key", "leave", 3)
    children = {c.child: c for c in row.children}
    assert children["Amy Child"].covered_by == ("Lee Lane",)
    assert children["Amy Child"].uncovered == ()
    assert children["Ben Child"].uncovered == (D(2026, 3, 4), D(2026, 3, 5), D(2026, 3, 6))
    assert row.uncovered


def test_absences_ahead_leave_out_the_past_and_the_far_future(home, team):
    kim = team[0]
    for start, end in (
        (D(2026, 2, 1), D(2026, 2, 5)),
        (D(2026, 7, 1), D(2026, 7, 3)),
        (D(2026, 3, 1), D(2026, 3, 2)),
    ):
        allocation.record_absence(
            home.actor, AbsenceIn(staff_id=kim.id, starts_on=start, ends_on=end, kind="sickness")
        )
    rows = workspace.absences_ahead(home.actor, TODAY)
    assert [(r.starts_on, [c.uncovered for c in r.children]) for r in rows] == [
        (D(2026, 3, 1), [(TODAY,), (TODAY,)])
    ]  # only days from today on count


def test_supervision_overview_shows_last_count_and_what_is_due(home, team, frozen):
    kim = team[0]
    for held in (D(2025, 2, 1), D(2025, 11, 3), D(2026, 1, 20)):
        records.record_supervision(home.actor, SupervisionIn(staff_id=kim.id, held_on=held))
    rows = {r.name: r for r in workspace.supervision_overview(home.actor, TODAY)}
    assert rows["Kim Key"].last == D(2026, 1, 20)
    assert rows["Kim Key"].held_this_year == 2  # the one over a year ago is not counted
    assert rows["Kim Key"].key_children == 2
    assert rows["Lee Lane"].last is None and rows["Lee Lane"].key_children == 0
    assert rows["Mo Manager"].eligibility.startswith("not eligible")


@pytest.mark.parametrize("listing", ["allocation_board", "absences_ahead", "supervision_overview"])
def test_care_staff_cannot_read_the_workspace(home, team, listing):
    kim = team[0]
    with pytest.raises(PermissionDeniedError, match="only a manager, admin or provider"):
        getattr(workspace, listing)(Actor(kim.id, kim.name, kim.role, home.id), TODAY)
