"""away.digest(): what others recorded about a key worker's children since the
end of the last shift they worked, until they mark it read."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from keywork_tui.calendar import ShiftRef
from keywork_tui.schemas import (
    AllocationIn,
    CoverIn,
    HandoverEntryIn,
    SessionIn,
    SignificantEventIn,
)
from keywork_tui.services import ConflictError, audit, clock
from keywork_tui.services.actor import actor_for
from keywork_tui.services.child_file import plans_and_events as records
from keywork_tui.services.child_file import sessions as key_sessions
from keywork_tui.services.handover import away
from keywork_tui.services.handover import shift as handover
from keywork_tui.services.team import allocation
from models import AwayRead

# Kim worked the day shift of Sunday 8 March (07:30-22:00) and is back on
# the day shift of Tuesday 10 March; she is reading at 08:00 that morning.
WORKED = ShiftRef(dt.date(2026, 3, 8), "day")
BACK = ShiftRef(dt.date(2026, 3, 10), "day")
AWAY_FROM = dt.datetime(2026, 3, 8, 22, 0)
NOW = dt.datetime(2026, 3, 10, 8, 0)
WHILE_AWAY = dt.datetime(2026, 3, 9, 15, 0)

pytestmark = pytest.mark.now(NOW)


@pytest.fixture
def team(home, add_staff, add_child):
    """Kim is Amy's key worker; Bea is Pat's key child; Pat, a shift leader,
    covers Amy and records while Kim is off."""
    amy, bea = add_child("Amy", "Ash"), add_child("Bea", "Brook")
    kim, pat = add_staff("Kim Key"), add_staff("Pat Pool", role="shift_leader")
    start = dt.date(2026, 1, 5)
    for child, staff in ((amy, kim), (bea, pat)):
        allocation.allocate(
            home.actor, AllocationIn(child_id=child.id, staff_id=staff.id, starts_on=start)
        )
    allocation.arrange_cover(
        home.actor,
        CoverIn(child_id=amy.id, staff_id=pat.id, starts_on=start, ends_on=dt.date(2026, 12, 31)),
    )
    handover.sign_on(home.actor, WORKED, [kim.id])
    handover.sign_on(home.actor, BACK, [kim.id])
    return SimpleNamespace(
        amy=amy, bea=bea, kim=kim, pat=pat, as_kim=actor_for(kim.id), as_pat=actor_for(pat.id)
    )


def _session(actor, child, at, **fields) -> int:
    data = SessionIn(
        child_id=child.id, staff_id=actor.id, held_at=at - dt.timedelta(hours=1), **fields
    )
    with clock.frozen(at):
        return key_sessions.save_session(actor, data).id


def _handover(actor, shift, child, at, **fields) -> int:
    with clock.frozen(at):
        handover_id = handover.open_handover(actor, shift)
        entry = HandoverEntryIn(child_id=child.id, **fields)
        handover.write_entry(actor, handover_id, entry)
        handover.submit(actor, handover_id, pass_missing=True)
    return handover_id


def _significant(actor, child, at, summary) -> int:
    data = SignificantEventIn(child_id=child.id, occurred_on=at.date(), summary=summary)
    with clock.frozen(at):
        return records.record_significant_event(actor, data)


def _notes(digest):
    return [(n.kind, n.by, n.text) for n in digest.notes]


# --- what is listed -------------------------------------------------------------


def test_digest_starts_at_the_end_of_the_last_shift_worked(team):
    digest = away.digest(team.as_kim)
    assert (digest.on_shift, digest.since, digest.notes) == (True, AWAY_FROM, [])


def test_digest_lists_a_handover_entry_written_while_away(team):
    _handover(
        team.as_pat,
        ShiftRef(dt.date(2026, 3, 9), "day"),
        team.amy,
        WHILE_AWAY,
        state="watch",
        mood="quiet",
    )
    digest = away.digest(team.as_kim)
    assert _notes(digest) == [("handover", "Pat Pool", "state watch; mood: quiet")]
    assert digest.shown is True


def test_digest_lists_a_bedtime_concern_from_a_handover(team):
    _handover(
        team.as_pat,
        ShiftRef(dt.date(2026, 3, 9), "night"),
        team.amy,
        dt.datetime(2026, 3, 10, 7, 0),
        bedtime_concern="woke at 3",
    )
    assert ("bedtime", "Pat Pool", "woke at 3") in _notes(away.digest(team.as_kim))


def test_digest_lists_a_session_by_a_colleague(team):
    _session(team.as_pat, team.amy, WHILE_AWAY, summary="baking")
    assert _notes(away.digest(team.as_kim)) == [
        ("session", "Pat Pool", "informal session, 30 min: baking")
    ]


def test_digest_lists_a_session_concern(team):
    _session(team.as_pat, team.amy, WHILE_AWAY, concern=True, concern_text="bruise on arm")
    assert ("concern", "Pat Pool", "bruise on arm") in _notes(away.digest(team.as_kim))


def test_digest_lists_a_significant_event(team, home):
    _significant(home.actor, team.amy, WHILE_AWAY, "went missing for an hour")
    assert _notes(away.digest(team.as_kim)) == [
        ("significant event", "Mo Manager", "Other, Mon 09 Mar: went missing for an hour")
    ]


def test_a_significant_event_recorded_while_away_is_in_the_digest(team, home):
    _significant(home.actor, team.amy, WHILE_AWAY, "went missing for an hour")
    assert [n.kind for n in away.digest(team.as_kim).notes] == ["significant event"]


def test_digest_is_newest_first(team):
    _session(team.as_pat, team.amy, WHILE_AWAY, summary="first")
    _session(team.as_pat, team.amy, WHILE_AWAY + dt.timedelta(hours=2), summary="second")
    assert [n.text for n in away.digest(team.as_kim).notes] == [
        "informal session, 30 min: second",
        "informal session, 30 min: first",
    ]


# --- what is left out -----------------------------------------------------------


def test_digest_leaves_out_the_key_workers_own_records(team):
    _session(team.as_kim, team.amy, WHILE_AWAY, summary="called in on my day off")
    assert away.digest(team.as_kim).notes == []


def test_digest_leaves_out_what_was_recorded_during_the_last_shift_worked(team):
    _session(team.as_pat, team.amy, dt.datetime(2026, 3, 8, 21, 0), summary="before")
    assert away.digest(team.as_kim).notes == []


def test_digest_leaves_out_children_of_other_key_workers(team):
    _session(team.as_pat, team.bea, WHILE_AWAY, summary="bea's session")
    assert away.digest(team.as_kim).notes == []


def test_digest_leaves_out_draft_handovers(team):
    with clock.frozen(WHILE_AWAY):
        handover_id = handover.open_handover(team.as_pat, ShiftRef(dt.date(2026, 3, 9), "day"))
        handover.write_entry(
            team.as_pat, handover_id, HandoverEntryIn(child_id=team.amy.id, mood="quiet")
        )
    assert away.digest(team.as_kim).notes == []


def test_after_a_night_shift_the_digest_starts_the_next_morning(home, team):
    handover.sign_on(home.actor, ShiftRef(dt.date(2026, 3, 8), "night"), [team.kim.id])
    _session(team.as_pat, team.amy, dt.datetime(2026, 3, 9, 7, 0), summary="during the night")
    digest = away.digest(team.as_kim)
    assert (digest.since, digest.notes) == (dt.datetime(2026, 3, 9, 7, 30), [])


# --- when it is shown -----------------------------------------------------------


def test_digest_is_not_shown_to_someone_not_on_shift(team):
    _session(team.as_pat, team.amy, WHILE_AWAY, summary="baking")
    digest = away.digest(team.as_kim, dt.datetime(2026, 3, 9, 20, 0))
    assert (digest.on_shift, len(digest.notes), digest.shown) == (False, 1, False)


def test_being_signed_on_to_the_next_shift_counts_as_on_shift(home, team):
    handover.sign_on(home.actor, ShiftRef(dt.date(2026, 3, 11), "night"), [team.kim.id])
    digest = away.digest(team.as_kim, dt.datetime(2026, 3, 11, 14, 0))
    assert digest.on_shift is True


def test_digest_is_empty_for_someone_who_has_never_worked_a_shift(team, add_staff, home):
    new = add_staff("Nia New")
    handover.sign_on(home.actor, BACK, [new.id])
    digest = away.digest(actor_for(new.id))
    assert (digest.on_shift, digest.since, digest.notes, digest.shown) == (True, None, [], False)


def test_digest_with_nothing_new_is_not_shown(team):
    assert away.digest(team.as_kim).shown is False


# --- marking it read ------------------------------------------------------------


def test_marking_read_empties_the_digest(team):
    _session(team.as_pat, team.amy, WHILE_AWAY, summary="baking")
    away.mark_read(team.as_kim, NOW)
    digest = away.digest(team.as_kim)
    assert (digest.since, digest.notes) == (NOW, [])


def test_what_is_recorded_after_marking_read_shows_again(team):
    away.mark_read(team.as_kim, NOW)
    later = NOW + dt.timedelta(hours=1)
    _session(team.as_pat, team.amy, later, summary="after")
    with clock.frozen(later):
        notes = away.digest(team.as_kim).notes
    assert [n.text for n in notes] == ["informal session, 30 min: after"]


def test_marking_read_up_to_an_earlier_time_keeps_what_came_after(team):
    _session(team.as_pat, team.amy, WHILE_AWAY, summary="first")
    _session(team.as_pat, team.amy, WHILE_AWAY + dt.timedelta(hours=2), summary="second")
    away.mark_read(team.as_kim, WHILE_AWAY + dt.timedelta(hours=1))
    assert [n.text for n in away.digest(team.as_kim).notes] == ["informal session, 30 min: second"]


def test_marking_read_is_audited_in_the_readers_name(home, team):
    away.mark_read(team.as_kim, NOW)
    [event] = audit.events(home_id=home.id, action_prefix="away.read")
    assert (event.staff_id, event.staff_name, event.table) == (team.kim.id, "Kim Key", "away_read")


def test_marking_read_in_the_future_is_refused(team):
    with pytest.raises(ConflictError):
        away.mark_read(team.as_kim, NOW + dt.timedelta(minutes=1))
    assert AwayRead.select().count() == 0


# --- a recorded absence: from the last shift before it began -------------------


def _absence(home, staff, starts_on, ends_on, kind="leave"):
    from keywork_tui.schemas import AbsenceIn

    allocation.record_absence(
        home.actor, AbsenceIn(staff_id=staff.id, starts_on=starts_on, ends_on=ends_on, kind=kind)
    )


def test_a_key_worker_on_leave_who_never_signed_on_still_gets_the_digest(
    home, add_staff, add_child
):
    amy, sue = add_child("Amy", "Ash"), add_staff("Sue Shaw")
    allocation.allocate(
        home.actor, AllocationIn(child_id=amy.id, staff_id=sue.id, starts_on=dt.date(2026, 1, 5))
    )
    _absence(home, sue, dt.date(2026, 3, 2), dt.date(2026, 3, 13))
    _session(home.actor, amy, WHILE_AWAY, summary="Unsettled, threw a chair")
    digest = away.digest(actor_for(sue.id))
    assert digest.since == dt.datetime(2026, 3, 2, 0, 0)
    assert [n.text for n in digest.notes if "chair" in n.text]


def test_the_digest_for_an_absence_starts_after_the_last_shift_before_it(home, team):
    # Kim worked Sunday's day shift and was off sick on Monday, though the rota
    # had her on Monday night: the digest still reaches back to Sunday night.
    handover.sign_on(home.actor, ShiftRef(dt.date(2026, 3, 9), "night"), [team.kim.id])
    _absence(home, team.kim, dt.date(2026, 3, 9), dt.date(2026, 3, 9), kind="sickness")
    _handover(team.as_pat, WORKED, team.amy, dt.datetime(2026, 3, 8, 21, 0), mood="During")
    _session(team.as_pat, team.amy, WHILE_AWAY, summary="While she was off")
    digest = away.digest(team.as_kim)
    assert digest.since == AWAY_FROM
    assert [n.text for n in digest.notes if "While she was off" in n.text]


def test_an_absence_that_ended_before_the_last_shift_worked_changes_nothing(home, team):
    _absence(home, team.kim, dt.date(2026, 2, 2), dt.date(2026, 2, 6))
    assert away.digest(team.as_kim).since == AWAY_FROM
