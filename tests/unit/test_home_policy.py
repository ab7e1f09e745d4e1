"""A home's rule overrides: validated before they are stored, and audited."""

from __future__ import annotations

import pytest

from keywork_tui.services import PermissionDeniedError, ServiceError, audit, homes


def test_valid_override_is_stored_and_audited(home, admin) -> None:
    change = {"due_soon_days": 5, "rules": {"dental_check": {"every": "12 months"}}}
    homes.set_policy(admin, change)
    event = audit.events(action_prefix="home.policy", limit=1)[0]
    assert event.staff_name == admin.name
    assert event.after == {"policy": change}


def test_a_manager_cannot_change_the_policy(home) -> None:
    with pytest.raises(PermissionDeniedError, match="only an admin"):
        homes.set_policy(home.actor, {"due_soon_days": 5})


@pytest.mark.parametrize(
    "bad",
    [
        {"rules": {"no_such_rule": {"enabled": False}}},
        {"rules": {"dental_check": {"every": "sometimes"}}},
        {"due_soon_days": "soon"},
    ],
)
def test_bad_override_is_refused_and_nothing_changes(home, bad, admin) -> None:
    with pytest.raises(ServiceError, match="policy not changed"):
        homes.set_policy(admin, bad)
    assert audit.events(action_prefix="home.policy") == []


# --- the settings form's service --------------------------------------------------


def test_settings_store_only_what_differs_from_the_profile(home, admin):
    from keywork_tui.schemas import RuleSettingIn
    from keywork_tui.services import audit, homes
    from keywork_tui.services.team import signin
    from models import Home

    current = homes.settings(admin)
    rules = dict(current.values.rules)
    rules["key_session"] = RuleSettingIn(every="2 weeks", enabled=True)
    rules["dental_check"] = rules["dental_check"].model_copy(update={"enabled": False})
    homes.change_settings(
        admin,
        current.values.model_copy(
            update={"rules": rules, "lock_minutes": 15, "day_shift_starts": "08:00"}
        ),
    )
    row = Home.get_by_id(home.id)
    assert row.policy["rules"] == {
        "key_session": {"every": "2 weeks"},
        "dental_check": {"enabled": False},
    }
    assert (row.day_shift_starts, signin.lock_minutes(home.id)) == ("08:00", 15)
    assert [e.action for e in audit.events(home_id=home.id)][0] == "home.settings"


def test_a_setting_the_rules_cannot_read_is_refused_and_nothing_changes(home, admin):
    from keywork_tui.schemas import HomeSettingsIn, RuleSettingIn
    from keywork_tui.services import FieldError, homes
    from models import Home

    rules = {"key_session": RuleSettingIn(every="fortnightly")}
    with pytest.raises(FieldError) as refused:
        homes.change_settings(admin, HomeSettingsIn(rules=rules))
    assert refused.value.field == "rules" and "fortnightly" in str(refused.value)
    assert Home.get_by_id(home.id).policy in ({}, None)
    with pytest.raises(ValueError, match="night shift must start later"):
        HomeSettingsIn(day_shift_starts="22:00", night_shift_starts="07:30")
