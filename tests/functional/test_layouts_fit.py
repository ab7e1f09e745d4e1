"""Every table fits its terminal: a long name shortens with an ellipsis and the
status columns stay on screen, at 80x24, 120x40 and 200x50, without colour.
Each main screen with the long name is kept as an SVG snapshot at 80x24, with
and without colour (tests/functional/__snapshots__/test_layouts_fit); a missing
one fails, and `pytest --snapshot-update` rewrites them."""

from __future__ import annotations

import pytest
from pilot_tools import screen_lines, settle

from models import Child

LONG = "Tyler-Alexander-Jonathan-Montgomery-Fitzwilliam-Beauchamp"  # 57 characters

SCREENS = [
    # key, what to press first, the column heads that must all show
    ("handover", "f2", ("Child", "Bed", "State", "Key worker", "Late")),
    ("key children", "f3", ("Child", "As", "Last", "Next due", "Late")),
    ("overdue", "f4", ("Child", "How late", "Obligation", "Responsible")),
    ("key workers tab", "f6 2", ("Child", "Key worker", "Cover today")),
]


@pytest.fixture
def long_name(demo_db):
    Child.update(preferred_name=LONG).where(Child.first_name == "Tyler").execute()
    return demo_db


def _head_line(lines: list[str], heads: tuple[str, ...]) -> str:
    found = [line for line in lines if line.split()[:1] == [heads[0]] and heads[-1] in line]
    assert found, "\n".join(lines)
    return found[0]


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 50)])
@pytest.mark.parametrize(("where", "keys", "heads"), SCREENS, ids=[s[0] for s in SCREENS])
async def test_a_long_name_shortens_and_every_column_stays(
    long_name, make_app, monkeypatch, size, where, keys, heads
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app("Dan Walsh") if where == "key children" else make_app()
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        for key in keys.split():
            await pilot.press(key)
            await settle(app, pilot)
        lines = screen_lines(app)
    head = _head_line(lines, heads)
    assert all(h in head for h in heads), head
    rows = [line for line in lines if "Tyler-Alexander" in line]
    assert rows, "\n".join(lines)
    width = size[0]
    assert all(len(line) <= width for line in lines)
    if width == 80:
        assert any("…" in row for row in rows)  # shortened, not pushing the rest off


async def test_the_overdue_row_reads_in_full_below_the_table(long_name, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f4")
        await settle(app, pilot)
        shown = app.screen.current()
        words = " ".join(" ".join(screen_lines(app)).split())
    assert shown is not None
    assert f"{shown.subject}: {shown.title}" in words and shown.responsible in words


MAIN_SCREENS = [
    # name, keys (a profile: Enter on the handover's first row)
    ("handover", "f2"),
    ("key_children", "f3"),
    ("overdue", "f4"),
    ("audit", "f7"),
    ("profile", "f2 enter"),
    ("allocations", "f6 2"),
    ("supervision", "f6 4"),
    ("summary", "f6 5"),
]


@pytest.mark.parametrize(("where", "keys"), MAIN_SCREENS, ids=[s[0] for s in MAIN_SCREENS])
def test_each_main_screen_at_80x24_with_a_long_name(
    long_name, make_app, screen_matches, where, keys
) -> None:
    """Kept as a snapshot: a column or word pushed off screen shows in its diff.
    A missing snapshot fails; `pytest --snapshot-update` rewrites it."""
    app = make_app("Dan Walsh") if where == "key_children" else make_app()

    async def steps(pilot) -> None:
        for key in keys.split():
            await pilot.press(key)
            await settle(app, pilot)

    def fits(lines: list[str]) -> None:
        assert all(len(line) <= 80 for line in lines), "\n".join(lines)

    assert screen_matches(app, steps, fits)
