"""Every dialog fits 80x24 without colour, opened as a person opens it: each
label, explanation and key hint is on screen whole (no word cut at an edge or
by a too narrow part), at 80x24, 120x40 and 200x50. Each dialog at 80x24 is
kept as an SVG snapshot (tests/functional/__snapshots__/test_dialogs_fit); a
missing one fails, and `pytest --snapshot-update` rewrites them."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import pytest
from pilot_tools import (
    fully_shown,
    screen_cells,
    screen_lines,
    settle,
    unshown,
    wait_until,
    written_texts,
)
from textual.screen import Screen
from textual.widgets import DataTable

from keywork_tui.schemas import StaffIn
from keywork_tui.services.demo import DemoHome
from keywork_tui.services.team import people, setup_codes
from models import Staff
from screens.date_prompt import DatePrompt
from screens.handover_dialogs import AmendDialog, AwayDialog, ReadDialog, SignOnDialog
from screens.handover_write import HandoverWriteScreen, MissingDialog
from screens.keys_help import KeysHelp
from screens.language_guide import LanguageGuideDialog, WordDialog
from screens.manager_allocation import AdmitDialog, AllocationDialog
from screens.manager_cover import AbsenceDialog, CoverDialog
from screens.manager_home import SettingsDialog, TermDialog
from screens.manager_staff import CodeDialog, PinDialog, StaffDialog
from screens.manager_team import ExportDialog, SupervisionDialog
from screens.pick_dialog import PickDialog
from screens.profile_dialogs import (
    AboutDialog,
    ContactDialog,
    CorrectionDialog,
    EventDialog,
    OutcomeDialog,
    SessionDialog,
    SignificantDialog,
    TargetDialog,
)
from screens.report_dialog import ReportDialog
from screens.session_dialogs import ConfirmDialog, DraftsDialog
from screens.session_entry import SessionEntryScreen

HELEN = "Helen Okafor"  # the demo manager
SIZES = ((80, 24), (120, 40), (200, 50))
Steps = Callable[..., Awaitable[None]]


@dataclass(frozen=True)
class Way:
    """How a person reaches a dialog: signed in as whom, which keys, which screen."""

    who: str
    keys: tuple[str, ...]
    shows: type[Screen]
    first: Steps | None = None  # moves no key can make quickly (a row of a long table)
    home: Callable[[DemoHome], object] | None = None  # someone the dialog is about


async def press(app, pilot, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(app, pilot)


async def on_row(app, pilot, words: str) -> None:
    """The focused table's cursor on the row whose first cell starts with `words`."""
    table = app.focused
    assert isinstance(table, DataTable), table
    for index in range(table.row_count):
        if str(table.get_row_at(index)[0]).startswith(words):
            table.move_cursor(row=index)
            await settle(app, pilot)
            return
    raise AssertionError(f"no row {words!r}")


def row_of(words: str, *keys: str) -> Steps:
    async def steps(app, pilot) -> None:
        await press(app, pilot, *keys)
        await on_row(app, pilot, words)

    return steps


def profile_of(child: str) -> Steps:
    """The child's profile, by Enter on their row of the handover."""
    return row_of(child, "f2")


def add_zara(built: DemoHome) -> None:
    """A colleague without a PIN yet, for a set-up code."""
    people.add_staff(built.manager, StaffIn(name="Zara Quinn", induction_done=True))


def add_admin(built: DemoHome) -> None:
    """Only an admin changes the home's settings."""
    Staff.create(
        home=built.home_id, name="Ada Admin", role="admin", induction_done=True, level3=True
    )


async def sign_on_list_to_sophie(app, pilot) -> None:
    """The sign-on list, on Sophie Clarke, who is on leave. The staff are read
    off the UI thread: the steps of a snapshot run inside the app, where a
    query raises."""
    await press(app, pilot, "o")
    staff = await asyncio.to_thread(people.list_staff, app.ctx.home.id)
    names = [s.name for s in staff]
    await press(app, pilot, *["down"] * names.index("Sophie Clarke"))


