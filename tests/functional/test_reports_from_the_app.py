"""A child's report from the profile and the workspace: a key, a period, a file."""

from __future__ import annotations

import stat

from pilot_tools import screen_lines, settle, wait_until
from textual.widgets import Input

from keywork_tui.services import clock
from keywork_tui.services.exchange import reports
from screens.child_profile import ChildProfileScreen
from screens.report_dialog import ReportDialog, last_month


async def _open_report_from_profile(app, pilot, child_id: int) -> None:
    await settle(app, pilot)
    app.open_profile(child_id)
    await settle(app, pilot)
    await pilot.press("r")
    await settle(app, pilot)


async def test_the_profile_writes_last_months_report_with_what_the_sessions_said(
    demo_db, make_app, tmp_path, monkeypatch
) -> None:
    monkeypatch.setattr("screens.report_dialog.reports_dir", lambda: tmp_path / "reports")
    app = make_app()  # the demo's manager
    told = notes_of(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_report_from_profile(app, pilot, demo_db[1].children["Tyler"])
        dialog = app.screen
        assert isinstance(dialog, ReportDialog)
        first, last = last_month(dt_today(app))
        offered = dialog.query_one("#path", Input).value
        assert offered == str(tmp_path / "reports" / f"tyler-marsh-{first:%Y-%m}.html")
        await pilot.press("ctrl+s")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ChildProfileScreen))
        await settle(app, pilot)
        assert await wait_until(pilot, lambda: "readable by you only" in " ".join(told))
    written = tmp_path / "reports" / f"tyler-marsh-{first:%Y-%m}.html"
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert stat.S_IMODE(written.parent.stat().st_mode) == 0o700
    page = written.read_text(encoding="utf-8")
    held = reports.review_report(app.ctx.actor, demo_db[1].children["Tyler"], first, last)
    assert held.sessions and any(s.views for s in held.sessions)
    for session in held.sessions:  # what was said and the child's own words, whole
        assert session.summary in page and session.views in page
    assert "<dt>What happened</dt>" in page and "@media print" in page
    assert f"{first:%d %b %Y} to {last:%d %b %Y}" in page


async def test_a_period_and_a_markdown_name_are_typed_and_a_clash_is_said_beside_the_file(
    demo_db, make_app, tmp_path, monkeypatch
) -> None:
    monkeypatch.setattr("screens.report_dialog.reports_dir", lambda: tmp_path)
    taken = tmp_path / "review.md"
    taken.write_text("an earlier report", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_report_from_profile(app, pilot, demo_db[1].children["Tyler"])
        dialog = app.screen
        dialog.query_one("#first", Input).value = "1/9/2026"
        dialog.query_one("#last", Input).value = "30/11/2026"
        assert await wait_until(
            pilot,
            lambda: dialog.query_one("#path", Input).value.endswith(
                "tyler-marsh-2026-09-01-to-2026-11-30.html"
            ),
        )  # the name follows the period
        dialog.query_one("#path", Input).value = str(taken)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is dialog  # nothing lost: the dialog stays, with the reason
        assert "already exists" in words_on(app)
        dialog.query_one("#last", Input).value = "1/8/2026"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "ends before it begins" in words_on(app)
        dialog.query_one("#last", Input).value = "30/11/2026"
        dialog.query_one("#overwrite").value = True
        await pilot.press("ctrl+s")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ChildProfileScreen))
    notes = taken.read_text(encoding="utf-8")
    assert notes.startswith("# Tyler Marsh: 01 Sep 2026 to 30 Nov 2026")
    assert "In their own words: Wants their social worker to visit more often." in notes


async def test_the_key_workers_tab_writes_the_highlighted_childs_report(
    demo_db, make_app, tmp_path, monkeypatch
) -> None:
    monkeypatch.setattr("screens.report_dialog.reports_dir", lambda: tmp_path / "out")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f6", "2")
        await settle(app, pilot)
        await pilot.press("r")
        await settle(app, pilot)
        assert isinstance(app.screen, ReportDialog)
        name = app.screen.child_name
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    assert [p.name.startswith(name.lower().split()[0]) for p in (tmp_path / "out").iterdir()] == [
        True
    ]


async def test_a_key_worker_is_told_reports_are_for_managers(demo_db, make_app) -> None:
    app = make_app("Dan Walsh")
    told = notes_of(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_report_from_profile(app, pilot, demo_db[1].children["Tyler"])
        assert isinstance(app.screen, ChildProfileScreen)
        assert await wait_until(pilot, lambda: "written by a manager" in " ".join(told))


def dt_today(app):
    return clock.today()


def notes_of(app) -> list[str]:
    """The messages the app shows as notifications, in order."""
    told: list[str] = []
    shown = app.notify

    def keep(message, *args, **kwargs):
        told.append(str(message))
        return shown(message, *args, **kwargs)

    app.notify = keep
    return told


def words_on(app) -> str:
    return " ".join(" ".join(screen_lines(app)).split())
