"""The handover screen by keyboard alone: write, submit, sign on, read, correct."""

from __future__ import annotations

import asyncio
import datetime as dt

from pilot_tools import screen_lines, settle, wait_until
from textual.widgets import Input

from keywork_tui.schemas import HandoverEntryIn
from keywork_tui.services import audit
from keywork_tui.services.actor import actor_for
from keywork_tui.services.handover import board as handover_board
from keywork_tui.services.handover import shift as handover
from keywork_tui.services.team import people
from screens.handover import HandoverScreen
from screens.handover_dialogs import AwayDialog, SignOnDialog
from screens.handover_write import HandoverWriteScreen, MissingDialog


async def open_writer(app, pilot) -> None:
    await settle(app, pilot)
    await pilot.press("w")
    await settle(app, pilot)


def _board(demo_db):
    return handover_board.board(demo_db[1].home_id)


async def test_a_whole_handover_is_written_and_submitted_by_keyboard(demo_db, make_app):
    app = make_app("Priya Nair")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_writer(app, pilot)
        assert isinstance(app.screen, HandoverWriteScreen)
        children = len(_board(demo_db).rows)
        for number in range(children):
            # state (Select) → mood: type, then on to the next child without an entry
            await pilot.press("tab", *f"Mood {number}", "ctrl+n")
            await settle(app, pilot)
        await pilot.press("ctrl+t")
        await settle(app, pilot)
        assert isinstance(app.screen, HandoverScreen)
    board = _board(demo_db)
    assert board.status == "submitted"
    assert sorted(r.mood for r in board.rows) == sorted(f"Mood {n}" for n in range(children))
    assert board.written_by == "Priya Nair"


async def test_children_without_an_entry_are_named_and_passed_with_one_key(demo_db, make_app):
    app = make_app("Priya Nair")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_writer(app, pilot)
        await pilot.press("tab", *"Quiet evening", "ctrl+s")
        await settle(app, pilot)
        await pilot.press("ctrl+t")
        await settle(app, pilot)
        assert isinstance(app.screen, MissingDialog)
        assert "Tyler Marsh" in "\n".join(screen_lines(app))
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, HandoverScreen)
    rows = _board(demo_db).rows
    assert rows[0].mood == "Quiet evening"
    assert all(r.entry.nothing_to_add for r in rows[1:])


async def test_nothing_to_add_refuses_an_entry_with_text(demo_db, make_app):
    app = make_app("Priya Nair")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_writer(app, pilot)
        await pilot.press("tab", *"Tired", "ctrl+o")
        await settle(app, pilot)
        assert "clear it first" in "\n".join(screen_lines(app))
        assert app.screen.query_one("#mood", Input).value == "Tired"


async def test_typing_is_saved_without_pressing_save(demo_db, make_app):
    app = make_app("Priya Nair")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_writer(app, pilot)
        await pilot.press("tab", *"Settled after tea")

        def saved() -> bool:  # the autosave timer fires once typing stops
            first = _board(demo_db).rows[0]
            return first.entry is not None and first.mood == "Settled after tea"

        assert await wait_until(pilot, saved, seconds=10)


async def test_incoming_staff_sign_on_and_acknowledge(demo_db, make_app):
    path, built = demo_db
    board = _board(demo_db)
    writer = actor_for(people.find_staff(built.home_id, "Priya Nair").id)
    handover.submit(writer, handover.open_handover(writer, board.outgoing), pass_missing=True)
    app = make_app("Aisha Rahman")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)
        assert isinstance(app.screen, SignOnDialog)
        await pilot.press("space", "ctrl+s")  # Aisha is first in the list
        await settle(app, pilot)
        await pilot.press("a")
        await settle(app, pilot)
        text = "\n".join(screen_lines(app))
        assert "Read by: Aisha Rahman" in text
    assert _board(demo_db).acknowledged_by == ["Aisha Rahman"]
    actions = [e.action for e in audit.events(home_id=built.home_id, limit=5)]
    assert "handover.acknowledge" in actions and "shift.sign_on" in actions


