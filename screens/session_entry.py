"""Session entry: logging a key-work session from the keyboard.

The form is kept as a draft a moment after typing stops, so a dropped
connection loses at most a few seconds; reopening offers the draft back.
Errors show beside their field and nothing typed is cleared until it is saved.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterable
from functools import partial
from typing import Any

from pydantic import ValidationError
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import DescendantBlur
from textual.suggester import SuggestFromList
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static, TextArea

from keywork_tui.calendar import describe_when
from keywork_tui.outputs import ChildOut, SessionOut
from keywork_tui.schemas import SessionIn, field_errors
from keywork_tui.services import FieldError, ServiceError, clock
from keywork_tui.services.child_file import language, sessions
from keywork_tui.services.team import people

from . import modes
from .base import ModeScreen
from .language_note import LanguageNote
from .messages import RecordsWritten
from .service_calls import answer
from .session_dialogs import NEW, DraftsDialog
from .session_form import PURPOSE_WORDS, ActionRow, ProgressBox
from .widgets.text import plain
from .widgets.tick_list import TickList

AUTOSAVE_SECONDS = 1.5
PURPOSES = list(PURPOSE_WORDS)
ERROR_SLOTS = (
    "child_id",
    "held_at",
    "minutes",
    "purposes",
    "summary",
    "views",
    "actions",
    "progress",
    "concern_text",
    "form",
)
# Fields that share a line show their errors in that line's slot.
SLOT_OF = {
    "activity": "minutes",
    "kind": "minutes",
    "concern": "concern_text",
    "bedtime": "concern_text",
}
CONTENT = (Input.Changed, TextArea.Changed, Select.Changed)
# The fields whose words the child may read one day, each with a note below it.
WORD_FIELDS = ("summary", "views", "actions", "concern_text")


class Form(VerticalScroll):
    """Scrolls with the focused field; never takes focus itself."""

    can_focus = False


# The fields whose words are compared on leaving, as well as the changed flag.
WORD_INPUTS = ("child", "minutes", "activity", "concern_text")
WORD_AREAS = ("summary", "views")


class SessionEntryScreen(ModeScreen):
    MODE_TITLE = modes.title("session")
    # Focus is placed by hand: the summary once a child is chosen, else the child.
    AUTO_FOCUS = None
    not_kept = ""  # why the last attempt to keep a draft failed
    errors: dict[str, str] = {}  # the messages shown beside fields, by slot
    service_errors: set[str] = set()  # which of them the services gave
    guide: language.Guide = language.OFF  # the home's language guide, once read
    CSS_PATH = "session_entry.tcss"
    BINDINGS = [
        Binding(
            "ctrl+s",
            "save(False)",
            "Save draft",
            id="session.draft",
            tooltip="Keep this session as a draft to finish later",
        ),
        Binding(
            "ctrl+f",
            "save(True)",
            "Finalise",
            id="session.finalise",
            tooltip="Write the session up: it becomes part of the child's file",
        ),
        Binding(
            "ctrl+r",
            "add_action",
            "Add action",
            id="session.add_action",
            tooltip="Another line for an action agreed, with who and by when",
        ),
        Binding(
            "ctrl+o",
            "drafts",
            "Drafts",
            id="session.drafts",
            tooltip="Your kept drafts: carry one on or discard it",
        ),
        Binding(
            "ctrl+n",
            "new",
            "New",
            id="session.new",
            tooltip="Start a new session; the one on screen stays kept as a draft",
        ),
        Binding(
            "escape",
            "leave",
            "Back",
            id="session.back",
            tooltip="Back to where you came from; the form is kept as a draft",
        ),
    ]

    def compose_body(self) -> ComposeResult:
        with Form():
            yield from self._compose_when()
            with Horizontal(id="writing"):
                with Vertical(id="texts"):
                    yield Label("Summary", classes="field")
                    yield TextArea(id="summary")
                    yield LanguageNote(id="lang-summary")
                    yield Static(classes="error", id="err-summary")
                    yield Label("The child's views, wishes and feelings", classes="field")
                    yield TextArea(id="views")
                    yield LanguageNote(id="lang-views")
                    yield Static(classes="error", id="err-views")
                with Vertical(id="purpose-box"):
                    yield Label("Purpose (space ticks)", classes="field")
                    yield TickList(list(enumerate(PURPOSE_WORDS.values())), set(), id="purposes")
                    yield Static(classes="error", id="err-purposes")
            yield Label("Actions agreed (Ctrl+R adds another)", classes="field")
            yield Vertical(id="actions")
            yield LanguageNote(id="lang-actions")
            yield Static(classes="error", id="err-actions")
            yield Label("Progress on open targets", classes="field")
            yield ProgressBox(id="progress")
            yield Static(classes="error", id="err-progress")
            yield from self._compose_concern()
            yield Static(classes="error", id="err-form")
        yield Static(id="status")

    def _compose_when(self) -> ComposeResult:
        with Horizontal(classes="row"):
            yield Label("Child")
            yield Input(id="child", placeholder="type a name", compact=True)
            yield Static(classes="note", id="child-found")
        yield Static(classes="error", id="err-child_id")
        with Horizontal(classes="row"):
            yield Label("Held")
            yield Input(
                "now", id="held_at", placeholder="now, yesterday 16:30, last fri", compact=True
            )
            yield Static(classes="note", id="parsed")
        yield Static(classes="error", id="err-held_at")
        with Horizontal(classes="row"):
            yield Label("Minutes")
            yield Input("30", id="minutes", type="integer", compact=True)
            yield Select(
                [("informal", "informal"), ("formal", "formal")],
                value="informal",
                allow_blank=False,
                id="kind",
                compact=True,
            )
            yield Input(id="activity", placeholder="activity (walk, cooking…)", compact=True)
        yield Static(classes="error", id="err-minutes")

    def _compose_concern(self) -> ComposeResult:
        yield Label(
            "Concern for the manager and the next handover (blank if none)", classes="field"
        )
        yield Input(id="concern_text", compact=True, placeholder="no concern")
        yield LanguageNote(id="lang-concern_text")
        # Words, not a tick box: a ticked box differs only by colour.
        yield Select(
            [
                ("not about bedtime", False),
                ("☾ about bedtime or the night: night staff are told", True),
            ],
            value=False,
            allow_blank=False,
            id="bedtime",
            compact=True,
        )
        yield Static(classes="error", id="err-concern_text")
        yield Label("Who may read it", classes="field")
        yield Select(
            [
                ("everyone in the home", False),
                ("restricted: the key worker, cover and managers only", True),
            ],
            value=False,
            allow_blank=False,
            id="restricted",
            compact=True,
        )

    # --- opening ---------------------------------------------------------

    def __init__(self) -> None:
        super().__init__()
        self.children_here: list[ChildOut] = []
        self.child: ChildOut | None = None
        self.session_id: int | None = None
        self.dirty = False
        self.clean_words: tuple[str, ...] = ()  # the words as last kept, loaded or cleared
        self.kept_at: dt.datetime | None = None
        self.origin: str | None = None  # the mode to go back to once saved
        self.pending: int | None = None  # the child chosen where the key was pressed
        self._timer: Timer | None = None
        self._lock = asyncio.Lock()
        self._open_lock = asyncio.Lock()
        self._offered = False

    def on_mount(self) -> None:
        self.query_one("#actions", Vertical).mount(ActionRow(who=self.ctx.actor.name))
        self._show_parsed("now")
        self._show_errors({})
        self._status("Kept as a draft a moment after you stop typing · Ctrl+F finalises.")
        self.open_up()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.open_up()

    def open_for(self, child_id: int, origin: str | None) -> None:
        """A "record a session" key elsewhere chose this child; once saved, the
        screen goes back to `origin`."""
        self.pending, self.origin = child_id, origin
        self.call_after_refresh(self.open_up)
        if self.child is None:
            # Typing may begin before the child is read in: it is the summary's.
            if self.is_mounted:
                self._summary_first()
            else:
                self.call_after_refresh(self._summary_first)

    def _summary_first(self) -> None:
        if self.child is None and self.pending is not None:
            self.query_one("#summary", TextArea).focus()

    def open_up(self) -> None:
        self.run_worker(self._open_up(), group="open")
        # Textual's run_worker cannot infer a result from an async method passed uncalled.
        self.run_worker(self._read_guide, group="guide", exclusive=True)  # type: ignore[arg-type]

    async def _open_up(self) -> None:
        """Read the children, then take the child chosen elsewhere or offer drafts.
        One at a time: mounting and resuming both ask, and neither may be cut short."""
        async with self._open_lock:
            await self._open_up_locked()

    async def _open_up_locked(self) -> None:
        self.children_here = await answer(
            partial(people.children_in_placement, self.ctx.home.id, clock.today())
        )
        names = [c.short_name for c in self.children_here]
        names += [f"{c.first_name} {c.last_name}" for c in self.children_here]
        self.query_one("#child", Input).suggester = SuggestFromList(names, case_sensitive=False)
        if self.pending is not None:
            await self._take_pending()
            return
        if self.child is None:
            # No child yet: whatever is typed next is their name, wherever the
            # cursor was left last time.
            self.query_one("#child", Input).focus()
        elif self.focused is None or self.focused is self.query_one(Form):
            self.query_one("#summary").focus()
        if not self._offered and self.child is None and self._blank():
            self._offered = True
            await self._offer_drafts(None)

    async def _read_guide(self) -> None:
        """The home's language guide, read once each time the screen opens: a
        manager's change reaches the next form without a read per keystroke."""
        try:
            self.guide = await answer(partial(language.guide_for, self.ctx.actor))
        except ServiceError:
            self.guide = language.OFF  # the notes only help: without them, typing goes on
        self._check_words()

    async def _take_pending(self) -> None:
        child_id, self.pending = self.pending, None
        child = next((c for c in self.children_here if c.id == child_id), None)
        if child is None or (self.child is not None and self.child.id == child.id):
            self.query_one("#summary", TextArea).focus()
            return
        # Text typed before any child was chosen stays, for this child.
        if self.child is not None:
            if not await self._keep_now():
                self.notify(
                    "The session on screen could not be kept as a draft: correct it first.",
                    severity="warning",
                )
                return
            self._clear()
        await self._choose(child)
        self.query_one("#summary", TextArea).focus()
        if self.session_id is None and self._blank():
            await self._offer_drafts(child.id)

    async def _offer_drafts(self, child_id: int | None) -> None:
        drafts = await answer(partial(sessions.drafts_of, self.ctx.actor))
        if child_id is not None:
            drafts = [d for d in drafts if d.child_id == child_id]
        if not drafts:
            return
        names = {c.id: c.short_name for c in self.children_here}
        title = (
            "You have an unfinished session for this child."
            if child_id
            else "You have unfinished sessions kept as drafts."
        )
        self.app.push_screen(DraftsDialog(drafts, names, title), self._drafts_chosen)

    def action_drafts(self) -> None:
        self.run_worker(self._offer_drafts(None), group="open")

    def _drafts_chosen(self, choice: int | str | None) -> None:
        if choice is None or choice == NEW:
            return
        if isinstance(choice, str) and choice.startswith("discard:"):
            self.discard(int(choice.split(":")[1]))
            return
        self.load_draft(int(choice))

    @work(group="write")
    async def discard(self, session_id: int) -> None:
        async with self._lock:
            try:
                await answer(partial(sessions.discard_draft, self.ctx.actor, session_id))
            except ServiceError as exc:
                self.notify(str(exc), severity="error")
                return
            if self.session_id == session_id:
                self._clear()
        self.notify("Draft discarded.")
        self.post_message(RecordsWritten())

    @work(group="write")
    async def load_draft(self, session_id: int) -> None:
        async with self._lock:
            if self.dirty or self.session_id not in (None, session_id):
                await self._keep_locked()
            draft = await answer(partial(sessions.get_session, self.ctx.actor, session_id))
            progress = await answer(partial(sessions.progress_of, self.ctx.actor, session_id))
        child = next((c for c in self.children_here if c.id == draft.child_id), None)
        if child is None:
            self.notify("That child is no longer in placement.", severity="warning")
            return
        self._clear()
        await self._choose(child, {p.target_id: p.note for p in progress})
        self._fill(draft)
        self.session_id = draft.id
        self._status(f"Carrying on the draft held {draft.held_at:%a %d %b %H:%M}.")
        self.query_one("#summary", TextArea).focus()

    # --- the child ----------------------------------------------------------

    async def _choose(self, child: ChildOut, notes: dict[int, str] | None = None) -> None:
        self.child = child
        with self.prevent(*CONTENT):
            self.query_one("#child", Input).value = child.short_name
        self._show_child([child])
        targets = await answer(partial(sessions.open_targets, self.ctx.actor, child.id))
        with self.prevent(*CONTENT):
            self.query_one(ProgressBox).show(targets, notes or {})

    def _show_child(self, found: list[ChildOut]) -> None:
        note = self.query_one("#child-found", Static)
        if len(found) == 1:
            child = found[0]
            note.update(plain(f"✓ {child.display_name}, {child.age_on(clock.today())}"))
        elif found:
            names = ", ".join(c.short_name for c in found[:4])
            note.update(plain(f"? {names}: type more"))
        else:
            note.update("✗ no child of this home by that name")

    def on_input_changed(self, event: Input.Changed) -> None:
        self._check_changed(event.input)
        if event.input.id == "child":
            found = people.match_children(self.children_here, event.value)
            self._show_child(found) if event.value.strip() else self._show_child_blank()
            return
        if event.input.id == "held_at":
            self._show_parsed(event.value)
        self._touched_by(event.input)

    def _show_child_blank(self) -> None:
        self.query_one("#child-found", Static).update("type a preferred or legal name")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "child":
            self._settle_child()
            self.focus_next()

    def on_descendant_blur(self, event: DescendantBlur) -> None:
        if getattr(event.widget, "id", None) == "child":
            self._settle_child()

    def _settle_child(self) -> None:
        """Leaving the child field: a single match becomes the chosen child."""
        found = people.match_children(self.children_here, self.query_one("#child", Input).value)
        if len(found) == 1 and (self.child is None or found[0].id != self.child.id):
            self.run_worker(self._switch_child(found[0]), group="child")
        elif len(found) != 1:
            self.child = None

    async def _switch_child(self, child: ChildOut) -> None:
        await self._choose(child)
        self._recheck("child_id")
        self._touched()

    # --- typing and keeping ---------------------------------------------------

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self._check_changed(event.text_area)
        self._touched_by(event.text_area)

    def on_select_changed(self, event: Select.Changed) -> None:
        self._touched_by(event.select)

    def on_tick_list_changed(self, _: TickList.Changed) -> None:
        self._recheck("purposes")
        self._touched()

    def _touched_by(self, widget: Widget) -> None:
        """Only what the person changes counts: a field mounting or being filled
        from a draft reports a change too, and must not make a draft of nothing."""
        focused = self.focused
        if focused is not None and widget in focused.ancestors_with_self:
            slot = _slot_of(widget)
            self._recheck(slot)
            self._touched(slot)

    def _touched(self, changed: str | None = None) -> None:
        if changed != "held_at":
            self._pin_now()
        if self.not_kept:  # an old reason must not outlive the change that answers it
            self.not_kept = ""
            self._status("")
        self.dirty = True
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(AUTOSAVE_SECONDS, self._autosave)

    def _autosave(self) -> None:
        if self.dirty and self.child is not None:
            self.run_worker(self._keep_now(), group="write")

    async def keep_before_switch(self) -> str | None:
        """Someone else is signing in, or keywork is closing: keep what reads as
        a draft, under its author. Returns why it could not be kept, if not."""
        if self._timer is not None:
            self._timer.stop()
        if await self._keep_now():
            return None
        return f"the session being written: {self.not_kept}"

    async def _keep_now(self) -> bool:
        async with self._lock:
            return await self._keep_locked()

    async def _keep_locked(self) -> bool:
        """Keep the form as a draft if it reads as one; say why not otherwise."""
        # The words themselves, not only the flag: a signal can arrive between a
        # key's edit and the message that marks the form changed.
        if not self.dirty and self._words() == self.clean_words:
            return True
        if self.child is None and self._blank():
            self._mark_clean()  # nothing of a session to keep
            return True
        data, errors = self._read()
        if data is None:
            return self._not_kept(next(iter(errors.values())))
        try:
            saved = await answer(
                partial(sessions.save_session, self.ctx.actor, data, self.session_id)
            )
        except ServiceError as exc:
            return self._not_kept(str(exc))
        self.session_id, self.kept_at = saved.id, clock.now()
        self._mark_clean()
        self._status(f"Draft kept at {self.kept_at:%H:%M:%S}.")
        return True

    def _not_kept(self, why: str) -> bool:
        self.not_kept = why
        self._status(f"Not kept yet: {why}.")
        return False

    def _status(self, words: str) -> None:
        self.query_one("#status", Static).update(plain(words))

    # --- words for the child ---------------------------------------------------

    def _check_words(self, *fields: str) -> None:
        """Point out the guide's words below the fields named (all by default)."""
        for name in fields or WORD_FIELDS:
            self.query_one(f"#lang-{name}", LanguageNote).check(self._text_of(name), self.guide)

    def _check_changed(self, widget: Widget) -> None:
        field = _words_of(widget)
        if field is not None:
            self._check_words(field)

    def _text_of(self, field: str) -> str:
        if field == "actions":
            rows = self.query("ActionRow > .what").results(Input)  # a row just added has none yet
            return "\n".join(field.value for field in rows)
        if field == "concern_text":
            return self.query_one("#concern_text", Input).value
        return self.query_one(f"#{field}", TextArea).text

    # --- reading and filling the form ----------------------------------------

    def _show_parsed(self, text: str) -> None:
        when, words = describe_when(text, clock.now())
        self.query_one("#parsed", Static).update(plain(words + self._late_words(when)))

    def _late_words(self, when: dt.datetime | None) -> str:
        if when is None:
            return ""
        due = sessions.write_up_due(when, self.ctx.home.nation)
        return f" · write-up was due {due:%d %b}: late" if due < clock.today() else ""

    def _form(self) -> dict[str, Any]:
        held, _ = describe_when(self.query_one("#held_at", Input).value, clock.now())
        concern = self.query_one("#concern_text", Input).value.strip()
        purposes = self.query_one("#purposes", TickList).selected
        actions = [r.value(clock.today()) for r in self.query(ActionRow)]
        return {
            "child_id": self.child.id if self.child else None,
            "staff_id": self.ctx.actor.id,
            "held_at": held,
            "kind": self.query_one("#kind", Select).value,
            "activity": self.query_one("#activity", Input).value,
            "minutes": self.query_one("#minutes", Input).value or 0,
            "purposes": [PURPOSES[i] for i in purposes],
            "summary": self.query_one("#summary", TextArea).text,
            "views": self.query_one("#views", TextArea).text,
            "actions": [a for a in actions if a is not None],
            "progress": self.query_one(ProgressBox).value(),
            "concern": bool(concern),
            "concern_text": concern,
            "bedtime": bool(concern) and self.query_one("#bedtime", Select).value is True,
            "restricted": self.query_one("#restricted", Select).value is True,
        }

    def _read(self) -> tuple[SessionIn | None, dict[str, str]]:
        """The form as SessionIn, or every error found, each for its own field."""
        form = self._form()
        errors: dict[str, str] = {}
        if form["child_id"] is None:
            errors["child_id"] = "choose a child: type a name"
        if form["held_at"] is None:
            errors["held_at"] = "say when it was held, for example today 16:30 or last fri"
        try:
            # Stand-ins let the other fields be checked in the same pass.
            data = SessionIn(
                **{
                    **form,
                    "child_id": form["child_id"] or 0,
                    "held_at": form["held_at"] or clock.now(),
                }
            )
        except ValidationError as exc:
            errors = {**_slotted(field_errors(exc)), **errors}
            data = None
        return (None, errors) if errors else (data, {})

    def _fill(self, draft: SessionOut) -> None:
        with self.prevent(*CONTENT):
            self.query_one("#held_at", Input).value = f"{draft.held_at:%d/%m/%Y %H:%M}"
            self.query_one("#minutes", Input).value = str(draft.minutes)
            self.query_one("#kind", Select).value = draft.kind
            self.query_one("#activity", Input).value = draft.activity
            self.query_one("#summary", TextArea).text = draft.summary
            self.query_one("#views", TextArea).text = draft.views
            self.query_one("#concern_text", Input).value = draft.concern_text
            self.query_one("#bedtime", Select).value = draft.bedtime
            self.query_one("#restricted", Select).value = draft.restricted
        self._show_parsed(f"{draft.held_at:%d/%m/%Y %H:%M}")
        for name in ("summary", "views"):
            area = self.query_one(f"#{name}", TextArea)
            # Carry on typing where the words end, not before them.
            area.move_cursor(area.document.end)
        self._set_purposes({PURPOSES.index(p) for p in draft.purposes if p in PURPOSES})
        actions = self.query_one("#actions", Vertical)
        actions.remove_children()
        rows = [ActionRow(a) for a in draft.actions] or [ActionRow(who=self.ctx.actor.name)]
        actions.mount_all(rows)
        self._mark_clean()
        self.call_after_refresh(self._check_words)  # once the action rows are mounted

    def _set_purposes(self, ticked: set[int]) -> None:
        self.query_one("#purposes", TickList).set_ticked(ticked)

    def _clear(self) -> None:
        """An empty form; whatever was on screen is already kept or saved."""
        with self.prevent(*CONTENT):
            for field, value in (
                ("child", ""),
                ("held_at", "now"),
                ("minutes", "30"),
                ("activity", ""),
                ("concern_text", ""),
            ):
                self.query_one(f"#{field}", Input).value = value
            self.query_one("#kind", Select).value = "informal"
            self.query_one("#bedtime", Select).value = False
            self.query_one("#restricted", Select).value = False
            self.query_one("#summary", TextArea).text = ""
            self.query_one("#views", TextArea).text = ""
        self._set_purposes(set())
        actions = self.query_one("#actions", Vertical)
        actions.remove_children()
        actions.mount(ActionRow(who=self.ctx.actor.name))
        self.query_one(ProgressBox).remove_children()
        self._show_parsed("now")
        self._show_child_blank()
        self._show_errors({})
        self.call_after_refresh(self._check_words)
        self.child, self.session_id = None, None
        self._mark_clean()
        if self._timer is not None:
            self._timer.stop()

    def _words(self) -> tuple[str, ...]:
        """What has been typed into the form's own fields, as it stands."""
        typed = tuple(self.query_one(f"#{n}", Input).value for n in WORD_INPUTS)
        return typed + tuple(self.query_one(f"#{n}", TextArea).text for n in WORD_AREAS)

    def _mark_clean(self) -> None:
        self.dirty = False
        self.clean_words = self._words()

    def _blank(self) -> bool:
        """Nothing of a session typed yet."""
        return not any(
            self.query_one(f"#{name}", TextArea).text.strip() for name in ("summary", "views")
        )

    def _pin_now(self) -> None:
        """ "now" is the moment the session was first typed, shown as that time,
        so a draft kept later is not moved to the time it was kept."""
        held = self.query_one("#held_at", Input)
        # Not under the cursor: whoever is in the field is about to type over "now".
        if held.value.strip().lower() == "now" and not held.has_focus:
            with self.prevent(Input.Changed):
                held.value = f"{clock.now():%d/%m/%Y %H:%M}"
            self._show_parsed(held.value)

    def _recheck(self, changed: str | None) -> None:
        """A message beside a field clears once the field is right; typing adds none.
        One the services gave (they alone can check it) clears when its field changes."""
        if not self.errors:
            return
        _, found = self._read()
        kept = {}
        for slot, message in self.errors.items():
            if slot in found:
                kept[slot] = found[slot]
            elif slot in self.service_errors and slot != changed:
                kept[slot] = message
        if kept != self.errors:
            self._show_errors(kept, service=self.service_errors & kept.keys())

    def _show_errors(self, errors: dict[str, str], *, service: Iterable[str] = ()) -> None:
        self.errors, self.service_errors = dict(errors), set(service)
        for name in ERROR_SLOTS:
            slot = self.query_one(f"#err-{name}", Static)
            slot.update(plain(f"✗ {errors[name]}") if name in errors else "")
            # An empty slot takes no line: the form must fit 24 rows.
            slot.display = name in errors

    # --- keys -------------------------------------------------------------------

    def action_add_action(self) -> None:
        row = ActionRow(who=self.ctx.actor.name)
        self.query_one("#actions", Vertical).mount(row)
        self.call_after_refresh(lambda: row.query_one(Input).focus())

    def action_new(self) -> None:
        self.run_worker(self._new(), group="write")

    async def _new(self) -> None:
        async with self._lock:
            if not await self._keep_locked():
                self.notify(
                    "The session on screen could not be kept: correct it or finish it first.",
                    severity="warning",
                )
                return
        self._clear()
        self.query_one("#child", Input).focus()

    def action_leave(self) -> None:
        self.run_worker(self._leave(), group="write")

    async def _leave(self) -> None:
        async with self._lock:
            await self._keep_locked()
        self.app.switch_mode(self.origin or "handover")
        self.origin = None

    def action_save(self, finalise: bool) -> None:
        data, errors = self._read()
        if data is None:
            self._show_errors(errors)
            return
        if finalise and not data.summary:
            self._show_errors({"summary": "write a summary before finalising"})
            return
        self.save(data, finalise)

    @work(group="write")
    async def save(self, data: SessionIn, finalise: bool) -> None:
        async with self._lock:
            try:
                saved = await answer(
                    partial(
                        sessions.save_session,
                        self.ctx.actor,
                        data,
                        self.session_id,
                        finalise=finalise,
                    )
                )
            except FieldError as exc:
                errors = _slotted({exc.field: str(exc)})
                self._show_errors(errors, service=errors)
                return
            except ServiceError as exc:
                self._show_errors({"form": str(exc)}, service={"form"})
                return
            self._clear()
        word = "finalised" if finalise else "kept as a draft"
        name = self._child_name(saved.child_id)
        self.notify(f"Session with {name} {word} ({saved.held_at:%a %d %b %H:%M}).")
        self._status(f"Last: session with {name} {word}.")
        self.post_message(RecordsWritten())
        if self.origin:
            self.app.switch_mode(self.origin)
            self.origin = None

    def _child_name(self, child_id: int) -> str:
        return next((c.short_name for c in self.children_here if c.id == child_id), "the child")


