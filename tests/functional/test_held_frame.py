"""A frame Textual renders inside a batch update (the app's start, a change of
screen) is dropped; keywork draws the whole screen as soon as the batch ends,
rather than at the screen's next update tick. Here the tick is set an hour
away, so only a frame drawn at the batch's end can reach the terminal. (The
Pilot's pause and press run a tick themselves: these tests use neither.)"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import textual.screen
from textual._compositor import LayoutUpdate
from textual.app import App

from keywork_tui.app import KeyworkApp
from keywork_tui.services import Actor
from keywork_tui.services.team.people import resolve_staff
from screens import handover
from screens.handover import HandoverScreen
from screens.key_children import KeyChildrenScreen


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """The text of each whole frame Textual would write, by the screen it is
    of, outside any batch."""
    monkeypatch.setattr(textual.screen, "UPDATE_PERIOD", 3600.0)
    frames: list[tuple[str, str]] = []
    original = App._display

    def display(self: App[Any], screen: textual.screen.Screen[Any], renderable: Any) -> None:
        if isinstance(renderable, LayoutUpdate) and not self._batch_count:
            text = "\n".join(_text(line) for line in renderable.strips)
            frames.append((type(screen).__name__, text))
        original(self, screen, renderable)

    monkeypatch.setattr(App, "_display", display)
    return frames


def _text(line: Any) -> str:
    return line.text if hasattr(line, "text") else "".join(_text(part) for part in line)


def make_app(demo_db) -> KeyworkApp:
    """Opened as `keywork` opens it: the board read before the app runs."""
    path, built = demo_db
    staff = resolve_staff(built.home_id, "Rachel Price")
    actor = Actor(staff.id, staff.name, staff.role, built.home_id)
    first = handover.read(built.home_id, actor)
    return KeyworkApp(
        home_id=built.home_id, staff_id=staff.id, database=str(path), first_handover=first
    )


def whole(frames: list[tuple[str, str]], screen: type) -> list[str]:
    return [text for name, text in frames if name == screen.__name__]


async def drawn_whole(frames: list[tuple[str, str]], screen: type) -> list[str]:
    """The whole frames of `screen` drawn, waiting a while for the first."""
    for _ in range(300):
        if whole(frames, screen):
            break
        await asyncio.sleep(0.01)
    return whole(frames, screen)


async def test_the_first_screen_is_drawn_whole_when_the_start_ends(demo_db, drawn) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)):
        [frame] = await drawn_whole(drawn, HandoverScreen)
        # The board with every child's row, as read before the app ran.
        assert "Key worker" in frame
        assert all(row.child in frame for row in app.screen.board.rows)


async def test_a_screen_switched_to_is_drawn_whole_at_once(demo_db, drawn) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)):
        await drawn_whole(drawn, HandoverScreen)
        await app.run_action("switch_mode('children')")
        [frame] = await drawn_whole(drawn, KeyChildrenScreen)
        assert isinstance(app.screen, KeyChildrenScreen)
