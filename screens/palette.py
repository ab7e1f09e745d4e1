"""The command palette's own finds: every child of the home by name (their
profile, a session for them), every member of staff (their row in the
manager's workspace), and a screen's own named commands (the overdue list's
filters). The app's COMMANDS carry the first two, a screen's COMMANDS the last."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Protocol, runtime_checkable

from textual.app import SystemCommand
from textual.command import DiscoveryHit, Hit, Hits, Provider

from keywork_tui.outputs import ChildOut, StaffOut
from keywork_tui.services import clock
from keywork_tui.services.team import people

from .host import Host
from .messages import OpenProfile, OpenSession, OpenWorkspace
from .service_calls import answer


class ChildrenProvider(Provider):
    """Type a child's preferred or legal name: their profile, a session for them."""

    # Textual types a provider's app as App[object]; the palette opens only in keywork's.
    app: Host  # type: ignore[assignment]

    async def startup(self) -> None:
        self.children: list[ChildOut] = []
        if self.app.locked:
            return  # nothing about any child while the terminal is locked
        home_id = self.app.ctx.home.id
        self.children = await answer(lambda: people.children_in_placement(home_id, clock.today()))

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

    # Textual types a provider's app as App[object]; the palette opens only in keywork's.
    app: Host  # type: ignore[assignment]

    async def startup(self) -> None:
        self.staff: list[StaffOut] = []
        if not self.app.locked and self.app.ctx.actor.is_manager:
            home_id = self.app.ctx.home.id
            self.staff = await answer(lambda: people.list_staff(home_id))

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


@runtime_checkable
class NamesItsCommands(Protocol):
    """A screen whose commands depend on what it shows (the overdue filters)."""

    def palette_commands(self) -> Iterable[SystemCommand]: ...


class ScreenCommands(Provider):
    """The calling screen's own commands, found by their words."""

    def _commands(self) -> list[SystemCommand]:
        screen = self.screen
        return list(screen.palette_commands()) if isinstance(screen, NamesItsCommands) else []

    async def discover(self) -> Hits:
        for command in self._commands():
            yield DiscoveryHit(command.title, command.callback, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(command.title),
                    command.callback,
                    text=command.title,
                    help=command.help,
                )
