"""What every screen knows: the home and who is signed in (plain data only)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: the app's module loads without them
    from keywork_tui.outputs import HomeOut
    from keywork_tui.services import Actor


@dataclass(frozen=True)
class SessionContext:
    """Who is signed in, to which home, on which database."""

    home: HomeOut
    actor: Actor
    database: str
