"""A session marked restricted in session entry: its key worker and managers
read it on the profile; a colleague sees only that a restricted entry exists."""

from __future__ import annotations

from pilot_tools import screen_lines, settle, wait_until
from textual.widgets import Select

from models import KeySession
from screens.child_profile import ChildProfileScreen
from screens.session_entry import SessionEntryScreen

WORDS = "Talked about the letter from dad"


async def _profile_text(app, pilot, child_id: int) -> str:
    app.open_profile(child_id)
    assert await wait_until(pilot, lambda: isinstance(app.screen, ChildProfileScreen))
    await settle(app, pilot)
    await pilot.press("4")
    await settle(app, pilot)
    return "\n".join(screen_lines(app))


async def test_a_restricted_session_is_read_only_by_those_it_is_for(demo_db, make_app) -> None:
    _, built = demo_db
    ethan = built.children["Ethan"]  # Liam Foster's key child
    app = make_app("Liam Foster")
    async with app.run_test(size=(110, 34)) as pilot:
        await settle(app, pilot)
        app.open_session(ethan)
        assert await wait_until(pilot, lambda: isinstance(app.screen, SessionEntryScreen))
        await settle(app, pilot)
        app.screen.query_one("#summary").focus()
        await pilot.press(*WORDS)
        app.screen.query_one("#restricted", Select).value = True
        await pilot.press("ctrl+f")
        assert await wait_until(pilot, lambda: not isinstance(app.screen, SessionEntryScreen))
    saved = KeySession.get(KeySession.summary == WORDS)
    assert saved.restricted and saved.status == "final"

    for reader, sees in (("Liam Foster", True), (None, True), ("Rachel Price", False)):
        app = make_app(reader)
        async with app.run_test(size=(110, 34)) as pilot:
            await settle(app, pilot)
            text = await _profile_text(app, pilot, ethan)
            assert (WORDS in text) == sees, reader
            if not sees:
                assert "Restricted entry" in text
