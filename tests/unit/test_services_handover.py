"""The handover board: incoming shift, key workers away, cover, entries, reading."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from keywork_tui.calendar import ShiftRef
from keywork_tui.schemas import AbsenceIn, AllocationIn, CoverIn, HandoverEntryIn
from keywork_tui.services import ConflictError
from keywork_tui.services.actor import actor_for
from keywork_tui.services.handover import board as handover_board
from keywork_tui.services.handover import shift as handover
from keywork_tui.services.team import allocation

DAY = dt.date(2026, 3, 10)
AFTERNOON = dt.datetime(2026, 3, 10, 14, 0)
DAY_SHIFT = ShiftRef(DAY, "day")
NIGHT_SHIFT = ShiftRef(DAY, "night")

pytestmark = pytest.mark.now(AFTERNOON)


@pytest.fixture
def team(home, add_staff, add_child):
    """Amy's key worker is Kim; Pat is an eligible colleague with no key child."""
    amy, kim, pat = add_child("Amy", "Ash"), add_staff("Kim Key"), add_staff("Pat Pool")
    start = dt.date(2026, 1, 5)
    allocation.allocate(home.actor, AllocationIn(child_id=amy.id, staff_id=kim.id, starts_on=start))
    return SimpleNamespace(amy=amy, kim=kim, pat=pat)


def _row(home, child):
    board = handover_board.board(home.id, AFTERNOON)
    [row] = [r for r in board.rows if r.child_id == child.id]
    return row


def _away(home, staff, day=DAY):
    data = AbsenceIn(staff_id=staff.id, starts_on=day, ends_on=day, kind="sickness")
    allocation.record_absence(home.actor, data)


def _entry(home, shift, child, **fields) -> int:
    handover_id = handover.open_handover(home.actor, shift)
    handover.write_entry(home.actor, handover_id, HandoverEntryIn(child_id=child.id, **fields))
    return handover_id


def test_afternoon_board_hands_the_day_shift_to_the_night(home, team):
    board = handover_board.board(home.id, AFTERNOON)
    assert (board.outgoing, board.incoming) == (DAY_SHIFT, NIGHT_SHIFT)
    assert [r.child for r in board.rows] == ["Amy Ash"]


def test_absent_key_worker_without_cover_is_flagged(home, team):
    _away(home, team.kim)
    row = _row(home, team.amy)
    assert (row.key_worker, row.key_worker_status, row.absence_kind) == (
        "Kim Key",
        "absent",
        "sickness",
    )
    assert [r.child_id for r in handover_board.board(home.id, AFTERNOON).no_cover] == [team.amy.id]


def test_cover_is_named_once_arranged(home, team):
    _away(home, team.kim)
    cover = CoverIn(child_id=team.amy.id, staff_id=team.pat.id, starts_on=DAY, ends_on=DAY)
    allocation.arrange_cover(home.actor, cover)
    assert _row(home, team.amy).cover == "Pat Pool"
    assert handover_board.board(home.id, AFTERNOON).no_cover == []


def test_absence_on_another_day_does_not_count(home, team):
    _away(home, team.kim, DAY + dt.timedelta(days=1))
    assert _row(home, team.amy).key_worker_status == "off_duty"


def test_key_worker_signed_on_to_the_incoming_shift_is_on_shift(home, team):
    handover.sign_on(home.actor, NIGHT_SHIFT, [team.kim.id, team.pat.id])
    assert _row(home, team.amy).key_worker_status == "on_shift"
    assert handover_board.board(home.id, AFTERNOON).incoming_staff == ["Kim Key", "Pat Pool"]


def test_key_worker_on_the_outgoing_shift_only_is_off_duty(home, team):
    handover.sign_on(home.actor, DAY_SHIFT, [team.kim.id])
    assert _row(home, team.amy).key_worker_status == "off_duty"


