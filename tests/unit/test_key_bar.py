"""The key bar shows the bindings as they stand, in one widget: a key is
clicked as it is pressed, a refused one rings the bell, and each says what it
does when the pointer rests on it."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Input

from screens.widgets.footer import KeyBar


class Notes(Input):
    BINDINGS = [Binding("f5", "noop", "Keep the note")]


class Bar(App[None]):
    BINDINGS = [Binding("f6", "noop", "Handover"), Binding("f7", "other", "My children")]

    def __init__(self) -> None:
        super().__init__()
        self.ran: list[str] = []

    def compose(self) -> ComposeResult:
        yield Input(id="plain")
        yield Notes(id="notes")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#plain").focus()

    def action_noop(self) -> None:
        self.ran.append("noop")

    def action_other(self) -> None:
        self.ran.append("other")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "other" and "#notes" in self.ran else True


def _labels(app: App[None]) -> list[str]:
    return [key.description for key in app.query_one(KeyBar).keys]


def _bar_text(app: App[None]) -> str:
    bar = app.query_one(KeyBar)
    return str(bar.render())


async def test_the_bar_follows_focus_and_draws_every_key_on_one_line():
    app = Bar()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        assert _labels(app) == ["Handover", "My children"]
        assert len(app.query_one(KeyBar).children) == 0  # one widget, not one per key
        text = _bar_text(app)
        assert text.startswith(" f6 Handover  f7 My children ") and text.endswith("^p palette ")
        assert len(text) == 80
        app.query_one("#notes").focus()
        await pilot.pause()
        assert "Keep the note" in _labels(app)
        app.query_one("#plain").focus()
        await pilot.pause()
        assert _labels(app) == ["Handover", "My children"]


async def test_a_key_is_clicked_as_it_is_pressed_and_says_what_it_does():
    app = Bar()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        bar = app.query_one(KeyBar)
        at = _bar_text(app).index("My children")
        assert await pilot.click(KeyBar, offset=(at, 0))
        await pilot.pause()
        assert app.ran == ["other"]
        assert bar.key_at(at) is not None and bar.key_at(at).description == "My children"
        assert bar.key_at(40) is None  # the gap between the keys and the palette
        await pilot.hover(KeyBar, offset=(1, 0))
        assert bar.tooltip == "Handover"
        await pilot.hover(KeyBar, offset=(40, 0))
        assert bar.tooltip is None


async def test_a_refused_key_is_dimmed_and_rings_the_bell():
    app = Bar()
    async with app.run_test(size=(80, 10)) as pilot:
        app.ran.append("#notes")  # from now on the app refuses "other"
        app.refresh_bindings()
        await pilot.pause()
        bar = app.query_one(KeyBar)
        [refused] = [key for key in bar.keys if key.description == "My children"]
        assert not refused.enabled
        rung: list[bool] = []
        app.bell = lambda: rung.append(True)  # type: ignore[method-assign]
        at = _bar_text(app).index("My children")
        await pilot.click(KeyBar, offset=(at, 0))
        await pilot.pause()
        assert rung == [True] and app.ran == ["#notes"]


async def test_a_narrow_bar_shows_whole_keys_and_keeps_the_palette():
    app = Bar()
    async with app.run_test(size=(30, 10)) as pilot:
        await pilot.pause()
        text = _bar_text(app)
        assert len(text) == 30 and text.endswith("^p palette ")
        assert "Handover" in text and "My" not in text
