"""A provider signs in to every home side by side, opens one home's overdue
list with Enter to read, and goes back with Esc; nobody else is offered it."""

from __future__ import annotations

import datetime as dt

from pilot_tools import screen_lines, settle

from keywork_tui.app import KeyworkApp
from keywork_tui.schemas import ChildIn, HomeIn, StaffIn
from keywork_tui.services import demo, homes
from keywork_tui.services.actor import actor_for
from keywork_tui.services.team import people
from screens.provider_homes import HomeOverdueScreen, HomesScreen


def _second_home() -> None:
    home, manager = homes.create_home(HomeIn(name="Aspen Lodge"), StaffIn(name="Ada Aspen"))
    people.add_child(
        actor_for(manager.id),
        ChildIn(
            first_name="Zed",
            last_name="Young",
            date_of_birth=dt.date(2012, 5, 1),
            admitted_on=dt.date(2026, 9, 1),
        ),
    )


async def test_a_provider_reads_every_home_and_one_homes_overdue(demo_db) -> None:
    path, built = demo_db
    _second_home()
    provider = demo.add_provider(built.home_id)
    app = KeyworkApp(home_id=built.home_id, staff_id=provider.id, database=str(path))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, HomesScreen)
        text = "\n".join(screen_lines(app))
        assert "Aspen Lodge" in text and "Rowan House" in text and "NO COVER" in text
        # Aspen Lodge comes first by name: its one child has no key worker.
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeOverdueScreen)
        text = "\n".join(screen_lines(app))
        assert "Aspen Lodge" in text and "read only" in text
        assert "Zed Young" in text and "Allocate a key worker" in text
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, HomesScreen)


async def test_only_a_provider_is_offered_the_homes(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Go to overdue" in titles and "Go to homes" not in titles
        assert not isinstance(app.screen, HomesScreen)
