"""Recording a session as a key worker would: few keys, nothing lost, drafts back."""

from __future__ import annotations

import asyncio
import datetime as dt

from pilot_tools import settle, wait_until
from textual.widgets import DataTable, Input, Static, TextArea

from keywork_tui.app import KeyworkApp
from keywork_tui.services.actor import may_reach
from keywork_tui.services.child_file import sessions
from keywork_tui.services.team.people import resolve_staff
from screens.handover import HandoverScreen
from screens.session_dialogs import DraftsDialog
from screens.session_entry import AUTOSAVE_SECONDS, SessionEntryScreen

WORKER = "Liam Foster"


def _app(demo_db, name: str = WORKER) -> KeyworkApp:
    path, built = demo_db
    staff = resolve_staff(built.home_id, name)
    return KeyworkApp(home_id=built.home_id, staff_id=staff.id, database=str(path))


async def _child_without_draft(app: KeyworkApp, table: DataTable) -> tuple[int, int]:
    """(row index, child id) of the first row whose child the worker key-works or
    covers (only they record sessions with them) and has no draft of the worker's.
    Asked off the UI thread: in a snapshot's run the steps run inside the app,
    where a query raises."""
    actor = app.ctx.actor
    child_ids = [int(row_key.value) for row_key in table.rows]

    def first_without_draft() -> tuple[int, int]:
        drafted = {d.child_id for d in sessions.drafts_of(actor)}
        for index, child_id in enumerate(child_ids):
            if child_id not in drafted and may_reach(actor, child_id):
                return index, child_id
        raise AssertionError("every child the worker may record for has a draft")

    return await asyncio.to_thread(first_without_draft)


async def _on_a_child_without_draft(app: KeyworkApp, pilot) -> int:
    """The handover settled, its cursor on a child with no draft: their id."""
    await settle(app, pilot)
    table = app.screen.query_one(DataTable)
    row, child_id = await _child_without_draft(app, table)
    table.move_cursor(row=row)
    return child_id


async def open_entry(app: KeyworkApp, pilot) -> tuple[SessionEntryScreen, int]:
    """Session entry opened with `s` on the handover, for a child with no draft."""
    child_id = await _on_a_child_without_draft(app, pilot)
    await pilot.press("s")
    await settle(app, pilot)
    assert isinstance(app.screen, SessionEntryScreen)
    return app.screen, child_id


class Counted:
    """Presses keys through the pilot, counting each one that is not typed text."""

    def __init__(self, pilot) -> None:
        self.pilot, self.keys = pilot, 0

    async def press(self, *keys: str) -> None:
        self.keys += len(keys)
        await self.pilot.press(*keys)

    async def type(self, text: str) -> None:
        await self.pilot.press(*text)


async def test_a_typical_session_from_the_handover_takes_at_most_12_keys(demo_db) -> None:
    app = _app(demo_db)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, HandoverScreen)
        table = app.screen.query_one(DataTable)
        table.focus()
        row, child_id = await _child_without_draft(app, table)
        keys = Counted(pilot)
        await keys.press(*["down"] * (row - table.cursor_row))
        await keys.press("s")
        await settle(app, pilot)
        await keys.type("Baked a cake and talked about the school trip")
        await keys.press("ctrl+f")
        await settle(app, pilot)
        # Back where the key was pressed, with the session on file.
        assert await wait_until(pilot, lambda: isinstance(app.screen, HandoverScreen))
    assert keys.keys <= 12
    saved = sessions.sessions_for_child(app.ctx.actor, child_id)[0]
    assert (saved.status, saved.summary, saved.minutes, saved.kind) == (
        "final",
        "Baked a cake and talked about the school trip",
        30,
        "informal",
    )
    assert saved.staff_id == app.ctx.actor.id


