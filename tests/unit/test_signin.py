"""Signing in at the office terminal: PINs, the growing wait, when the PIN is skipped."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from argon2 import PasswordHasher
from engines import sqlite_only

from keywork_tui import config
from keywork_tui.schemas import HomeIn, StaffIn
from keywork_tui.services import (
    FieldError,
    NotFoundError,
    PermissionDeniedError,
    ServiceError,
    homes,
)
from keywork_tui.services.actor import Actor
from keywork_tui.services.team import hashing, people, signin
from keywork_tui.services.team.signin import SignInRefused
from models import AuditEvent, Home, Staff

T0 = dt.datetime(2026, 3, 9, 8, 0)
PIN = "2580"


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 settings: the rules are the same, the tests much faster."""
    monkeypatch.setattr(hashing, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024))


@pytest.fixture
def kim(add_staff):
    return add_staff("Kim Key", os_user="kim")


def _actor(staff) -> Actor:
    return Actor(staff.id, staff.name, staff.role, staff.home_id)


def _admin(home) -> Actor:
    """The home's manager made its admin: the role that may change the policy."""
    Staff.update(role="admin").where(Staff.id == home.manager.id).execute()
    return Actor(home.manager.id, home.manager.name, "admin", home.id)


def _signin_actions(staff_id: int) -> list[str]:
    query = (
        AuditEvent.select()
        .where(AuditEvent.action.startswith("signin."), AuditEvent.staff_id == staff_id)
        .order_by(AuditEvent.id)
    )
    return [e.action for e in query]


def _at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def _fail(home, staff, at: dt.datetime) -> SignInRefused:
    with pytest.raises(SignInRefused) as refused:
        signin.sign_in(home.id, staff.id, "9999", at)
    return refused.value


# --- the secret ------------------------------------------------------------


def test_the_pin_is_stored_only_as_an_argon2_hash(home):
    signin.set_pin(home.actor, home.manager.id, PIN)
    stored = Staff.get_by_id(home.manager.id).pin_hash
    assert stored.startswith("$argon2id$") and PIN not in stored
    event = AuditEvent.select().where(AuditEvent.action == "staff.pin").get()
    assert "pin_hash" not in (event.after or {}) and stored not in str(event.after)


@pytest.mark.parametrize(
    "secret, words",
    [
        ("0000", "one digit repeated"),
        ("1234", "straight run"),
        ("4321", "straight run"),
        ("7890", "straight run"),
        ("123", "4 to 12 digits"),
        ("1234567890135", "4 to 12 digits"),
        ("short", "at least 8 characters"),
        ("", "PIN or a passphrase"),
    ],
)
def test_weak_secrets_are_refused_with_a_reason(home, secret, words):
    with pytest.raises(FieldError, match=words) as refused:
        signin.set_pin(home.actor, home.manager.id, secret)
    assert refused.value.field == "secret"
    assert Staff.get_by_id(home.manager.id).pin_hash is None


@pytest.mark.parametrize("secret", ["2580", "135792", "a long passphrase", "correcthorse"])
def test_good_secrets_are_accepted(secret):
    assert signin.check_secret(secret) == secret


def test_a_refused_secret_is_not_echoed_in_the_error(home):
    with pytest.raises(FieldError) as refused:
        signin.set_pin(home.actor, home.manager.id, "56789")
    assert "56789" not in str(refused.value)


# --- who may set a PIN -----------------------------------------------------


def test_staff_set_their_own_pin(home, kim):
    signin.set_pin(_actor(kim), kim.id, PIN)
    assert signin.has_pin(kim.id)
    event = AuditEvent.select().where(AuditEvent.action == "staff.pin").get()
    assert (event.staff_id, event.record_id) == (kim.id, kim.id)


def test_a_manager_sets_anyones_pin_in_their_home(home, kim):
    signin.set_pin(home.actor, kim.id, PIN)
    assert signin.sign_in(home.id, kim.id, PIN, T0).id == kim.id