def test_submitted_handover_cannot_be_written_again(home, team):
    handover_id = _entry(home, DAY_SHIFT, team.amy, mood="cheerful")
    handover.submit(home.actor, handover_id)
    with pytest.raises(ConflictError):
        handover.write_entry(home.actor, handover_id, HandoverEntryIn(child_id=team.amy.id))
    assert _row(home, team.amy).mood == "cheerful"


def test_acknowledgement_is_listed_on_the_board(home, team):
    handover_id = _entry(home, DAY_SHIFT, team.amy, state="watch")
    handover.submit(home.actor, handover_id)
    handover.sign_on(home.actor, NIGHT_SHIFT, [team.pat.id, team.kim.id])
    handover.acknowledge(actor_for(team.pat.id), handover_id)
    board = handover_board.board(home.id, AFTERNOON)
    assert board.acknowledged_by == ["Pat Pool"]
    assert board.not_acknowledged == ["Kim Key"]
    assert _row(home, team.amy).state == "watch"


def test_only_the_incoming_shift_acknowledges(home, team):
    handover_id = _entry(home, DAY_SHIFT, team.amy)
    handover.submit(home.actor, handover_id)
    with pytest.raises(ConflictError, match="not signed on to the Night shift"):
        handover.acknowledge(actor_for(team.pat.id), handover_id)


def test_draft_cannot_be_acknowledged(home, team):
    handover_id = _entry(home, DAY_SHIFT, team.amy)
    with pytest.raises(ConflictError):
        handover.acknowledge(actor_for(team.pat.id), handover_id)


def test_bedtime_concern_from_two_shifts_ago_still_shows(home, team):
    two_ago = ShiftRef(DAY - dt.timedelta(days=1), "day")
    _entry(home, two_ago, team.amy, bedtime_concern="worried about court tomorrow")
    _entry(home, DAY_SHIFT, team.amy, mood="quiet")
    row = _row(home, team.amy)
    assert row.bedtime_concern == "worried about court tomorrow"
    assert row.mood == "quiet"


def test_bedtime_concern_from_three_shifts_ago_has_dropped_off(home, team):
    three_ago = ShiftRef(DAY - dt.timedelta(days=2), "night")
    _entry(home, three_ago, team.amy, bedtime_concern="scared of the dark")
    assert _row(home, team.amy).bedtime_concern == ""


# --- signing on someone recorded as away ----------------------------------------


def test_signing_on_someone_recorded_as_away_is_refused_naming_why(home, team):
    from keywork_tui.schemas import SignOnIn
    from keywork_tui.services.handover.shift import AbsentOnShiftError

    _away(home, team.kim)
    with pytest.raises(AbsentOnShiftError) as refused:
        handover.set_shift_staff(
            home.actor, NIGHT_SHIFT, SignOnIn(staff_ids=[team.kim.id, team.pat.id])
        )
    assert refused.value.absent == {team.kim.id: "Kim Key (sickness, Tue 10 Mar – Tue 10 Mar)"}
    assert handover_board.board(home.id, AFTERNOON).incoming_staff == []  # nobody, not Pat alone
    with pytest.raises(AbsentOnShiftError):
        handover.sign_on(home.actor, NIGHT_SHIFT, [team.kim.id])


def test_once_asked_someone_away_is_signed_on_and_the_absence_stays(home, team):
    from keywork_tui.schemas import SignOnIn
    from models import Absence

    _away(home, team.kim)
    handover.set_shift_staff(
        home.actor,
        NIGHT_SHIFT,
        SignOnIn(staff_ids=[team.kim.id, team.pat.id], despite_absence=[team.kim.id]),
    )
    assert sorted(handover_board.board(home.id, AFTERNOON).incoming_staff) == [
        "Kim Key",
        "Pat Pool",
    ]
    assert Absence.select().where(Absence.staff == team.kim.id).count() == 1
    # Changing the leader later asks nothing more: Kim is already on.
    handover.set_shift_staff(
        home.actor,
        NIGHT_SHIFT,
        SignOnIn(staff_ids=[team.kim.id, team.pat.id], leader_id=team.pat.id),
    )
