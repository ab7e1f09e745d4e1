"""compliance.obligations(): a submitted handover the incoming shift has not all
acknowledged once its reading time is over, who it falls to, and the policy
that switches it off or changes the reading time (and with it handover.focus())."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from keywork_tui.calendar import ShiftRef
from keywork_tui.schemas import SignOnIn
from keywork_tui.services import clock, homes
from keywork_tui.services.actor import actor_for
from keywork_tui.services.child_file import obligations as compliance
from keywork_tui.services.handover import shift as handover

DAY = dt.date(2026, 3, 10)  # a Tuesday
LAST_NIGHT = ShiftRef(dt.date(2026, 3, 9), "night")  # hands over to...
DAY_SHIFT = ShiftRef(DAY, "day")  # ...this shift, starting at 07:30
WRITTEN = dt.datetime(2026, 3, 10, 7, 0)
READING_OVER = dt.datetime(2026, 3, 10, 9, 30)  # 07:30 plus the default two hours
SLUG = "handover_acknowledgement"


@pytest.fixture
def team(home, add_staff):
    """Pat led and wrote last night's handover; Kim, Lee (a shift leader) and Sam work days."""
    kim, pat = add_staff("Kim Key"), add_staff("Pat Pool", role="shift_leader")
    lee, sam = add_staff("Lee Lead", role="shift_leader"), add_staff("Sam Shaw")
    return SimpleNamespace(kim=kim, pat=pat, lee=lee, sam=sam)


def _write(team, shift=LAST_NIGHT, at=WRITTEN, *, submit=True) -> int:
    with clock.frozen(at):
        writer = actor_for(team.pat.id)
        handover_id = handover.open_handover(writer, shift)
        if submit:
            handover.submit(writer, handover_id)
    return handover_id


def _sign_on(home, staff, shift=DAY_SHIFT, leader=None):
    data = SignOnIn(staff_ids=[s.id for s in staff], leader_id=leader.id if leader else None)
    with clock.frozen(WRITTEN):
        handover.set_shift_staff(home.actor, shift, data)


def _read(handover_id, staff):
    with clock.frozen(dt.datetime(2026, 3, 10, 8, 0)):
        handover.acknowledge(actor_for(staff.id), handover_id)


def _unread(home, at=READING_OVER):
    with clock.frozen(at):
        return [o for o in compliance.obligations(home.id, at.date()) if o.obligation == SLUG]


# --- when it is listed ----------------------------------------------------------


def test_not_listed_while_the_reading_time_is_still_running(home, team):
    _write(team)
    _sign_on(home, [team.kim, team.sam])
    assert _unread(home, READING_OVER - dt.timedelta(minutes=1)) == []


def test_listed_once_the_reading_time_is_over(home, team):
    handover_id = _write(team)
    _sign_on(home, [team.kim, team.sam])
    [o] = _unread(home)
    assert (o.title, o.subject, o.due, o.status, o.days_overdue) == (
        "Handover not yet read by Kim Key, Sam Shaw",
        "Night handover Mon 09 Mar",
        DAY,
        "due_today",
        0,
    )
    assert (o.falls_to, o.record_id, o.child_id, o.staff_id) == (
        "shift_leader",
        handover_id,
        None,
        None,
    )


def test_only_those_who_have_not_acknowledged_are_named(home, team):
    handover_id = _write(team)
    _sign_on(home, [team.kim, team.sam])
    _read(handover_id, team.kim)
    [o] = _unread(home)
    assert o.title == "Handover not yet read by Sam Shaw"


def test_disappears_once_everyone_on_the_incoming_shift_has_acknowledged(home, team):
    handover_id = _write(team)
    _sign_on(home, [team.kim, team.sam])
    _read(handover_id, team.kim)
    _read(handover_id, team.sam)
    assert _unread(home) == []


def test_staff_of_another_shift_are_not_expected_to_read_it(home, team):
    _write(team)
    _sign_on(home, [team.kim])
    _sign_on(home, [team.sam], shift=ShiftRef(DAY, "night"))
    [o] = _unread(home)
    assert o.title == "Handover not yet read by Kim Key"


def test_with_nobody_signed_on_it_is_unread_and_falls_to_the_writer(home, team):
    _write(team)
    [o] = _unread(home)
    assert (o.title, o.responsible) == ("Handover not yet read by anyone", "Pat Pool")


