"""The manager's workspace, driven from the keyboard: arranging cover until
NO COVER leaves the handover, allocating and changing a key worker with a
reason, adding staff, recording supervision; refused to care staff."""

from __future__ import annotations

import pytest
from pilot_tools import screen_lines, settle, wait_until
from textual.widgets import DataTable, Input, Label, Select

from keywork_tui.schemas import StaffIn
from keywork_tui.services.clock import today
from keywork_tui.services.team import people, workspace
from models import KeyWorkerAllocation, Staff, Supervision
from screens.manager import ManagerScreen
from screens.manager_allocation import AllocationDialog
from screens.manager_cover import CoverDialog
from screens.manager_staff import StaffDialog
from screens.manager_team import ExportDialog, bar


async def _open_tab(app, pilot, key: str) -> ManagerScreen:
    await pilot.press("f6")
    await settle(app, pilot)
    await pilot.press(key)
    await settle(app, pilot)
    assert isinstance(app.screen, ManagerScreen)
    return app.screen


async def _to_row(app, pilot, words: str) -> None:
    """Move the focused table's cursor to the row whose first cell is `words`."""
    table = app.focused
    assert isinstance(table, DataTable)
    for index in range(table.row_count):
        if str(table.get_row_at(index)[0]) == words:
            table.move_cursor(row=index)
            await settle(app, pilot)
            return
    raise AssertionError(f"no row {words!r}")


async def _dialog(app, pilot, tab: str, row: str, key: str, kind: type):
    """From the tab, on the person's row, the key that opens a dialog of `kind`."""
    await _open_tab(app, pilot, tab)
    await _to_row(app, pilot, row)
    await pilot.press(key)
    assert await wait_until(pilot, lambda: isinstance(app.screen, kind))
    return app.screen


async def test_arranging_cover_takes_no_cover_off_the_handover(demo_db, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(app, pilot)
        assert "NO COVER" in "\n".join(screen_lines(app))  # Dan is off sick; Tyler alone
        await _open_tab(app, pilot, "3")
        text = "\n".join(screen_lines(app))
        assert "Dan Walsh is away (sickness)" in text and "no cover for Tyler Marsh" in text
        dialog = await _dialog(app, pilot, "3", "Dan Walsh", "c", CoverDialog)
        suggested = dialog.query_one("#staff", Select).value
        await pilot.press("ctrl+s")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ManagerScreen))
        await settle(app, pilot)
        assert "every key child of an absent worker has cover" in "\n".join(screen_lines(app))
        await pilot.press("f2")
        await settle(app, pilot)
        text = "\n".join(screen_lines(app))
        assert "NO COVER" not in text
        cover = Staff.get_by_id(suggested).name.split()[0]
        assert f"Dan ✗ → {cover}" in text


async def test_changing_a_key_worker_asks_why_and_keeps_the_history(demo_db, make_app) -> None:
    _, built = demo_db
    chloe = built.children["Chloe"]
    app = make_app()
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(app, pilot)
        dialog = await _dialog(app, pilot, "2", "Chloe Barker", "a", AllocationDialog)
        new_worker = dialog.query_one("#staff", Select).value
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "choose why the key worker changes" in "\n".join(screen_lines(app))
        dialog.query_one("#reason", Select).value = "other"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "say why in words" in "\n".join(screen_lines(app))
        dialog.query_one("#reason", Select).value = "child_request"
        await pilot.press("ctrl+s")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ManagerScreen))
        await settle(app, pilot)
    rows = list(
        KeyWorkerAllocation.select()
        .where((KeyWorkerAllocation.child == chloe) & (KeyWorkerAllocation.role == "key_worker"))
        .order_by(KeyWorkerAllocation.starts_on)
    )
    assert rows[-1].staff_id == new_worker and rows[-1].reason == "child_request"
    assert rows[-2].ends_on is not None  # the previous allocation ended, not overwritten


async def test_allocating_a_co_worker_from_the_suggestions(demo_db, make_app) -> None:
    _, built = demo_db
    app = make_app()
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(app, pilot)
        dialog = await _dialog(app, pilot, "2", "Mo Ali", "a", AllocationDialog)
        dialog.query_one("#role", Select).value = "co_worker"
        await settle(app, pilot)
        assert not dialog.query_one("#why").display  # a first co-worker needs no reason
        await pilot.press("ctrl+s")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ManagerScreen))
        await settle(app, pilot)
        board = {r.child: r for r in workspace.allocation_board(built.manager, today())}
        assert board["Mo Ali"].co_worker is not None
        assert board["Mo Ali"].co_worker in "\n".join(screen_lines(app))


