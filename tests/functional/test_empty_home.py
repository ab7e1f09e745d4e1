"""A home just made with `keywork init`: every screen says what to do next."""

from __future__ import annotations

from pilot_tools import screen_lines, settle

from keywork_tui.app import KeyworkApp
from keywork_tui.schemas import HomeIn, StaffIn
from keywork_tui.services import homes


async def test_a_new_home_says_how_to_set_it_up(database) -> None:
    home, manager = homes.create_home(
        HomeIn(name="Ash Lodge"), StaffIn(name="Bea Moss", role="manager")
    )
    app = KeyworkApp(home.id, manager.id, str(database))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        handover = " ".join(" ".join(screen_lines(app)).split())
        await pilot.press("f4")
        await settle(app, pilot)
        overdue = " ".join(" ".join(screen_lines(app)).split())  # as read, across lines
        await pilot.press("f3")
        await settle(app, pilot)
        mine = "\n".join(screen_lines(app))
    assert "No children in placement yet" in handover
    assert "n admits a child" in handover and "(Staff), a" in handover
    assert "Nothing overdue" in overdue and "F6, Key workers, n" in overdue
    assert "You have no key children" in mine
