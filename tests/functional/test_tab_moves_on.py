"""A Tab is a field move wherever it arrives: typed in a burst (as a terminal
sends fast typing or an emoji with what follows), or inside pasted text."""

from __future__ import annotations

from pilot_tools import settle
from textual import events
from textual.widgets import Input, TextArea

from screens.handover_write import HandoverWriteScreen


def _burst(app, text: str) -> None:
    """Every key queued at once, before any is handled, as a terminal's read gives them."""
    for character in text:
        key = "tab" if character == "\t" else character
        app.post_message(events.Key(key, character))


def _fields(writer) -> tuple[str, str, str, str]:
    return (
        writer.query_one("#mood", Input).value,
        writer.query_one("#events", TextArea).text,
        writer.query_one("#bedtime_concern", Input).value,
        writer.query_one("#actions", Input).value,
    )


async def _writer(app, pilot) -> HandoverWriteScreen:
    await settle(app, pilot)
    await pilot.press("w")
    await settle(app, pilot)
    await pilot.press("tab")  # State → Mood
    assert isinstance(app.screen, HandoverWriteScreen)
    return app.screen


async def test_keys_that_arrive_together_each_go_where_tab_sent_them(demo_db, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        writer = await _writer(app, pilot)
        _burst(app, "😀\tthrew a chair\tcourt tomorrow\tring school")
        await settle(app, pilot)
        assert _fields(writer) == ("😀", "threw a chair", "court tomorrow", "ring school")


async def test_a_paste_with_tabs_fills_one_field_after_another(demo_db, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        writer = await _writer(app, pilot)
        app.post_message(events.Paste("Quiet\tplayed cards\tnone\tcheck PE kit"))
        await settle(app, pilot)
        assert _fields(writer) == ("Quiet", "played cards", "none", "check PE kit")
        assert app.focused is writer.query_one("#actions", Input)