def test_care_staff_cannot_set_anothers_pin(home, kim, add_staff):
    lee = add_staff("Lee Line")
    with pytest.raises(PermissionDeniedError, match="only a manager"):
        signin.set_pin(_actor(kim), lee.id, PIN)
    assert not signin.has_pin(lee.id)


def test_only_an_admin_sets_another_admins_pin(home, add_staff):
    boss = add_staff("Pat Second", role="manager")
    admin = _admin(home)
    with pytest.raises(PermissionDeniedError, match="only an admin"):
        signin.set_pin(_actor(boss), admin.id, PIN)
    signin.set_pin(admin, boss.id, PIN)
    assert signin.has_pin(boss.id)


def test_a_manager_cannot_set_a_pin_in_another_home(home, database):
    _, other = homes.create_home(HomeIn(name="Elm House"), StaffIn(name="Oz Other"))
    with pytest.raises(NotFoundError):
        signin.set_pin(home.actor, other.id, PIN)


# --- signing in ------------------------------------------------------------


def test_the_right_pin_signs_in_and_is_audited(home, kim):
    signin.set_pin(_actor(kim), kim.id, PIN)
    actor = signin.sign_in(home.id, kim.id, PIN, T0)
    assert actor == _actor(kim)
    assert _signin_actions(kim.id) == ["signin.ok"]


def test_wrong_pin_says_so_and_counts(home, kim):
    signin.set_pin(_actor(kim), kim.id, PIN)
    refused = _fail(home, kim, T0)
    assert str(refused) == "wrong PIN" and refused.wait_seconds == 0
    assert Staff.get_by_id(kim.id).failed_signins == 1
    with pytest.raises(SignInRefused, match="wrong passphrase"):
        signin.sign_in(home.id, kim.id, "not my words", T0)


def test_the_wait_starts_at_the_third_failure_and_doubles_to_a_cap(home, kim):
    signin.set_pin(_actor(kim), kim.id, PIN)
    at = T0
    waits = []
    for _ in range(9):
        refused = _fail(home, kim, at)
        waits.append(refused.wait_seconds)
        at += dt.timedelta(seconds=refused.wait_seconds)  # try again as soon as allowed
    assert waits == [0, 0, 30, 60, 120, 240, 480, 900, 900]
    assert "try again in 15 minutes" in str(refused)


def test_a_running_wait_refuses_even_the_right_pin(home, kim):
    signin.set_pin(_actor(kim), kim.id, PIN)
    for _ in range(3):
        _fail(home, kim, T0)
    with pytest.raises(SignInRefused) as refused:
        signin.sign_in(home.id, kim.id, PIN, _at(10))
    assert refused.value.reason == "wait" and refused.value.wait_seconds == 20
    assert str(refused.value) == "too many wrong attempts: try again in 20 seconds"
    assert Staff.get_by_id(kim.id).failed_signins == 3  # the wait itself is not a failure
    assert signin.sign_in(home.id, kim.id, PIN, _at(30)).id == kim.id


def test_wait_in_minutes_reads_as_minutes(home, kim):
    signin.set_pin(_actor(kim), kim.id, PIN)
    at = T0
    for _ in range(4):
        at += dt.timedelta(seconds=_fail(home, kim, at).wait_seconds)
    with pytest.raises(SignInRefused, match="try again in 1 minute$"):
        signin.sign_in(home.id, kim.id, PIN, at - dt.timedelta(seconds=60))


def test_success_resets_the_count(home, kim):
    signin.set_pin(_actor(kim), kim.id, PIN)
    for _ in range(3):
        _fail(home, kim, T0)
    signin.sign_in(home.id, kim.id, PIN, _at(30))
    row = Staff.get_by_id(kim.id)
    assert (row.failed_signins, row.signin_wait_until) == (0, None)
    assert _fail(home, kim, _at(31)).wait_seconds == 0  # two free attempts again


def test_a_manager_setting_a_pin_lifts_the_wait(home, kim):
    signin.set_pin(_actor(kim), kim.id, PIN)
    for _ in range(3):
        _fail(home, kim, T0)
    signin.set_pin(home.actor, kim.id, "3691")
    assert signin.sign_in(home.id, kim.id, "3691", _at(1)).id == kim.id


