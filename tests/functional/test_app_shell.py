"""The app starts on the demo home and its four modes are a key away."""

from __future__ import annotations

from pilot_tools import settle

from keywork_tui.app import KeyworkApp
from keywork_tui.services.team.people import resolve_staff
from screens.handover import HandoverScreen
from screens.key_children import KeyChildrenScreen
from screens.overdue import OverdueScreen
from screens.session_entry import SessionEntryScreen


def make_app(demo_db, name: str | None = None) -> KeyworkApp:
    path, built = demo_db
    staff = resolve_staff(built.home_id, name)
    return KeyworkApp(home_id=built.home_id, staff_id=staff.id, database=str(path))


def screen_text(app: KeyworkApp) -> str:
    # The SVG holds every character drawn; spaces come out as &#160;.
    return app.export_screenshot().replace("&#160;", " ")


async def test_opens_on_handover_with_home_name_at_80x24(demo_db) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, HandoverScreen)
        text = screen_text(app)
        assert "Rowan House" in text
        assert "Helen Okafor" in text
        assert "NO COVER" in text  # Dan is off sick and nobody covers Tyler
        assert "Tyler Marsh" in text


async def test_function_keys_switch_modes(demo_db) -> None:
    app = make_app(demo_db, "Rachel Price")
    async with app.run_test(size=(80, 24)) as pilot:
        expected = {
            "f3": KeyChildrenScreen,
            "f4": OverdueScreen,
            "f5": SessionEntryScreen,
            "f2": HandoverScreen,
        }
        for key, screen in expected.items():
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, screen), key


async def test_key_children_lists_own_and_covered_children(demo_db) -> None:
    app = make_app(demo_db, "Rachel Price")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = screen_text(app)
        assert "Chloe Barker" in text  # her key child
        assert "Jo Reed" in text  # covered while Sophie is on leave
        assert "cover until" in text


async def test_markup_in_a_name_is_shown_literally(demo_db) -> None:
    from keywork_tui.schemas import ChildIn
    from keywork_tui.services.actor import actor_for
    from keywork_tui.services.team import people

    path, built = demo_db
    people.add_child(
        actor_for(built.manager.id),
        ChildIn(
            first_name="[bold red]Sam",
            last_name="Lee",
            date_of_birth="2012-01-01",
            admitted_on="2026-11-01",
        ),
    )
    app = make_app(demo_db)
    async with app.run_test(size=(120, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "[bold red]Sam Lee" in screen_text(app)


async def test_a_users_keymap_remaps_a_binding_by_its_id(demo_db) -> None:
    from screens.sign_in import SignInScreen

    path, built = demo_db
    staff = resolve_staff(built.home_id, None)
    app = KeyworkApp(built.home_id, staff.id, str(path), keymap={"app.lock": "ctrl+k"})
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+k")
        await settle(app, pilot)
        assert app.locked and isinstance(app.screen, SignInScreen)


async def test_f1_lists_this_screens_keys_first_and_esc_or_f1_closes_it(demo_db) -> None:
    from pilot_tools import screen_lines

    from screens.keys_help import KeysHelp

    path, built = demo_db
    staff = resolve_staff(built.home_id, None)
    app = KeyworkApp(built.home_id, staff.id, str(path))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f1")
        await settle(app, pilot)
        assert isinstance(app.screen, KeysHelp)
        text = "\n".join(screen_lines(app))
        assert text.index("Write the outgoing shift") < text.index("On every screen")
        assert "Keys: Handover" in text and "cursor" not in text.lower()
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, HandoverScreen)
        await pilot.press("f1")
        await settle(app, pilot)
        await pilot.press("f1")
        await settle(app, pilot)
        assert isinstance(app.screen, HandoverScreen)


async def test_without_colour_the_focused_field_is_shown_in_reverse(demo_db, monkeypatch) -> None:
    from textual.widgets import Input

    monkeypatch.setenv("NO_COLOR", "1")
    path, built = demo_db
    staff = resolve_staff(built.home_id, None)
    app = KeyworkApp(built.home_id, staff.id, str(path))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f5")
        await settle(app, pilot)
        child = app.screen.query_one("#child", Input)
        child.focus()
        await pilot.pause()
        assert child.styles.text_style.reverse
        app.screen.query_one("#held_at", Input).focus()
        await pilot.pause()
        assert not child.styles.text_style.reverse
