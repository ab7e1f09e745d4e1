"""handover_board.board(): duty state and cover, bedtime concerns carried over,
the next 24 hours' dates, overdue and unseen counts, amendments, the previous
handover's readers and what the cover colleague needs to hear."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from keywork_tui.calendar import ShiftRef
from keywork_tui.schemas import (
    AbsenceIn,
    AllocationIn,
    AmendmentIn,
    CoverIn,
    EventIn,
    HandoverEntryIn,
    ReviewIn,
    SessionIn,
    SignOnIn,
)
from keywork_tui.services import clock
from keywork_tui.services.actor import actor_for
from keywork_tui.services.child_file import plans_and_events as records
from keywork_tui.services.child_file import sessions
from keywork_tui.services.handover import board as handover_board
from keywork_tui.services.handover import shift as handover
from keywork_tui.services.team import allocation
from models import KeySession

DAY = dt.date(2026, 3, 10)  # a Tuesday
AFTERNOON = dt.datetime(2026, 3, 10, 14, 0)
DAY_SHIFT = ShiftRef(DAY, "day")
NIGHT_SHIFT = ShiftRef(DAY, "night")
LAST_NIGHT = ShiftRef(dt.date(2026, 3, 9), "night")
YESTERDAY = ShiftRef(dt.date(2026, 3, 9), "day")
TWO_NIGHTS_AGO = ShiftRef(dt.date(2026, 3, 8), "night")

pytestmark = pytest.mark.now(AFTERNOON)


@pytest.fixture
def team(home, add_staff, add_child):
    """Amy's key worker is Kim; Pat has no key child; Lee leads shifts by role."""
    amy, kim = add_child("Amy", "Ash"), add_staff("Kim Key")
    pat, lee = add_staff("Pat Pool"), add_staff("Lee Lead", role="shift_leader")
    start = dt.date(2026, 1, 5)
    allocation.allocate(home.actor, AllocationIn(child_id=amy.id, staff_id=kim.id, starts_on=start))
    return SimpleNamespace(amy=amy, kim=kim, pat=pat, lee=lee)


def _board(home, at=AFTERNOON):
    return handover_board.board(home.id, at)


def _row(home, child, at=AFTERNOON):
    [row] = [r for r in _board(home, at).rows if r.child_id == child.id]
    return row


def _away(home, staff, day=DAY):
    data = AbsenceIn(staff_id=staff.id, starts_on=day, ends_on=day, kind="leave")
    allocation.record_absence(home.actor, data)


def _cover(home, child, staff, day=DAY):
    data = CoverIn(child_id=child.id, staff_id=staff.id, starts_on=day, ends_on=day)
    allocation.arrange_cover(home.actor, data)


def _entry(home, shift, child, *, submit=False, **fields) -> int:
    handover_id = handover.open_handover(home.actor, shift)
    handover.write_entry(home.actor, handover_id, HandoverEntryIn(child_id=child.id, **fields))
    if submit:
        handover.submit(home.actor, handover_id, pass_missing=True)
    return handover_id


def _concern(staff, child, at, text, *, bedtime=False) -> int:
    """A session with a concern, recorded by `staff` at `at`."""
    data = SessionIn(
        child_id=child.id,
        staff_id=staff.id,
        held_at=at - dt.timedelta(hours=1),
        concern=True,
        concern_text=text,
        bedtime=bedtime,
    )
    with clock.frozen(at):
        return sessions.save_session(actor_for(staff.id), data).id


# --- duty state and cover -------------------------------------------------------


def test_key_worker_signed_on_to_the_incoming_night_is_on_shift(home, team):
    handover.sign_on(home.actor, NIGHT_SHIFT, [team.kim.id])
    row = _row(home, team.amy)
    assert (row.key_worker, row.key_worker_status, row.absence_kind) == (
        "Kim Key",
        "on_shift",
        None,
    )


def test_key_worker_signed_on_to_a_later_shift_only_is_off_duty(home, team):
    handover.sign_on(home.actor, ShiftRef(DAY + dt.timedelta(days=1), "day"), [team.kim.id])
    assert _row(home, team.amy).key_worker_status == "off_duty"


