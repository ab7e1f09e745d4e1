"""Writing for the child, on screen: a word of the home's language guide is
pointed out below the field it was typed in, at 80x24, and saving goes on
exactly as typed; a manager edits the guide from the Home tab."""

from __future__ import annotations

from pilot_tools import screen_lines, settle, wait_until
from textual.widgets import DataTable, Input, TextArea

from keywork_tui.schemas import LanguageCheckIn, LanguageWordIn
from keywork_tui.services.actor import may_reach
from keywork_tui.services.child_file import language, sessions
from keywork_tui.services.handover import board as handover_board
from screens.handover_write import HandoverWriteScreen
from screens.language_note import LanguageNote
from screens.session_entry import SessionEntryScreen

WORKER = "Liam Foster"


async def _open_session_entry(app, pilot) -> tuple[SessionEntryScreen, int]:
    """`s` on the handover for a child the worker may record for and has no draft."""
    await settle(app, pilot)
    table = app.screen.query_one(DataTable)
    drafted = {d.child_id for d in sessions.drafts_of(app.ctx.actor)}
    index, child_id = next(
        (i, int(key.value))
        for i, key in enumerate(table.rows)
        if int(key.value) not in drafted and may_reach(app.ctx.actor, int(key.value))
    )
    table.move_cursor(row=index)
    await pilot.press("s")
    await settle(app, pilot)
    assert isinstance(app.screen, SessionEntryScreen)
    return app.screen, child_id


def _note(screen, field: str) -> str:
    note = screen.query_one(f"#lang-{field}", LanguageNote)
    return str(note.render()) if note.display else ""


async def test_a_listed_word_in_the_summary_is_noted_below_it_and_saving_goes_on(
    demo_db, make_app
) -> None:
    app = make_app(WORKER)
    async with app.run_test(size=(80, 24)) as pilot:
        screen, child_id = await _open_session_entry(app, pilot)
        typed = "Talked about her placement and the unit"
        await pilot.press(*typed)
        await pilot.pause()
        lines = screen_lines(app)
        [at] = [i for i, line in enumerate(lines) if "“placement”: try “home”" in line]
        assert "“unit”: try “hous…" in lines[at]  # one line, cut where the field ends
        assert "▁▁▁▁" in lines[at - 1] and any(typed in line for line in lines[:at])
        assert all(len(line) <= 80 for line in lines)
        assert screen.query_one("#summary", TextArea).text == typed
        assert app.focused is screen.query_one("#summary")

        screen.query_one("#views", TextArea).text = "I want more contact with my nan"
        screen.query(".what").first(Input).value = "Ask about respite at Easter"
        screen.query_one("#concern_text", Input).value = "Absconded last week"
        await pilot.pause()
        assert _note(screen, "views") == "“contact”: try “family time”"
        assert _note(screen, "actions").startswith("“respite”: try “a short break")
        assert _note(screen, "concern_text") == "“Absconded”: try “ran away, or was missing”"

        await pilot.press("ctrl+f")
        await settle(app, pilot)
        saved = sessions.sessions_for_child(app.ctx.actor, child_id)[0]
        assert saved.status == "final" and saved.summary == typed
        assert saved.views == "I want more contact with my nan"
        assert saved.concern_text == "Absconded last week"
        assert _note(screen, "summary") == ""  # the cleared form has nothing to point out


async def test_the_homes_own_words_are_noted_and_none_once_switched_off(demo_db, make_app) -> None:
    _, built = demo_db
    language.add_word(built.manager, LanguageWordIn(word="bed space", suggestion="bedroom"))
    app = make_app(WORKER)
    async with app.run_test(size=(80, 24)) as pilot:
        screen, _ = await _open_session_entry(app, pilot)
        await pilot.press(*"A new bed space")
        await pilot.pause()
        assert _note(screen, "summary") == "“bed space”: try “bedroom”"
        language.set_check(built.manager, LanguageCheckIn(on=False))
        await pilot.press("f2")  # the guide is read again when the screen opens
        await settle(app, pilot)
        await pilot.press("f5")
        await settle(app, pilot)
        assert app.screen is screen
        await pilot.press(*" placement")
        await pilot.pause()
        assert _note(screen, "summary") == ""
        assert "placement" in screen.query_one("#summary", TextArea).text