WAYS: dict[str, Way] = {
    # The handover screen.
    "sign_on": Way(HELEN, ("o",), SignOnDialog),
    "sign_on_absent": Way(HELEN, ("space", "ctrl+s"), ConfirmDialog, sign_on_list_to_sophie),
    "go_to_date": Way(HELEN, ("g",), DatePrompt),
    "amend": Way("Priya Nair", ("left_square_bracket", "c"), AmendDialog),
    "read_by": Way(HELEN, ("left_square_bracket", "A"), PickDialog),
    "for_cover": Way(HELEN, ("v",), ReadDialog),
    "away": Way("Priya Nair", ("d",), AwayDialog),
    "significant_event": Way("Rachel Price", ("i",), SignificantDialog, profile_of("Tyler")),
    "handover_writer": Way("Priya Nair", ("w",), HandoverWriteScreen),
    "missing_entries": Way("Priya Nair", ("w", "ctrl+t"), MissingDialog),
    "keys_handover": Way(HELEN, ("f1",), KeysHelp),
    # Session entry.
    "session_entry": Way(HELEN, ("f5",), SessionEntryScreen),
    "keys_session": Way(HELEN, ("f5", "f1"), KeysHelp),
    "drafts": Way("Chris Adeyemi", ("f5",), DraftsDialog),
    "discard_draft": Way("Chris Adeyemi", ("f5", "d"), ConfirmDialog),
    # The child's profile.
    "about": Way("Rachel Price", ("enter", "e"), AboutDialog, profile_of("Chloe")),
    "target": Way(HELEN, ("enter", "t"), TargetDialog, profile_of("Chloe")),
    "outcome": Way(HELEN, ("enter", "5", "o"), OutcomeDialog, profile_of("Kai")),
    "date": Way(HELEN, ("enter", "p"), EventDialog, profile_of("Kai")),
    "contact": Way(HELEN, ("enter", "n"), ContactDialog, profile_of("Tyler")),
    "which_contact": Way(HELEN, ("enter", "k"), PickDialog, profile_of("Tyler")),
    "profile_incident": Way(HELEN, ("enter", "i"), SignificantDialog, profile_of("Tyler")),
    "session": Way(HELEN, ("enter", "4", "enter"), SessionDialog, profile_of("Tyler")),
    "report_profile": Way(HELEN, ("enter", "r"), ReportDialog, profile_of("Tyler")),
    "correction": Way(HELEN, ("enter", "4", "enter", "c"), CorrectionDialog, profile_of("Tyler")),
    # The manager's workspace.
    "staff_new": Way(HELEN, ("f6", "1", "a"), StaffDialog),
    "staff_edit": Way(HELEN, ("e",), StaffDialog, row_of("Josh Turner", "f6", "1")),
    "pin": Way(HELEN, ("p",), PinDialog, row_of("Josh Turner", "f6", "1")),
    "set_up_code": Way(HELEN, ("i",), CodeDialog, row_of("Zara Quinn", "f6", "1"), add_zara),
    "deactivate": Way(HELEN, ("d",), ConfirmDialog, row_of("Dan Walsh", "f6", "1")),
    "allocation": Way(HELEN, ("a",), AllocationDialog, row_of("Chloe", "f6", "2")),
    "admit": Way(HELEN, ("f6", "2", "n"), AdmitDialog),
    "report_allocation": Way(HELEN, ("r",), ReportDialog, row_of("Chloe", "f6", "2")),
    "leaves": Way(HELEN, ("l",), DatePrompt, row_of("Chloe", "f6", "2")),
    "absence": Way(HELEN, ("f6", "3", "a"), AbsenceDialog),
    "cover": Way(HELEN, ("c",), CoverDialog, row_of("Dan Walsh", "f6", "3")),
    "supervision": Way(HELEN, ("f6", "4", "a"), SupervisionDialog),
    "export": Way(HELEN, ("f6", "5", "x"), ExportDialog),
    "settings": Way("Ada Admin", ("f6", "6", "p"), SettingsDialog, home=add_admin),
    "term": Way(HELEN, ("f6", "6", "t"), TermDialog),
    "language_guide": Way(HELEN, ("f6", "6", "g"), LanguageGuideDialog),
    "language_word": Way(HELEN, ("f6", "6", "g", "a"), WordDialog),
    "language_take_off": Way(HELEN, ("f6", "6", "g", "d"), ConfirmDialog),
    "keys_manager": Way(HELEN, ("f6", "f1"), KeysHelp),
}


