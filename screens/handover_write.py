"""Writing the handover: one entry per child, keyboard first, saved as you type.

Tab and shift+tab move between fields; ctrl+n jumps to the next child without
an entry; ctrl+o passes a child with "nothing to add"; ctrl+t submits. Every
change is saved about a second and a half after typing stops, so a closed
terminal loses at most that much.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from functools import partial

from pydantic import ValidationError
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Header, Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from keywork_tui.calendar import ShiftRef
from keywork_tui.schemas import HandoverEntryIn, field_errors
from keywork_tui.services import Actor, ServiceError, clock
from keywork_tui.services.child_file import language
from keywork_tui.services.handover import shift as handover
from keywork_tui.services.handover.shift import MissingEntriesError, Sheet

from .base import DatabaseChanged
from .dialog import LEAVING_KEYS, Dialog
from .handover_text import STATE_WORDS
from .host import Host
from .language_note import LanguageNote
from .service_calls import ServiceCalls, answer
from .widgets.footer import KeyBar
from .widgets.text import plain

AUTOSAVE_SECONDS = 1.5
TEXT_FIELDS = ("mood", "bedtime_concern", "actions")
STATES = [(STATE_WORDS[s], s) for s in ("settled", "watch", "unsettled")]
# The fields the child may read one day: the guide's words are noted below each.
WORD_FIELDS = ("mood", "events", "bedtime_concern", "actions", "home_notes")


class MissingDialog(Dialog[bool]):
    """Children nobody wrote about are named before the handover is submitted."""

    DEFAULT_CSS = """
    MissingDialog > Vertical { width: 76; padding: 1 2; border: thick $warning; }
    """
    BINDINGS = [
        Binding(
            "n",
            "pass_them",
            "Nothing to add",
            id="missing.pass",
            tooltip="Submit, passing these children with 'nothing to add'",
        ),
        Binding("escape", "back", "Back", id="missing.back", tooltip="Go back and write them"),
    ]

    def __init__(self, names: list[str]) -> None:
        super().__init__()
        self.names = names

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text("No entry yet for:", style="bold"))
            yield Static(plain("\n".join(f"  ✗ {n}" for n in self.names)))
            yield Label("n: submit with 'nothing to add' for them · Esc: go back and write")

    def action_pass_them(self) -> None:
        self.dismiss(True)

    def action_back(self) -> None:
        self.dismiss(False)


class HandoverWriteScreen(ServiceCalls, ModalScreen[None]):
    """Full-screen writer for one shift's handover (a modal over the board)."""

    app: Host
    CSS_PATH = "handover_write.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="write.save", tooltip="Save this entry now"),
        Binding(
            "ctrl+n",
            "next_missing",
            "Next unwritten",
            id="write.next",
            tooltip="Jump to the next child without an entry",
        ),
        Binding(
            "ctrl+o",
            "nothing",
            "Nothing to add",
            id="write.nothing",
            tooltip="Pass this child with 'nothing to add'",
        ),
        Binding(
            "ctrl+t",
            "submit",
            "Submit",
            id="write.submit",
            tooltip="Submit the handover: it becomes final",
        ),
        Binding(
            "escape",
            "leave",
            "Back",
            id="write.back",
            tooltip="Back to the board (what is typed is saved first)",
        ),
        *LEAVING_KEYS,
    ]

    def __init__(self, shift: ShiftRef) -> None:
        super().__init__()
        self.shift = shift
        self.sheet: Sheet | None = None
        self.child_id: int | None = None
        self.dirty = False
        self.edits = 0  # counts changes, so one typed during a save keeps it dirty
        self.not_saved = ""  # why the last save failed
        self.notes_dirty = False
        self.notes_saved = ""  # the home notes as last read or saved
        self._timer: Timer | None = None
        self._lock = asyncio.Lock()  # one save at a time
        self.guide = language.OFF  # the home's language guide, once read
        self._move_lock = asyncio.Lock()  # one move at a time, in the order pressed
        self._wanted: int | None = None  # the child last picked in the list

    @property
    def actor(self) -> Actor:
        return self.app.ctx.actor

    def compose(self) -> ComposeResult:
        yield Header(icon="≡")
        yield Static(id="title")
        with Horizontal():
            yield OptionList(id="kids")
            with Vertical(id="form"):
                yield Static(id="who")
                with Grid():
                    yield Label("State")
                    yield Select(
                        STATES, value="settled", allow_blank=False, id="state", compact=True
                    )
                    yield Label("Mood / presentation")
                    with Vertical(classes="field"):
                        yield Input(id="mood", compact=True, placeholder="how they seemed today")
                        yield LanguageNote(id="lang-mood")
                    yield Label("Significant events")
                    with Vertical(classes="field"):
                        yield TextArea(id="events")
                        yield LanguageNote(id="lang-events")
                    yield Label("☾ Bedtime concern")
                    with Vertical(classes="field"):
                        yield Input(
                            id="bedtime_concern",
                            compact=True,
                            placeholder="worries about tonight, if any",
                        )
                        yield LanguageNote(id="lang-bedtime_concern")
                    yield Label("Actions next shift")
                    with Vertical(classes="field"):
                        yield Input(id="actions", compact=True, placeholder="what must happen")
                        yield LanguageNote(id="lang-actions")
                yield Static(classes="error", id="err-entry")
                # The note shares the label's line: below the field it would
                # fall off the foot of an 80x24 terminal.
                with Horizontal(classes="notes-label"):
                    yield Label("Notes for the whole home")
                    yield LanguageNote(id="lang-home_notes")
                yield TextArea(id="home_notes")
        yield Static(id="status")
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = f"{self.actor.name} · Writing the handover"
        self.query_one("#title", Static).update(
            Text.assemble(
                ("Writing: ", "bold"),
                self.shift.label(),
                " — tab between fields, ctrl+n next unwritten, ctrl+t submit",
            )
        )
        self.open_sheet()

    # --- loading -----------------------------------------------------------

    @work(exclusive=True, group="write-load")
    async def open_sheet(self) -> None:
        actor, shift = self.actor, self.shift
        try:
            handover_id = await answer(partial(handover.open_handover, actor, shift))
            sheet = await answer(partial(handover.sheet, actor, handover_id))
        except ServiceError as exc:
            self._status(str(exc), error=True)
            return
        self.sheet = sheet
        self._fill_list()
        self.guide = await self._read_guide(actor)
        with self.prevent(TextArea.Changed):
            self.query_one("#home_notes", TextArea).text = sheet.home_notes
        self.notes_saved = sheet.home_notes
        self._check_words("home_notes")
        first = next(
            (cid for cid, _ in sheet.children if cid not in sheet.entries),
            sheet.children[0][0] if sheet.children else None,
        )
        if first is not None:
            self._show_child(first)
        self.query_one("#state", Select).focus()

    @staticmethod
    async def _read_guide(actor: Actor) -> language.Guide:
        """Read once as the writer opens: no database read per keystroke."""
        try:
            return await answer(partial(language.guide_for, actor))
        except ServiceError:
            return language.OFF  # the notes only help: without them, writing goes on

    def _check_words(self, *fields: str) -> None:
        """Point out the guide's words below the fields named (all by default)."""
        for name in fields or WORD_FIELDS:
            field = self.query_one(f"#{name}")
            text = (
                field.text
                if isinstance(field, TextArea)
                else self.query_one(f"#{name}", Input).value
            )
            self.query_one(f"#lang-{name}", LanguageNote).check(text, self.guide)

    @on(Input.Changed)
    @on(TextArea.Changed)
    def _typed_words(self, event: Input.Changed | TextArea.Changed) -> None:
        control = event.input if isinstance(event, Input.Changed) else event.text_area
        if control.id in WORD_FIELDS:
            self._check_words(control.id)

    def _mark(self, child_id: int) -> str:
        entry = self.sheet.entries.get(child_id) if self.sheet else None
        if entry is None:
            return "✗"
        return "–" if entry.nothing_to_add else "✓"

    def _fill_list(self) -> None:
        if self.sheet is None:
            return
        kids = self.query_one("#kids", OptionList)
        highlighted = kids.highlighted
        # Redrawing the ticks is not the user moving to another child.
        with self.prevent(OptionList.OptionHighlighted):
            kids.clear_options()
            kids.add_options(
                [
                    Option(Text.assemble(f"{self._mark(cid)} ", plain(name)), id=str(cid))
                    for cid, name in self.sheet.children
                ]
            )
            if highlighted is not None and kids.option_count:
                kids.highlighted = min(highlighted, kids.option_count - 1)
        written = sum(1 for cid, _ in self.sheet.children if cid in self.sheet.entries)
        kids.border_title = f"{written}/{len(self.sheet.children)} written"

    def _show_child(self, child_id: int) -> None:
        if self.sheet is None:
            return
        self.child_id = child_id
        entry = self.sheet.entries.get(child_id) or HandoverEntryIn(child_id=child_id)
        self._show_who()
        with self.prevent(Input.Changed, TextArea.Changed, Select.Changed):
            self.query_one("#state", Select).value = entry.state
            for name_ in TEXT_FIELDS:
                self.query_one(f"#{name_}", Input).value = getattr(entry, name_)
            self.query_one("#events", TextArea).text = entry.events
        self._check_words("mood", "events", "bedtime_concern", "actions")
        self.query_one("#err-entry", Static).update("")
        self.dirty = False
        self._highlight(child_id)

    def _highlight(self, child_id: int) -> None:
        if self.sheet is None:
            return
        index = next(i for i, (cid, _) in enumerate(self.sheet.children) if cid == child_id)
        kids = self.query_one("#kids", OptionList)
        with self.prevent(OptionList.OptionHighlighted):
            kids.highlighted = index

    def _show_who(self) -> None:
        if self.sheet is None or self.child_id is None:
            return
        name = dict(self.sheet.children).get(self.child_id, "")
        mark = {"✗": "no entry yet", "–": "nothing to add", "✓": "written"}[
            self._mark(self.child_id)
        ]
        self.query_one("#who", Static).update(Text.assemble(plain(name, "bold"), f"  ({mark})"))

    def on_database_changed(self, _: DatabaseChanged) -> None:
        self.refresh_marks()

    def refresh_marks(self) -> None:
        """Another terminal wrote: update the ticks, never what is being typed."""
        if self.sheet is None:
            return
        actor, handover_id = self.actor, self.sheet.handover_id
        # Through call_service: the answer is dropped if the writer has closed meanwhile.
        self.call_service(
            lambda: handover.sheet(actor, handover_id), self._marks_read, group="write-marks"
        )

    def _marks_read(self, sheet: Sheet) -> None:
        # Read now, after the wait: the person may have moved on meanwhile, and
        # only the child on screen, untouched since its last save, is redrawn.
        current = self.child_id
        changed = (
            current is not None
            and not self.dirty
            and not self._move_lock.locked()
            and self.sheet is not None
            and sheet.entries.get(current) != self.sheet.entries.get(current)
        )
        self.sheet = sheet
        self._fill_list()
        if changed and current is not None:
            self._show_child(current)
            self._status("This entry was changed on another terminal; showing the new text.")

    # --- typing and saving -------------------------------------------------

    @on(Input.Changed)
    @on(Select.Changed)
    @on(TextArea.Changed, "#events")
    def _typed(self) -> None:
        self.dirty = True
        self.edits += 1
        self._schedule()

    @on(TextArea.Changed, "#home_notes")
    def _typed_notes(self) -> None:
        self.notes_dirty = True
        self._schedule()

    def _schedule(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(AUTOSAVE_SECONDS, self._autosave)

    def _autosave(self) -> None:
        self.run_worker(self.save_now(), group="write-save")

    def _form(self) -> HandoverEntryIn | None:
        if self.child_id is None:
            return None
        try:
            return HandoverEntryIn(child_id=self.child_id, **self._words())
        except ValidationError as exc:
            problems = "; ".join(f"{k}: {v}" for k, v in field_errors(exc).items())
            self.query_one("#err-entry", Static).update(plain(f"✗ {problems}"))
            return None

    async def keep_before_switch(self) -> str | None:
        """Someone else is signing in, or keywork is closing: save what is typed,
        under its author. Returns why it could not be saved, if not."""
        if self._timer is not None:
            self._timer.stop()
        self._mark_unsaved_words()
        if await self.save_now():
            return None
        return f"the handover being written: {self.not_saved}"

    def _mark_unsaved_words(self) -> None:
        """The words themselves, not only the flags: a key's edit can be in its
        field before the message that marks the form changed (Ctrl+Q straight
        after typing)."""
        if self.sheet is None or self.child_id is None:
            return
        shown = self.sheet.entries.get(self.child_id) or HandoverEntryIn(child_id=self.child_id)
        words = self._words()
        if words != {name: getattr(shown, name) for name in words}:
            self.dirty = True
        if self.query_one("#home_notes", TextArea).text != self.notes_saved:
            self.notes_dirty = True

    def _words(self) -> dict[str, object]:
        """What the entry's fields hold, by the entry's field names."""
        words: dict[str, object] = {
            name: self.query_one(f"#{name}", Input).value for name in TEXT_FIELDS
        }
        words["state"] = self.query_one("#state", Select).value
        words["events"] = self.query_one("#events", TextArea).text
        return words

    async def save_now(self) -> bool:
        """Save what is typed; True when nothing is left unsaved."""
        async with self._lock:
            ok = True
            if self.dirty and self.sheet is not None:
                ok = await self._save_entry(self._form())
            if self.notes_dirty and self.sheet is not None:
                ok = await self._save_notes() and ok
            return ok

    async def _save_entry(self, data: HandoverEntryIn | None) -> bool:
        if data is None or self.sheet is None:
            return False
        edits = self.edits
        try:
            await answer(partial(handover.write_entry, self.actor, self.sheet.handover_id, data))
        except ServiceError as exc:
            self._status(f"Not saved: {exc}. Your text is still here.", error=True)
            return False
        self.sheet.entries[data.child_id] = data
        if data.child_id == self.child_id and edits == self.edits:
            self.dirty = False
        self.query_one("#err-entry", Static).update("")
        self._fill_list()
        self._show_who()
        name = dict(self.sheet.children).get(data.child_id, "the entry")
        self._status(f"Saved {name} at {clock.now():%H:%M:%S}.")
        return True

    async def _save_notes(self) -> bool:
        if self.sheet is None:
            return False
        text = self.query_one("#home_notes", TextArea).text
        try:
            await answer(
                partial(handover.save_home_notes, self.actor, self.sheet.handover_id, text)
            )
        except (ServiceError, ValidationError) as exc:
            self._status(f"Home notes not saved: {exc}", error=True)
            return False
        self.notes_dirty, self.notes_saved = False, text
        return True

    def _status(self, message: str, *, error: bool = False) -> None:
        if error:
            self.not_saved = message  # what keep_before_switch names on leaving
        status = self.query_one("#status", Static)
        status.set_class(error, "-error")
        status.update(plain(("✗ " if error else "") + message))

    # --- moving between children -------------------------------------------
    #
    # A key acts on the child shown when it was pressed. Moves run one at a
    # time, in the order pressed; one that finds another child on screen by
    # the time its turn comes does nothing, so a quick second Ctrl+O never
    # passes a child nobody has looked at.

    def _in_turn(self, step: Callable[[int], Awaitable[None]]) -> None:
        pressed_on = self.child_id
        if pressed_on is not None:
            self.run_worker(self._take_turn(step, pressed_on), group="write-move")

    async def _take_turn(self, step: Callable[[int], Awaitable[None]], pressed_on: int) -> None:
        async with self._move_lock:
            if pressed_on == self.child_id:
                await step(pressed_on)

    async def _leave_child(self) -> bool:
        """Save what is typed before showing another child; False to stay, as when
        the save failed or more was typed while it ran."""
        if not await self.save_now():
            return False
        if self.dirty:
            await self.save_now()
            return False  # typing goes on here: the move waits for another key
        return True

    async def _move(self, to: int) -> None:
        if to != self.child_id and await self._leave_child():
            self._show_child(to)
            self.query_one("#state", Select).focus()

    @on(OptionList.OptionSelected, "#kids")
    @on(OptionList.OptionHighlighted, "#kids")
    def _pick(self, event: OptionList.OptionSelected | OptionList.OptionHighlighted) -> None:
        self._wanted = int(event.option.id or 0)
        focus_form = isinstance(event, OptionList.OptionSelected)
        self.run_worker(self._follow_list(focus_form), group="write-move")

    async def _follow_list(self, focus_form: bool) -> None:
        """Show the child last picked in the list (quick arrowing skips between)."""
        async with self._move_lock:
            wanted = self._wanted
            if wanted is not None and wanted != self.child_id and await self._leave_child():
                self._show_child(wanted)
            elif self.child_id is not None:
                self._highlight(self.child_id)  # the list shows who the form is about
            if focus_form and self.child_id == wanted:
                self.query_one("#state", Select).focus()

    def _next_missing(self, from_child: int | None, *, here_too: bool = False) -> int | None:
        """The next child without an entry after `from_child` (or it, with `here_too`)."""
        if self.sheet is None:
            return None
        order = [cid for cid, _ in self.sheet.children]
        start = order.index(from_child) if from_child in order else 0
        if not here_too and from_child in order:
            start += 1
        for cid in order[start:] + order[:start]:
            if cid not in self.sheet.entries and (here_too or cid != from_child):
                return cid
        return None

    def action_next_missing(self) -> None:
        self._in_turn(self._to_next_missing)

    async def _to_next_missing(self, shown: int) -> None:
        target = self._next_missing(shown)
        if target is None:
            self.notify("Every child has an entry. Ctrl+T submits.")
            return
        await self._move(target)

    def action_save(self) -> None:
        self.dirty = self.dirty or self.child_id is not None
        self.run_worker(self.save_now(), group="write-save")

    def action_nothing(self) -> None:
        self._in_turn(self._pass)

    async def _pass(self, shown: int) -> None:
        data = self._form()
        if data is None or data.child_id != shown:
            return
        if any((data.mood, data.events, data.bedtime_concern, data.actions)):
            self._status("This entry has text: clear it first, or save it as written.", error=True)
            return
        async with self._lock:
            saved = await self._save_entry(data.model_copy(update={"nothing_to_add": True}))
        target = self._next_missing(shown)
        if saved and target is not None and not self.dirty:
            self._show_child(target)
            self.query_one("#state", Select).focus()

    def action_submit(self) -> None:
        self._in_turn(self._submit_shown)

    async def _submit_shown(self, _shown: int) -> None:
        if self.sheet is not None and await self._leave_child():
            await self._submit(pass_missing=False)

    async def _submit(self, *, pass_missing: bool) -> None:
        if self.sheet is None:
            return
        try:
            await answer(
                partial(
                    handover.submit, self.actor, self.sheet.handover_id, pass_missing=pass_missing
                )
            )
        except MissingEntriesError as exc:
            self.app.push_screen(MissingDialog(exc.names), self._missing_answer)
            return
        except ServiceError as exc:
            self._status(str(exc), error=True)
            return
        self.notify(f"{self.shift.label()}: handover submitted.")
        self.dismiss(None)

    def _missing_answer(self, pass_them: bool | None) -> None:
        if pass_them:
            self.run_worker(self._submit(pass_missing=True), group="write-save")
        else:
            self._in_turn(self._to_first_missing)

    async def _to_first_missing(self, shown: int) -> None:
        """Back from "no entry yet for": the child shown, if it is one of them."""
        target = self._next_missing(shown, here_too=True)
        if target is not None:
            await self._move(target)
        self.query_one("#state", Select).focus()

    def action_leave(self) -> None:
        self.run_worker(self._leave(), group="write-move")

    async def _leave(self) -> None:
        async with self._move_lock:
            if await self.save_now():
                self.dismiss(None)