async def test_a_submitted_entry_is_corrected_and_the_original_kept(demo_db, make_app):
    path, built = demo_db
    board = _board(demo_db)
    writer = actor_for(people.find_staff(built.home_id, "Priya Nair").id)
    handover_id = handover.open_handover(writer, board.outgoing)
    first = board.rows[0]
    handover.write_entry(
        writer, handover_id, HandoverEntryIn(child_id=first.child_id, mood="Grumpy")
    )
    handover.submit(writer, handover_id, pass_missing=True)
    app = make_app("Priya Nair")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        # the field is mood; replace the text, give a reason, save
        await pilot.press("tab", "ctrl+u", *"Cheerful", "tab", *"wrong child", "ctrl+s")
        await settle(app, pilot)
        text = "\n".join(screen_lines(app))
    row = _board(demo_db).rows[0]
    assert row.mood == "Cheerful"
    [amendment] = row.entry.amendments
    assert (amendment.original, amendment.by, amendment.reason) == (
        "Grumpy",
        "Priya Nair",
        "wrong child",
    )
    assert "Amended by Priya Nair" in text


async def test_since_you_were_away_is_shown_until_marked_read(demo_db, make_app):
    app = make_app("Priya Nair")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert "Since you were away" in "\n".join(screen_lines(app))
        await pilot.press("d")
        await settle(app, pilot)
        assert isinstance(app.screen, AwayDialog)
        await pilot.press("m")
        await settle(app, pilot)
        assert "Since you were away" not in "\n".join(screen_lines(app))


async def test_another_terminal_change_shows_without_losing_typing(demo_db, make_app):
    path, built = demo_db
    board = _board(demo_db)
    manager = actor_for(built.manager.id)
    josh = people.find_staff(built.home_id, "Josh Turner")
    app = make_app("Priya Nair")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_writer(app, pilot)
        await pilot.press("tab", *"Half a thought")
        # The manager, on another connection, signs Josh on to the night.
        await asyncio.to_thread(handover.sign_on, manager, board.incoming, [josh.id])
        # The app's change poll notices and the board underneath re-reads.
        [under] = [s for s in app.screen_stack if isinstance(s, HandoverScreen)]
        assert await wait_until(
            pilot,
            lambda: under.board is not None and "Josh Turner" in under.board.incoming_staff,
            seconds=10,
        )
        await settle(app, pilot)
        assert app.screen.query_one("#mood", Input).value.startswith("Half a thought")
        await pilot.press("escape")
        await settle(app, pilot)
        assert "Josh Turner" in "\n".join(screen_lines(app))


def test_night_handover_at_80x24(demo_db, make_app, screen_matches):
    """Kept as a snapshot with and without colour; a missing one fails, and
    `pytest --snapshot-update` rewrites it."""

    def reads(lines: list[str]) -> None:
        text = "\n".join(lines)
        # Words and symbols carry every highlight, not colour.
        assert "‼ NO COVER" in text and "☾ YES" in text and "✗ none" in text, text
        assert all(len(line) <= 80 for line in lines), text

    assert screen_matches(make_app(), check=reads)


async def test_every_handover_key_is_in_the_command_palette(demo_db, make_app):
    app = make_app("Priya Nair")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {
            "Handover: Write",
            "Handover: Sign on",
            "Handover: I've read it",
            "Handover: Since away",
            "Handover: Correct",
        } <= titles
        assert not any("Copy selected" in t for t in titles)
        await pilot.press("ctrl+p")
        await settle(app, pilot)
        await pilot.press(*"sign on")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, SignOnDialog)


async def test_a_child_with_no_key_worker_is_its_own_alarm(demo_db, make_app):
    from keywork_tui.services import clock
    from keywork_tui.services.team import allocation
    from models import KeyWorkerAllocation

    _, built = demo_db
    chloe = built.children["Chloe"]
    current = (
        KeyWorkerAllocation.select()
        .where(
            (KeyWorkerAllocation.child == chloe)
            & KeyWorkerAllocation.ends_on.is_null()
            & (KeyWorkerAllocation.role == "key_worker")
        )
        .get()
    )
    allocation.end_allocation(built.manager, current.id, clock.today() - dt.timedelta(days=1))
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        lines = screen_lines(app)
    alarm = next(line for line in lines if "NO KEY WORKER:" in line)
    assert "Chloe Barker" in alarm and "a manager allocates one" in alarm
    cover = next(line for line in lines if "NO COVER:" in line)
    assert "Tyler Marsh" in cover and "Chloe" not in cover
    assert any("NOT YET READ BY: Chris Adeyemi" in line for line in lines)


