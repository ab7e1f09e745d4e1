"""What a screen may read of the app it runs in. The app is one of these, so
screens know its shape without importing it: they ask for things by message
(screens.messages) and read only what is declared here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import App

from .context import SessionContext

if TYPE_CHECKING:  # annotations only: the handover screen loads with its mode
    from .handover import HandoverRead


class Host(App[None]):
    """Declared here, set by the app."""

    ctx: SessionContext
    locked: bool  # the sign-in screen hides the home
    was_signed_in: bool  # the sign-in screen says "Locked" after a sign-in
    preselect_id: int | None  # the colleague the sign-in screen starts on
    over_ssh: bool
    # The handover's first read, made before the app ran; the screen takes it once.
    first_handover: HandoverRead | None
