"""Commands sign in the person they act for: what the command-line tests
give them (a PIN for the home's first manager, and the answer to its prompt)."""

from __future__ import annotations

import models
from keywork_tui.services.actor import Actor
from keywork_tui.services.team import people, signin

CLI_PIN = "4071"


def cli_pin_ready() -> str:
    """Commands sign in the person they act for: give the home's first manager
    a PIN (the database must be open); returns what standard input should say."""
    home = models.Home.select().first()
    manager = people.first_manager(home.id)
    if not signin.has_pin(manager.id):
        actor = Actor(manager.id, manager.name, manager.role, home.id)
        signin.set_pin(actor, manager.id, CLI_PIN)
    return f"{CLI_PIN}\n" * 5
