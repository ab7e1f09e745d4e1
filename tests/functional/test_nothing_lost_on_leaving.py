"""Leaving keywork keeps what is typed: Ctrl+Q and a lock keep the open drafts
first, and what cannot be kept is named before it is lost."""

from __future__ import annotations

from pilot_tools import settle, wait_until

from models import KeySession
from screens.session_dialogs import ConfirmDialog
from screens.session_entry import SessionEntryScreen
from screens.sign_in import SignInScreen

WORDS = "Talked about football and his gran"


def _draft_with(words: str) -> KeySession | None:
    return (
        KeySession.select()
        .where(
            KeySession.summary.contains(words)
            | KeySession.activity.contains(words)
            | KeySession.views.contains(words)
        )
        .first()
    )


async def _start_session(app, pilot) -> None:
    await settle(app, pilot)
    await pilot.press("f3")
    await settle(app, pilot)
    await pilot.press("s")
    await settle(app, pilot)
    assert isinstance(app.screen, SessionEntryScreen)


async def test_ctrl_q_straight_after_typing_keeps_the_draft(demo_db, make_app) -> None:
    app = make_app("Rachel Price")
    async with app.run_test(size=(80, 24)) as pilot:
        await _start_session(app, pilot)
        await pilot.press(*WORDS, "ctrl+q")
        assert await wait_until(pilot, lambda: app.return_code is not None)
    draft = _draft_with(WORDS)
    assert draft is not None and draft.status == "draft"


async def test_a_lock_keeps_the_draft_at_once(demo_db, make_app) -> None:
    app = make_app("Rachel Price")
    async with app.run_test(size=(80, 24)) as pilot:
        await _start_session(app, pilot)
        await pilot.press(*WORDS, "ctrl+l")
        await settle(app, pilot)
        assert isinstance(app.screen, SignInScreen)
        assert _draft_with(WORDS) is not None


async def test_quitting_names_what_cannot_be_kept_and_n_goes_back(demo_db, make_app) -> None:
    app = make_app("Rachel Price")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f5")  # no child chosen yet
        await settle(app, pilot)
        app.screen.query_one("#summary").focus()
        await pilot.press(*WORDS, "ctrl+q")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "Not kept: the session being written" in app.screen.question
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, SessionEntryScreen) and app.return_code is None
        assert WORDS in app.screen.query_one("#summary").text
        await pilot.press("ctrl+q")
        await settle(app, pilot)
        await pilot.press("y")
        assert await wait_until(pilot, lambda: app.return_code is not None)
    assert _draft_with(WORDS) is None
