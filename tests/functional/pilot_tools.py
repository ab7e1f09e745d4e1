"""Helpers for Pilot tests: wait for the screen to settle, read it as text."""

from __future__ import annotations

import io
import os
from pathlib import Path

from rich.console import Console


async def settle(app, pilot) -> None:
    """Let screens mount and their database workers finish."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def screen_lines(app) -> list[str]:
    """The screen as plain text lines, as a person would read it."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system=None, record=True, legacy_windows=False, safe_box=False)
    console.print(app.screen._compositor.render_update(full=True))
    return [line.rstrip() for line in console.export_text().splitlines()][:height]


async def wait_until(pilot, condition, seconds: float = 3.0) -> bool:
    """Pause until `condition()` holds (a mode switch, a dialog) or time runs out."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return True
        await pilot.pause(0.05)
    return condition()


SNAPSHOTS = Path(__file__).parent.parent / "snapshots"


def matches_snapshot(name: str, lines: list[str]) -> str:
    """Compare the screen with its stored text (KEYWORK_UPDATE_SNAPSHOTS=1
    rewrites it); returns the text for further checks."""
    snapshot = SNAPSHOTS / name
    text = "\n".join(lines) + "\n"
    if os.environ.get("KEYWORK_UPDATE_SNAPSHOTS") or not snapshot.exists():
        snapshot.parent.mkdir(exist_ok=True)
        snapshot.write_text(text, encoding="utf-8")
    assert text == snapshot.read_text(encoding="utf-8")
    return text
