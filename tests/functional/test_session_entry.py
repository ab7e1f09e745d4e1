"""Session entry: errors beside their field, nothing typed lost, then a final save."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Static, TextArea

from keywork_tui.app import KeyworkApp
from keywork_tui.services.child_file import sessions
from keywork_tui.services.team.people import resolve_staff
from screens.session_entry import SessionEntryScreen


async def test_bad_duration_then_finalise(demo_db) -> None:
    path, built = demo_db
    staff = resolve_staff(built.home_id, "Liam Foster")
    app = KeyworkApp(home_id=built.home_id, staff_id=staff.id, database=str(path))
    async with app.run_test(size=(100, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        ethan = built.children["Ethan"]
        table.move_cursor(row=table.get_row_index(str(ethan)))
        await pilot.press("s")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionEntryScreen)
        await pilot.press(*"Played pool and talked about school")
        screen.query_one("#minutes", Input).value = "500"
        await pilot.press("ctrl+f")
        await pilot.pause()
        error = str(screen.query_one("#err-minutes", Static).render())
        assert "duration must be between 5 and 240 minutes" in error
        assert screen.query_one("#summary", TextArea).text == "Played pool and talked about school"
        screen.query_one("#minutes", Input).value = "40"
        await pilot.press("ctrl+f")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        saved = sessions.sessions_for_child(app.ctx.actor, ethan)[0]
        assert saved.status == "final" and saved.minutes == 40
        assert saved.summary == "Played pool and talked about school"
        assert screen.query_one("#summary", TextArea).text == ""


async def test_a_bedtime_concern_from_a_session_reaches_the_handover(demo_db) -> None:
    from textual.widgets import Select

    from keywork_tui.services.handover import board as handover_board

    path, built = demo_db
    staff = resolve_staff(built.home_id, "Liam Foster")
    app = KeyworkApp(home_id=built.home_id, staff_id=staff.id, database=str(path))
    ethan = built.children["Ethan"]
    async with app.run_test(size=(100, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        table.move_cursor(row=table.get_row_index(str(ethan)))
        await pilot.press("s")
        await pilot.pause()
        await app.workers.wait_for_complete()
        screen = app.screen
        await pilot.press(*"Talked about his dad")
        screen.query_one("#concern_text", Input).value = "Scared of the dark since the move"
        screen.query_one("#bedtime", Select).value = True
        await pilot.press("ctrl+f")
        await pilot.pause()
        await app.workers.wait_for_complete()
    [row] = [r for r in handover_board.board(built.home_id).rows if r.child_id == ethan]
    assert row.bedtime_concern == "Scared of the dark since the move"
    assert row.unseen_concerns == 1
