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


@pytest.mark.parametrize("bad", [
    {"rules": {"no_such_rule": {"enabled": False}}},
    {"rules": {"dental_check": {"every": "sometimes"}}},
    {"due_soon_days": "soon"},
])
def test_bad_override_is_refused_and_nothing_changes(home, bad, admin) -> None:
    with pytest.raises(ServiceError, match="policy not changed"):
        homes.set_policy(admin, bad)
    assert audit.events(action_prefix="home.policy") == []
