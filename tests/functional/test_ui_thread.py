"""No query runs on the UI thread: the suite's apps raise on one, and this
shows that the check itself works, on a query a screen makes where it must not."""

from __future__ import annotations

import pytest
from pilot_tools import settle

from keywork_tui.app import QueryOnUIThreadError
from keywork_tui.services.team import people


async def test_a_query_on_the_ui_thread_is_refused(make_app) -> None:
    app = make_app()
    with pytest.raises(QueryOnUIThreadError):
        async with app.run_test() as pilot:
            await settle(app, pilot)
            home_id = app.ctx.home.id
            app.call_later(people.list_staff, home_id)
            await pilot.pause()
            await pilot.pause()


async def test_the_same_query_through_call_service_is_answered(make_app) -> None:
    app = make_app()
    answers: list[int] = []
    async with app.run_test() as pilot:
        await settle(app, pilot)
        home_id = app.ctx.home.id
        app.screen.call_service(
            lambda: people.list_staff(home_id), lambda s: answers.append(len(s))
        )
        await settle(app, pilot)
    assert answers and answers[0] > 0
