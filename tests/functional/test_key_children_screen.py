"""My key children (F3) on the demo: Rachel Price is Chloe's key worker and covers
Jo while Sophie Clarke is on leave."""

from __future__ import annotations

import datetime as dt

import pytest
from pilot_tools import screen_lines, settle
from textual.widgets import DataTable, Sparkline

from keywork_tui.schemas import AllocationIn, ChildIn
from keywork_tui.services import clock
from keywork_tui.services.actor import actor_for
from keywork_tui.services.child_file import key_children as children
from keywork_tui.services.team import allocation, people
from screens.base import DatabaseChanged
from screens.key_children import KeyChildrenScreen
from screens.session_entry import SessionEntryScreen

WORKER = "Rachel Price"


async def open_key_children(app, pilot) -> KeyChildrenScreen:
    await settle(app, pilot)
    await pilot.press("f3")
    await settle(app, pilot)
    assert isinstance(app.screen, KeyChildrenScreen)
    return app.screen


def text_of(app) -> str:
    return "\n".join(screen_lines(app))


def words_of(app) -> str:
    """The screen's words with wrapping undone."""
    return " ".join(text_of(app).split())


def highlighted(screen: KeyChildrenScreen) -> int:
    table = screen.query_one(DataTable)
    row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
    return int(row_key.value)


async def test_own_and_covered_children_and_the_detail_follows_the_cursor(demo_db, make_app):
    built = demo_db[1]
    chloe, jordan = built.children["Chloe"], built.children["Jordan"]
    app = make_app(WORKER)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_key_children(app, pilot)
        table = screen.query_one(DataTable)
        assert [int(k.value) for k in table.rows] == [chloe, jordan]
        text = text_of(app)
        assert "key worker" in text and "cover until" in text
        assert "Chloe Barker, 13 · your key child" in text
        first = list(screen.query_one(Sparkline).data)

        await pilot.press("down")
        await settle(app, pilot)

        text = words_of(app)
        assert "Jo (Jordan Reed)" in text and "you cover until" in text
        assert "key worker Sophie Clarke (leave)" in text
        data = list(screen.query_one(Sparkline).data)
        assert len(data) == 12 and len(first) == 12
        expected = {
            o.child.id: list(o.weekly) for o in children.overview(app.ctx.actor, clock.today())
        }
        assert (first, data) == (expected[chloe], expected[jordan])
        assert " ".join(str(n) for n in data) in text  # the figures under the bars


async def test_s_opens_session_entry_for_the_highlighted_child(demo_db, make_app):
    jordan = demo_db[1].children["Jordan"]
    app = make_app(WORKER)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_key_children(app, pilot)
        await pilot.press("down", "s")
        await settle(app, pilot)
        assert isinstance(app.screen, SessionEntryScreen)
        assert app.screen.child is not None and app.screen.child.id == jordan


async def test_enter_asks_for_the_highlighted_childs_profile(demo_db, make_app, monkeypatch):
    jordan = demo_db[1].children["Jordan"]
    app = make_app(WORKER)
    opened: list[int] = []
    monkeypatch.setattr(app, "open_profile", opened.append)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_key_children(app, pilot)
        await pilot.press("down", "enter")
        await settle(app, pilot)
    assert opened == [jordan]


async def test_enter_opens_the_profile_screen(demo_db, make_app):
    pytest.importorskip("screens.child_profile")
    app = make_app(WORKER)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_key_children(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "ChildProfileScreen"


async def test_a_reload_keeps_the_cursor_on_the_same_child(demo_db, make_app):
    built = demo_db[1]
    jordan = built.children["Jordan"]
    app = make_app(WORKER)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_key_children(app, pilot)
        await pilot.press("down")
        await settle(app, pilot)
        # Elsewhere, a manager makes Rachel key worker of a new child, listed first.
        manager = actor_for(built.manager.id)
        today = clock.today()
        new = people.add_child(
            manager,
            ChildIn(
                first_name="Abi",
                last_name="New",
                date_of_birth=dt.date(2014, 5, 1),
                admitted_on=today,
            ),
        )
        rachel = people.find_staff(built.home_id, WORKER)
        allocation.allocate(
            manager, AllocationIn(child_id=new.id, staff_id=rachel.id, starts_on=today)
        )
        screen.post_message(DatabaseChanged())
        await settle(app, pilot)
        table = screen.query_one(DataTable)
        assert table.row_count == 3 and table.cursor_row == 2
        assert highlighted(screen) == jordan
        assert "Jo (Jordan Reed)" in text_of(app)


async def test_a_manager_is_told_why_the_list_is_empty(demo_db, make_app):
    app = make_app()  # Helen Okafor, the manager
    async with app.run_test(size=(80, 24)) as pilot:
        await open_key_children(app, pilot)
        text = words_of(app)
        assert "You have no key children and cover nobody today." in text
        assert "Managers allocate key workers" in text
        await pilot.press("s")  # nothing to choose: a word, not a crash
        await settle(app, pilot)
        assert isinstance(app.screen, KeyChildrenScreen)


async def test_a_wide_terminal_shows_more_columns(demo_db, make_app):
    app = make_app(WORKER)
    async with app.run_test(size=(200, 50)) as pilot:
        await open_key_children(app, pilot)
        lines = screen_lines(app)
        header = next(line for line in lines if "Child" in line and "Next due" in line)
        for label in ("Age", "Key worker", "12 weeks", "Seen", "School", "Next date"):
            assert label in header
        assert all(len(line) <= 200 for line in lines)


def test_key_children_at_80x24(demo_db, make_app, screen_matches):
    """Kept as a snapshot with and without colour; a missing one fails, and
    `pytest --snapshot-update` rewrites it."""
    app = make_app(WORKER)

    def reads(lines: list[str]) -> None:
        text = "\n".join(lines)
        # Words and symbols carry every highlight, not colour.
        assert "cover until 02 Dec" in text and "‼ late" in text and "none in 2 weeks" in text
        assert all(len(line) <= 80 for line in lines), text

    assert screen_matches(app, lambda pilot: open_key_children(app, pilot), reads)


async def test_an_open_action_is_ticked_off_from_the_list(demo_db, make_app) -> None:
    from textual.widgets import OptionList

    app = make_app("Rachel Price")
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("f3")
        await settle(app, pilot)
        before = children.overview(app.ctx.actor, clock.today())[0]
        assert before.actions
        await pilot.press("x")
        await settle(app, pilot)
        assert app.screen.query_one(OptionList).option_count == len(before.actions)
        await pilot.press("enter")
        await settle(app, pilot)
        after = children.overview(app.ctx.actor, clock.today())[0]
    assert len(after.actions) == len(before.actions) - 1
    assert (after.child.id, after.actions) == (before.child.id, before.actions[1:])