def test_a_draft_handover_is_not_listed(home, team):
    _write(team, submit=False)
    _sign_on(home, [team.kim])
    assert _unread(home) == []


def test_a_handover_left_unread_for_days_is_overdue(home, team):
    _write(team, ShiftRef(dt.date(2026, 3, 6), "day"), dt.datetime(2026, 3, 6, 21, 0))
    [o] = _unread(home)
    # Read by the 22:00 night shift within two hours: due just after midnight.
    assert (o.due, o.status, o.days_overdue, o.lateness) == (
        dt.date(2026, 3, 7),
        "overdue",
        3,
        "late 3d",
    )


def test_a_handover_seven_days_old_is_still_listed(home, team):
    _write(team, ShiftRef(dt.date(2026, 3, 3), "day"), dt.datetime(2026, 3, 3, 21, 0))
    assert [o.subject for o in _unread(home)] == ["Day handover Tue 03 Mar"]


def test_a_handover_older_than_seven_days_is_left_to_the_audit(home, team):
    _write(team, ShiftRef(dt.date(2026, 3, 2), "night"), dt.datetime(2026, 3, 3, 7, 0))
    assert _unread(home) == []


def test_day_handover_unread_just_after_midnight_is_due_today(home, team):
    _write(team, ShiftRef(DAY, "day"), dt.datetime(2026, 3, 10, 21, 45))
    _sign_on(home, [team.kim], shift=ShiftRef(DAY, "night"))
    [o] = _unread(home, dt.datetime(2026, 3, 11, 0, 30))
    assert (o.status, o.days_overdue) == ("due_today", 0)


# --- who it falls to ------------------------------------------------------------


def test_falls_to_the_leader_marked_at_sign_on(home, team):
    _write(team)
    _sign_on(home, [team.kim, team.lee, team.sam], leader=team.sam)
    [o] = _unread(home)
    assert (o.responsible, o.responsible_id) == ("Sam Shaw", team.sam.id)


def test_without_a_marked_leader_falls_to_a_shift_leader_by_role(home, team):
    _write(team)
    _sign_on(home, [team.kim, team.lee])
    [o] = _unread(home)
    assert (o.responsible, o.responsible_id) == ("Lee Lead", team.lee.id)


def test_without_any_leader_falls_to_the_handovers_writer(home, team):
    _write(team)
    _sign_on(home, [team.kim, team.sam])
    [o] = _unread(home)
    assert (o.responsible, o.responsible_id) == ("Pat Pool", team.pat.id)


def test_a_leader_of_another_shift_does_not_take_it(home, team):
    _write(team)
    _sign_on(home, [team.kim])
    _sign_on(home, [team.lee], shift=ShiftRef(DAY, "night"), leader=team.lee)
    [o] = _unread(home)
    assert o.responsible == "Pat Pool"


# --- policy ---------------------------------------------------------------------


def test_the_rule_can_be_switched_off_for_the_home(home, team, admin):
    _write(team)
    _sign_on(home, [team.kim])
    assert len(_unread(home)) == 1
    homes.set_policy(admin, {"rules": {SLUG: {"enabled": False}}})
    assert _unread(home) == []


def test_a_longer_reading_time_delays_the_obligation(home, team, admin):
    _write(team)
    _sign_on(home, [team.kim])
    homes.set_policy(admin, {"handover_reading_hours": 4})
    assert _unread(home, dt.datetime(2026, 3, 10, 11, 29)) == []
    assert len(_unread(home, dt.datetime(2026, 3, 10, 11, 30))) == 1


def test_a_longer_reading_time_keeps_the_received_handover_in_focus(home, admin):
    homes.set_policy(admin, {"handover_reading_hours": 4})
    assert handover.focus(home.id, dt.datetime(2026, 3, 10, 11, 0)) == LAST_NIGHT
    assert handover.focus(home.id, dt.datetime(2026, 3, 10, 11, 30)) == DAY_SHIFT


def test_no_reading_time_puts_the_shifts_own_handover_in_focus_at_once(home, admin):
    homes.set_policy(admin, {"handover_reading_hours": 0})
    assert handover.focus(home.id, dt.datetime(2026, 3, 10, 7, 30)) == DAY_SHIFT


def test_without_an_override_the_reading_time_is_two_hours(home):
    assert handover.focus(home.id, dt.datetime(2026, 3, 10, 9, 0)) == LAST_NIGHT
    assert handover.focus(home.id, dt.datetime(2026, 3, 10, 9, 30)) == DAY_SHIFT