def test_key_worker_on_leave_is_absent_with_the_kind_of_absence(home, team):
    _away(home, team.kim)
    row = _row(home, team.amy)
    assert (row.key_worker_status, row.absence_kind, row.cover) == ("absent", "leave", None)


def test_absent_key_worker_without_cover_is_listed_as_no_cover(home, team):
    _away(home, team.kim)
    assert [r.child for r in _board(home).no_cover] == ["Amy Ash"]


def test_cover_colleague_is_named_and_no_cover_is_cleared(home, team):
    _away(home, team.kim)
    _cover(home, team.amy, team.pat)
    assert _row(home, team.amy).cover == "Pat Pool"
    assert _board(home).no_cover == []


def test_cover_is_not_shown_when_the_key_worker_is_on_shift(home, team):
    _cover(home, team.amy, team.pat)
    handover.sign_on(home.actor, NIGHT_SHIFT, [team.kim.id])
    assert _row(home, team.amy).cover is None


def test_child_without_key_worker_has_no_duty_state(home, team, add_child):
    bea = add_child("Bea", "Brook")
    row = _row(home, bea)
    assert (row.key_worker, row.key_worker_status, row.no_cover) == (None, None, False)


def test_early_morning_board_looks_at_the_incoming_day_shift(home, team):
    handover.sign_on(home.actor, DAY_SHIFT, [team.kim.id])
    board = _board(home, dt.datetime(2026, 3, 10, 8, 0))
    assert (board.outgoing, board.incoming, board.is_night) == (LAST_NIGHT, DAY_SHIFT, False)
    assert board.rows[0].key_worker_status == "on_shift"


def test_marked_leader_of_the_incoming_shift_is_named(home, team):
    data = SignOnIn(staff_ids=[team.kim.id, team.lee.id], leader_id=team.kim.id)
    handover.set_shift_staff(home.actor, NIGHT_SHIFT, data)
    assert _board(home).leader == "Kim Key"


def test_without_a_marked_leader_the_shift_leader_by_role_leads(home, team):
    handover.sign_on(home.actor, NIGHT_SHIFT, [team.kim.id, team.lee.id])
    assert _board(home).leader == "Lee Lead"


# --- bedtime concerns -----------------------------------------------------------


def test_bedtime_concern_from_last_night_is_carried_into_tonight(home, team):
    _entry(home, LAST_NIGHT, team.amy, bedtime_concern="nightmares about moving")
    _entry(home, DAY_SHIFT, team.amy, mood="bright")
    [note] = _row(home, team.amy).bedtime
    assert (note.text, note.kind, note.source) == (
        "nightmares about moving",
        "bedtime",
        "night handover Mon 09 Mar",
    )


def test_a_submitted_bedtime_concern_is_listed_once(home, team):
    _entry(home, LAST_NIGHT, team.amy, submit=True, bedtime_concern="nightmares")
    assert [n.text for n in _row(home, team.amy).bedtime] == ["nightmares"]


def test_bedtime_concern_from_the_third_handover_back_still_shows(home, team):
    _entry(home, YESTERDAY, team.amy, bedtime_concern="wants the landing light on")
    assert _row(home, team.amy).bedtime_concern == "wants the landing light on"


def test_bedtime_concern_drops_off_after_three_handovers(home, team):
    _entry(home, TWO_NIGHTS_AGO, team.amy, bedtime_concern="wants the landing light on")
    assert _row(home, team.amy).bedtime == ()


def test_the_newest_bedtime_concern_comes_first(home, team):
    with clock.frozen(dt.datetime(2026, 3, 9, 12, 0)):
        _entry(home, YESTERDAY, team.amy, bedtime_concern="older worry")
    with clock.frozen(dt.datetime(2026, 3, 10, 6, 0)):
        _entry(home, LAST_NIGHT, team.amy, bedtime_concern="newer worry")
    row = _row(home, team.amy)
    assert [n.text for n in row.bedtime] == ["newer worry", "older worry"]
    assert row.bedtime_concern == "newer worry"


