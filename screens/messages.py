"""What screens ask of the app, as messages: a screen never calls the app
or imports it. Each bubbles from where it is posted up to the app."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:  # an annotation only: the app's module loads without it
    from keywork_tui.services import Actor


@dataclass
class OpenSession(Message):
    """Session entry, with this child chosen."""

    child_id: int


@dataclass
class OpenProfile(Message):
    """The child's profile, over the screen in use."""

    child_id: int


@dataclass
class OpenWorkspace(Message):
    """The manager's workspace on a tab, and a row of it when `key` names one."""

    tab: str
    key: str | None = None


class RecordsWritten(Message):
    """This terminal wrote something: the header's overdue count is read again."""


class RecordsChanged(Message):
    """Records changed, here or on another terminal: the app reads its header
    again and tells every open screen."""


@dataclass
class OverdueCounted(Message):
    """The home's overdue count, read with a screen's own records: the header
    shows it in the same repaint as they do."""

    count: int


@dataclass
class SignedIn(Message):
    """Someone signed in at this terminal: the app opens for them."""

    actor: Actor
