"""The handover writer acts only on the child it shows: quick keys, a slow
save and typing in the middle of a move never put words on another child or
pass one nobody looked at. Every entry is read back from the database."""

from __future__ import annotations

import threading
import time

import pytest
from pilot_tools import open_next_shift_writer, settle, wait_until
from textual.widgets import Input, Static

from keywork_tui.services.handover import shift as handover
from screens.handover_write import HandoverWriteScreen, MissingDialog

CHLOE, ETHAN, GRACIE = "Chloe Barker", "Ethan Price-Hall", "Gracie Nwosu"


def _shown(writer: HandoverWriteScreen) -> str:
    return str(writer.query_one("#who", Static).render()).split("  (")[0]


def _entries(app, writer: HandoverWriteScreen) -> dict[str, tuple[bool, str]]:
    """What the database holds, by child name: (nothing to add, mood)."""
    sheet = handover.sheet(app.ctx.actor, writer.sheet.handover_id)
    names = dict(sheet.children)
    return {names[cid]: (e.nothing_to_add, e.mood) for cid, e in sheet.entries.items()}


@pytest.fixture
def slow_saves(monkeypatch):
    """Each entry takes a third of a second to save, so keys arrive mid-save."""
    write = handover.write_entry

    def slow(*args, **kwargs):
        time.sleep(0.3)
        return write(*args, **kwargs)

    monkeypatch.setattr(handover, "write_entry", slow)


@pytest.fixture
def held_saves(monkeypatch):
    """Saves wait at a gate the test opens, so keys surely arrive mid-save."""
    gate = threading.Event()
    gate.set()
    write = handover.write_entry

    def held(*args, **kwargs):
        assert gate.wait(10), "the test never opened the gate"
        return write(*args, **kwargs)

    monkeypatch.setattr(handover, "write_entry", held)
    return gate


async def test_back_from_no_entry_yet_stays_on_the_child_shown(demo_db, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        writer = await open_next_shift_writer(app, pilot)
        assert _shown(writer) == CHLOE
        await pilot.press("ctrl+o")
        await settle(app, pilot)
        assert _shown(writer) == ETHAN
        await pilot.press("ctrl+t")
        await settle(app, pilot)
        assert isinstance(app.screen, MissingDialog)
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is writer and _shown(writer) == ETHAN  # not skipped to Gracie
        assert _entries(app, writer) == {CHLOE: (True, "")}


async def test_a_quick_second_pass_never_passes_a_child_unseen(demo_db, make_app, held_saves):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        writer = await open_next_shift_writer(app, pilot)
        held_saves.clear()
        await pilot.press("ctrl+o", "ctrl+o")  # the second while Chloe is still saving
        held_saves.set()
        await settle(app, pilot)
        assert _shown(writer) == ETHAN
        assert _entries(app, writer) == {CHLOE: (True, "")}


async def test_words_typed_during_a_move_stay_on_the_child_they_were_typed_for(
    demo_db, make_app, held_saves
):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        writer = await open_next_shift_writer(app, pilot)
        await pilot.press("ctrl+o")
        await settle(app, pilot)
        assert _shown(writer) == ETHAN
        # Ethan passed, and before the save is back, words typed for Ethan.
        held_saves.clear()
        await pilot.press("ctrl+o", "tab", *"Court tomorrow, worried")
        held_saves.set()
        await settle(app, pilot)
        assert _shown(writer) == ETHAN
        assert writer.query_one("#mood", Input).value == "Court tomorrow, worried"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert _entries(app, writer) == {
            CHLOE: (True, ""),
            ETHAN: (False, "Court tomorrow, worried"),
        }
        await pilot.press("ctrl+n")  # a move asked for now is made
        await settle(app, pilot)
        assert _shown(writer) == GRACIE


async def test_arrowing_through_the_list_shows_the_child_it_stops_on(demo_db, make_app, slow_saves):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        writer = await open_next_shift_writer(app, pilot)
        await pilot.press("tab", *"Tea then bed")
        writer.query_one("#kids").focus()
        await pilot.press("down", "down", "down")
        await settle(app, pilot)
        kids = writer.query_one("#kids")
        assert await wait_until(pilot, lambda: _shown(writer) == "Jo Reed")
        assert kids.highlighted == 3
        assert _entries(app, writer) == {CHLOE: (False, "Tea then bed")}