def test_bedtime_concern_from_a_session_since_is_shown(home, team):
    _concern(
        team.kim, team.amy, dt.datetime(2026, 3, 9, 16, 0), "scared of the storm", bedtime=True
    )
    [note] = _row(home, team.amy).bedtime
    assert (note.text, note.by, note.source) == (
        "scared of the storm",
        "Kim Key",
        "session Mon 09 Mar",
    )


def test_session_bedtime_concern_before_the_three_handovers_is_not_shown(home, team):
    _concern(team.kim, team.amy, dt.datetime(2026, 3, 9, 7, 0), "scared of the storm", bedtime=True)
    assert _row(home, team.amy).bedtime == ()


def test_session_concern_not_about_bedtime_is_not_a_bedtime_concern(home, team):
    _concern(team.kim, team.amy, dt.datetime(2026, 3, 10, 9, 0), "upset after phone call")
    assert _row(home, team.amy).bedtime == ()


# --- the next 24 hours ----------------------------------------------------------


def test_birthday_tomorrow_is_listed_with_the_age(home, team, add_child):
    cal = add_child("Cal", "Cole", date_of_birth=dt.date(2012, 3, 11))
    assert _row(home, cal).events_next_24h == ("Tomorrow: Birthday (14)",)


def test_birthday_two_days_away_is_not_listed(home, team, add_child):
    cal = add_child("Cal", "Cole", date_of_birth=dt.date(2012, 3, 12))
    assert _row(home, cal).events_next_24h == ()


def test_one_off_event_today_is_listed_with_its_note(home, team):
    data = EventIn(child_id=team.amy.id, date=DAY, kind="court", note="hearing at 10")
    records.add_event(home.actor, data)
    assert _row(home, team.amy).events_next_24h == ("Today: Court (hearing at 10)",)


def test_one_off_event_of_a_past_year_is_not_listed(home, team):
    data = EventIn(child_id=team.amy.id, date=dt.date(2025, 3, 11), kind="contact")
    records.add_event(home.actor, data)
    assert _row(home, team.amy).events_next_24h == ()


def test_yearly_event_is_listed_on_its_anniversary(home, team):
    data = EventIn(
        child_id=team.amy.id,
        date=dt.date(2024, 3, 11),
        kind="anniversary",
        yearly=True,
        note="came to live here",
    )
    records.add_event(home.actor, data)
    assert _row(home, team.amy).events_next_24h == ("Tomorrow: Anniversary (came to live here)",)


def test_events_are_listed_soonest_first(home, team, add_child):
    cal = add_child("Cal", "Cole", date_of_birth=dt.date(2012, 3, 11))
    records.add_event(home.actor, EventIn(child_id=cal.id, date=DAY, kind="meeting"))
    assert _row(home, cal).events_next_24h == ("Today: Meeting", "Tomorrow: Birthday (14)")


def test_29_february_birthday_falls_on_28_february_in_a_non_leap_year(home, team, add_child):
    leap = add_child("Lea", "Leap", date_of_birth=dt.date(2012, 2, 29))
    with clock.frozen(dt.datetime(2026, 2, 27, 14, 0)):
        row = _row(home, leap, dt.datetime(2026, 2, 27, 14, 0))
    assert row.events_next_24h == ("Tomorrow: Birthday (14)",)


def test_yearly_event_on_29_february_is_kept_in_a_non_leap_year(home, team):
    data = EventIn(
        child_id=team.amy.id,
        date=dt.date(2024, 2, 29),
        kind="other",
        yearly=True,
        note="leap-day memory",
    )
    records.add_event(home.actor, data)
    with clock.frozen(dt.datetime(2026, 2, 28, 14, 0)):
        row = _row(home, team.amy, dt.datetime(2026, 2, 28, 14, 0))
    assert row.events_next_24h == ("Today: Date (leap-day memory)",)


