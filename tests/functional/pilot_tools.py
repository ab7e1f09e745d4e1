"""Helpers for Pilot tests: wait for the screen to settle, read it as text."""

from __future__ import annotations

import html
import re

from rich.cells import cell_len
from rich.table import Table
from textual.content import Content
from textual.errors import NoWidget
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Button, Input, Static, TextArea

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


# Textual has no public way to read the composed screen as text, but
# `App.export_screenshot` gives it as the SVG a snapshot keeps: the checks read
# that, so they read what the snapshot shows, and nothing here reaches into
# Textual's compositor. Rich writes each run of characters as a <text> clipped
# to its line's <clipPath id="…-line-N">, at x = column × the width of a cell
# (each line's clip is the screen's width in cells), spaces as &#160;, and
# leaves out runs of spaces.
_LINE_CLIP = re.compile(r'<clipPath id="[\w-]+-line-\d+">\s*<rect [^>]*?width="([\d.]+)"')
_RUN = re.compile(r'<text [^>]*?x="([\d.]+)"[^>]*?url\(#[\w-]+-line-(\d+)\)">(.*?)</text>')


def screen_cells(app) -> list[list[str]]:
    """The screen as drawn, a list of its cells a line: a wide character's
    second cell is "", an empty cell a space."""
    width, height = app.size
    svg = app.export_screenshot(simplify=True)
    clips = _LINE_CLIP.findall(svg)
    assert clips, "no line clips in the screenshot: has Rich changed how it writes SVG?"
    cell = float(clips[0]) / width
    rows = [[" "] * width for _ in range(height)]
    for x, line, run in _RUN.findall(svg):
        column = round(float(x) / cell)
        assert abs(column * cell - float(x)) < 0.01, f"a run of text between cells at x={x}"
        row = rows[int(line)]
        for char in html.unescape(run.replace("&#160;", " ")):
            row[column] = char
            if cell_len(char) == 2:
                row[column + 1] = ""
            column += cell_len(char)
    return rows


def screen_lines(app) -> list[str]:
    """The screen as plain text lines, as a person would read it."""
    return ["".join(row).rstrip() for row in screen_cells(app)]


def steady_cursors(app) -> None:
    """Stop text cursors blinking, so a snapshot never catches one mid-blink.
    A TextArea keeps the lines it has drawn under a key that leaves out whether
    its cursor blinks (Textual 8.2), so a line drawn while the cursor blinked
    off would come back without it: those lines are dropped, to be drawn again
    with the cursor showing steadily."""
    for field in app.screen.query("Input, TextArea"):
        field.cursor_blink = False
        if isinstance(field, TextArea):
            field.notify_style_update()  # what drops a TextArea's drawn lines
            field.refresh()


async def open_next_shift_writer(app, pilot):
    """From the board, the handover writer for the next shift."""
    from screens.handover_write import HandoverWriteScreen

    await settle(app, pilot)
    await pilot.press("]", "w")
    await settle(app, pilot)
    assert isinstance(app.screen, HandoverWriteScreen)
    return app.screen


async def wait_until(pilot, condition, seconds: float = 3.0) -> bool:
    """Pause until `condition()` holds (a mode switch, a dialog) or time runs out."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return True
        await pilot.pause(0.05)
    return condition()


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
    if not isinstance(widget, Static):
        return []
    content = widget.content
    if isinstance(content, Table):
        cells = [[str(getattr(c, "plain", c)) for c in col.cells] for col in content.columns]
        return [" ".join(row) for row in zip(*cells, strict=True)]
    visual = widget.visual
    return [visual.plain] if isinstance(visual, Content) else []


def region_text(app, region: Region, cells: list[list[str]] | None = None) -> str:
    """What the screen shows inside `region`, its lines joined, as words
    (from `cells`, the screen as read once for many regions, if given)."""
    rows = (cells or screen_cells(app))[region.y : region.bottom]
    return flat(" ".join("".join(row[region.x : region.right]) for row in rows))


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


def unshown(
    app, root: Widget, cells: list[list[str]] | None = None
) -> tuple[list[str], list[Widget]]:
    """The texts of `root` and all within it not shown whole (clipped at an edge,
    cut by a too narrow part, wrapped through a word), and the widgets out of
    view in a part that scrolls, to be checked once scrolled to. `cells` is the
    screen as already read, if it has not changed since."""
    screen = app.screen
    whole = Region(0, 0, *app.size)
    cells = cells or screen_cells(app)
    # A notice (a toast) is not the words of what is under it. Textual does not
    # export its Toast widget, so notices are found by their CSS type.
    notices = set(root.query("Toast"))
    cut: list[str] = []
    hidden: list[Widget] = []
    for widget in [root, *root.query("*")]:
        if widget in notices:
            continue
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
            shown = region_text(app, region, cells)
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