def test_every_attempt_is_audited_under_the_name_picked(home, kim):
    signin.set_pin(_actor(kim), kim.id, PIN)
    for _ in range(3):
        _fail(home, kim, T0)
    with pytest.raises(SignInRefused):
        signin.sign_in(home.id, kim.id, PIN, _at(5))
    signin.sign_in(home.id, kim.id, PIN, _at(30))
    assert _signin_actions(kim.id) == [
        "signin.fail",
        "signin.fail",
        "signin.fail",
        "signin.wait",
        "signin.ok",
    ]
    names = {e.staff_name for e in AuditEvent.select().where(AuditEvent.staff_id == kim.id)}
    assert names == {"Kim Key"}


def test_no_pin_yet_is_refused_saying_who_can_set_one(home, kim):
    with pytest.raises(SignInRefused, match="has no PIN yet: a manager sets one") as refused:
        signin.sign_in(home.id, kim.id, PIN, T0)
    assert refused.value.reason == "no_pin"
    assert _signin_actions(kim.id) == ["signin.fail"]


def test_inactive_staff_are_refused(home, kim):
    signin.set_pin(_actor(kim), kim.id, PIN)
    people.deactivate_staff(home.actor, kim.id)
    with pytest.raises(SignInRefused, match="no longer an active staff member") as refused:
        signin.sign_in(home.id, kim.id, PIN, T0)
    assert refused.value.reason == "inactive"
    assert _signin_actions(kim.id) == ["signin.fail"]


def test_an_outdated_hash_is_renewed_on_sign_in(home, kim, monkeypatch):
    signin.set_pin(_actor(kim), kim.id, PIN)
    old = Staff.get_by_id(kim.id).pin_hash
    monkeypatch.setattr(hashing, "_hasher", PasswordHasher(time_cost=2, memory_cost=2048))
    signin.sign_in(home.id, kim.id, PIN, T0)
    new = Staff.get_by_id(kim.id).pin_hash
    assert new != old and "t=2" in new
    assert signin.sign_in(home.id, kim.id, PIN, T0).id == kim.id


# --- who is at the terminal ------------------------------------------------


def _process_owner(monkeypatch, name: str, uid: int = 4242) -> None:
    monkeypatch.setattr(signin.os, "geteuid", lambda: uid)
    accounts = {uid: SimpleNamespace(pw_name=name)}

    def getpwuid(n: int) -> SimpleNamespace:
        if n not in accounts:
            raise KeyError(n)
        return accounts[n]

    monkeypatch.setattr(signin.pwd, "getpwuid", getpwuid)


def test_os_user_comes_from_the_password_database_not_the_environment(monkeypatch):
    _process_owner(monkeypatch, "kim")
    monkeypatch.setenv("USER", "mo")
    monkeypatch.setenv("LOGNAME", "mo")
    assert signin.os_user() == "kim"


def test_an_unknown_uid_maps_to_nobody(home, kim, monkeypatch):
    monkeypatch.setattr(signin.os, "geteuid", lambda: 999)
    monkeypatch.setattr(signin.pwd, "getpwuid", lambda n: (_ for _ in ()).throw(KeyError(n)))
    assert signin.os_user() == "999"
    assert signin.mapped_staff(home.id) is None


def test_mapped_staff_is_the_active_staff_member_of_the_process_owner(home, kim, monkeypatch):
    _process_owner(monkeypatch, "kim")
    assert signin.mapped_staff(home.id).id == kim.id
    people.deactivate_staff(home.actor, kim.id)
    assert signin.mapped_staff(home.id) is None


def test_over_ssh_reads_the_ssh_variables(monkeypatch):
    for var in ("SSH_CONNECTION", "SSH_TTY"):
        monkeypatch.delenv(var, raising=False)
    assert not signin.over_ssh()
    monkeypatch.setenv("SSH_TTY", "/dev/pts/3")
    assert signin.over_ssh()