def test_birthday_also_entered_by_hand_is_listed_once_with_the_age(home, team, add_child):
    cal = add_child("Cal", "Cole", date_of_birth=dt.date(2012, 3, 11))
    data = EventIn(child_id=cal.id, date=dt.date(2012, 3, 11), kind="birthday", yearly=True)
    records.add_event(home.actor, data)
    assert _row(home, cal).events_next_24h == ("Tomorrow: Birthday (14)",)


# --- overdue and unseen ---------------------------------------------------------


def test_overdue_count_counts_the_childs_overdue_obligations(home, team, add_child):
    # Admitted two days ago with a key worker: only the likes-and-dislikes form
    # (due on admission) is late.
    cal = _admitted_with_key_worker(home, team, add_child)
    assert _row(home, cal).overdue_count == 1


def _admitted_with_key_worker(home, team, add_child):
    cal = add_child("Cal", "Cole", admitted_on=DAY - dt.timedelta(days=2))
    allocation.allocate(
        home.actor, AllocationIn(child_id=cal.id, staff_id=team.kim.id, starts_on=cal.admitted_on)
    )
    return cal


def test_overdue_count_falls_when_the_late_record_is_made(home, team, add_child):
    cal = _admitted_with_key_worker(home, team, add_child)
    review = ReviewIn(
        child_id=cal.id, document="likes_dislikes", reviewed_on=DAY, outcome="updated"
    )
    records.record_review(home.actor, review)
    assert _row(home, cal).overdue_count == 0


def test_unseen_concerns_count_only_concerns_nobody_has_seen(home, team):
    first = _concern(team.kim, team.amy, dt.datetime(2026, 3, 10, 9, 0), "bruise on arm")
    _concern(team.kim, team.amy, dt.datetime(2026, 3, 10, 10, 0), "not eating")
    assert _row(home, team.amy).unseen_concerns == 2
    KeySession.update(concern_seen_at=AFTERNOON, concern_seen_by=team.pat.id).where(
        KeySession.id == first
    ).execute()
    assert _row(home, team.amy).unseen_concerns == 1


def test_a_session_without_a_concern_is_not_an_unseen_concern(home, team):
    data = SessionIn(
        child_id=team.amy.id,
        staff_id=team.kim.id,
        held_at=dt.datetime(2026, 3, 10, 9, 0),
        summary="baking",
    )
    sessions.save_session(actor_for(team.kim.id), data)
    assert _row(home, team.amy).unseen_concerns == 0


# --- entries and amendments -----------------------------------------------------


def test_the_row_shows_this_shifts_entry(home, team):
    _entry(home, DAY_SHIFT, team.amy, state="unsettled", mood="tearful")
    entry = _row(home, team.amy).entry
    assert (entry.state, entry.mood, entry.by, entry.updated_at) == (
        "unsettled",
        "tearful",
        "Mo Manager",
        AFTERNOON,
    )


def test_an_entry_of_an_earlier_shift_is_not_this_shifts_entry(home, team):
    _entry(home, LAST_NIGHT, team.amy, mood="tired")
    assert _row(home, team.amy).entry is None


def test_amendments_are_shown_on_the_entry(home, team):
    handover_id = _entry(home, DAY_SHIFT, team.amy, mood="calm", submit=True)
    fix = AmendmentIn(field="mood", corrected="withdrawn", reason="wrong child")
    later = AFTERNOON + dt.timedelta(minutes=30)
    with clock.frozen(later):
        handover.amend_entry(actor_for(team.pat.id), handover_id, team.amy.id, fix)
        entry = _row(home, team.amy).entry
    assert entry.mood == "withdrawn"
    assert entry.amendments == (
        handover_board.AmendmentView("mood", "calm", "withdrawn", "wrong child", "Pat Pool", later),
    )


def test_board_reports_the_submitted_handover(home, team):
    handover_id = _entry(home, DAY_SHIFT, team.amy, submit=True)
    board = _board(home)
    assert (board.handover_id, board.status, board.written_by, board.submitted_at) == (
        handover_id,
        "submitted",
        "Mo Manager",
        AFTERNOON,
    )


# --- the previous handover ------------------------------------------------------