async def test_the_handover_writer_notes_each_field_at_80x24_and_saves_as_typed(
    demo_db, make_app
) -> None:
    app = make_app("Priya Nair")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("w")
        await settle(app, pilot)
        writer = app.screen
        assert isinstance(writer, HandoverWriteScreen)
        await pilot.press("tab", *"Kicked off at tea")
        await pilot.pause()
        assert _note(writer, "mood").startswith("“Kicked off”: try “was upset or angry")
        writer.query_one("#events", TextArea).text = "He absconded after school"
        writer.query_one("#bedtime_concern", Input).value = "Contact with dad tomorrow"
        writer.query_one("#actions", Input).value = "Escort him to the dentist"
        writer.query_one("#home_notes", TextArea).text = "The unit was calm"
        await pilot.pause()
        text = "\n".join(screen_lines(app))
        # Every field and every note stays in view on the smallest terminal.
        for shown in (
            "Kicked off at tea",
            "“Kicked off”",
            "He absconded",
            "“absconded”",
            "Contact with dad",
            "“Contact”: try “family time”",
            "Escort him",
            "“Escort”",
            "Notes for the whole home  “unit”",
            "The unit was calm",
        ):
            assert shown in text, shown
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert writer.query_one("#mood", Input).value == "Kicked off at tea"

        def saved() -> bool:
            first = handover_board.board(app.ctx.home.id).rows[0]
            return first.entry is not None and first.mood == "Kicked off at tea"

        assert await wait_until(pilot, saved, seconds=5)
    row = handover_board.board(app.ctx.home.id).rows[0]
    assert row.entry.events == "He absconded after school"
    assert row.entry.actions == "Escort him to the dentist"


async def test_a_manager_edits_the_language_guide_from_the_home_tab(demo_db, make_app) -> None:
    from keywork_tui.services import audit
    from screens.language_guide import LanguageGuideDialog, WordDialog
    from screens.manager import ManagerScreen
    from screens.session_dialogs import ConfirmDialog

    _, built = demo_db
    app = make_app()  # Helen Okafor, the manager
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f6")
        await settle(app, pilot)
        await pilot.press("6")
        await settle(app, pilot)
        assert "g language guide (20 words)" in "\n".join(screen_lines(app))
        await pilot.press("g")
        assert await wait_until(pilot, lambda: isinstance(app.screen, LanguageGuideDialog))
        guide_dialog = app.screen

        await pilot.press("a")
        assert await wait_until(pilot, lambda: isinstance(app.screen, WordDialog))
        await pilot.press("ctrl+s")  # nothing typed: said beside the field, nothing saved
        await settle(app, pilot)
        assert isinstance(app.screen, WordDialog)
        assert "✗ this cannot be blank" in "\n".join(screen_lines(app))
        await pilot.press(*"bed space", "enter", *"bedroom", "enter")
        assert await wait_until(pilot, lambda: app.screen is guide_dialog)
        await settle(app, pilot)
        assert "bed space *" in "\n".join(screen_lines(app))

        table = guide_dialog.query_one(DataTable)
        table.move_cursor(row=table.get_row_index("unit"))
        await pilot.press("d")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await settle(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)
        text = "\n".join(screen_lines(app))
        assert "✗ Switched off" in text and "Taken off: unit" in text
        assert all(len(line) <= 80 for line in screen_lines(app))
        await pilot.press("escape")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ManagerScreen))
        await settle(app, pilot)
        assert "g language guide (off)" in "\n".join(screen_lines(app))

    guide = language.home_guide(built.home_id)
    assert not guide.on and guide.entry("unit") is None
    assert guide.entry("bed space") is not None
    events = audit.events(home_id=built.home_id, action_prefix="language.")
    assert [e.action for e in reversed(events)] == [
        "language.add",
        "language.remove",
        "language.check",
    ]
    assert {e.staff_name for e in events} == {"Helen Okafor"}
