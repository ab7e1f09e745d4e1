"""First PINs come only through a manager: a one-time set-up code, shown once,
kept as a hash, for a limited time, used by the person it is for."""

from __future__ import annotations

import datetime as dt

import pytest

from keywork_tui.services import PermissionDeniedError, ServiceError, SignInRefused, audit, clock
from keywork_tui.services.actor import actor_for
from keywork_tui.services.team import setup_codes, signin
from models import SetupCode, Staff

NOW = dt.datetime(2026, 11, 22, 17, 30)


@pytest.fixture
def kim(add_staff):
    return add_staff("Kim Key")


def test_a_code_sets_the_first_pin_once_and_signs_the_person_in(home, kim):
    issued = setup_codes.issue(home.actor, kim.id)
    assert issued.expires_at == NOW + dt.timedelta(hours=72)
    person = setup_codes.set_first_pin(home.id, kim.id, issued.code, "3691")
    assert person.id == kim.id
    assert signin.sign_in(home.id, kim.id, "3691").id == kim.id
    with pytest.raises(ServiceError, match="already has a PIN"):
        setup_codes.set_first_pin(home.id, kim.id, issued.code, "1357")


def test_only_the_hash_is_kept_and_the_audit_names_who_issued_and_who_used(home, kim):
    issued = setup_codes.issue(home.actor, kim.id)
    [row] = SetupCode.select()
    assert issued.code not in row.code_hash and row.code_hash.startswith("$argon2")
    setup_codes.set_first_pin(home.id, kim.id, issued.code, "3691")
    trail = [(e.action, e.staff_name) for e in reversed(audit.events())]
    assert ("staff.setup_code", "Mo Manager") in trail
    assert trail[-2:] == [("staff.setup_code.closed", "Kim Key"), ("staff.pin", "Kim Key")]
    assert all(issued.code not in str(e.after) for e in audit.events())


def test_a_code_is_typed_in_any_case_without_its_dash(home, kim):
    issued = setup_codes.issue(home.actor, kim.id)
    typed = issued.code.replace("-", " ").lower()
    assert setup_codes.set_first_pin(home.id, kim.id, typed, "3691").id == kim.id


def test_a_code_stops_working_when_its_time_is_up(home, kim):
    issued = setup_codes.issue(home.actor, kim.id, hours=1)
    with clock.frozen(NOW + dt.timedelta(hours=1)), pytest.raises(SignInRefused):
        setup_codes.set_first_pin(home.id, kim.id, issued.code, "3691")
    assert not signin.has_pin(kim.id)


def test_a_new_code_replaces_the_last(home, kim):
    first = setup_codes.issue(home.actor, kim.id)
    second = setup_codes.issue(home.actor, kim.id)
    with pytest.raises(SignInRefused):
        setup_codes.set_first_pin(home.id, kim.id, first.code, "3691")
    assert setup_codes.set_first_pin(home.id, kim.id, second.code, "3691").id == kim.id


def test_wrong_codes_count_as_wrong_sign_ins_with_the_same_wait(home, kim):
    issued = setup_codes.issue(home.actor, kim.id)
    for _ in range(3):
        with pytest.raises(SignInRefused):
            setup_codes.set_first_pin(home.id, kim.id, "AAAA-AAAA", "3691")
    assert Staff.get_by_id(kim.id).failed_signins == 3
    with pytest.raises(SignInRefused) as waiting:  # even the right code, during the wait
        setup_codes.set_first_pin(home.id, kim.id, issued.code, "3691")
    assert waiting.value.reason == "wait"
    with clock.frozen(NOW + dt.timedelta(seconds=30)):
        assert setup_codes.set_first_pin(home.id, kim.id, issued.code, "3691").id == kim.id


def test_only_managers_issue_codes_and_only_admins_for_admins(home, kim, admin, add_staff):
    with pytest.raises(PermissionDeniedError):
        setup_codes.issue(actor_for(kim.id), kim.id)
    other_admin = Staff.create(home=home.id, name="Al Admin", role="admin", induction_done=True)
    with pytest.raises(PermissionDeniedError):
        setup_codes.issue(home.actor, other_admin.id)
    assert setup_codes.issue(admin, other_admin.id).code


def test_a_weak_pin_leaves_the_code_usable(home, kim):
    issued = setup_codes.issue(home.actor, kim.id)
    with pytest.raises(ServiceError):
        setup_codes.set_first_pin(home.id, kim.id, issued.code, "12")
    assert setup_codes.set_first_pin(home.id, kim.id, issued.code, "3691").id == kim.id
