"""A home's rule overrides: validated before they are stored, and audited."""

from __future__ import annotations

import pytest

from keywork_tui.services import ServiceError, audit, homes


def test_valid_override_is_stored_and_audited(home) -> None:
    change = {"due_soon_days": 5, "rules": {"dental_check": {"every": "12 months"}}}
    homes.set_policy(home.actor, change)
    event = audit.events(action_prefix="home.policy", limit=1)[0]
    assert event.staff_name == "Mo Manager"
    assert event.after == {"policy": change}


@pytest.mark.parametrize("bad", [
    {"rules": {"no_such_rule": {"enabled": False}}},
    {"rules": {"dental_check": {"every": "sometimes"}}},
    {"due_soon_days": "soon"},
])
def test_bad_override_is_refused_and_nothing_changes(home, bad) -> None:
    with pytest.raises(ServiceError, match="policy not changed"):
        homes.set_policy(home.actor, bad)
    assert audit.events(action_prefix="home.policy") == []
