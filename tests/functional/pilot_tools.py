"""Helpers for Pilot tests: wait for the screen to settle, read it as text."""

from __future__ import annotations

import os
from pathlib import Path

from rich.table import Table
from textual.content import Content
from textual.errors import NoWidget
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Button, Input, Static, TextArea
from textual.widgets._toast import Toast  # not exported; toasts are not words of a dialog

SETTLE_ROUNDS = 3


async def settle(app, pilot) -> None:
    """Let screens mount and their database workers finish. A pause hands a
    service call's answer back (Worker.StateChanged), and that answer may
    start another call (a dialog saved, then the screen under it re-read), so
    a few rounds run; the last pause draws what was scheduled after a refresh."""
    for _ in range(SETTLE_ROUNDS):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


def _screen_strips(app) -> list[Strip]:
    """The screen as drawn, a strip a line. Textual has no public way to read
    the composed screen (its own `App.export_screenshot` reads the compositor
    too), so this is the one place that reaches in."""
    return app.screen._compositor.render_strips()


def screen_lines(app) -> list[str]:
    """The screen as plain text lines, as a person would read it."""
    return [strip.text.rstrip() for strip in _screen_strips(app)][: app.size.height]


def steady_cursors(app) -> None:
    """Stop text cursors blinking, so a snapshot never catches one mid-blink."""
    for field in app.screen.query("Input, TextArea"):
        field.cursor_blink = False


async def wait_until(pilot, condition, seconds: float = 3.0) -> bool:
    """Pause until `condition()` holds (a mode switch, a dialog) or time runs out."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return True
        await pilot.pause(0.05)
    return condition()


SNAPSHOTS = Path(__file__).parent.parent / "snapshots"


def matches_snapshot(name: str, lines: list[str]) -> str:
    """Compare the screen with its stored text; returns the text for further
    checks. A missing snapshot fails: KEYWORK_UPDATE_SNAPSHOTS=1 writes it (and
    rewrites those that differ), to be read and committed."""
    snapshot = SNAPSHOTS / name
    text = "\n".join(lines) + "\n"
    if os.environ.get("KEYWORK_UPDATE_SNAPSHOTS"):
        snapshot.parent.mkdir(exist_ok=True)
        snapshot.write_text(text, encoding="utf-8")
    update = "KEYWORK_UPDATE_SNAPSHOTS=1 writes it; read it before committing"
    assert snapshot.exists(), f"no snapshot {name} ({update}); the screen was:\n{text}"
    assert text == snapshot.read_text(encoding="utf-8"), f"{name} differs ({update})"
    return text


# --- words cut off --------------------------------------------------------------


def flat(text: str) -> str:
    """Words as read, whatever the line breaks and spacing."""
    return " ".join(text.split())


def written_texts(widget: Widget) -> list[str]:
    """The words a widget was given to show: a label's, a button's, a key
    table's rows, an empty field's placeholder; not what is typed in it."""
    if isinstance(widget, Button):
        label = widget.label
        return [label.plain if isinstance(label, Content) else str(label)]
    if isinstance(widget, Input | TextArea):
        empty = not (widget.value if isinstance(widget, Input) else widget.text)
        return [str(widget.placeholder)] if empty else []
    if not isinstance(widget, Static) or isinstance(widget, Toast):
        return []
    content = widget.content
    if isinstance(content, Table):
        cells = [[str(getattr(c, "plain", c)) for c in col._cells] for col in content.columns]
        return [" ".join(row) for row in zip(*cells, strict=True)]
    visual = widget.visual
    return [visual.plain] if isinstance(visual, Content) else []


def region_text(app, region: Region) -> str:
    """What the screen shows inside `region`, its lines joined, as words."""
    rows = _screen_strips(app)[region.y : region.bottom]
    return flat(" ".join(strip.crop(region.x, region.right).text for strip in rows))


def _scrolled_out(widget: Widget, region: Region, visible: Region) -> bool:
    """Partly hidden only because a scrolling part of the dialog (not the screen
    itself) has it out of view: scrolling shows it whole."""
    if visible.width != region.width:
        return False
    for ancestor in widget.ancestors:
        if ancestor is widget.screen:
            return False
        if isinstance(ancestor, Widget) and ancestor.max_scroll_y > 0:
            return True
    return False


def unshown(app, root: Widget) -> tuple[list[str], list[Widget]]:
    """The texts of `root` and all within it not shown whole (clipped at an edge,
    cut by a too narrow part, wrapped through a word), and the widgets out of
    view in a part that scrolls, to be checked once scrolled to."""
    screen = app.screen
    whole = Region(0, 0, *app.size)
    cut: list[str] = []
    hidden: list[Widget] = []
    for widget in [root, *root.query("*")]:
        texts = [t for t in written_texts(widget) if t.strip()]
        if not texts or not widget.display:
            continue
        try:
            geometry = screen.find_widget(widget)
        except NoWidget:
            continue  # not laid out: hidden, or on a tab not shown
        region = geometry.region
        visible = region.intersection(geometry.clip).intersection(whole)
        if visible == region:
            shown = region_text(app, region)
            cut.extend(t for t in texts if flat(t) not in shown)
        elif _scrolled_out(widget, region, visible):
            hidden.append(widget)
        else:
            cut.extend(texts)
    return cut, hidden


def fully_shown(app, widget: Widget) -> bool:
    """The widget is on screen whole, nothing of it clipped."""
    try:
        geometry = app.screen.find_widget(widget)
    except NoWidget:
        return False
    region = geometry.region
    return region.intersection(geometry.clip).intersection(Region(0, 0, *app.size)) == region
