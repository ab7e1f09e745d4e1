"""Staff and children through the services, with the input rules of the schemas."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from keywork_tui.schemas import ChildIn, StaffIn, clean_text, field_errors
from keywork_tui.services import ConflictError, PermissionDeniedError, audit
from keywork_tui.services.actor import actor_for
from keywork_tui.services.team import people

C0_C1_EXCEPT_TAB_NEWLINE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _events(home, action: str, record_id: int):
    found = audit.events(home_id=home.id, action_prefix=action)
    return [e for e in found if e.action == action and e.record_id == record_id]


# --- staff -------------------------------------------------------------------


def test_adding_staff_is_audited_with_the_manager(home):
    sam = people.add_staff(home.actor, StaffIn(name="Sam Smith"))
    [event] = _events(home, "staff.add", sam.id)
    assert (event.staff_id, event.staff_name) == (home.manager.id, "Mo Manager")
    assert event.table == "staff"
    assert event.after["name"] == "Sam Smith"


def test_edit_audit_holds_only_the_changed_field(home, add_staff):
    sam = add_staff("Sam Smith", interests="football")
    edit = StaffIn(name="Sam Smyth", induction_done=True, level3=True, interests="football")
    updated = people.update_staff(home.actor, sam.id, edit)
    assert updated.name == "Sam Smyth"
    [event] = _events(home, "staff.edit", sam.id)
    assert event.staff_name == "Mo Manager"
    assert event.before == {"name": "Sam Smith"}
    assert event.after == {"name": "Sam Smyth"}


def test_deactivated_staff_leave_the_list_but_stay_on_file(home, add_staff):
    sam = add_staff("Sam Smith")
    out = people.deactivate_staff(home.actor, sam.id)
    assert out.active is False
    assert sam.id not in {s.id for s in people.list_staff(home.id)}
    assert sam.id in {s.id for s in people.list_staff(home.id, active_only=False)}
    [event] = _events(home, "staff.deactivate", sam.id)
    assert (event.before, event.after) == ({"active": True}, {"active": False})


def test_care_staff_cannot_add_staff(home, add_staff):
    carer = actor_for(add_staff("Cal Carer").id)
    with pytest.raises(PermissionDeniedError) as raised:
        people.add_staff(carer, StaffIn(name="Newt New"))
    message = str(raised.value)
    assert "manager" in message
    assert "_" not in message  # role names in words, not identifiers
    assert "Newt New" not in {s.name for s in people.list_staff(home.id)}


def test_duplicate_os_user_is_refused(home, add_staff):
    add_staff("Sam Smith", os_user="ssmith")
    with pytest.raises(ConflictError, match="Sam Smith"):
        people.add_staff(home.actor, StaffIn(name="Sally Smith", os_user="ssmith"))


def test_editing_to_another_persons_os_user_is_refused(home, add_staff):
    add_staff("Sam Smith", os_user="ssmith")
    pat = add_staff("Pat Pool", os_user="ppool")
    keep_own = StaffIn(name="Pat Poole", os_user="ppool")
    assert people.update_staff(home.actor, pat.id, keep_own).name == "Pat Poole"
    with pytest.raises(ConflictError):
        people.update_staff(home.actor, pat.id, StaffIn(name="Pat Poole", os_user="ssmith"))


# --- children ----------------------------------------------------------------


def test_admission_is_audited_against_the_child(home, add_child):
    amy = add_child("Amy")
    [event] = audit.events(child_id=amy.id, action_prefix="child.admit")
    assert event.staff_name == "Mo Manager"
    assert event.record_id == amy.id


def test_leaving_before_admission_is_refused(home, add_child):
    amy = add_child("Amy", admitted_on=dt.date(2026, 1, 5))
    with pytest.raises(ConflictError, match="before they were admitted"):
        people.child_leaves(home.actor, amy.id, dt.date(2026, 1, 4))
    assert people.get_child(home.id, amy.id).left_on is None


def test_children_in_placement_on_a_day(home, add_child):
    day = dt.date(2026, 3, 10)
    staying = add_child("Amy", admitted_on=dt.date(2026, 1, 5))
    leaving_tomorrow = add_child("Ben", admitted_on=dt.date(2026, 1, 5))
    left_today = add_child("Cas", admitted_on=dt.date(2026, 1, 5))
    add_child("Dee", admitted_on=day + dt.timedelta(days=1))
    people.child_leaves(home.actor, leaving_tomorrow.id, day + dt.timedelta(days=1))
    people.child_leaves(home.actor, left_today.id, day)

    placed = people.children_in_placement(home.id, day)

    assert [c.id for c in placed] == [staying.id, leaving_tomorrow.id]


# --- input validation ----------------------------------------------------------


def _errors(model, **values) -> dict[str, str]:
    with pytest.raises(ValidationError) as raised:
        model(**values)
    return field_errors(raised.value)


def test_birth_after_admission_is_a_plain_form_error():
    errors = _errors(
        ChildIn,
        first_name="Amy",
        last_name="Ash",
        date_of_birth=dt.date(2026, 2, 1),
        admitted_on=dt.date(2026, 1, 5),
    )
    assert errors == {"form": "date of birth must be before admission"}


def test_unknown_field_is_named():
    errors = _errors(StaffIn, name="Sam Smith", nickname="Sammy")
    assert list(errors) == ["nickname"]


@pytest.mark.parametrize("name", ["", "   ", "\x1b\x07"])
def test_empty_name_is_refused_beside_the_field(name):
    assert list(_errors(StaffIn, name=name)) == ["name"]


def test_empty_name_message_is_plain_words():
    message = _errors(StaffIn, name="")["name"]
    assert "after validation" not in message
    assert "item" not in message


# --- clean_text ----------------------------------------------------------------


@pytest.mark.parametrize("sequence", ["\x1b]52;c;ZXZpbA==\x07", "\x1b[2J", "\x9b2J"])
def test_clean_text_defuses_escape_sequences(sequence):
    cleaned = clean_text(f"Sam was fine{sequence} at tea")
    assert sequence not in cleaned
    assert not C0_C1_EXCEPT_TAB_NEWLINE.search(cleaned)
    assert cleaned.startswith("Sam was fine") and cleaned.endswith(" at tea")


@pytest.mark.parametrize("text", ["[bold]Sam[/bold] settled", "line one\nline two", "a\tb"])
def test_clean_text_keeps_ordinary_text(text):
    assert clean_text(text) == text


def test_clean_text_turns_carriage_returns_into_newlines():
    assert clean_text("one\r\ntwo\rthree") == "one\ntwo\nthree"


@given(st.text())
def test_clean_text_leaves_no_control_characters(text):
    assert not C0_C1_EXCEPT_TAB_NEWLINE.search(clean_text(text))
