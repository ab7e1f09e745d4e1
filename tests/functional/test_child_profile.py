"""The child's profile by keyboard, on the demo home at 80x24."""

from __future__ import annotations

from pilot_tools import screen_lines, settle
from textual.widgets import DataTable, Select, Static, TabbedContent, TextArea

from keywork_tui.services import audit, clock
from keywork_tui.services.child_file import plans_and_events as records
from keywork_tui.services.child_file import profile, sessions
from screens.child_profile import ChildProfileScreen
from screens.profile_dialogs import (
    AboutDialog,
    CorrectionDialog,
    EventDialog,
    OutcomeDialog,
    SessionDialog,
    TargetDialog,
)
from screens.session_entry import SessionEntryScreen

SIZE = (80, 24)


async def open_profile(app, pilot, child_id: int) -> ChildProfileScreen:
    await settle(app, pilot)
    app.open_profile(child_id)
    await settle(app, pilot)
    assert isinstance(app.screen, ChildProfileScreen)
    return app.screen


def text_of(lines: list[str]) -> str:
    return "\n".join(lines)


async def test_the_profile_reads_at_80x24_and_tabs_follow_the_keyboard(demo_db, make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_profile(app, pilot, demo_db[1].children["Chloe"])
        about = screen_lines(app)
        assert "Chloe Barker, 13 · key worker Rachel Price" in about[1]
        assert "‼ 1 contact restriction: see Contacts (key 2)" in about[2]
        assert any("Likes" in line and "horses, make-up" in line for line in about)
        assert any("Fears and worries  going to sleep on her own" in line for line in about)
        # The keys that matter are in the footer, whole, at 80 columns.
        assert "esc Close  / Search  s Session  e Edit  t Target  o Outcome  p Date" in about[-1]

        await pilot.press("2")
        tabs = screen.query_one(TabbedContent)
        assert tabs.active == "contacts"
        assert "‼ RESTRICTION: Supervised contact only; no unplanned calls." in text_of(
            screen_lines(app)
        )

        await pilot.press("3")
        assert tabs.active == "keyworkers"
        assert "Now: key worker Rachel Price since" in text_of(screen_lines(app))

        # From the tab bar, the arrow keys walk the tabs.
        await pilot.press("shift+tab")
        await pilot.press("right")
        assert tabs.active == "sessions"

        await pilot.press("escape")
        assert not isinstance(app.screen, ChildProfileScreen)


async def test_key_worker_history_keeps_the_reason_in_words(demo_db, make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_profile(app, pilot, demo_db[1].children["Mohammed"])
        await pilot.press("3")
        shown = text_of(screen_lines(app))
        assert "key worker Kwame Mensah" in shown and "key worker Tom Hughes" in shown
        assert "why: the child asked: Mo asked for Kwame after football." in shown


async def test_search_the_session_history(demo_db, make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_profile(app, pilot, demo_db[1].children["Tyler"])
        table = screen.query_one("#sessions-body", DataTable)
        everything = table.row_count
        await pilot.press("/", *"BOARD game")
        assert screen.query_one(TabbedContent).active == "sessions"
        assert 0 < table.row_count < everything
        assert all("board game" in s.summary.lower() for s in screen.shown_sessions)
        assert f"of {everything} sessions" in text_of(screen_lines(app))

        # The key worker's name matches too; Esc leaves the search, then the profile.
        screen.query_one("#filter").value = "dan walsh"
        await pilot.pause()
        assert table.row_count == everything
        await pilot.press("escape")
        assert app.focused is table
        await pilot.press("escape")
        assert not isinstance(app.screen, ChildProfileScreen)


async def test_a_correction_keeps_the_original(demo_db, make_app):
    app = make_app()
    tyler = demo_db[1].children["Tyler"]
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_profile(app, pilot, tyler)
        await pilot.press("4")
        final = next(i for i, s in enumerate(screen.shown_sessions) if s.status == "final")
        session = screen.shown_sessions[final]
        screen.query_one("#sessions-body", DataTable).move_cursor(row=final)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, SessionDialog)
        assert session.summary[:40] in text_of(screen_lines(app))

        await pilot.press("c")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, CorrectionDialog)
        corrected = dialog.query_one("#corrected", TextArea)
        assert corrected.text == session.summary
        await pilot.press("tab")
        assert app.focused is corrected
        corrected.clear()
        await pilot.press(*"Played chess")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        # No reason: the dialog stays, says why beside the field, and keeps the text.
        assert app.screen is dialog
        assert "give a reason" in str(dialog.query_one("#err-reason", Static).render())
        assert corrected.text == "Played chess"

        await pilot.press("tab", *"it was chess", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, SessionDialog)
        shown = text_of(screen_lines(app))
        assert "Corrections (the original is kept)" in shown
        assert "reason: it was chess" in shown
        assert "→ corrected: Played chess" in shown, "\n".join(screen_lines(app))

    [fix] = sessions.amendments_of(app.ctx.actor, session.id)
    assert (fix.field, fix.original, fix.corrected) == ("summary", session.summary, "Played chess")


def child_with_a_draft(built) -> int:
    """The demo's seed decides whose session is still waiting to be written up."""
    today = clock.today()
    return next(
        child_id
        for child_id in built.children.values()
        if any(
            s.status == "draft"
            for s in profile.profile(built.manager, child_id, today).sessions.lines
        )
    )


async def test_a_draft_is_not_corrected_here(demo_db, make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_profile(app, pilot, child_with_a_draft(demo_db[1]))
        await pilot.press("4")
        row = next(i for i, s in enumerate(screen.shown_sessions) if s.status == "draft")
        screen.query_one("#sessions-body", DataTable).move_cursor(row=row)
        await pilot.press("enter")
        await settle(app, pilot)
        assert "DRAFT: continue it from session entry (F5)" in text_of(screen_lines(app))
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, SessionDialog)


async def test_add_a_target_with_the_default_review_date(demo_db, make_app):
    path, built = demo_db
    app = make_app()
    chloe = built.children["Chloe"]
    default = records.default_review_by(built.home_id, clock.today())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_profile(app, pilot, chloe)
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TargetDialog)
        assert f"default: {default:%A %d %B %Y}" in text_of(screen_lines(app))
        await pilot.press(*"Sleep with the light off", "ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        assert screen.query_one(TabbedContent).active == "targets"
        assert "Sleep with the light off" in text_of(screen_lines(app))

    added = next(
        t
        for t in profile.profile(built.manager, chloe, clock.today()).targets
        if t.text == "Sleep with the light off"
    )
    assert (added.set_on, added.review_by, added.outcome) == (clock.today(), default, None)


async def test_record_an_outcome_and_a_yearly_date(demo_db, make_app):
    path, built = demo_db
    app = make_app()
    kai = built.children["Kai"]
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_profile(app, pilot, kai)
        await pilot.press("5", "o")
        await pilot.pause()
        assert isinstance(app.screen, OutcomeDialog)
        app.screen.query_one("#outcome", Select).value = "not_yet"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        assert "not yet" in text_of(screen_lines(app))

        await pilot.press("p")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, EventDialog)
        await pilot.press(*"3/12")
        # No year: the next 3 December, as this is a date to plan for.
        assert "Thursday 03 December 2026" in str(dialog.query_one("#parsed-date", Static).render())
        dialog.query_one("#kind", Select).value = "anniversary"
        dialog.query_one("#yearly", Select).value = True
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen

    found = profile.profile(built.manager, kai, clock.today())
    assert found.targets[-1].outcome == "not_yet"
    [date] = [d for d in found.dates if d.kind == "anniversary"]
    assert (date.date.isoformat(), date.yearly) == ("2026-12-03", True)


