"""Writing a handover: which shift is in focus, who is on, entries, notes,
submitting, amendments, acknowledgements, and the audit trail of every write."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from engines import audit_verdict
from pydantic import ValidationError

from keywork_tui.calendar import ShiftRef
from keywork_tui.schemas import AmendmentIn, ChildIn, HandoverEntryIn, HomeIn, SignOnIn, StaffIn
from keywork_tui.services import ConflictError, FieldError, NotFoundError, audit, clock
from keywork_tui.services.actor import Actor, actor_for
from keywork_tui.services.handover import shift as handover
from keywork_tui.services.handover.shift import MissingEntriesError
from keywork_tui.services.homes import create_home
from keywork_tui.services.team import people
from models import Acknowledgement, Amendment, Handover, HandoverEntry, ShiftSignOn

DAY = dt.date(2026, 3, 10)
AFTERNOON = dt.datetime(2026, 3, 10, 14, 0)
DAY_SHIFT = ShiftRef(DAY, "day")
NIGHT_SHIFT = ShiftRef(DAY, "night")
LAST_NIGHT = ShiftRef(DAY - dt.timedelta(days=1), "night")

pytestmark = pytest.mark.now(AFTERNOON)


@pytest.fixture
def team(home, add_staff, add_child):
    """Two children in placement; Pat writes and submits as the shift leader (the
    whole home's handover is theirs), Kim is a care worker colleague."""
    amy, bea = add_child("Amy", "Ash"), add_child("Bea", "Brook")
    kim, pat = add_staff("Kim Key"), add_staff("Pat Pool", role="shift_leader")
    return SimpleNamespace(amy=amy, bea=bea, kim=kim, pat=pat, writer=actor_for(pat.id))


def _draft(team, **fields) -> int:
    """Pat's day-shift handover with an entry for Amy."""
    handover_id = handover.open_handover(team.writer, DAY_SHIFT)
    entry = HandoverEntryIn(child_id=team.amy.id, **fields)
    handover.write_entry(team.writer, handover_id, entry)
    return handover_id


def _submitted(team, **fields) -> int:
    handover_id = _draft(team, **fields)
    handover.submit(team.writer, handover_id, pass_missing=True)
    return handover_id


def _incoming(home, *staff):
    """Sign staff on to the night shift, which reads the day shift's handover."""
    handover.sign_on(home.actor, NIGHT_SHIFT, [s.id for s in staff])


def _entry(handover_id, child) -> HandoverEntry:
    return HandoverEntry.get(
        (HandoverEntry.handover == handover_id) & (HandoverEntry.child == child.id)
    )


def _actions(home, prefix=""):
    return [e.action for e in audit.events(home_id=home.id, action_prefix=prefix)]


def _amend(field, corrected, reason="typed in the wrong box"):
    return AmendmentIn(field=field, corrected=corrected, reason=reason)


# --- focus ----------------------------------------------------------------------


def test_focus_in_the_afternoon_is_the_day_shift_on_duty(home):
    assert handover.focus(home.id, AFTERNOON) == DAY_SHIFT


def test_focus_early_in_the_day_stays_on_the_night_handover_just_received(home):
    assert handover.focus(home.id, dt.datetime(2026, 3, 10, 8, 0)) == LAST_NIGHT


def test_focus_moves_on_once_the_two_reading_hours_are_over(home):
    assert handover.focus(home.id, dt.datetime(2026, 3, 10, 9, 29)) == LAST_NIGHT
    assert handover.focus(home.id, dt.datetime(2026, 3, 10, 9, 30)) == DAY_SHIFT


def test_focus_just_after_the_night_starts_is_still_the_day_handover(home):
    assert handover.focus(home.id, dt.datetime(2026, 3, 10, 23, 0)) == DAY_SHIFT


def test_focus_after_midnight_is_the_night_that_started_the_evening_before(home):
    assert handover.focus(home.id, dt.datetime(2026, 3, 11, 0, 30)) == NIGHT_SHIFT


def test_focus_reads_the_clock_when_no_time_is_given(home):
    with clock.frozen(dt.datetime(2026, 3, 10, 7, 45)):
        assert handover.focus(home.id) == LAST_NIGHT


# --- who is on ------------------------------------------------------------------


def _on(home, shift):
    rows = ShiftSignOn.select().where(
        (ShiftSignOn.home == home.id)
        & (ShiftSignOn.shift_date == shift.date)
        & (ShiftSignOn.shift == shift.name)
    )
    return sorted((r.staff_id, r.leader) for r in rows)


def test_set_shift_staff_signs_everyone_on_and_marks_the_leader(home, team):
    data = SignOnIn(staff_ids=[team.kim.id, team.pat.id], leader_id=team.kim.id)
    handover.set_shift_staff(home.actor, NIGHT_SHIFT, data)
    assert _on(home, NIGHT_SHIFT) == [(team.kim.id, True), (team.pat.id, False)]
    assert _actions(home, "shift.") == ["shift.sign_on", "shift.sign_on"]


def test_set_shift_staff_signs_off_whoever_is_left_out(home, team):
    handover.set_shift_staff(
        home.actor, NIGHT_SHIFT, SignOnIn(staff_ids=[team.kim.id, team.pat.id])
    )
    handover.set_shift_staff(home.actor, NIGHT_SHIFT, SignOnIn(staff_ids=[team.pat.id]))
    assert _on(home, NIGHT_SHIFT) == [(team.pat.id, False)]
    assert _actions(home, "shift.")[0] == "shift.sign_off"


def test_sign_off_audit_names_who_was_taken_off(home, team):
    handover.set_shift_staff(home.actor, NIGHT_SHIFT, SignOnIn(staff_ids=[team.kim.id]))
    handover.set_shift_staff(home.actor, NIGHT_SHIFT, SignOnIn(staff_ids=[]))
    [event] = audit.events(home_id=home.id, action_prefix="shift.sign_off")
    assert event.before["staff"] == team.kim.id


def test_moving_the_lead_to_a_colleague_updates_both_rows(home, team):
    both = [team.kim.id, team.pat.id]
    handover.set_shift_staff(
        home.actor, NIGHT_SHIFT, SignOnIn(staff_ids=both, leader_id=team.kim.id)
    )
    handover.set_shift_staff(
        home.actor, NIGHT_SHIFT, SignOnIn(staff_ids=both, leader_id=team.pat.id)
    )
    assert _on(home, NIGHT_SHIFT) == [(team.kim.id, False), (team.pat.id, True)]
    leader_events = audit.events(home_id=home.id, action_prefix="shift.leader")
    assert sorted((e.before["leader"], e.after["leader"]) for e in leader_events) == [
        (False, True),
        (True, False),
    ]


def test_setting_the_same_staff_again_writes_nothing(home, team):
    data = SignOnIn(staff_ids=[team.kim.id], leader_id=team.kim.id)
    handover.set_shift_staff(home.actor, NIGHT_SHIFT, data)
    handover.set_shift_staff(home.actor, NIGHT_SHIFT, data)
    assert _actions(home, "shift.") == ["shift.sign_on"]


def test_a_leader_who_is_not_signed_on_is_refused_by_the_schema(team):
    with pytest.raises(ValidationError, match="shift leader must be one of the staff"):
        SignOnIn(staff_ids=[team.kim.id], leader_id=team.pat.id)


def test_an_inactive_colleague_cannot_be_signed_on_and_nothing_changes(home, team):
    people.deactivate_staff(home.actor, team.pat.id)
    handover.set_shift_staff(home.actor, NIGHT_SHIFT, SignOnIn(staff_ids=[team.kim.id]))
    with pytest.raises(NotFoundError):
        handover.set_shift_staff(home.actor, NIGHT_SHIFT, SignOnIn(staff_ids=[team.pat.id]))
    assert _on(home, NIGHT_SHIFT) == [(team.kim.id, False)]


def test_shifts_are_kept_apart(home, team):
    handover.set_shift_staff(home.actor, DAY_SHIFT, SignOnIn(staff_ids=[team.kim.id]))
    handover.set_shift_staff(home.actor, NIGHT_SHIFT, SignOnIn(staff_ids=[team.pat.id]))
    assert _on(home, DAY_SHIFT) == [(team.kim.id, False)]


# --- entries and notes ----------------------------------------------------------


def test_write_entry_saves_the_entry_with_writer_and_time(team):
    handover_id = _draft(team, state="watch", mood="quiet after contact")
    entry = _entry(handover_id, team.amy)
    assert (entry.state, entry.mood, entry.by_id, entry.updated_at) == (
        "watch",
        "quiet after contact",
        team.pat.id,
        AFTERNOON,
    )


def test_writing_the_same_entry_again_writes_and_audits_nothing(home, team):
    handover_id = _draft(team, mood="quiet")
    later = AFTERNOON + dt.timedelta(minutes=5)
    with clock.frozen(later):
        handover.write_entry(
            team.writer, handover_id, HandoverEntryIn(child_id=team.amy.id, mood="quiet")
        )
    assert _entry(handover_id, team.amy).updated_at == AFTERNOON
    assert _actions(home, "handover.entry") == ["handover.entry"]


def test_entries_written_together_are_audited_in_order_in_one_chain(home, team):
    handover_id = _draft(team, mood="quiet")
    handover.write_entries(
        team.writer,
        handover_id,
        [
            HandoverEntryIn(child_id=team.amy.id, mood="quiet"),  # as it was: left alone
            HandoverEntryIn(child_id=team.bea.id, mood="giggly", state="watch"),
            HandoverEntryIn(child_id=team.amy.id, mood="chatty"),
        ],
    )
    assert (_entry(handover_id, team.amy).mood, _entry(handover_id, team.bea).state) == (
        "chatty",
        "watch",
    )
    newest_first = audit.events(home_id=home.id, action_prefix="handover.entry")
    assert [e.child_id for e in newest_first] == [team.amy.id, team.bea.id, team.amy.id]
    assert newest_first[0].after == {"mood": "chatty"}
    assert (newest_first[1].after["mood"], newest_first[1].after["state"]) == ("giggly", "watch")
    assert audit_chain_ok()


def audit_chain_ok() -> bool:
    """What `keywork check` says of the file: the chain whole, every record agreeing."""

    import models

    history = audit_verdict(models.db.obj.database)
    assert history is not None and history.ok, history
    return True


def test_entries_for_a_child_of_another_home_write_nothing(home, team):
    handover_id = _draft(team, mood="quiet")
    other = create_home(HomeIn(name="Elm Court"), StaffIn(name="Eve Elm", role="manager"))
    stranger = people.add_child(
        actor_for(other[1].id),
        ChildIn(
            first_name="Cal",
            last_name="Cole",
            date_of_birth=dt.date(2012, 1, 1),
            admitted_on=dt.date(2026, 1, 5),
        ),
    )
    with pytest.raises(NotFoundError, match=f"no child with id {stranger.id}"):
        handover.write_entries(
            team.writer,
            handover_id,
            [
                HandoverEntryIn(child_id=team.bea.id, mood="fine"),
                HandoverEntryIn(child_id=stranger.id, mood="fine"),
            ],
        )
    assert not HandoverEntry.select().where(HandoverEntry.child == team.bea.id).exists()
    assert _actions(home, "handover.entry") == ["handover.entry"]


def test_changing_an_entry_audits_only_what_changed(home, team):
    handover_id = _draft(team, mood="quiet")
    handover.write_entry(
        team.writer, handover_id, HandoverEntryIn(child_id=team.amy.id, mood="chatty")
    )
    latest = audit.events(home_id=home.id, action_prefix="handover.entry")[0]
    assert (latest.before, latest.after, latest.child_id) == (
        {"mood": "quiet"},
        {"mood": "chatty"},
        team.amy.id,
    )


def test_an_entry_for_a_child_of_another_home_is_refused(team):
    other, manager = create_home(HomeIn(name="Other House"), StaffIn(name="Oz Other"))
    stranger = people.add_child(
        Actor(manager.id, manager.name, manager.role, other.id),
        ChildIn(
            first_name="Dee",
            last_name="Dale",
            date_of_birth=dt.date(2012, 1, 1),
            admitted_on=dt.date(2026, 1, 5),
        ),
    )
    handover_id = handover.open_handover(team.writer, DAY_SHIFT)
    with pytest.raises(NotFoundError):
        handover.write_entry(team.writer, handover_id, HandoverEntryIn(child_id=stranger.id))
    assert HandoverEntry.select().count() == 0


def test_open_handover_twice_returns_the_same_handover(home, team):
    first = handover.open_handover(team.writer, DAY_SHIFT)
    assert handover.open_handover(team.writer, DAY_SHIFT) == first
    assert _actions(home, "handover.open") == ["handover.open"]


def test_home_notes_are_saved_on_the_draft(team):
    handover_id = handover.open_handover(team.writer, DAY_SHIFT)
    handover.save_home_notes(team.writer, handover_id, "Fire alarm test at 10")
    assert Handover.get_by_id(handover_id).home_notes == "Fire alarm test at 10"


def test_home_notes_lose_terminal_control_characters(team):
    handover_id = handover.open_handover(team.writer, DAY_SHIFT)
    handover.save_home_notes(team.writer, handover_id, "boiler\x1b[2J fixed")
    assert Handover.get_by_id(handover_id).home_notes == "boiler fixed"


def test_saving_the_same_home_notes_again_is_not_audited(home, team):
    handover_id = handover.open_handover(team.writer, DAY_SHIFT)
    handover.save_home_notes(team.writer, handover_id, "Visitors at 4")
    handover.save_home_notes(team.writer, handover_id, "Visitors at 4")
    assert _actions(home, "handover.notes") == ["handover.notes"]


def test_home_notes_of_a_submitted_handover_cannot_be_changed(team):
    handover_id = _submitted(team)
    with pytest.raises(ConflictError):
        handover.save_home_notes(team.writer, handover_id, "too late")


# --- submitting -----------------------------------------------------------------


def test_submit_names_the_children_nobody_wrote_about(team):
    handover_id = _draft(team)
    with pytest.raises(MissingEntriesError) as caught:
        handover.submit(team.writer, handover_id)
    assert caught.value.names == ["Bea Brook"]
    assert "Bea Brook" in str(caught.value)


def test_a_refused_submit_leaves_the_handover_a_draft(team):
    handover_id = _draft(team)
    with pytest.raises(MissingEntriesError):
        handover.submit(team.writer, handover_id)
    assert Handover.get_by_id(handover_id).status == "draft"


def test_missing_entries_lists_the_same_children_as_submit(team):
    handover_id = handover.open_handover(team.writer, DAY_SHIFT)
    assert handover.missing_entries(team.writer, handover_id) == ["Amy Ash", "Bea Brook"]


def test_passing_the_missing_children_writes_nothing_to_add_for_them(team):
    handover_id = _draft(team, mood="cheerful")
    handover.submit(team.writer, handover_id, pass_missing=True)
    bea, amy = _entry(handover_id, team.bea), _entry(handover_id, team.amy)
    assert (bea.nothing_to_add, bea.by_id, bea.updated_at) == (True, team.pat.id, AFTERNOON)
    assert (amy.nothing_to_add, amy.mood) == (False, "cheerful")


def test_submit_records_writer_time_and_home_notes(team):
    handover_id = _draft(team)
    handover.submit(team.writer, handover_id, "Medication count done", pass_missing=True)
    row = Handover.get_by_id(handover_id)
    assert (row.status, row.written_by_id, row.submitted_at, row.home_notes) == (
        "submitted",
        team.pat.id,
        AFTERNOON,
        "Medication count done",
    )


def test_a_child_admitted_after_the_shift_is_not_required(home, team, add_child):
    add_child("Cal", "Cole", admitted_on=DAY + dt.timedelta(days=1))
    handover_id = _draft(team)
    with pytest.raises(MissingEntriesError) as caught:
        handover.submit(team.writer, handover_id)
    assert caught.value.names == ["Bea Brook"]


def test_a_handover_is_submitted_only_once(team):
    handover_id = _submitted(team)
    with pytest.raises(ConflictError):
        handover.submit(team.writer, handover_id, pass_missing=True)


# --- amendments -----------------------------------------------------------------


def test_amending_keeps_the_original_with_who_and_when(team):
    handover_id = _submitted(team, mood="calm")
    later = AFTERNOON + dt.timedelta(hours=1)
    with clock.frozen(later):
        handover.amend_entry(
            actor_for(team.kim.id),
            handover_id,
            team.amy.id,
            _amend("mood", "anxious", "misread my notes"),
        )
    entry = _entry(handover_id, team.amy)
    [kept] = Amendment.select().where(Amendment.record_id == entry.id)
    assert (kept.table, kept.field, kept.original, kept.corrected, kept.reason) == (
        "handover_entry",
        "mood",
        "calm",
        "anxious",
        "misread my notes",
    )
    assert (kept.by_id, kept.at) == (team.kim.id, later)
    assert entry.mood == "anxious"


def test_amending_a_nothing_to_add_entry_makes_it_a_real_entry(team):
    handover_id = _submitted(team)
    handover.amend_entry(
        team.writer, handover_id, team.bea.id, _amend("events", "fell in the garden")
    )
    entry = _entry(handover_id, team.bea)
    assert (entry.nothing_to_add, entry.events) == (False, "fell in the garden")


def test_amending_the_state_to_a_known_state_is_accepted(team):
    handover_id = _submitted(team, state="settled")
    handover.amend_entry(team.writer, handover_id, team.amy.id, _amend("state", "unsettled"))
    assert _entry(handover_id, team.amy).state == "unsettled"


def test_a_draft_is_edited_directly_not_amended(team):
    handover_id = _draft(team, mood="calm")
    with pytest.raises(ConflictError):
        handover.amend_entry(team.writer, handover_id, team.amy.id, _amend("mood", "low"))
    assert Amendment.select().count() == 0


@pytest.mark.parametrize("field", ["child", "by", "updated_at", "nothing_to_add", "restricted"])
def test_fields_outside_the_amendable_list_are_refused(team, field):
    handover_id = _submitted(team)
    with pytest.raises(FieldError) as caught:
        handover.amend_entry(team.writer, handover_id, team.amy.id, _amend(field, "x"))
    assert caught.value.field == "field"


def test_a_state_that_does_not_exist_is_refused(team):
    handover_id = _submitted(team, state="watch")
    with pytest.raises(FieldError) as caught:
        handover.amend_entry(team.writer, handover_id, team.amy.id, _amend("state", "calm"))
    assert caught.value.field == "corrected"
    assert _entry(handover_id, team.amy).state == "watch"


def test_a_correction_that_changes_nothing_is_refused(team):
    handover_id = _submitted(team, mood="calm")
    with pytest.raises(FieldError, match="same as what is on file"):
        handover.amend_entry(team.writer, handover_id, team.amy.id, _amend("mood", "calm"))
    assert Amendment.select().count() == 0


def test_amending_a_child_without_an_entry_is_not_found(team, add_child):
    handover_id = _submitted(team)
    cal = add_child("Cal", "Cole")
    with pytest.raises(NotFoundError):
        handover.amend_entry(team.writer, handover_id, cal.id, _amend("mood", "fine"))


def test_an_amendment_is_audited_twice_for_the_child(home, team):
    handover_id = _submitted(team, mood="calm")
    handover.amend_entry(team.writer, handover_id, team.amy.id, _amend("mood", "low"))
    events = audit.events(home_id=home.id, child_id=team.amy.id, since=AFTERNOON)
    assert {"handover.amend", "amendment.add"} <= {e.action for e in events}
    [amend] = [e for e in events if e.action == "handover.amend"]
    assert (amend.before, amend.after) == ({"mood": "calm"}, {"mood": "low"})


# --- acknowledging --------------------------------------------------------------


def test_acknowledging_for_a_colleague_records_the_colleague(home, team):
    handover_id = _submitted(team)
    _incoming(home, team.kim)
    handover.acknowledge(home.actor, handover_id, staff_id=team.kim.id)
    [ack] = Acknowledgement.select().where(Acknowledgement.handover == handover_id)
    assert (ack.staff_id, ack.at) == (team.kim.id, AFTERNOON)


def test_the_audit_of_an_acknowledgement_for_a_colleague_names_both(home, team):
    handover_id = _submitted(team)
    _incoming(home, team.kim)
    handover.acknowledge(home.actor, handover_id, staff_id=team.kim.id)
    [event] = audit.events(home_id=home.id, action_prefix="handover.acknowledge")
    assert (event.staff_name, event.after["staff"]) == ("Mo Manager", team.kim.id)


def test_without_staff_id_the_actor_acknowledges_for_themselves(home, team):
    handover_id = _submitted(team)
    _incoming(home, team.kim)
    handover.acknowledge(actor_for(team.kim.id), handover_id)
    assert [a.staff_id for a in Acknowledgement.select()] == [team.kim.id]


def test_a_second_acknowledgement_is_refused_by_name(home, team):
    handover_id = _submitted(team)
    _incoming(home, team.kim)
    handover.acknowledge(actor_for(team.kim.id), handover_id)
    with pytest.raises(ConflictError, match="Kim Key has already acknowledged"):
        handover.acknowledge(home.actor, handover_id, staff_id=team.kim.id)
    assert Acknowledgement.select().count() == 1


def test_a_draft_cannot_be_acknowledged(team):
    handover_id = _draft(team)
    with pytest.raises(ConflictError):
        handover.acknowledge(actor_for(team.kim.id), handover_id)


def test_only_staff_signed_on_to_the_incoming_shift_can_acknowledge(home, team):
    handover_id = _submitted(team)
    handover.sign_on(home.actor, DAY_SHIFT, [team.kim.id])
    with pytest.raises(ConflictError, match="Kim Key is not signed on to the Night shift"):
        handover.acknowledge(home.actor, handover_id, staff_id=team.kim.id)
    assert Acknowledgement.select().count() == 0


def test_an_inactive_colleague_cannot_acknowledge(home, team):
    handover_id = _submitted(team)
    _incoming(home, team.kim)
    people.deactivate_staff(home.actor, team.kim.id)
    with pytest.raises(NotFoundError):
        handover.acknowledge(home.actor, handover_id, staff_id=team.kim.id)


def test_an_unknown_handover_is_not_found(team):
    with pytest.raises(NotFoundError):
        handover.acknowledge(team.writer, 9999)


# --- the audit trail ------------------------------------------------------------


def test_every_handover_write_is_audited_in_the_writers_name(home, team):
    handover.set_shift_staff(
        team.writer, NIGHT_SHIFT, SignOnIn(staff_ids=[team.kim.id], leader_id=team.kim.id)
    )
    handover.set_shift_staff(team.writer, NIGHT_SHIFT, SignOnIn(staff_ids=[team.kim.id]))
    handover.sign_on(team.writer, NIGHT_SHIFT, [team.pat.id])
    handover_id = _draft(team, mood="calm")
    handover.save_home_notes(team.writer, handover_id, "Keys with the office")
    handover.submit(team.writer, handover_id, pass_missing=True)
    handover.amend_entry(team.writer, handover_id, team.amy.id, _amend("mood", "low"))
    handover.acknowledge(team.writer, handover_id, staff_id=team.kim.id)
    handover.set_shift_staff(team.writer, NIGHT_SHIFT, SignOnIn(staff_ids=[team.kim.id]))
    events = audit.events(home_id=home.id, since=AFTERNOON, action_prefix="")
    written = [e for e in events if e.action.split(".")[0] in ("shift", "handover", "amendment")]
    assert {(e.staff_id, e.staff_name) for e in written} == {(team.pat.id, "Pat Pool")}
    assert sorted({e.action for e in written}) == [
        "amendment.add",
        "handover.acknowledge",
        "handover.amend",
        "handover.entry",
        "handover.notes",
        "handover.open",
        "handover.submit",
        "shift.leader",
        "shift.sign_off",
        "shift.sign_on",
    ]


def test_nothing_to_add_entries_are_audited_per_child(home, team):
    _submitted(team)
    events = audit.events(home_id=home.id, action_prefix="handover.entry")
    assert sorted(e.child_id for e in events) == sorted([team.amy.id, team.bea.id])
