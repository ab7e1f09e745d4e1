"""The nights the clocks change: one shift each, of its real length, with the
handover in focus, the unread-handover deadline, the "since you were away"
window and a sign-in wait all worked out in real time.

On Sunday 28 March 2027 the clocks go forward at 01:00 GMT (01:00-01:59 never
happens); on Sunday 31 October 2027 they go back at 02:00 BST (01:00-01:59
happens twice: `fold=1` is the second time round).
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from keywork_tui.calendar import ShiftRef, elapsed, no_later_than, shift_length
from keywork_tui.schemas import AllocationIn, HandoverEntryIn, SignOnIn
from keywork_tui.services import SignInRefused, clock, homes
from keywork_tui.services.actor import actor_for
from keywork_tui.services.child_file import obligations as compliance
from keywork_tui.services.handover import away
from keywork_tui.services.handover import board as handover_board
from keywork_tui.services.handover import shift as handover
from keywork_tui.services.team import allocation, signin

SPRING = ShiftRef(dt.date(2027, 3, 27), "night")  # 22:00 GMT to 07:30 BST
AUTUMN = ShiftRef(dt.date(2027, 10, 30), "night")  # 22:00 BST to 07:30 GMT
NIGHTS = [pytest.param(SPRING, id="spring"), pytest.param(AUTUMN, id="autumn")]
PIN = "2468"


def _at(shift: ShiftRef, hour: int, minute: int = 0, *, fold: int = 0) -> dt.datetime:
    """A time during the night that starts on the shift's date."""
    day = shift.date if hour >= 12 else shift.date + dt.timedelta(days=1)
    return dt.datetime(day.year, day.month, day.day, hour, minute, fold=fold)


def _day_before(night: ShiftRef) -> ShiftRef:
    return ShiftRef(night.date, "day")


def _morning_after(night: ShiftRef) -> ShiftRef:
    return ShiftRef(night.date + dt.timedelta(days=1), "day")


@pytest.fixture
def team(home, add_staff, add_child):
    """Kim is Amy's key worker; Pat, a shift leader, works the nights."""
    amy = add_child("Amy", "Ash")
    kim, pat = add_staff("Kim Key"), add_staff("Pat Pool", role="shift_leader")
    allocation.allocate(
        home.actor, AllocationIn(child_id=amy.id, staff_id=kim.id, starts_on=dt.date(2026, 1, 5))
    )
    return SimpleNamespace(
        amy=amy, kim=kim, pat=pat, as_kim=actor_for(kim.id), as_pat=actor_for(pat.id)
    )


@pytest.fixture
def four_reading_hours(admin):
    """Long enough that the reading time runs past the change at night."""
    homes.set_policy(admin, {"handover_reading_hours": 4})


# --- one shift, its real length --------------------------------------------------


@pytest.mark.parametrize("night", NIGHTS)
@pytest.mark.parametrize(
    ("hour", "minute", "fold"),
    [(22, 0, 0), (23, 59, 0), (0, 59, 0), (1, 30, 0), (1, 30, 1), (3, 0, 0), (7, 29, 0)],
)
def test_every_hour_of_the_night_belongs_to_the_one_shift(home, night, hour, minute, fold):
    assert handover.shift_now(home.id, _at(night, hour, minute, fold=fold)) == night


@pytest.mark.parametrize("night", NIGHTS)
def test_the_morning_after_is_the_next_day_shift(home, night):
    assert handover.shift_now(home.id, _at(night, 7, 30)) == _morning_after(night)


def test_the_night_the_clocks_go_forward_is_an_hour_short():
    assert shift_length(SPRING, "07:30", "22:00") == dt.timedelta(hours=8, minutes=30)


def test_the_night_the_clocks_go_back_is_an_hour_long():
    assert shift_length(AUTUMN, "07:30", "22:00") == dt.timedelta(hours=10, minutes=30)


def test_other_shifts_keep_their_length():
    ordinary = ShiftRef(dt.date(2027, 3, 20), "night")
    assert shift_length(ordinary, "07:30", "22:00") == dt.timedelta(hours=9, minutes=30)
    assert shift_length(_morning_after(SPRING), "07:30", "22:00") == dt.timedelta(
        hours=14, minutes=30
    )