async def test_signing_on_someone_on_leave_asks_first(demo_db, make_app):
    from keywork_tui.schemas import SignOnIn
    from screens.session_dialogs import ConfirmDialog

    _, built = demo_db
    sophie = people.find_staff(built.home_id, "Sophie Clarke")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        shift = screen.board.incoming
        screen._sign_on(shift, SignOnIn(staff_ids=[sophie.id]))
        assert await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert "Recorded as away that day: Sophie Clarke (leave," in app.screen.question
        assert "Sophie Clarke" not in _board(demo_db).incoming_staff
        await pilot.press("y")
        await settle(app, pilot)
        assert "Sophie Clarke" in _board(demo_db).incoming_staff


async def test_a_significant_event_is_recorded_from_the_handover_and_shown_on_it(demo_db, make_app):
    from textual.widgets import Select, TextArea

    from screens.profile_dialogs import SignificantDialog

    app = make_app("Rachel Price")  # any member of staff records what they saw
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one("#children")
        table.move_cursor(row=[r.child for r in app.screen.board.rows].index("Tyler Marsh"))
        await pilot.press("i")
        assert await wait_until(pilot, lambda: isinstance(app.screen, SignificantDialog))
        dialog = app.screen
        dialog.query_one("#kind", Select).value = "police"
        dialog.query_one("#summary", TextArea).focus()
        await pilot.press(*"Police brought him back at 21:10")
        await pilot.press("ctrl+s")
        assert await wait_until(pilot, lambda: not isinstance(app.screen, SignificantDialog))
        await settle(app, pilot)
        text = "\n".join(screen_lines(app))
    assert "‼ SIGNIFICANT EVENT: Tyler Marsh — Police involvement, " in text
    [row] = [r for r in _board(demo_db).rows if r.child == "Tyler Marsh"]
    assert "Police brought him back at 21:10" in row.significant[0].text


def _read(app) -> str:
    """The screen as one line of words, as read across its wrapped lines."""
    return " ".join(" ".join(screen_lines(app)).split())


async def test_browsing_says_whether_a_handover_is_earlier_or_later(demo_db, make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert "handover: t for now" not in _read(app)
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        assert "(later handover: t for now)" in _read(app)
        await pilot.press("left_square_bracket", "left_square_bracket")
        await settle(app, pilot)
        assert "(earlier handover: t for now)" in _read(app)
        await pilot.press("t")
        await settle(app, pilot)
        assert "handover: t for now" not in _read(app)


async def test_a_write_made_while_the_first_screen_was_read_shows_as_the_app_starts(
    demo_db,
) -> None:
    """Another terminal writes after the board was read, before the app's watch
    on the database began: the board is read again as the app starts, not at
    the next write."""
    from keywork_tui.app import KeyworkApp
    from keywork_tui.services import database
    from screens import handover as handover_screen

    path, built = demo_db
    staff = people.resolve_staff(built.home_id, None)
    seen = database.newest_audit_id()
    first = handover_screen.read(built.home_id, actor_for(staff.id))
    writer = actor_for(people.find_staff(built.home_id, "Priya Nair").id)
    child = first.board.rows[0]  # the highlighted child: the panel shows their entry
    handover.write_entry(
        writer,
        handover.open_handover(writer, first.board.outgoing),
        HandoverEntryIn(child_id=child.child_id, mood="Quiet after the phone call"),
    )
    app = KeyworkApp(
        home_id=built.home_id,
        staff_id=staff.id,
        database=str(path),
        first_handover=first,
        seen_up_to=seen,
    )
    async with app.run_test(size=(100, 30)) as pilot:
        shown = await wait_until(
            pilot, lambda: "Quiet after the phone call" in "\n".join(screen_lines(app))
        )
    assert shown


async def test_a_handover_read_before_the_app_ran_is_on_its_first_frame(demo_db) -> None:
    """As `keywork` at a terminal starts: the board is read first, and the
    screen shows it as it mounts, with no read of its own."""
    from keywork_tui.app import KeyworkApp
    from screens import handover as handover_screen

    path, built = demo_db
    staff = people.resolve_staff(built.home_id, None)
    actor = actor_for(staff.id)
    first = handover_screen.read(built.home_id, actor)
    app = KeyworkApp(
        home_id=built.home_id, staff_id=staff.id, database=str(path), first_handover=first
    )
    started: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HandoverScreen) and screen.board is first.board
        started += [w.group for w in app.workers if w.group == "handover-load"]
        names = [row.child for row in first.board.rows]
        assert names and names[0] in "\n".join(screen_lines(app))
        assert app.first_handover is None  # taken once: a refresh reads again
        assert f"{first.overdue} overdue" in app.title
    assert started == []