def test_previous_unread_names_who_has_not_acknowledged(home, team):
    previous = _entry(home, LAST_NIGHT, team.amy, submit=True)
    handover.sign_on(home.actor, DAY_SHIFT, [team.kim.id, team.pat.id])
    handover.acknowledge(actor_for(team.pat.id), previous)
    unread = _board(home).previous_unread
    assert (unread.handover_id, unread.shift, unread.missing) == (
        previous,
        LAST_NIGHT,
        ("Kim Key",),
    )


def test_previous_unread_is_none_once_everyone_has_read_it(home, team):
    previous = _entry(home, LAST_NIGHT, team.amy, submit=True)
    handover.sign_on(home.actor, DAY_SHIFT, [team.kim.id])
    handover.acknowledge(actor_for(team.kim.id), previous)
    assert _board(home).previous_unread is None


def test_previous_draft_handover_is_not_reported_unread(home, team):
    _entry(home, LAST_NIGHT, team.amy)
    handover.sign_on(home.actor, DAY_SHIFT, [team.kim.id])
    assert _board(home).previous_unread is None


# --- for the cover colleague ----------------------------------------------------


def _for_cover(home):
    return [
        (who, [(n.child, n.kind, n.text) for n in notes]) for who, notes in _board(home).for_cover
    ]


def test_for_cover_lists_this_shifts_entry_under_the_cover_colleague(home, team):
    _away(home, team.kim)
    _cover(home, team.amy, team.pat)
    _entry(home, DAY_SHIFT, team.amy, state="watch", mood="low", actions="ring mum")
    assert _for_cover(home) == [
        ("Pat Pool", [("Amy Ash", "handover", "state watch; mood: low; actions: ring mum")])
    ]


def test_for_cover_falls_to_the_incoming_shift_leader_without_cover(home, team):
    handover.set_shift_staff(
        home.actor, NIGHT_SHIFT, SignOnIn(staff_ids=[team.pat.id], leader_id=team.pat.id)
    )
    _entry(home, DAY_SHIFT, team.amy, mood="low")
    assert [who for who, _ in _board(home).for_cover] == ["Pat Pool"]


def test_for_cover_falls_to_a_shift_leader_by_role_when_none_is_marked(home, team):
    handover.sign_on(home.actor, NIGHT_SHIFT, [team.pat.id, team.lee.id])
    _entry(home, DAY_SHIFT, team.amy, mood="low")
    assert [who for who, _ in _board(home).for_cover] == ["Lee Lead"]


def test_for_cover_without_a_leader_says_the_shift_leader(home, team):
    _entry(home, DAY_SHIFT, team.amy, mood="low")
    assert [who for who, _ in _board(home).for_cover] == ["the shift leader"]


def test_for_cover_includes_this_shifts_session_concerns_and_the_bedtime_concern(home, team):
    _concern(team.kim, team.amy, dt.datetime(2026, 3, 10, 11, 0), "bruise on arm")
    _concern(
        team.kim, team.amy, dt.datetime(2026, 3, 10, 12, 0), "afraid of the dark", bedtime=True
    )
    assert _for_cover(home) == [
        (
            "the shift leader",
            [
                ("Amy Ash", "concern", "bruise on arm"),
                ("Amy Ash", "bedtime", "afraid of the dark"),
            ],
        )
    ]


def test_for_cover_leaves_out_concerns_from_before_this_shift(home, team):
    _concern(team.kim, team.amy, dt.datetime(2026, 3, 9, 15, 0), "bruise on arm")
    assert _board(home).for_cover == []


def test_for_cover_is_empty_when_the_key_worker_is_on_the_incoming_shift(home, team):
    handover.sign_on(home.actor, NIGHT_SHIFT, [team.kim.id])
    _entry(home, DAY_SHIFT, team.amy, mood="low")
    assert _board(home).for_cover == []


def test_for_cover_leaves_out_nothing_to_add_entries(home, team):
    handover_id = handover.open_handover(home.actor, DAY_SHIFT)
    handover.submit(home.actor, handover_id, pass_missing=True)
    assert _board(home).for_cover == []