async def test_a_draft_survives_the_app_being_killed(demo_db) -> None:
    first = _app(demo_db)
    async with first.run_test(size=(100, 40)) as pilot:
        child_id = await _on_a_child_without_draft(first, pilot)
        await pilot.press("s")
        await settle(first, pilot)
        await pilot.press(*"Talked about mum's visit")
        # Typing stops; the draft is kept a moment later without any key.
        status = first.screen.query_one("#status", Static)
        assert await wait_until(pilot, lambda: "Draft kept" in str(status.render()), seconds=10)
        # Leaving the test harness here is the connection dropping: no save key.

    second = _app(demo_db)
    async with second.run_test(size=(100, 40)) as pilot:
        await settle(second, pilot)
        await pilot.press("f5")
        await settle(second, pilot)
        assert isinstance(second.screen, DraftsDialog)
        await pilot.press("enter")
        await settle(second, pilot)
        screen = second.screen
        assert isinstance(screen, SessionEntryScreen)
        assert screen.query_one("#summary", TextArea).text == "Talked about mum's visit"
        assert screen.child is not None and screen.child.id == child_id
        await pilot.press(*" and her new flat")
        await pilot.press("ctrl+f")
        await settle(second, pilot)
    final = [
        s
        for s in sessions.sessions_for_child(second.ctx.actor, child_id)
        if s.summary.startswith("Talked about mum")
    ]
    assert [(s.status, s.summary) for s in final] == [
        ("final", "Talked about mum's visit and her new flat")
    ]


async def test_the_child_field_completes_on_a_preferred_or_legal_name(demo_db) -> None:
    app = _app(demo_db, "Kwame Mensah")
    _, built = demo_db
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("f5")
        await settle(app, pilot)
        if isinstance(app.screen, DraftsDialog):
            await pilot.press("escape")
            await settle(app, pilot)
        screen = app.screen
        screen.query_one("#child", Input).focus()
        await pilot.press(*"mo")
        await pilot.pause(0.2)
        found = str(screen.query_one("#child-found", Static).render())
        assert "Mohammed" in found
        await pilot.press("tab")
        await settle(app, pilot)
        assert screen.child is not None and screen.child.id == built.children["Mohammed"]


async def test_errors_show_beside_their_fields_and_typing_stays(demo_db) -> None:
    app = _app(demo_db)
    async with app.run_test(size=(100, 40)) as pilot:
        screen, child_id = await open_entry(app, pilot)
        await pilot.press(*"Football in the park")
        screen.query_one("#held_at", Input).value = "tomorrow 10:00"
        screen.query_one("#minutes", Input).value = "3"
        await pilot.press("ctrl+f")
        await settle(app, pilot)
        assert "✗" in str(screen.query_one("#parsed", Static).render())
        assert "say when it was held" in str(screen.query_one("#err-held_at", Static).render())
        assert "between 5 and 240" in str(screen.query_one("#err-minutes", Static).render())
        screen.query_one("#held_at", Input).value = "21/12/2030 10:00"
        screen.query_one("#minutes", Input).value = "45"
        await pilot.press("ctrl+f")
        await settle(app, pilot)
        assert "held at is in the future" in str(screen.query_one("#err-held_at", Static).render())
        assert screen.query_one("#summary", TextArea).text == "Football in the park"
        screen.query_one("#held_at", Input).value = "yesterday 16:00"
        screen.query_one("#minutes", Input).value = "45"
        await pilot.press("ctrl+f")
        await settle(app, pilot)
    [saved] = [
        s
        for s in sessions.sessions_for_child(app.ctx.actor, child_id)
        if s.summary == "Football in the park"
    ]
    assert (saved.status, saved.minutes, saved.held_at.hour) == ("final", 45, 16)


