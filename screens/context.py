"""What every screen knows: the home and who is signed in (plain data only)."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # annotations only: the app's module loads without them
    from keywork_tui.outputs import HomeOut
    from keywork_tui.services import Actor


class SessionContext(NamedTuple):
    """Who is signed in, to which home, on which database."""

    home: HomeOut
    actor: Actor
    database: str
