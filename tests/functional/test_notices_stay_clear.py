"""Notices (toasts) show on the header line, one at a time: never over the
field being typed in, nor over an open dialog, at 80x24 without colour."""

from __future__ import annotations

import pytest
from pilot_tools import fully_shown, region_text, settle, wait_until
from test_dialogs_fit import WAYS, open_by_way
from textual.containers import Vertical
from textual.errors import NoWidget
from textual.geometry import Region
from textual.widgets import Input, TextArea

# Longer than the line: it ends in an ellipsis rather than taking a second line.
LONG = (
    "Cover arranged for Tyler Marsh from Sun 22 Nov to Thu 26 Nov: the handover "
    "no longer says NO COVER for him."
)


def shown_toasts(app) -> list[Region]:
    """Where the notices of the screen in use are on screen, as far as in view."""
    regions = []
    # Textual does not export its Toast widget: notices are found by CSS type.
    for toast in app.screen.query("Toast"):
        try:
            geometry = app.screen.find_widget(toast)
        except NoWidget:
            continue  # waiting its turn, not shown
        visible = geometry.region.intersection(geometry.clip)
        if visible:
            regions.append(visible)
    return regions


async def notice(app, pilot, *messages: str) -> list[Region]:
    for message in messages:
        app.notify(message)
    assert await wait_until(pilot, lambda: bool(shown_toasts(app)))
    await settle(app, pilot)
    return shown_toasts(app)


@pytest.fixture
def no_colour(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.mark.parametrize("name", ["staff_new", "settings", "significant_event", "go_to_date"])
async def test_a_notice_never_covers_an_open_dialog_or_its_field(
    no_colour, demo_db, make_app, name
) -> None:
    way = WAYS[name]
    if way.home is not None:
        way.home(demo_db[1])
    app = make_app(way.who)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        dialog = await open_by_way(app, pilot, way)
        if not isinstance(app.focused, Input | TextArea):
            dialog.query("Input, TextArea").first().focus()  # as Tab would reach it
            await settle(app, pilot)
        field = app.focused
        assert isinstance(field, Input | TextArea) and fully_shown(app, field)
        box = dialog.query_one(Vertical).region
        toasts = await notice(app, pilot, "Saved.", LONG)
        assert toasts and all(t.y == 0 and t.height == 1 for t in toasts)  # the header line
        assert not any(t.overlaps(box) or t.overlaps(field.region) for t in toasts)
        # Only the newest shows, on its one line; the older waits its turn.
        assert len(toasts) == 1 and "Cover arranged for Tyler" in region_text(app, toasts[0])


async def test_a_notice_never_covers_what_is_typed_on_a_screen(
    no_colour, demo_db, make_app
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_by_way(app, pilot, WAYS["session_entry"])
        app.screen.query_one("#summary", TextArea).focus()
        await pilot.press(*"Played pool")
        toasts = await notice(app, pilot, "Draft discarded.")
        fields = [w.region for w in app.screen.query("Input, TextArea, Select")]
        assert toasts and not any(t.overlaps(f) for t in toasts for f in fields)
        assert app.screen.query_one("#summary", TextArea).text == "Played pool"