async def test_purposes_actions_and_target_progress_are_recorded(demo_db) -> None:
    app = _app(demo_db)
    async with app.run_test(size=(100, 40)) as pilot:
        screen, child_id = await open_entry(app, pilot)
        targets = sessions.open_targets(app.ctx.actor, child_id)
        await pilot.press(*"Planned the review")
        screen.query_one("#purposes").focus()
        await pilot.press("space", "down", "down", "down", "down", "space")
        what = screen.query(".what").first(Input)
        what.focus()
        await pilot.press(*"Ask the IRO about contact")
        screen.query(".by").first(Input).value = "fri"
        if targets:
            screen.query_one(f"#progress-{targets[0].id}", Input).value = "Two evenings done"
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert len(screen.query(".what")) == 2
        await pilot.press("ctrl+f")
        await settle(app, pilot)
    saved = sessions.sessions_for_child(app.ctx.actor, child_id)[0]
    assert saved.summary == "Planned the review"
    assert saved.purposes == ["progress", "review_or_court"]
    [action] = saved.actions
    assert (action["text"], action["who"], action["done"]) == (
        "Ask the IRO about contact",
        WORKER,
        False,
    )
    assert action["by"] == "2026-11-27"  # the Friday after Sunday 22 November
    if targets:
        notes = [p.note for p in sessions.progress_of(app.ctx.actor, saved.id)]
        assert notes == ["Two evenings done"]


def test_session_entry_at_80x24(demo_db, screen_matches) -> None:
    """Kept as a snapshot with and without colour; a missing one fails, and
    `pytest --snapshot-update` rewrites it."""
    app = _app(demo_db)

    def reads(lines: list[str]) -> None:
        text = "\n".join(lines)
        assert all(len(line) <= 80 for line in lines), text
        assert "✓" in text and "→ Sun 22 Nov 2026, 17:30" in text, text

    assert screen_matches(app, lambda pilot: open_entry(app, pilot), reads)


async def test_opening_session_entry_alone_keeps_no_draft(demo_db) -> None:
    app = _app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_entry(app, pilot)
        before = sessions.drafts_of(app.ctx.actor)
        # Longer than the autosave wait, without a key pressed.
        await pilot.pause(AUTOSAVE_SECONDS + 0.7)
        await settle(app, pilot)
        assert sessions.drafts_of(app.ctx.actor) == before
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        await pilot.press(*"ty")
        await settle(app, pilot)
        assert app.screen.query_one("#child", Input).value == "ty"


def _error(screen, slot: str) -> str:
    return str(screen.query_one(f"#err-{slot}", Static).render())


async def _retype(pilot, screen, field: str, text: str) -> None:
    screen.query_one(f"#{field}", Input).focus()
    await pilot.press("ctrl+u", *text)  # clears the field, as a person would, then types


async def test_a_message_beside_a_field_clears_once_the_field_is_right(demo_db) -> None:
    app = _app(demo_db)
    async with app.run_test(size=(100, 40)) as pilot:
        screen, _ = await open_entry(app, pilot)
        await pilot.press(*"Football in the park")
        await _retype(pilot, screen, "minutes", "3")
        await pilot.press("ctrl+f")
        await settle(app, pilot)
        assert "between 5 and 240" in _error(screen, "minutes")
        await _retype(pilot, screen, "minutes", "2")
        assert "between 5 and 240" in _error(screen, "minutes")  # still wrong: still said
        await _retype(pilot, screen, "minutes", "40")
        assert _error(screen, "minutes") == ""
        assert screen.query_one("#err-minutes", Static).display is False


async def test_a_refusal_from_the_services_clears_when_its_field_changes(demo_db) -> None:
    app = _app(demo_db)
    async with app.run_test(size=(100, 40)) as pilot:
        screen, _ = await open_entry(app, pilot)
        await pilot.press(*"Football in the park")
        await _retype(pilot, screen, "held_at", "01/01/2020 10:00")
        await pilot.press("ctrl+f")
        await settle(app, pilot)
        assert "before the child was admitted" in _error(screen, "held_at")
        await _retype(pilot, screen, "activity", "park")
        assert "before the child was admitted" in _error(screen, "held_at")
        await _retype(pilot, screen, "held_at", "yesterday 16:00")
        assert _error(screen, "held_at") == ""


