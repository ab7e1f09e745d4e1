"""Signing in at the shared terminal, and the lock that hides every child's
details until someone signs in again: pick your name, type your PIN."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from keywork_tui.outputs import StaffOut
from keywork_tui.services import Actor, ServiceError
from keywork_tui.services.team import people, setup_codes, signin
from keywork_tui.services.team.signin import PinStep

from .host import Host
from .messages import SignedIn
from .service_calls import ServiceCalls
from .widgets.footer import KeyBar
from .widgets.text import plain


class SignInScreen(ServiceCalls, Screen[None]):
    """The names of the home's active staff, then a PIN for the one chosen.

    Shows nothing about any child: it is also the lock screen."""

    app: Host
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
        yield KeyBar()

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

    def load_names(self) -> None:
        home_id = self.app.ctx.home.id
        self.call_service(lambda: people.list_staff(home_id), self._show_names, group="names")

    def _show_names(self, staff: list[StaffOut]) -> None:
        self.staff = staff
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

    def choose(self, staff: StaffOut) -> None:
        self.chosen = staff
        home_id, over_ssh = self.app.ctx.home.id, self.app.over_ssh

        def step_and_pin() -> tuple[PinStep, bool]:
            step = signin.pin_step_needed(home_id, staff.id, over_ssh=over_ssh)
            return step, bool(step) and signin.has_pin(staff.id)

        self.call_service(step_and_pin, partial(self._ask_pin, staff), group="sign-in")

    def _ask_pin(self, staff: StaffOut, answer: tuple[PinStep, bool]) -> None:
        step, has_pin = answer
        if not step:
            self._finish(signin.sign_in_without_pin, staff.id, step.why)
            return
        self.query_one("#names", OptionList).display = False
        if not has_pin:
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
        home_id, staff_id = self.app.ctx.home.id, self.chosen.id
        self.call_service(
            lambda: setup_codes.set_first_pin(home_id, staff_id, code, secret),
            self._signed_in,
            refused=partial(self._refused_by, self.query_one("#code", Input)),
            group="sign-in",
        )

    def _refused(self, why: str, field: Input) -> None:
        self.query_one("#message", Static).update(plain(f"✗ {why}"))
        field.focus()

    def _refused_by(self, field: Input, error: ServiceError) -> None:
        self._refused(str(error), field)

    def _signed_in(self, actor: Actor) -> None:
        self.post_message(SignedIn(actor))

    @on(Input.Submitted, "#pin")
    def _pin_typed(self, event: Input.Submitted) -> None:
        if self.chosen is not None and event.value:
            self._try_pin(self.chosen.id, event.value)

    def _try_pin(self, staff_id: int, secret: str) -> None:
        self.query_one("#pin", Input).value = ""  # never left on screen, even masked
        self._finish(signin.sign_in, staff_id, secret)

    def _finish(self, call: Callable[[int, int, str], Actor], staff_id: int, extra: str) -> None:
        """Sign in through `call` (with a PIN, or without where the rules allow)."""
        home_id = self.app.ctx.home.id
        self.call_service(
            lambda: call(home_id, staff_id, extra),
            self._signed_in,
            refused=partial(self._refused_by, self.query_one("#pin", Input)),
            group="sign-in",
        )

    def action_back(self) -> None:
        self._ask_name()
