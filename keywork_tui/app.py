"""KeyworkApp: the four modes, their keys, and the signed-in context."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import threading
import time
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget

from screens import modes
from screens.host import Host

from . import start

# The screens, the services and what they import (pydantic, peewee, holidays)
# load when first used, not with this module: the first paint waits only for
# what the handover needs.
if TYPE_CHECKING:
    from rich.console import RenderableType
    from textual.command import Provider
    from textual.driver import Driver

    from keywork_tui.services import Actor
    from screens.handover import HandoverRead
    from screens.messages import (
        OpenProfile,
        OpenSession,
        OpenWorkspace,
        OverdueCounted,
        RecordsChanged,
        RecordsWritten,
        SignedIn,
    )

log = logging.getLogger("keywork.app")
__all__ = ["KeyworkApp"]
CHANGE_POLL_SECONDS = 1.0
WAKE_SECONDS = 0.1  # how soon the change watch notices the app closing
IDLE_CHECK_SECONDS = 5.0
# What the keys cannot reach while the terminal is locked.
LOCKED_OUT = frozenset({"switch_mode", "lock", "toggle_help", "command_palette"})
# Input that counts as someone at the keyboard, for the idle lock.
ACTIVITY = (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)


def _children_provider() -> type[Provider]:
    from screens.palette import ChildrenProvider

    return ChildrenProvider


def _staff_provider() -> type[Provider]:
    from screens.palette import StaffProvider

    return StaffProvider


class KeyworkApp(Host):
    TITLE = "keywork"
    # With NO_COLOR (or a monochrome terminal) colour cannot say where the
    # keyboard is: reverse video does, on every kind of field and list.
    CSS = """
    App:nocolor Input:focus, App:nocolor Button:focus { text-style: reverse; }
    App:nocolor TextArea:focus { border: thick $foreground; }
    App:nocolor Select:focus > SelectCurrent { text-style: reverse; }
    App:nocolor DataTable:focus > .datatable--cursor { text-style: reverse; }
    App:nocolor OptionList:focus > .option-list--option-highlighted { text-style: reverse; }
    App:nocolor Tabs:focus .-active { text-style: reverse; }
    /* The title, with the signed-in name, has the header line nearly to itself. */
    HeaderIcon { width: 3; }
    HeaderClockSpace { width: 3; }
    /* Notices show on the header line, one at a time on one line, the newest
       (an older one shows again once it is gone, if still due): every field
       and every dialog starts below that line, so nothing being typed or read
       is covered. */
    ToastRack { dock: top; align: right top; height: 1; margin: 0; overflow: hidden; }
    ToastHolder { display: none; }
    ToastHolder:last-of-type { display: block; }
    Toast { width: auto; max-width: 100%; height: 1; margin: 0; padding: 0 1;
        text-wrap: nowrap; text-overflow: ellipsis; }
    App:nocolor Toast { text-style: reverse; }
    """
    # The first screen's styles (the handover, or signing in at a shared
    # terminal) are read with the app's own, so the style sheet is parsed
    # once before the first frame; as a screen's own CSS_PATH, each would be
    # read again, and every widget restyled, as its screen opened.
    CSS_PATH = ["../screens/handover.tcss", "../screens/sign_in.tcss"]
    # The system commands (every screen, every key of this one), then children by name.
    COMMANDS = App.COMMANDS | {_children_provider, _staff_provider}
    MODES = {mode: modes.opener(mode) for mode in [*modes.MODES, "signin"]}
    DEFAULT_MODE = "handover"
    BINDINGS = [
        Binding(
            "f1",
            "toggle_help",
            "Help",
            id="app.help",
            tooltip="Show or hide the keys for this screen",
        ),
        Binding(
            "f2",
            "switch_mode('handover')",
            "Handover",
            id="app.mode.handover",
            tooltip="The shift handover (home screen)",
        ),
        Binding(
            "f3",
            "switch_mode('children')",
            "Key children",
            id="app.mode.children",
            tooltip="Your key children and the children you cover",
        ),
        Binding(
            "f4",
            "switch_mode('overdue')",
            "Overdue",
            id="app.mode.overdue",
            tooltip="Overdue and due-soon work across the home",
        ),
        Binding(
            "f5",
            "switch_mode('session')",
            "Session",
            id="app.mode.session",
            tooltip="Record a key-work session",
        ),
        Binding(
            "f6",
            "switch_mode('manager')",
            "Manager",
            id="app.mode.manager",
            tooltip="Staff, key workers, absence cover, supervision and the home summary",
        ),
        Binding(
            "f7",
            "switch_mode('audit')",
            "Audit",
            id="app.mode.audit",
            tooltip="Every change on file, with who, when and the values before and after",
        ),
        # Not priority: a priority key acts the moment it arrives, before the
        # keys typed just ahead of it reach their field. Over a modal screen
        # (the writer, a dialog) the screen's own keys pass them on.
        Binding(
            "ctrl+l",
            "lock",
            "Lock",
            id="app.lock",
            tooltip="Hide everything and let someone sign in (switch user)",
        ),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", tooltip="Leave keywork"),
        # Priority, so focus moves the moment Tab arrives: keys typed straight
        # after it (a fast typist, a terminal that sends them in one burst) go
        # to the next field, not the one Tab was pressed in.
        Binding("tab", "focus_next", "Next field", id="app.focus_next", show=False, priority=True),
        Binding(
            "shift+tab",
            "focus_previous",
            "Previous field",
            id="app.focus_previous",
            show=False,
            priority=True,
        ),
    ]

    def __init__(
        self,
        home_id: int,
        staff_id: int,
        database: str,
        *,
        signed_in: bool = True,
        over_ssh: bool = False,
        keymap: dict[str, str] | None = None,
        overdue: int | None = None,
        first_handover: HandoverRead | None = None,
        seen_up_to: int | None = None,
    ) -> None:
        """`staff_id` is signed in when `signed_in`; otherwise only preselected
        on the sign-in screen, which the app then opens on. `overdue`, counted
        just before, puts the count in the header's first frame; without it the
        count comes with the first screen's read. `first_handover`, read just
        before, is what the handover screen shows first (its count is the
        header's). `seen_up_to`, the newest audit event before those reads:
        a write by another terminal since then is shown as the app starts."""
        # Read by App.__init__: the first screen is the handover or the sign-in.
        # Textual declares DEFAULT_MODE a ClassVar; App.__init__ reads it from the instance.
        self.DEFAULT_MODE = "handover" if signed_in else "signin"  # type: ignore[misc]
        super().__init__()
        from keywork_tui.services import Actor
        from keywork_tui.services.team import signin
        from screens.context import SessionContext

        opening = signin.terminal(home_id, staff_id)
        staff = opening.staff
        self.ctx = SessionContext(
            home=opening.home,
            actor=Actor(staff.id, staff.name, staff.role, home_id),
            database=database,
        )
        self.locked = not signed_in
        self.was_signed_in = signed_in  # the sign-in screen says "Locked" after a sign-in
        self.preselect_id: int | None = staff_id
        self.over_ssh = over_ssh
        self.last_input = time.monotonic()
        self.lock_after = opening.lock_minutes * 60
        self._mode_before_lock = "handover"
        self._quit_question: Screen[bool] | None = None  # "quit anyway?", once asked
        self.first_handover = first_handover
        self._seen_up_to = seen_up_to
        if first_handover is not None:
            overdue = first_handover.overdue
        self.overdue = overdue or 0
        self._counted = overdue is not None
        self._stop_watching = threading.Event()
        self._held_keys: list[events.Key] = []
        self._holding = False
        self._set_title()
        if keymap:
            self.set_keymap(keymap)  # the config file's [keys]

    # --- frames held back by a batch ----------------------------------------------
    # Textual draws nothing inside a batch update (the app's start, a change of
    # screen): a frame rendered then is dropped, and the next one waits for the
    # screen's update timer, up to a 60th of a second later, the first screen's
    # included. The dropped frame is drawn instead as soon as the batch ends.
    # (Textual's own hooks, pinned by the version in pyproject.toml; tested in
    # tests/functional/test_held_frame.py.)
    _frame_held = False

    def _display(self, screen: Screen[Any], renderable: RenderableType | None) -> None:
        if self._batch_count and renderable is not None:
            self._frame_held = True
        super()._display(screen, renderable)

    def _end_batch(self) -> None:
        super()._end_batch()
        if self._frame_held and not self._batch_count:
            self._frame_held = False
            if not self.screen_stack:
                return  # leaving: nothing left to draw
            screen = self.screen
            screen._dirty_widgets.add(screen)  # all of it, as the dropped frame was
            screen._on_timer_update()  # what the next tick would do, done now

    def get_driver_class(self) -> type[Driver]:
        from screens.terminal_output import driver_class

        return driver_class(super().get_driver_class())

    def _set_title(self) -> None:
        demo = " · DEMO" if self.ctx.home.is_demo else ""
        late = f" · ‼ {self.overdue} overdue" if self.overdue else ""
        self.title = f"{self.ctx.home.name}{demo}{late}"

    def on_load(self) -> None:
        # Everything the app runs from here on (its screens' handlers among
        # them) sees the flag; a test's own code, outside the app, does not.
        _ON_UI.set(True)
        if os.environ.get(CHECK_UI_THREAD):
            from keywork_tui.services import database

            database.guard_queries(_refuse_on_ui)

    def on_mount(self) -> None:
        self.call_after_refresh(start.loaded)  # the first frame is drawn: collect again
        # Signed in, the count comes with the handover's first read
        # (OverdueCounted), in the same repaint, if it was not given.
        if self.locked and not self._counted:
            self.refresh_overdue_count()
        if not self.locked and self.ctx.actor.is_provider:
            self.switch_mode("homes")  # a provider starts on every home side by side
        self._watch_database()
        self.set_interval(IDLE_CHECK_SECONDS, self.lock_if_idle)
        if not self.is_headless:
            # A dropped SSH session (SIGHUP) or a shutdown (SIGTERM) keeps what
            # is typed before leaving, as Ctrl+Q does.
            loop = asyncio.get_running_loop()
            for number in (signal.SIGHUP, signal.SIGTERM):
                loop.add_signal_handler(number, self._leave_on_signal, number)

    def _leave_on_signal(self, number: int) -> None:
        log.info("signal %s: keeping drafts, then leaving", number)
        self.run_worker(self._keep_then_exit(128 + number), group="leaving")

    async def _keep_then_exit(self, code: int) -> None:
        for why in await self._keep_drafts():
            log.warning("not kept on leaving: %s", why)
        self.exit(return_code=code)

    async def action_quit(self) -> None:
        """Leave keywork; what is typed is kept first, and anything that cannot
        be kept is named before it is lost."""
        if self._quit_question is not None and self.screen is self._quit_question:
            return  # a second Ctrl+Q is not a yes: the question waits for y or n
        unkept = await self._keep_drafts()
        if not unkept:
            self.exit()
            return

        def answered(leave: bool | None) -> None:
            if leave:
                self.exit()

        question = (
            "Not kept: "
            + "; ".join(unkept)
            + ". Quit anyway and lose it? (n: go back and finish it)"
        )
        from screens.session_dialogs import ConfirmDialog

        self._quit_question = ConfirmDialog(question)
        self.push_screen(self._quit_question, answered)

    # --- signing in, locking, switching user -------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, ACTIVITY) and not event.is_forwarded:
            self.last_input = time.monotonic()
        if isinstance(event, events.Paste) and "\t" in event.text and self.focused is not None:
            self._paste_across_fields(event.text)
            return
        if isinstance(event, events.Key) and self._held_for_next_screen(event):
            return
        if isinstance(event, events.Compose):
            # The first mode's screen is made and filled while the app composes,
            # before Textual styles the app itself: its text would take colours
            # from an unstyled app. Styled now, no reparse is needed (see modes).
            self.stylesheet.apply(self)
        await super().on_event(event)

    def _held_for_next_screen(self, key: events.Key) -> bool:
        """A key typed while the screen in use is on its way out (it asked for
        session entry, and the app reads that after the keys typed with it) is
        held for the screen that opens, until it is ready for them (`_typed_on`)."""
        if not self._holding and not getattr(self.screen, "leaving", False):
            self._held_keys.clear()  # no screen opened after all: they are dropped
            return False
        self._held_keys.append(events.Key(key.key, key.character))
        return True

    def _typed_on(self) -> None:
        """The held keys, in the order typed, to the screen now open."""
        held, self._held_keys, self._holding = self._held_keys, [], False
        for key in held:
            self.post_message(key)

    def _paste_across_fields(self, text: str) -> None:
        """A pasted Tab moves to the next field, as a typed one does: each piece
        goes to the field it would have reached by typing."""
        from textual.widgets import Input, TextArea

        for number, piece in enumerate(text.split("\t")):
            if number:
                self.screen.focus_next()
            field = self.focused
            # Inserted here and now: a Paste message handled later would land
            # after focus had moved on (and a TextArea takes focus back).
            if not piece or field is None:
                continue
            if isinstance(field, TextArea) and not field.read_only:
                field.move_cursor(field.replace(piece, *field.selection).end_location)
            elif isinstance(field, Input):
                field.replace(piece.splitlines()[0], *field.selection)
            else:
                field.post_message(events.Paste(piece))

    def lock_if_idle(self) -> None:
        if not self.locked and time.monotonic() - self.last_input >= self.lock_after:
            self.action_lock()

    def action_lock(self) -> None:
        """Hide every child's details behind the sign-in screen; what is typed stays
        where it is for the same person, and is kept as drafts at once, in case
        the terminal is closed while locked."""
        if self.locked:
            return
        self.locked = True
        self._mode_before_lock = self.current_mode
        self.preselect_id = self.ctx.actor.id
        self.run_worker(self._keep_drafts(), group="leaving")
        self.switch_mode("signin")

    async def signed_in(self, actor: Actor) -> None:
        """Open the app for `actor`: the same person finds their screens as they
        left them; anyone else starts afresh, after the last drafts are kept."""
        same = actor.id == self.ctx.actor.id and self.was_signed_in
        if not same:
            await self._keep_drafts()
            await self._reset_modes()
            self.ctx = self.ctx._replace(actor=actor)
            self._mode_before_lock = "homes" if actor.is_provider else "handover"
        self.locked, self.was_signed_in = False, True
        self.last_input = time.monotonic()
        self.switch_mode(self._mode_before_lock)
        self.refresh_overdue_count()

    async def _keep_drafts(self) -> list[str]:
        """Keep what is typed on every open screen; why any could not be kept."""
        unkept = []
        for screen in self._open_screens():
            keep = getattr(screen, "keep_before_switch", None)
            why = await keep() if keep is not None else None
            if why:
                unkept.append(why)
        return unkept

    def _open_screens(self) -> Iterator[Screen[Any]]:
        """Every screen of every mode opened since the app started."""
        for mode in self.MODES:
            try:
                yield from self.get_screen_stack(mode)
            except KeyError:
                continue  # a mode not opened yet has no screens

    async def _reset_modes(self) -> None:
        """A fresh set of screens for the next person (a mode not opened is left be)."""
        for mode, screen in self.MODES.items():
            if mode not in ("signin", self.current_mode):
                await self.remove_mode(mode)
                self.add_mode(mode, screen)

    async def action_switch_mode(self, mode: str) -> None:
        if self.locked and mode != "signin":
            return  # nothing of the home shows until someone signs in
        self.switch_mode(mode)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (self.locked and action in LOCKED_OUT)

    def _watch_database(self) -> None:
        """Another terminal's change shows here within about two seconds. The
        marker is read on a thread of its own, on the one connection it is
        comparable on, never on the UI thread. A plain daemon thread rather
        than a worker: it lasts as long as the app, and waiting for the app's
        workers to finish must not wait for it."""
        threading.Thread(target=self._watch, name="keywork-change-watch", daemon=True).start()

    def _watch(self) -> None:
        from keywork_tui.services import database
        from screens.messages import RecordsChanged

        try:
            # A provider's screens show every home: every home's writes are theirs.
            actor = self.ctx.actor
            home_id = None if actor.is_provider else self.ctx.home.id
            feed = database.ChangeFeed(home_id, CHANGE_POLL_SECONDS, self._seen_up_to)
        except Exception:  # the server went away: the app still works, unrefreshed
            log.warning("cannot watch for other terminals' changes", exc_info=True)
            database.close()
            return
        try:
            # Short waits, so the thread notices the app closing within WAKE_SECONDS.
            while not self._stop_watching.is_set():
                if feed.changed(WAKE_SECONDS):
                    # Thread-safe, and never waits on a loop that may be closing.
                    self.post_message(RecordsChanged())
        except Exception:
            log.warning("stopped watching for other terminals' changes", exc_info=True)
        finally:
            feed.close()
            database.close()

    def on_unmount(self) -> None:
        self._stop_watching.set()

    def on_records_changed(self, _: RecordsChanged) -> None:
        from screens.base import DatabaseChanged

        self.refresh_overdue_count()
        # Every open screen of this mode hears it; each decides what to re-read.
        for screen in self.screen_stack:
            screen.post_message(DatabaseChanged())

    @work(exclusive=True, group="overdue-count")
    async def refresh_overdue_count(self) -> None:
        """The header of every mode carries the home's overdue count."""
        from keywork_tui.services import clock
        from keywork_tui.services.child_file import obligations as compliance
        from screens.service_calls import answer

        home_id = self.ctx.home.id
        self.overdue = await answer(lambda: compliance.overdue_count(home_id, clock.today()))
        self._set_title()

    def on_open_session(self, message: OpenSession) -> None:
        self.open_session(message.child_id)

    def on_open_profile(self, message: OpenProfile) -> None:
        self.open_profile(message.child_id)

    def on_open_workspace(self, message: OpenWorkspace) -> None:
        self.open_workspace(message.tab, message.key)

    async def on_signed_in(self, message: SignedIn) -> None:
        await self.signed_in(message.actor)

    def on_records_written(self, _: RecordsWritten) -> None:
        self.refresh_overdue_count()

    def on_overdue_counted(self, message: OverdueCounted) -> None:
        self.overdue = message.count
        self._set_title()

    def open_session(self, child_id: int) -> None:
        """Session entry with the child already chosen from where the key was pressed."""
        from screens.session_entry import SessionEntryScreen

        origin = self.current_mode if self.current_mode != "session" else None
        self.switch_mode("session")
        if isinstance(self.screen, SessionEntryScreen):
            self._holding = True  # until the form is ready for the keys
            self.screen.open_for(child_id, origin)
            # After the form has put its cursor where typing goes (open_for).
            self.screen.call_after_refresh(self._typed_on)
        else:
            self._held_keys.clear()

    def open_workspace(self, tab: str, key: str | None = None) -> None:
        """The manager's workspace on a tab (and a row of it, when named)."""
        from screens.manager import ManagerScreen

        self.switch_mode("manager")
        if isinstance(self.screen, ManagerScreen):
            self.screen.call_after_refresh(self.screen.show, tab, key)

    def open_profile(self, child_id: int) -> None:
        """The child's profile, over whichever mode asked for it."""
        from screens.child_profile import ChildProfileScreen

        self.push_screen(ChildProfileScreen(child_id))

    def action_toggle_help(self) -> None:
        """F1: the keys of the screen in use, over it; F1 or Esc again closes."""
        from screens.keys_help import KeysHelp

        if isinstance(self.screen, KeysHelp):
            self.screen.dismiss(None)
        else:
            self.push_screen(KeysHelp(self.screen))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        if self.locked:
            return
        yield from super().get_system_commands(screen)
        for mode, (title, _, _) in modes.MODES.items():
            if mode in modes.PROVIDERS_ONLY and not self.ctx.actor.is_provider:
                continue
            yield SystemCommand(
                f"Go to {title.lower()}",
                f"Switch to the {title.lower()} screen",
                lambda mode=mode: self.switch_mode(mode),
            )
        yield from _screen_actions(screen)
        yield from _home_commands_for(self)


_ON_UI: ContextVar[bool] = ContextVar("keywork_on_ui", default=False)
# Set (as the tests set it) to have any query on the UI thread raise.
CHECK_UI_THREAD = "KEYWORK_CHECK_UI_THREAD"


class QueryOnUIThreadError(RuntimeError):
    """A bug: the screen freezes while the database answers."""


def _refuse_on_ui() -> None:
    if _ON_UI.get() and threading.current_thread() is threading.main_thread():
        raise QueryOnUIThreadError("a database query on the UI thread: use call_service")


def _home_commands_for(app: KeyworkApp) -> Iterable[SystemCommand]:
    yield SystemCommand(
        "Lock the terminal (switch user)",
        "Hide everything and let someone sign in",
        app.action_lock,
    )
    if app.ctx.actor.is_manager:
        for words, tab, what in (
            ("Absence: record one, or see who is away", "cover", "Absence & cover tab"),
            ("Cover: arrange cover for an absent key worker", "cover", "Absence & cover"),
            (
                "Key workers: allocate, admit a child, a child leaving",
                "allocation",
                "Key workers tab",
            ),
            ("Staff: add, PINs, set-up codes", "staff", "Staff tab"),
            ("Report: export a key worker summary", "summary", "Summary tab"),
            ("Home settings: rules, shift times, terms", "home", "Home tab"),
        ):
            yield SystemCommand(
                words, f"The manager's workspace, {what}", partial(app.open_workspace, tab)
            )


def _screen_actions(screen: Screen[Any]) -> Iterable[SystemCommand]:
    """Every key of the screen, searchable by its words in the command palette."""
    title = getattr(screen, "MODE_TITLE", "") or "This screen"
    seen: set[str] = set()
    for active in screen.active_bindings.values():
        binding = active.binding
        # Keywork's own keys all carry a tooltip; Textual's built-in ones do not.
        # The screen's keys and those of the part in use (a workspace tab, say).
        if (
            active.node is screen.app
            or binding.action in seen
            or not (binding.description and binding.tooltip)
        ):
            continue
        seen.add(binding.action)
        yield SystemCommand(
            f"{title}: {binding.description}",
            binding.tooltip or "",
            # Not the app's own (skipped above): a screen's or a widget's, which run actions.
            partial(cast(Widget, active.node).run_action, binding.action),
        )
