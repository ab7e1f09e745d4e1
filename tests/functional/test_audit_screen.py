"""The audit viewer: filter by child and kind, read before and after, read-only."""

from __future__ import annotations

from pilot_tools import screen_lines, settle
from textual.widgets import DataTable, Select

from screens.audit_view import AuditScreen


async def test_a_manager_filters_the_trail_and_reads_a_change(demo_db, make_app) -> None:
    _, built = demo_db
    app = make_app()
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(app, pilot)
        await pilot.press("f7")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, AuditScreen)
        everything = len(screen.shown)
        assert everything > 0
        screen.query_one("#child", Select).value = built.children["Chloe"]
        screen.query_one("#kind", Select).value = "session"
        await settle(app, pilot)
        assert 0 < len(screen.shown) < everything
        assert {e.child_id for e in screen.shown} == {built.children["Chloe"]}
        assert all(e.action.startswith("session.") for e in screen.shown)
        text = "\n".join(screen_lines(app))
        assert "status: draft → final" in text or "Created with:" in text
        assert screen.query_one(DataTable).row_count == len(screen.shown)
        await pilot.press("x")
        await settle(app, pilot)
        assert len(screen.shown) == everything


async def test_care_staff_are_told_the_trail_is_for_managers(demo_db, make_app) -> None:
    app = make_app("Liam Foster")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("f7")
        await settle(app, pilot)
        refusal = "only a manager, admin or provider can read the audit trail"
        assert refusal in "\n".join(screen_lines(app))
        assert app.screen.query_one(DataTable).row_count == 0