async def test_the_key_worker_edits_about_and_it_is_audited(demo_db, make_app):
    path, built = demo_db
    chloe = built.children["Chloe"]
    app = make_app("Rachel Price")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_profile(app, pilot, chloe)
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AboutDialog)
        likes = dialog.query_one("#likes", TextArea)
        assert likes.text == "horses, make-up"
        likes.focus()
        await pilot.press("end", *", skating", "ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        assert "horses, make-up, skating" in text_of(screen_lines(app))

    [event] = audit.events(child_id=chloe, action_prefix="child.about")
    assert event.staff_name == "Rachel Price"
    assert (event.before, event.after) == (
        {"likes": "horses, make-up"},
        {"likes": "horses, make-up, skating"},
    )


async def test_someone_else_cannot_open_the_about_form(demo_db, make_app):
    app = make_app("Dan Walsh")
    async with app.run_test(size=SIZE) as pilot:
        await open_profile(app, pilot, demo_db[1].children["Chloe"])
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ChildProfileScreen)


async def test_s_records_a_session_for_this_child(demo_db, make_app):
    app = make_app()
    ethan = demo_db[1].children["Ethan"]
    async with app.run_test(size=SIZE) as pilot:
        await open_profile(app, pilot, ethan)
        await pilot.press("s")
        await settle(app, pilot)
        assert isinstance(app.screen, SessionEntryScreen)
        assert app.screen.pending is None
        assert "Ethan Price-Hall" in text_of(screen_lines(app))


