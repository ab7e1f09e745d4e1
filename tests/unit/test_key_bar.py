"""The key bar shows the bindings as they stand, built once for an opening screen."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Input

from screens.widgets.footer import KeyBar


class Notes(Input):
    BINDINGS = [Binding("f5", "noop", "Keep the note")]


class Bar(App[None]):
    BINDINGS = [Binding("f6", "noop", "Handover"), Binding("f7", "other", "My children")]
    composed = 0

    def compose(self) -> ComposeResult:
        yield Input(id="plain")
        yield Notes(id="notes")
        yield KeyBar()

    def on_mount(self) -> None:
        bar = self.query_one(KeyBar)
        real_compose = bar.compose

        def counted() -> ComposeResult:
            type(self).composed += 1
            yield from real_compose()

        bar.compose = counted  # type: ignore[method-assign]
        self.query_one("#plain").focus()
        self.refresh_bindings()

    def action_noop(self) -> None:
        self.refresh_bindings()

    def action_other(self) -> None:
        self.refresh_bindings()


def _labels(app: App[None]) -> list[str]:
    # Found by CSS type: the key widget's class is not part of Textual's public API.
    return [str(key.description) for key in app.query("FooterKey") if key.description != "palette"]


async def test_the_bar_follows_focus_and_builds_once_when_nothing_changes():
    app = Bar()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        assert _labels(app) == ["Handover", "My children"]
        built = Bar.composed
        app.refresh_bindings()  # the same keys: no rebuild
        await pilot.pause()
        assert Bar.composed == built
        app.query_one("#notes").focus()
        await pilot.pause()
        assert "Keep the note" in _labels(app)
        app.query_one("#plain").focus()
        await pilot.pause()
        assert _labels(app) == ["Handover", "My children"]
        assert Bar.composed == built + 2
