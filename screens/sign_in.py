"""Signing in at the shared terminal, and the lock that hides every child's
details until someone signs in again: pick your name, type your PIN."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from keywork_tui.schemas import StaffOut
from keywork_tui.services import Actor, ServiceError
from keywork_tui.services.team import people, setup_codes, signin

from .host import Host
from .widgets.text import plain


class SignInScreen(Screen):
    """The names of the home's active staff, then a PIN for the one chosen.

    Shows nothing about any child: it is also the lock screen."""

    app: Host
    DEFAULT_CSS = """
    SignInScreen { align: center middle; }
    SignInScreen > Vertical { width: 60; max-width: 100%; height: auto; max-height: 100%;
        padding: 0 1; border: thick $primary; }
    SignInScreen #intro { margin-bottom: 1; }
    SignInScreen OptionList { height: auto; max-height: 12; }
    SignInScreen #pin-box, SignInScreen #code-box { height: auto; display: none; }
    SignInScreen #pin-box.-asking, SignInScreen #code-box.-asking { display: block; }
    SignInScreen #code-box Input { margin-top: 1; }
    SignInScreen #message { color: $error; height: auto; }
    SignInScreen .hint { color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape", "back", "Names", id="signin.back", tooltip="Back to the list of names"),
    ]
    AUTO_FOCUS = None

    def __init__(self) -> None:
        super().__init__()
        self.staff: list[StaffOut] = []
        self.chosen: StaffOut | None = None

    def compose(self) -> ComposeResult:
        yield Header(icon="≡")
        with Vertical():
            yield Static(id="intro")
            yield OptionList(id="names")
            with Vertical(id="pin-box"):
                yield Label(id="pin-label")
                yield Input(password=True, id="pin", placeholder="PIN or passphrase", compact=True)
            with Vertical(id="code-box"):
                yield Label(id="code-label")
                yield Input(
                    id="code",
                    placeholder="Set-up code from your manager",
                    compact=True,
                    max_length=20,
                )
                yield Input(
                    password=True, id="new-pin", placeholder="New PIN or passphrase", compact=True
                )
                yield Input(
                    password=True, id="new-again", placeholder="The same again", compact=True
                )
            yield Static(id="message")
            yield Label("↑↓ choose your name · Enter · Esc: another name", classes="hint")
        yield Footer()

    def on_screen_resume(self) -> None:
        self.sub_title = "Locked" if self.app.was_signed_in else "Sign in"
        self.query_one("#intro", Static).update(
            Text.assemble(
                ("Locked. " if self.app.was_signed_in else ""),
                "Sign in to ",
                (self.app.ctx.home.name, "bold"),
                ": choose your name.",
            )
        )
        self._ask_name()
        self.load_names()

    @work(exclusive=True, group="names")
    async def load_names(self) -> None:
        self.staff = await asyncio.to_thread(people.list_staff, self.app.ctx.home.id)
        names = self.query_one("#names", OptionList)
        names.clear_options()
        names.add_options([Option(plain(s.name), id=str(s.id)) for s in self.staff])
        ids = [s.id for s in self.staff]
        if self.app.preselect_id in ids:
            names.highlighted = ids.index(self.app.preselect_id)
        names.focus()

    def _ask_name(self) -> None:
        self.chosen = None
        for field in self.query(Input).results(Input):
            field.value = ""
        self.query_one("#pin-box").remove_class("-asking")
        self.query_one("#code-box").remove_class("-asking")
        self.query_one("#message", Static).update("")
        names = self.query_one("#names", OptionList)
        names.display = True
        names.focus()

    @on(OptionList.OptionSelected, "#names")
    def _name_chosen(self, event: OptionList.OptionSelected) -> None:
        chosen = next((s for s in self.staff if str(s.id) == event.option.id), None)
        if chosen is not None:
            self.choose(chosen)

    @work(exclusive=True, group="sign-in")
    async def choose(self, staff: StaffOut) -> None:
        self.chosen = staff
        step = await asyncio.to_thread(
            signin.pin_step_needed, self.app.ctx.home.id, staff.id, over_ssh=self.app.over_ssh
        )
        if not step:
            await self._finish(signin.sign_in_without_pin, staff.id, step.why)
            return
        self.query_one("#names", OptionList).display = False
        if not await asyncio.to_thread(signin.has_pin, staff.id):
            self._ask_code(staff)
            return
        self.query_one("#pin-label", Label).update(
            Text.assemble("PIN or passphrase for ", (staff.name, "bold"))
        )
        self.query_one("#pin-box").add_class("-asking")
        self.query_one("#pin", Input).focus()

    def _ask_code(self, staff: StaffOut) -> None:
        """No PIN yet: the one-time code a manager gave them, then a new PIN twice."""
        self.query_one("#code-label", Label).update(
            Text.assemble(
                (staff.name, "bold"),
                " has no PIN yet. Type the set-up code a manager "
                "gave you (F6, Staff), then choose a PIN or passphrase.",
            )
        )
        self.query_one("#code-box").add_class("-asking")
        self.query_one("#code", Input).focus()

    @on(Input.Submitted, "#code, #new-pin")
    def _next_field(self, event: Input.Submitted) -> None:
        if event.value:
            self.focus_next()

    @on(Input.Submitted, "#new-again")
    def _first_pin_typed(self, event: Input.Submitted) -> None:
        fields = [self.query_one(f"#{name}", Input) for name in ("code", "new-pin", "new-again")]
        empty = next((f for f in fields if not f.value), None)
        if self.chosen is None or empty is not None:
            if empty is not None:
                empty.focus()
            return
        code, secret, again = (f.value for f in fields)
        fields[1].value = fields[2].value = ""  # never left on screen, even masked
        if secret != again:
            self._refused("the two new PINs are not the same: type them again", fields[1])
            return
        self._set_first_pin(self.chosen.id, code, secret)

    @work(exclusive=True, group="sign-in")
    async def _set_first_pin(self, staff_id: int, code: str, secret: str) -> None:
        home_id = self.app.ctx.home.id
        try:
            actor = await asyncio.to_thread(
                setup_codes.set_first_pin, home_id, staff_id, code, secret
            )
        except ServiceError as exc:
            self._refused(str(exc), self.query_one("#code", Input))
            return
        await self.app.signed_in(actor)

    def _refused(self, why: str, field: Input) -> None:
        self.query_one("#message", Static).update(plain(f"✗ {why}"))
        field.focus()

    @on(Input.Submitted, "#pin")
    def _pin_typed(self, event: Input.Submitted) -> None:
        if self.chosen is not None and event.value:
            self._try_pin(self.chosen.id, event.value)

    @work(exclusive=True, group="sign-in")
    async def _try_pin(self, staff_id: int, secret: str) -> None:
        self.query_one("#pin", Input).value = ""  # never left on screen, even masked
        await self._finish(signin.sign_in, staff_id, secret)

    async def _finish(
        self, call: Callable[[int, int, str], Actor], staff_id: int, extra: str
    ) -> None:
        """Sign in through `call` (with a PIN, or without where the rules allow)."""
        try:
            actor = await asyncio.to_thread(call, self.app.ctx.home.id, staff_id, extra)
        except ServiceError as exc:
            self._refused(str(exc), self.query_one("#pin", Input))
            return
        await self.app.signed_in(actor)

    def action_back(self) -> None:
        self._ask_name()