async def test_a_contact_is_added_and_changed_with_its_restriction(demo_db, make_app):
    from textual.widgets import Input

    from screens.pick_dialog import PickDialog
    from screens.profile_dialogs import ContactDialog

    app = make_app()
    tyler = demo_db[1].children["Tyler"]
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_profile(app, pilot, tyler)
        await pilot.press("n")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ContactDialog)
        dialog.query_one("#name", Input).focus()
        await pilot.press(*"Aunt Jo")
        dialog.query_one("#restrictions", TextArea).focus()
        await pilot.press(*"Supervised contact only")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        text = str(screen.query_one("#contacts-text", Static).render())
        assert "Aunt Jo" in text and "‼ RESTRICTION: Supervised contact only" in text

        await pilot.press("k")
        await settle(app, pilot)
        assert isinstance(app.screen, PickDialog)
        names = [str(o.prompt) for o in app.screen.query_one("OptionList")._options]
        await pilot.press(*["down"] * names.index("Family: Aunt Jo"), "enter")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ContactDialog)
        assert dialog.query_one("#restrictions", TextArea).text == "Supervised contact only"
        dialog.query_one("#phone", Input).focus()
        await pilot.press(*"07700 900123", "ctrl+s")
        await settle(app, pilot)
    [jo] = [
        c
        for c in profile.profile(app.ctx.actor, tyler, clock.today()).contacts
        if c.name == "Aunt Jo"
    ]
    assert (jo.phone, jo.restrictions) == ("07700 900123", "Supervised contact only")
    assert [e.action for e in audit.events(child_id=tyler)][:2] == ["contact.update", "contact.add"]


async def test_a_long_history_reads_more_as_the_cursor_reaches_its_end(demo_db, make_app):
    import datetime as dt

    from keywork_tui.schemas import SessionIn

    _, built = demo_db
    child_id = built.children["Tyler"]
    before = profile.profile(built.manager, child_id, clock.today()).sessions.total
    first = clock.now() - dt.timedelta(days=170)
    for n in range(60):
        held = first + dt.timedelta(days=2, hours=n)
        data = SessionIn(
            child_id=child_id, staff_id=built.manager.id, held_at=held, summary=f"Chess {n}."
        )
        sessions.save_session(built.manager, data, finalise=True)
    total = before + 60
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_profile(app, pilot, child_id)
        await pilot.press("4")  # the sessions tab
        table = screen.query_one("#sessions-body", DataTable)
        assert table.row_count == profile.PAGE
        assert f"{profile.PAGE} of {total} sessions" in text_of(screen_lines(app))
        while table.row_count < total:
            shown = table.row_count
            await pilot.press("ctrl+end")
            await settle(app, pilot)
            assert table.row_count > shown, "the end of the list read no more"
        assert table.row_count == total
        ids = [str(s.id) for s in screen.shown_sessions]
        assert len(set(ids)) == total