def _words_of(widget: Widget) -> str | None:
    """Which field's words a changed widget holds, if the guide looks at it."""
    if widget.has_class("what") and isinstance(widget.parent, ActionRow):
        return "actions"
    return widget.id if widget.id in WORD_FIELDS else None


def _slot_of(widget: Widget) -> str | None:
    """The error slot a changed field's message shows in."""
    for node in widget.ancestors_with_self:
        if isinstance(node, ActionRow):
            return "actions"
        if isinstance(node, ProgressBox):
            return "progress"
        name = "child_id" if node.id == "child" else SLOT_OF.get(node.id or "", node.id)
        if name in ERROR_SLOTS:
            return name
    return None


def _slotted(errors: dict[str, str]) -> dict[str, str]:
    """Errors on a nested field (actions.0.by) go to their section's slot."""
    slots: dict[str, str] = {}
    for field, message in errors.items():
        head = field.split(".")[0]
        head = SLOT_OF.get(head, head)
        slot = head if head in ERROR_SLOTS else "form"
        if head in ("actions", "progress") and "." in field:
            message = f"{_line(field)}: {message}"
        slots.setdefault(slot, message)
    return slots


def _line(field: str) -> str:
    parts = field.split(".")
    number = int(parts[1]) + 1 if len(parts) > 1 and parts[1].isdigit() else 1
    what = {"by": "by when", "text": "what", "who": "who", "note": "note"}.get(parts[-1], "")
    return f"line {number}" + (f" ({what})" if what else "")