def test_real_time_across_the_hour_that_comes_twice():
    first, second = _at(AUTUMN, 1, 30), _at(AUTUMN, 1, 30, fold=1)
    assert elapsed(first, second) == dt.timedelta(hours=1)


# --- the handover in focus and on the board ----------------------------------------


def test_spring_reading_time_is_four_real_hours(home, four_reading_hours):
    # 22:00 GMT plus four hours is 02:00 GMT, which the clocks call 03:00.
    assert handover.focus(home.id, _at(SPRING, 2, 30)) == _day_before(SPRING)
    assert handover.focus(home.id, _at(SPRING, 2, 59)) == _day_before(SPRING)
    assert handover.focus(home.id, _at(SPRING, 3, 0)) == SPRING


def test_autumn_reading_time_is_four_real_hours(home, four_reading_hours):
    # 22:00 BST plus four hours is 01:00 the second time round.
    assert handover.focus(home.id, _at(AUTUMN, 1, 30)) == _day_before(AUTUMN)
    assert handover.focus(home.id, _at(AUTUMN, 0, 59, fold=1)) == _day_before(AUTUMN)
    assert handover.focus(home.id, _at(AUTUMN, 1, 0, fold=1)) == AUTUMN
    assert handover.focus(home.id, _at(AUTUMN, 1, 30, fold=1)) == AUTUMN


@pytest.mark.parametrize("night", NIGHTS)
def test_the_board_after_the_night_shows_its_handover_to_the_morning(home, team, night):
    _write_and_submit(team.as_pat, night, team.amy, _at(night, 7, 0), mood="slept well")
    with clock.frozen(_at(night, 8, 0)):
        board = handover_board.board(home.id)
    assert (board.outgoing, board.incoming) == (night, _morning_after(night))
    assert board.starts_at == _at(night, 7, 30)
    assert board.status == "submitted"
    [row] = board.rows
    assert row.entry is not None and "slept well" in row.entry.mood


@pytest.mark.parametrize("night", NIGHTS)
def test_the_board_in_the_small_hours_is_the_night_on_duty(home, team, night):
    with clock.frozen(_at(night, 3, 30)):
        board = handover_board.board(home.id)
    assert (board.outgoing, board.incoming) == (night, _morning_after(night))


# --- the unread-handover deadline --------------------------------------------------


def _unread_at(home, at: dt.datetime) -> list[compliance.Obligation]:
    with clock.frozen(at):
        return [
            o
            for o in compliance.obligations(home.id, at.date())
            if o.obligation == "handover_acknowledgement"
        ]


def _day_handover_unread_by_the_night(home, team, night: ShiftRef) -> None:
    """The day shift's handover, written at 21:45, not yet read by Kim on nights."""
    _write_and_submit(team.as_pat, _day_before(night), team.amy, _at(night, 21, 45))
    with clock.frozen(_at(night, 21, 50)):
        handover.set_shift_staff(home.actor, night, SignOnIn(staff_ids=[team.kim.id]))


def test_spring_unread_deadline_is_four_real_hours_after_the_night_starts(
    home, team, four_reading_hours
):
    _day_handover_unread_by_the_night(home, team, SPRING)
    assert _unread_at(home, _at(SPRING, 2, 59)) == []
    [late] = _unread_at(home, _at(SPRING, 3, 0))
    assert late.title == "Handover not yet read by Kim Key"
    assert late.due == dt.date(2027, 3, 28)


def test_autumn_unread_deadline_is_four_real_hours_after_the_night_starts(
    home, team, four_reading_hours
):
    _day_handover_unread_by_the_night(home, team, AUTUMN)
    assert _unread_at(home, _at(AUTUMN, 1, 30)) == []
    assert _unread_at(home, _at(AUTUMN, 0, 59, fold=1)) == []
    [late] = _unread_at(home, _at(AUTUMN, 1, 0, fold=1))
    assert late.due == dt.date(2027, 10, 31)


@pytest.mark.parametrize("night", NIGHTS)
def test_the_night_handover_is_due_two_hours_into_the_day(home, team, night):
    _write_and_submit(team.as_pat, night, team.amy, _at(night, 7, 0))
    with clock.frozen(_at(night, 7, 20)):
        handover.set_shift_staff(
            home.actor, _morning_after(night), SignOnIn(staff_ids=[team.kim.id])
        )
    assert _unread_at(home, _at(night, 9, 29)) == []
    [late] = _unread_at(home, _at(night, 9, 30))
    assert late.due == night.date + dt.timedelta(days=1)


