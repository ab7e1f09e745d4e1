"""The overdue screen: filter the list, record a review in place, see it leave."""

from __future__ import annotations

from pilot_tools import settle
from textual.widgets import DataTable, Input, Select

from keywork_tui.app import KeyworkApp
from keywork_tui.services import audit, clock
from keywork_tui.services.child_file import obligations as compliance
from keywork_tui.services.team.people import resolve_staff
from screens.date_prompt import DatePrompt
from screens.overdue import OverdueScreen, is_document
from screens.session_entry import SessionEntryScreen


def make_app(demo_db, name: str | None = None) -> KeyworkApp:
    path, built = demo_db
    staff = resolve_staff(built.home_id, name)
    return KeyworkApp(home_id=built.home_id, staff_id=staff.id, database=str(path))


async def open_overdue(app: KeyworkApp, pilot) -> OverdueScreen:
    await pilot.press("f4")
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(app.screen, OverdueScreen)
    return app.screen


async def test_filter_by_child_and_mine(demo_db) -> None:
    app = make_app(demo_db, "Rachel Price")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_overdue(app, pilot)
        everything = len(screen.shown)
        screen.query_one("#child", Select).value = "Tyler Marsh"
        await pilot.pause()
        assert screen.shown and all(o.subject == "Tyler Marsh" for o in screen.shown)
        await pilot.press("x")
        await pilot.pause()
        assert len(screen.shown) == everything
        await pilot.press("m")
        await pilot.pause()
        rachel = app.ctx.actor.id
        assert screen.shown and all(o.responsible_id == rachel for o in screen.shown)
        assert len(screen.shown) < everything


async def test_record_no_change_review_from_a_row(demo_db) -> None:
    path, built = demo_db
    app = make_app(demo_db)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_overdue(app, pilot)
        index = next(i for i, o in enumerate(screen.shown) if is_document(o))
        item = screen.shown[index]
        screen.query_one(DataTable).move_cursor(row=index)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, DatePrompt)
        assert app.screen.query_one(Input).value == "today"
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, OverdueScreen)
        same = [
            o
            for o in screen.items
            if (o.child_id, o.obligation) == (item.child_id, item.obligation)
        ]
        assert same == []
        event = audit.events(child_id=item.child_id, action_prefix="review.record", limit=1)[0]
        assert event.staff_name == "Helen Okafor"
        assert event.after["document"] == item.obligation
        assert event.after["outcome"] == "no_change"
        assert app.overdue == compliance.overdue_count(built.home_id, clock.today())


async def test_escape_leaves_the_row_alone(demo_db) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_overdue(app, pilot)
        index = next(i for i, o in enumerate(screen.shown) if is_document(o))
        before = list(screen.items)
        screen.query_one(DataTable).move_cursor(row=index)
        await pilot.press("u", "escape")
        await pilot.pause()
        assert screen.items == before


async def test_session_key_opens_entry_with_child_chosen(demo_db) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_overdue(app, pilot)
        index = next(i for i, o in enumerate(screen.shown) if o.obligation == "key_session")
        child_id = screen.shown[index].child_id
        screen.query_one(DataTable).move_cursor(row=index)
        await pilot.press("s")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        [entry] = [s for s in app.screen_stack if isinstance(s, SessionEntryScreen)]
        assert entry.child is not None and entry.child.id == child_id


async def test_filters_are_in_the_command_palette(demo_db) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_overdue(app, pilot)
        assert "Overdue: only mine" in {c.title for c in screen.palette_commands()}
        await pilot.press("ctrl+p")
        await settle(app, pilot)
        await pilot.press(*"overdue kind dental check")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is screen
        assert screen.shown and all(o.title == "Dental check" for o in screen.shown)
