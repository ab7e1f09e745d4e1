"""Each mode's screen is styled from the stylesheet as it stands: opening a
mode reads the app's CSS again only when the screen brings CSS of its own, and
a screen first opened after a change of theme is drawn in the new theme."""

from __future__ import annotations

import pytest
from textual.css.stylesheet import Stylesheet

from keywork_tui.app import KeyworkApp
from keywork_tui.services.team.people import resolve_staff
from screens.handover import HandoverScreen
from screens.key_children import KeyChildrenScreen


def make_app(demo_db) -> KeyworkApp:
    path, built = demo_db
    staff = resolve_staff(built.home_id, "Rachel Price")
    return KeyworkApp(home_id=built.home_id, staff_id=staff.id, database=str(path))


@pytest.fixture
def reparses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every full reparse of a stylesheet, by the screen on top at the time."""
    seen: list[str] = []
    original = Stylesheet.reparse

    def counted(self: Stylesheet) -> None:
        seen.append("reparse")
        original(self)

    monkeypatch.setattr(Stylesheet, "reparse", counted)
    return seen


async def test_the_first_screen_is_styled_without_a_reparse(demo_db, reparses) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HandoverScreen)
        assert reparses == []
        # Its own rules (handover.tcss) are in force all the same.
        assert app.screen.query_one("#detail").styles.max_height is not None


async def test_a_screen_with_its_own_css_reads_it_once(demo_db, reparses) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, KeyChildrenScreen)
        assert len(reparses) == 1  # key_children.tcss joins the stylesheet
        await pilot.press("f2", "f3")
        await pilot.pause()
        assert len(reparses) == 1


async def test_a_mode_first_opened_after_a_change_of_theme_takes_the_new_theme(
    demo_db,
) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        dark_background = app.screen.styles.background
        app.theme = "textual-light"
        await pilot.pause()
        assert app.screen.styles.background != dark_background  # the board restyled
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, KeyChildrenScreen)
        light = app.get_css_variables()["background"]
        assert app.screen.styles.background.hex.lower() == light.lower()