async def test_adding_staff_checks_fields_and_shows_eligibility(demo_db, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(app, pilot)
        await _open_tab(app, pilot, "1")
        await pilot.press("a")
        assert await wait_until(pilot, lambda: isinstance(app.screen, StaffDialog))
        dialog = app.screen
        dialog.query_one("#level3_on", Input).value = "not a date"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, StaffDialog)  # nothing typed is lost
        dialog.query_one("#level3_on", Input).value = ""
        await pilot.press(*"Zara Quinn")
        dialog.query_one("#induction_done", Select).value = True
        await pilot.press("ctrl+s")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ManagerScreen))
        await settle(app, pilot)
        assert "✗ no level 3" in "\n".join(screen_lines(app))
        assert Staff.get(Staff.name == "Zara Quinn").induction_done


async def test_recording_supervision_for_the_highlighted_worker(demo_db, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(app, pilot)
        await _open_tab(app, pilot, "4")
        await _to_row(app, pilot, "Chris Adeyemi")
        await pilot.press("a")
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ManagerScreen))
        await settle(app, pilot)
        chris = Staff.get(Staff.name == "Chris Adeyemi")
        assert Supervision.select().where(Supervision.staff == chris).count() == 1


async def test_care_staff_are_told_the_workspace_is_for_managers(demo_db, make_app) -> None:
    app = make_app("Liam Foster")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("f6")
        await settle(app, pilot)
        assert "The manager's workspace is for managers" in "\n".join(screen_lines(app))
        await pilot.press("a")
        await settle(app, pilot)
        assert isinstance(app.screen, ManagerScreen)


async def test_the_summary_shows_bars_and_exports_a_private_csv(
    demo_db, make_app, tmp_path
) -> None:
    app = make_app()
    async with app.run_test(size=(110, 34)) as pilot:
        await settle(app, pilot)
        await _open_tab(app, pilot, "5")
        text = "\n".join(screen_lines(app))
        assert "Priya Nair" in text and "█" in text and " of " in text
        assert "Views" in text and "The child's own views recorded in" in text
        await pilot.press("x")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ExportDialog))
        target = tmp_path / "summary.csv"
        app.screen.query_one("#path", Input).value = str(target)
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ManagerScreen))
        assert target.stat().st_mode & 0o777 == 0o600
        assert target.read_text().startswith("staff_id,key_worker,")
        await pilot.press("x")  # the same name again is refused beside the field
        assert await wait_until(pilot, lambda: isinstance(app.screen, ExportDialog))
        app.screen.query_one("#path", Input).value = str(target)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ExportDialog)
        assert "already exists" in "\n".join(screen_lines(app))


def test_a_bar_reads_without_colour() -> None:
    assert bar(3, 4).plain == "████░░ 3/4"
    assert bar(0, 0).plain == "none due"
    assert bar(5, None).plain == "5 held"


async def test_editing_and_deactivating_staff_keeps_them_on_file(demo_db, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(app, pilot)
        dialog = await _dialog(app, pilot, "1", "Josh Turner", "e", StaffDialog)
        dialog.query_one("#level3", Select).value = True
        dialog.query_one("#level3_on", Input).value = "3/11/2026"
        await pilot.press("ctrl+s")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ManagerScreen))
        await settle(app, pilot)
        josh = Staff.get(Staff.name == "Josh Turner")
        assert josh.level3 and str(josh.level3_on) == "2026-11-03"
        await pilot.press("d")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert not Staff.get_by_id(josh.id).active
        assert "INACTIVE" in "\n".join(screen_lines(app))


@pytest.mark.parametrize("tab", ["staff", "cover"])
def test_the_workspace_at_80x24(demo_db, make_app, screen_matches, tab) -> None:
    """The staff and cover tabs, kept as snapshots with and without colour; a
    missing one fails, and `pytest --snapshot-update` rewrites it."""
    app = make_app()

    def reads(lines: list[str]) -> None:
        text = "\n".join(lines)
        assert all(len(line) <= 80 for line in lines), text
        assert "Dan Walsh" in text, text

    key = {"staff": "1", "cover": "3"}[tab]
    assert screen_matches(app, lambda pilot: _open_tab(app, pilot, key), reads)


async def test_a_set_up_code_is_shown_once_and_sets_the_colleagues_first_pin(
    demo_db, make_app
) -> None:
    from keywork_tui.services.team import setup_codes, signin
    from screens.manager_staff import CodeDialog

    path, built = demo_db
    new = people.add_staff(built.manager, StaffIn(name="Zara Quinn", induction_done=True))
    app = make_app()
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(app, pilot)
        await _open_tab(app, pilot, "1")
        await _to_row(app, pilot, "Zara Quinn")
        await pilot.press("i")
        assert await wait_until(pilot, lambda: isinstance(app.screen, CodeDialog))
        await settle(app, pilot)
        code = app.screen.issued.code
        shown = " ".join(str(label.render()) for label in app.screen.query(Label))
        assert code in shown and "not shown again" in shown
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ManagerScreen))
    setup_codes.set_first_pin(built.home_id, new.id, code, "3691")
    assert signin.sign_in(built.home_id, new.id, "3691").id == new.id