# --- when the PIN step is skipped ------------------------------------------


def _make_demo(home_id: int) -> None:
    Home.update(is_demo=True).where(Home.id == home_id).execute()


@sqlite_only("the demo opens without a PIN only from its own file")
def test_a_demo_manager_skips_the_pin_in_the_demo_file(home, database, monkeypatch):
    _make_demo(home.id)
    monkeypatch.setattr(config, "demo_database", lambda: database)
    step = signin.pin_step_needed(home.id, home.manager.id, over_ssh=False)
    assert not step and step.why == "demo_manager"


def test_a_demo_flag_set_on_another_database_skips_no_pin(home, monkeypatch, tmp_path):
    _make_demo(home.id)  # as `update home set is_demo = 1` would
    monkeypatch.setattr(config, "demo_database", lambda: tmp_path / "elsewhere.sqlite")
    assert signin.pin_step_needed(home.id, home.manager.id, over_ssh=False).needed


def test_demo_care_staff_still_type_their_pin(home, kim, database, monkeypatch):
    _make_demo(home.id)
    monkeypatch.setattr(config, "demo_database", lambda: database)
    assert signin.pin_step_needed(home.id, kim.id, over_ssh=False).needed


def test_a_real_home_always_asks(home, kim, monkeypatch):
    _process_owner(monkeypatch, "kim")
    assert signin.pin_step_needed(home.id, home.manager.id, over_ssh=False)
    assert signin.pin_step_needed(home.id, kim.id, over_ssh=True)  # policy off by default


def test_ssh_policy_skips_the_pin_only_for_the_process_owner(home, kim, add_staff, monkeypatch):
    lee = add_staff("Lee Line", os_user="lee")
    _process_owner(monkeypatch, "kim")
    homes.set_policy(_admin(home), {"ssh_skip_pin": True})
    step = signin.pin_step_needed(home.id, kim.id, over_ssh=True)
    assert not step and step.why == "ssh_policy"
    assert signin.pin_step_needed(home.id, lee.id, over_ssh=True)
    assert signin.pin_step_needed(home.id, kim.id, over_ssh=False)
    homes.set_policy(_admin(home), {"ssh_skip_pin": False})
    assert signin.pin_step_needed(home.id, kim.id, over_ssh=True)


@sqlite_only("the demo opens without a PIN only from its own file")
def test_signing_in_without_a_pin_only_where_the_rule_allows(home, kim, monkeypatch, database):
    monkeypatch.setattr(config, "demo_database", lambda: database)
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    monkeypatch.delenv("SSH_TTY", raising=False)
    with pytest.raises(SignInRefused, match="needs a PIN"):
        signin.sign_in_without_pin(home.id, home.manager.id, "demo_manager")
    _make_demo(home.id)
    actor = signin.sign_in_without_pin(home.id, home.manager.id, "demo_manager")
    assert actor.id == home.manager.id
    assert _signin_actions(home.manager.id) == ["signin.ok.demo_manager"]
    with pytest.raises(SignInRefused):
        signin.sign_in_without_pin(home.id, kim.id, "demo_manager")


# --- the idle lock and the policy keys -------------------------------------


def test_lock_minutes_default_and_override(home):
    assert signin.lock_minutes(home.id) == 5
    homes.set_policy(_admin(home), {"lock_minutes": 20})
    assert signin.lock_minutes(home.id) == 20


def test_a_bad_stored_lock_falls_back_to_the_default(home):
    Home.update(policy={"lock_minutes": "soon"}).where(Home.id == home.id).execute()
    assert signin.lock_minutes(home.id) == 5


@pytest.mark.parametrize(
    "policy",
    [
        {"lock_minutes": 0},
        {"lock_minutes": 121},
        {"lock_minutes": "5"},
        {"lock_minutes": True},
        {"ssh_skip_pin": "yes"},
        {"ssh_skip_pin": 1},
    ],
)
def test_bad_sign_in_policy_values_are_refused(home, policy):
    with pytest.raises(ServiceError, match="policy not changed"):
        homes.set_policy(_admin(home), policy)
