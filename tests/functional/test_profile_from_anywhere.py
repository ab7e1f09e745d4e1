"""A child's profile opens with Enter wherever the child is a row: the whole
team has a duty to every child, so a night worker who is not on the child's
team reads the essentials too."""

from __future__ import annotations

from pilot_tools import screen_lines, settle, wait_until
from textual.widgets import DataTable

from screens.child_profile import ChildProfileScreen
from screens.handover import HandoverScreen
from screens.overdue import OverdueScreen


async def _highlight(app, pilot, words: str) -> None:
    table = app.screen.query_one(DataTable)
    table.focus()
    for index in range(table.row_count):
        if any(words in str(cell) for cell in table.get_row_at(index)):
            table.move_cursor(row=index)
            await pilot.pause()
            return
    raise AssertionError(f"no row with {words!r}")


async def test_enter_on_a_handover_row_opens_the_childs_profile(demo_db, make_app) -> None:
    _, built = demo_db
    app = make_app("Rachel Price")  # Chloe's key worker, not on Tyler's team
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await _highlight(app, pilot, "Tyler Marsh")
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ChildProfileScreen))
        await settle(app, pilot)
        assert app.screen.child_id == built.children["Tyler"]
        assert "Tyler" in "\n".join(screen_lines(app))
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, HandoverScreen)


async def test_enter_on_an_overdue_row_opens_the_childs_profile(demo_db, make_app) -> None:
    _, built = demo_db
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("f4")
        await settle(app, pilot)
        assert isinstance(app.screen, OverdueScreen)
        await _highlight(app, pilot, "Kiki")
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ChildProfileScreen))
        assert app.screen.child_id == built.children["Keira"]


async def test_the_palette_finds_a_child_by_either_name(demo_db, make_app) -> None:
    _, built = demo_db
    app = make_app("Rachel Price")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await settle(app, pilot)
        await pilot.press(*"keira lowe profile")  # Kiki's legal name
        await pilot.pause(0.5)
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ChildProfileScreen))
        assert app.screen.child_id == built.children["Keira"]


async def test_the_palette_names_no_child_while_locked(demo_db, make_app) -> None:
    from textual.command import CommandPalette

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+l")
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await settle(app, pilot)
        assert not isinstance(app.screen, CommandPalette)


async def test_enter_on_a_workspace_child_row_opens_the_profile(demo_db, make_app) -> None:
    _, built = demo_db
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("f6")
        await settle(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        await _highlight_focused(app, pilot, "Mo Ali")
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ChildProfileScreen))
        assert app.screen.child_id == built.children["Mohammed"]


async def _highlight_focused(app, pilot, words: str) -> None:
    table = app.focused
    assert isinstance(table, DataTable)
    index = next(i for i in range(table.row_count) if words in str(table.get_row_at(i)[0]))
    table.move_cursor(row=index)
    await pilot.pause()


async def test_the_palette_finds_a_colleague_and_the_words_lock_and_absence(
    demo_db, make_app
) -> None:
    from screens.manager import ManagerScreen
    from screens.sign_in import SignInScreen

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        for typed, arrived in (
            ("liam foster", lambda: isinstance(app.screen, ManagerScreen)),
            ("absence", lambda: isinstance(app.screen, ManagerScreen)),
            ("lock", lambda: isinstance(app.screen, SignInScreen)),
        ):
            await pilot.press("f2")
            await settle(app, pilot)
            await pilot.press("ctrl+p")
            await settle(app, pilot)
            await pilot.press(*typed)
            await pilot.pause(0.5)
            await pilot.press("enter")
            assert await wait_until(pilot, arrived), typed
            await settle(app, pilot)
            if typed == "liam foster":
                pane = app.screen.query_one("#staff-pane")
                assert pane.highlighted().name == "Liam Foster"
            if typed == "absence":
                assert app.screen.query_one("TabbedContent").active == "cover"
        assert app.locked