async def test_now_is_when_the_session_was_first_typed_and_stays_so(demo_db) -> None:
    from keywork_tui.services import clock

    app = _app(demo_db)
    started = clock.now()
    async with app.run_test(size=(100, 40)) as pilot:
        screen, child_id = await open_entry(app, pilot)
        assert screen.query_one("#held_at", Input).value == "now"
        await pilot.press(*"Talked")
        held = screen.query_one("#held_at", Input).value
        assert held == f"{started:%d/%m/%Y %H:%M}"
        with clock.frozen(started + dt.timedelta(minutes=25)):
            await pilot.press(*" about his week")
            assert await wait_until(pilot, lambda: not screen.dirty, AUTOSAVE_SECONDS + 3)
            assert screen.query_one("#held_at", Input).value == held
    [draft] = [s for s in sessions.drafts_of(app.ctx.actor) if s.child_id == child_id]
    assert draft.held_at == started.replace(second=0, microsecond=0)


async def test_f5_with_no_child_chosen_puts_the_cursor_in_the_child_field(demo_db) -> None:
    app = _app(demo_db)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("f5")
        await settle(app, pilot)
        screen = app.screen
        screen.query_one("#summary", TextArea).focus()  # left there last time
        await pilot.press("f2")
        await settle(app, pilot)
        await pilot.press("f5")
        await settle(app, pilot)
        assert app.focused is screen.query_one("#child", Input)
        await pilot.press(*"Kiki")
        assert screen.query_one("#summary", TextArea).text == ""


def _stop_name(widget) -> str:
    """A Tab stop by its field: the id of the widget or of the part it belongs to."""
    for node in (widget, *widget.ancestors):
        if node.id:
            return node.id
    return type(widget).__name__


async def test_tab_goes_through_session_entry_in_the_order_of_writing(demo_db) -> None:
    """Child, when it was held, how long and what kind, then what was said, in
    the order a record is written, and round to the child again."""
    app = _app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f5")
        await settle(app, pilot)
        stops = [_stop_name(app.focused)]
        for _ in range(40):
            await pilot.press("tab")
            name = _stop_name(app.focused)
            if name == stops[0]:
                break
            stops.append(name)
        else:
            raise AssertionError("Tab never came back to the child: " + " ".join(stops))
    fields = [name for i, name in enumerate(stops) if i == 0 or stops[i - 1] != name]
    assert fields == [
        "child",
        "held_at",
        "minutes",
        "kind",
        "activity",
        "summary",
        "views",
        "purposes",
        "actions",
        "concern_text",
        "bedtime",
        "restricted",
    ], fields


async def test_words_typed_before_the_child_is_read_in_go_to_the_summary(
    demo_db, monkeypatch
) -> None:
    # A slow machine: the children are read in well after typing has begun.
    import threading

    from screens import session_entry

    let_go = threading.Event()
    reading = session_entry.people.children_in_placement

    def held_back(*args, **kwargs):
        let_go.wait(5)
        return reading(*args, **kwargs)

    app = _app(demo_db)
    async with app.run_test(size=(100, 34)) as pilot:
        child_id = await _on_a_child_without_draft(app, pilot)
        monkeypatch.setattr(session_entry.people, "children_in_placement", held_back)
        await pilot.press("s")
        assert await wait_until(pilot, lambda: isinstance(app.screen, SessionEntryScreen))
        await pilot.press(*"Baked a cake")
        let_go.set()
        entry = app.screen
        assert await wait_until(pilot, lambda: entry.child is not None)
        await settle(app, pilot)
        assert entry.child.id == child_id
        assert entry.query_one("#summary", TextArea).text == "Baked a cake"


async def test_keys_typed_straight_after_s_go_to_the_summary_not_the_handover(demo_db) -> None:
    from textual import events

    from models import AuditEvent

    app = _app(demo_db)
    async with app.run_test(size=(100, 34)) as pilot:
        child_id = await _on_a_child_without_draft(app, pilot)
        before = AuditEvent.select().count()
        # As a quick typist's keys come: all queued before the first is read.
        for key in "saow":
            app.post_message(events.Key(key, key))
        await settle(app, pilot)
        assert isinstance(app.screen, SessionEntryScreen)  # no dialog over it
        assert app.screen.child is not None and app.screen.child.id == child_id
        actions = [e.action for e in AuditEvent.select().where(AuditEvent.id > before)]
        assert not any(a.startswith("handover.") for a in actions), actions
        # And they are the summary's first words, in the order typed.
        assert app.screen.query_one("#summary", TextArea).text == "aow"
