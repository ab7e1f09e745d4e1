"""The command palette's own finds: every child of the home by name (their
profile, a session for them), every member of staff (their row in the
manager's workspace), and the home-wide commands people look for by word."""

from __future__ import annotations

import asyncio
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from keywork_tui.schemas import ChildOut, StaffOut
from keywork_tui.services import clock
from keywork_tui.services.team import people

from .host import Host
from .messages import OpenProfile, OpenSession, OpenWorkspace


class ChildrenProvider(Provider):
    """Type a child's preferred or legal name: their profile, a session for them."""

    app: Host

    async def startup(self) -> None:
        self.children: list[ChildOut] = []
        if self.app.locked:
            return  # nothing about any child while the terminal is locked
        self.children = await asyncio.to_thread(
            people.children_in_placement, self.app.ctx.home.id, clock.today()
        )

    def _commands(self, child: ChildOut) -> list[tuple[str, str, object]]:
        legal = f"{child.first_name} {child.last_name}"
        # Found by either name: "Kiki Lowe (Keira Lowe)".
        names = child.short_name if child.short_name == legal else f"{child.short_name} ({legal})"
        return [
            (
                f"{names}: profile",
                "Likes, fears, contacts and restrictions, sessions, targets",
                partial(self.app.post_message, OpenProfile(child.id)),
            ),
            (
                f"{names}: record a session",
                "Session entry with this child chosen",
                partial(self.app.post_message, OpenSession(child.id)),
            ),
        ]

    async def discover(self) -> Hits:
        for child in self.children:
            name, help_text, callback = self._commands(child)[0]
            yield DiscoveryHit(name, callback, help=help_text)  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for child in self.children:
            for name, help_text, callback in self._commands(child):
                score = matcher.match(name)
                if score > 0:
                    yield Hit(
                        score,
                        matcher.highlight(name),
                        callback,  # type: ignore[arg-type]
                        text=name,
                        help=help_text,
                    )


class StaffProvider(Provider):
    """Type a colleague's name: their row on the workspace's Staff tab (managers)."""

    app: Host

    async def startup(self) -> None:
        self.staff: list[StaffOut] = []
        if not self.app.locked and self.app.ctx.actor.is_manager:
            self.staff = await asyncio.to_thread(people.list_staff, self.app.ctx.home.id)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for person in self.staff:
            name = f"{person.name}: staff (manager's workspace)"
            score = matcher.match(name)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(name),
                    partial(self.app.post_message, OpenWorkspace("staff", str(person.id))),
                    text=name,
                    help="Their training, PIN, set-up code and key children",
                )
