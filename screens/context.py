"""What every screen knows: the home and who is signed in (plain data only)."""

from __future__ import annotations

from dataclasses import dataclass

from keywork_tui.schemas import HomeOut
from keywork_tui.services import Actor


@dataclass(frozen=True)
class SessionContext:
    home: HomeOut
    actor: Actor
    database: str