async def test_a_child_is_admitted_with_a_key_worker_and_later_leaves(demo_db, make_app) -> None:
    from keywork_tui.services.child_file import obligations as compliance
    from models import AuditEvent, Child
    from screens.date_prompt import DatePrompt
    from screens.manager_allocation import AdmitDialog

    _, built = demo_db
    app = make_app()
    async with app.run_test(size=(100, 34)) as pilot:
        await _open_tab(app, pilot, "2")
        await pilot.press("n")
        assert await wait_until(pilot, lambda: isinstance(app.screen, AdmitDialog))
        dialog = app.screen
        await pilot.press(*"Lily", "tab", *"Moss", "tab", "tab", *"4/3/2013")
        dialog.query_one("#key_worker", Select).value = people.find_staff(
            built.home_id, "Liam Foster"
        ).id
        await pilot.press("ctrl+s")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ManagerScreen))
        await settle(app, pilot)
        assert "Lily Moss" in "\n".join(screen_lines(app))
        lily = Child.get(Child.first_name == "Lily")
        due = {
            o.obligation
            for o in compliance.obligations(built.home_id, today())
            if o.child_id == lily.id
        }
        assert "first_session" in due
        board = {r.child: r for r in workspace.allocation_board(app.ctx.actor, today())}
        assert board["Lily Moss"].key_worker == "Liam Foster"

        app.focused.focus()
        await _to_row(app, pilot, "Lily Moss")
        await pilot.press("l")
        assert await wait_until(pilot, lambda: isinstance(app.screen, DatePrompt))
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ManagerScreen))
        await settle(app, pilot)
    lily = Child.get_by_id(lily.id)
    assert lily.left_on == today()  # the record stays, with the day they left
    actions = [e.action for e in AuditEvent.select().where(AuditEvent.child_id == lily.id)]
    assert {"child.admit", "allocation.start", "child.leave"} <= set(actions)


async def test_an_admin_changes_the_homes_rules_and_a_manager_adds_a_term(
    demo_db, make_app
) -> None:
    from keywork_tui.services import homes
    from models import Home, TermDate
    from screens.manager_home import SettingsDialog, TermDialog

    _, built = demo_db
    Staff.create(
        home=built.home_id, name="Ada Admin", role="admin", induction_done=True, level3=True
    )
    app = make_app("Ada Admin")
    async with app.run_test(size=(100, 34)) as pilot:
        await _open_tab(app, pilot, "6")
        assert "Key-work session" in "\n".join(screen_lines(app))
        await pilot.press("p")
        assert await wait_until(pilot, lambda: isinstance(app.screen, SettingsDialog))
        dialog = app.screen
        dialog.query_one("#lock_minutes", Input).value = "10"
        dialog.query_one("#every-key_session", Input).value = "2 weeks"
        dialog.query_one("#on-dental_check", Select).value = False
        await pilot.press("ctrl+s")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ManagerScreen))
        await settle(app, pilot)
        assert "2 weeks *" in "\n".join(screen_lines(app))
    policy = Home.get_by_id(built.home_id).policy
    assert policy["lock_minutes"] == 10
    assert policy["rules"]["key_session"] == {"every": "2 weeks"}
    assert policy["rules"]["dental_check"] == {"enabled": False}

    app = make_app("Helen Okafor")  # the manager: adds a term, may not change the rules
    async with app.run_test(size=(100, 34)) as pilot:
        await _open_tab(app, pilot, "6")
        await pilot.press("p")
        await settle(app, pilot)
        assert isinstance(app.screen, ManagerScreen)
        await pilot.press("t")
        assert await wait_until(pilot, lambda: isinstance(app.screen, TermDialog))
        app.screen.query_one("#starts_on", Input).value = "4/1/2027"
        app.screen.query_one("#ends_on", Input).value = "12/2/2027"
        await pilot.press("ctrl+s")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ManagerScreen))
    assert TermDate.select().where(TermDate.starts_on == "2027-01-04").count() == 1
    assert homes.settings(app.ctx.actor).values.lock_minutes == 10


async def test_a_workspace_tabs_keys_are_in_the_command_palette(demo_db, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 34)) as pilot:
        await _open_tab(app, pilot, "2")
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Manager: Admit a child", "Manager: Leaves", "Manager: Allocate / change"} <= titles
        assert not any(t.startswith("Manager: Quit") for t in titles)  # the app's own keys
