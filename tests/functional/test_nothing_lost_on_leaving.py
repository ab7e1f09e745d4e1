"""Leaving keywork keeps what is typed: Ctrl+Q and a lock keep the open drafts
first, and what cannot be kept is named before it is lost; Esc over a form
that has been typed in asks before it closes."""

from __future__ import annotations

from pilot_tools import open_next_shift_writer, settle, wait_until
from textual.binding import Binding
from textual.widgets import Input, TextArea

from models import Handover, HandoverEntry, KeySession
from screens.profile_dialogs import TargetDialog
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


def _entry_with(words: str) -> HandoverEntry | None:
    return HandoverEntry.select().where(HandoverEntry.mood.contains(words)).first()


async def test_ctrl_q_in_the_handover_writer_straight_after_typing_keeps_the_entry(
    demo_db, make_app
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_next_shift_writer(app, pilot)
        await pilot.press("tab", *WORDS, "ctrl+q")
        assert await wait_until(pilot, lambda: app.return_code is not None)
    assert _entry_with(WORDS) is not None


async def test_the_writer_keeps_words_whose_change_message_has_not_come_yet(
    demo_db, make_app
) -> None:
    """In a terminal Ctrl+Q can be handled before the messages that mark the
    fields changed: here the fields change with those messages held back."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        writer = await open_next_shift_writer(app, pilot)
        with writer.prevent(Input.Changed, TextArea.Changed):
            writer.query_one("#mood", Input).value = WORDS
            writer.query_one("#home_notes", TextArea).text = "Boiler man due at nine"
        await pilot.press("ctrl+q")
        assert await wait_until(pilot, lambda: app.return_code is not None)
    assert _entry_with(WORDS) is not None
    assert Handover.select().where(Handover.home_notes == "Boiler man due at nine").exists()


async def test_a_lock_from_the_handover_writer_hides_it_and_keeps_the_entry(
    demo_db, make_app
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        writer = await open_next_shift_writer(app, pilot)
        await pilot.press("tab", *WORDS, "ctrl+l")
        await settle(app, pilot)
        assert isinstance(app.screen, SignInScreen)
        assert _entry_with(WORDS) is not None
        assert writer not in app.screen_stack  # nothing of the child shows


async def _open_target_form(app, pilot, child_id: int) -> TargetDialog:
    await settle(app, pilot)
    app.open_profile(child_id)
    await settle(app, pilot)
    await pilot.press("t")
    await settle(app, pilot)
    assert isinstance(app.screen, TargetDialog)
    return app.screen


async def test_ctrl_q_over_a_form_names_what_is_typed_and_n_goes_back_to_it(
    demo_db, make_app
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _open_target_form(app, pilot, demo_db[1].children["Chloe"])
        await pilot.press(*WORDS, "ctrl+q")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "what is typed in the open form" in app.screen.question
        await pilot.press("ctrl+q")  # again: still the one question, not a yes
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmDialog) and app.return_code is None
        assert len([s for s in app.screen_stack if isinstance(s, ConfirmDialog)]) == 1
        await pilot.press("n")
        await settle(app, pilot)
        assert app.screen is form and app.return_code is None
        assert WORDS in form.query_one("#text").text
        await pilot.press("ctrl+q")
        await settle(app, pilot)
        await pilot.press("y")
        assert await wait_until(pilot, lambda: app.return_code is not None)


async def test_ctrl_q_over_a_form_left_as_it_opened_quits_at_once(demo_db, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_target_form(app, pilot, demo_db[1].children["Chloe"])
        await pilot.press("ctrl+q")
        assert await wait_until(pilot, lambda: app.return_code is not None)


async def test_after_a_lock_over_the_quit_question_ctrl_q_asks_again(demo_db, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_target_form(app, pilot, demo_db[1].children["Chloe"])
        await pilot.press(*WORDS, "ctrl+q")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("ctrl+l")
        await settle(app, pilot)
        assert isinstance(app.screen, SignInScreen)
        await pilot.press("ctrl+q")  # from the sign-in screen: asked here, where it shows
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        assert await wait_until(pilot, lambda: app.return_code is not None)


def test_quit_and_lock_wait_for_the_keys_typed_before_them() -> None:
    """A priority key is handled as it arrives, before the keys typed just
    ahead of it have reached their field (Pilot waits for each key, so only a
    real terminal shows the loss): quit and lock are never priority."""
    from keywork_tui.app import KeyworkApp
    from screens.dialog import LEAVING_KEYS

    keys = [b for b in [*KeyworkApp.BINDINGS, *LEAVING_KEYS] if isinstance(b, Binding)]
    leaving = [b for b in keys if b.id in ("app.quit", "app.lock")]
    assert len(leaving) == 4 and not any(b.priority for b in leaving)


async def test_a_lock_key_from_the_keymap_works_in_the_writer_too(demo_db, make_app) -> None:
    from keywork_tui.app import KeyworkApp
    from keywork_tui.services.team.people import resolve_staff

    path, built = demo_db
    manager = resolve_staff(built.home_id, None)
    app = KeyworkApp(
        home_id=built.home_id, staff_id=manager.id, database=str(path), keymap={"app.lock": "f12"}
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await open_next_shift_writer(app, pilot)
        await pilot.press("f12")
        await settle(app, pilot)
        assert isinstance(app.screen, SignInScreen)


async def test_esc_over_a_form_with_typing_asks_and_esc_again_goes_back_to_it(
    demo_db, make_app
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _open_target_form(app, pilot, demo_db[1].children["Chloe"])
        await pilot.press(*WORDS, "escape")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "will be lost" in app.screen.question
        await pilot.press("escape")  # a second Esc is a no: the words stay
        await settle(app, pilot)
        assert app.screen is form
        assert WORDS in form.query_one("#text").text
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("y")
        assert await wait_until(pilot, lambda: form not in app.screen_stack)
        assert not isinstance(app.screen, ConfirmDialog)


async def test_esc_over_a_form_left_as_it_opened_closes_it_at_once(demo_db, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _open_target_form(app, pilot, demo_db[1].children["Chloe"])
        await pilot.press("escape")
        assert await wait_until(pilot, lambda: form not in app.screen_stack)
        assert not isinstance(app.screen, ConfirmDialog)