# --- "since you were away" -------------------------------------------------------


def _write_and_submit(actor, shift: ShiftRef, child, at: dt.datetime, **fields) -> int:
    with clock.frozen(at):
        handover_id = handover.open_handover(actor, shift)
        handover.write_entry(actor, handover_id, HandoverEntryIn(child_id=child.id, **fields))
        handover.submit(actor, handover_id, pass_missing=True)
    return handover_id


@pytest.mark.parametrize("night", NIGHTS)
def test_away_over_the_night_the_key_worker_reads_what_the_night_wrote(home, team, night):
    """Kim worked the day before and is back the morning after."""
    handover.sign_on(home.actor, _day_before(night), [team.kim.id])
    handover.sign_on(home.actor, _morning_after(night), [team.kim.id])
    _write_and_submit(team.as_pat, night, team.amy, _at(night, 3, 30), mood="woke at three")
    with clock.frozen(_at(night, 8, 0)):
        digest = away.digest(team.as_kim)
    assert digest.since == _at(night, 22, 0)
    assert [n.by for n in digest.notes if n.kind == "handover"] == ["Pat Pool"]
    assert "woke at three" in digest.notes[0].text


def test_a_note_written_the_second_time_round_is_not_lost_behind_a_read_mark(home, team):
    """Kim, on nights, marks the digest read at 01:45 BST; Pat writes at 01:15
    GMT, half an hour later, though the clock shows an earlier time."""
    handover.sign_on(home.actor, _day_before(AUTUMN), [team.kim.id])
    handover.sign_on(home.actor, AUTUMN, [team.kim.id])
    handover.sign_on(home.actor, _morning_after(AUTUMN), [team.kim.id])
    with clock.frozen(_at(AUTUMN, 1, 45)):
        away.mark_read(team.as_kim, _at(AUTUMN, 1, 45))
    _write_and_submit(
        team.as_pat, AUTUMN, team.amy, _at(AUTUMN, 1, 15, fold=1), mood="asked for a drink"
    )
    with clock.frozen(_at(AUTUMN, 2, 30)):
        digest = away.digest(team.as_kim)
    assert any("asked for a drink" in n.text for n in digest.notes)


def test_a_read_mark_outside_the_repeated_hour_is_used_as_it_is():
    assert no_later_than(_at(AUTUMN, 0, 45)) == _at(AUTUMN, 0, 45)
    assert no_later_than(_at(AUTUMN, 1, 45)) == _at(AUTUMN, 1, 0)
    assert no_later_than(_at(SPRING, 3, 15)) == _at(SPRING, 3, 15)


# --- a sign-in wait ---------------------------------------------------------------


def _three_wrong(home, staff, at: dt.datetime) -> None:
    for _ in range(3):
        with pytest.raises(SignInRefused):
            signin.sign_in(home.id, staff.id, "0000", at)


def test_a_wait_started_just_before_the_clocks_go_back_is_not_an_hour_long(home, team):
    signin.set_pin(team.as_kim, team.kim.id, PIN)
    _three_wrong(home, team.kim, dt.datetime(2027, 10, 31, 1, 59, 50))
    forty_seconds_on = dt.datetime(2027, 10, 31, 1, 0, 30, fold=1)
    assert signin.sign_in(home.id, team.kim.id, PIN, forty_seconds_on).id == team.kim.id


def test_a_wait_started_just_before_the_clocks_go_forward_runs_its_thirty_seconds(home, team):
    signin.set_pin(team.as_kim, team.kim.id, PIN)
    started = dt.datetime(2027, 3, 28, 0, 59, 50)
    _three_wrong(home, team.kim, started)
    fifteen_seconds_on = dt.datetime(2027, 3, 28, 2, 0, 5)
    with pytest.raises(SignInRefused) as refused:
        signin.sign_in(home.id, team.kim.id, PIN, fifteen_seconds_on)
    assert refused.value.reason == "wait" and refused.value.wait_seconds == 15
    assert (
        signin.sign_in(home.id, team.kim.id, PIN, fifteen_seconds_on + dt.timedelta(seconds=15)).id
        == team.kim.id
    )