@pytest.fixture
def home_for_dialogs(demo_db, monkeypatch):
    """The demo home, a home folder that reads the same on every machine (the
    export dialog shows its path) and the same set-up code each time, so each
    dialog's snapshot is the same from run to run."""
    monkeypatch.setenv("HOME", "/home/staff")
    monkeypatch.setattr(setup_codes, "_new_code", lambda: "HJKM-2345")
    return demo_db


async def open_by_way(app, pilot, way: Way) -> Screen:
    await settle(app, pilot)
    if way.first is not None:
        await way.first(app, pilot)
    await press(app, pilot, *way.keys)
    assert await wait_until(pilot, lambda: isinstance(app.screen, way.shows)), app.screen
    await settle(app, pilot)
    return app.screen


async def cut_words(app, pilot, dialog: Screen) -> list[str]:
    """Every text of the dialog not shown whole, each part that scrolls
    scrolled to it (and back) first; the focused field too, if it is cut.
    A scroll brings several into view at once: one shown whole since is read
    from the same screen, without another scroll."""
    cut, hidden = unshown(app, dialog)
    if app.focused is not None and not fully_shown(app, app.focused):
        cut.append(f"the focused {type(app.focused).__name__}")
    cells = None  # the screen as read since the last scroll
    for widget in hidden:
        if not fully_shown(app, widget):
            widget.scroll_visible(animate=False, immediate=True)
            await pilot.pause()  # draws the scroll; a stale screen would read as cut
            cells = None
        cells = cells or screen_cells(app)
        more, still = unshown(app, widget, cells)
        cut += more + [text for w in still for text in written_texts(w)]
    for part in dialog.query("*"):
        part.scroll_home(animate=False, immediate=True)
    await settle(app, pilot)
    return cut


# Only without colour: a second, coloured run of every dialog would add about
# two minutes of CPU to the suite (three seconds a dialog just to open it,
# twice that with the fitting checks) for pictures that differ from these in
# colour alone. The main screens are kept in colour too.
@pytest.mark.parametrize("colour", ["no_color"], indirect=True)
@pytest.mark.parametrize("name", list(WAYS))
def test_every_dialog_fits_and_shows_its_words_whole(
    home_for_dialogs, make_app, screen_matches, name
) -> None:
    """Checked at each size in the one run whose 80x24 screen is kept as the
    dialog's snapshot: a missing snapshot fails, `pytest --snapshot-update`
    rewrites it."""
    way = WAYS[name]
    if way.home is not None:
        way.home(home_for_dialogs[1])
    app = make_app(way.who)

    async def fits_at_every_size(pilot) -> None:
        dialog = await open_by_way(app, pilot, way)
        lines = screen_lines(app)
        assert all(len(line) <= SIZES[0][0] for line in lines)
        assert await cut_words(app, pilot, dialog) == [], "\n".join(lines)
        for size in SIZES[1:]:
            await pilot.resize_terminal(*size)
            await settle(app, pilot)
            assert app.screen is dialog
            assert await cut_words(app, pilot, dialog) == [], "\n".join(screen_lines(app))
        # Back to 80x24 for the snapshot, which shows the dialog as first opened.
        await pilot.resize_terminal(*SIZES[0])
        await settle(app, pilot)
        assert screen_lines(app) == lines, "the dialog reads otherwise back at 80x24"

    assert screen_matches(app, fits_at_every_size)
