"""A child's profile: about them, the people around them, their key workers,
sessions, targets, document reviews and dates, one tab each so it fits 80x24."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any, TypeVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Label, Static, TabbedContent, TabPane

from keywork_tui.schemas import AmendmentIn, EventIn, TargetIn, TargetReviewIn
from keywork_tui.services import clock
from keywork_tui.services.child_file import plans_and_events as records
from keywork_tui.services.child_file import profile, sessions
from keywork_tui.services.child_file.profile import (
    ChildProfile,
    DateLine,
    Page,
    ReviewLine,
    TargetLine,
)
from keywork_tui.services.child_file.session_line import SessionLine
from keywork_tui.services.team import people

from .base import ModeScreen
from .form_dialog import day_words
from .messages import OpenSession, RecordsWritten
from .pick_dialog import PickDialog
from .profile_dialogs import (
    AboutDialog,
    ContactDialog,
    EventDialog,
    OutcomeDialog,
    SessionDialog,
    SignificantDialog,
    TargetDialog,
)
from .report_dialog import report_on
from .widgets.text import plain

Row = TypeVar("Row")

TABS = {
    "about": "About",
    "contacts": "Contacts",
    "keyworkers": "Key workers",
    "sessions": "Sessions",
    "targets": "Targets",
    "reviews": "Reviews",
    "dates": "Dates",
}
HINTS = {
    "about": "e edits what is written here · keys 1-7 (or ← → on the tab bar) switch tabs",
    "sessions": "/ searches · Enter opens the highlighted session · s records a new one",
    "targets": "t adds a target · o records the outcome of the highlighted open target",
    "dates": "p adds a date: once or every year",
    "contacts": "n adds a contact · k changes one (a new number, a restriction)",
}


def _tab_bindings() -> list[Binding]:
    return [
        Binding(
            str(number),
            f"tab('{tab}')",
            words,
            show=False,
            id=f"profile.tab.{tab}",
            tooltip=f"Show the {words.lower()} tab",
        )
        for number, (tab, words) in enumerate(TABS.items(), start=1)
    ]


def _grid() -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(ratio=1)
    return grid


def _cut(value: str, width: int) -> str:
    """One line of at most `width` characters; the whole shows below the table."""
    line = " ".join(value.split())
    return line if len(line) <= width else line[: width - 1] + "…"


def _or_none(value: str) -> Text:
    return plain(value) if value else Text("not recorded yet", style="italic")


class ChildProfileScreen(ModeScreen):
    MODE_TITLE = "Profile"
    CSS_PATH = "child_profile.tcss"
    BINDINGS = [
        Binding(
            "escape",
            "close",
            "Close",
            id="profile.close",
            tooltip="Close the profile (from the search box: leave the search)",
        ),
        Binding(
            "slash", "search", "Search", id="profile.search", tooltip="Search the session history"
        ),
        Binding(
            "s",
            "session",
            "Session",
            id="profile.session",
            tooltip="Record a key-work session for this child",
        ),
        Binding(
            "e",
            "edit_about",
            "Edit",
            id="profile.edit_about",
            tooltip="Edit the child's preferred name, school, likes, dislikes and fears",
        ),
        Binding(
            "t",
            "add_target",
            "Target",
            id="profile.add_target",
            tooltip="Add a target for this child",
        ),
        Binding(
            "o",
            "outcome",
            "Outcome",
            id="profile.outcome",
            tooltip="Record the outcome of the highlighted open target",
        ),
        Binding(
            "p",
            "add_date",
            "Date",
            id="profile.add_date",
            tooltip="Add a personal date: an appointment, anniversary, court, contact",
        ),
        Binding(
            "n",
            "add_contact",
            "Contact",
            id="profile.add_contact",
            tooltip="Add a contact: social worker, family, GP, school, with any restriction",
        ),
        Binding(
            "k",
            "edit_contact",
            "Edit contact",
            id="profile.edit_contact",
            show=False,
            tooltip="Change a contact: a new number, a restriction added or lifted",
        ),
        Binding(
            "i",
            "significant",
            "Incident",
            id="profile.significant",
            tooltip="Record a significant event: missing from home, police, hospital, "
            "restraint, allegation",
        ),
        Binding(
            "r",
            "report",
            "Report",
            id="profile.report",
            tooltip="Write this child's report for a month or review period to a file (managers)",
        ),
        *_tab_bindings(),
    ]

    def __init__(self, child_id: int) -> None:
        super().__init__()
        self.child_id = child_id
        self.data: ChildProfile | None = None
        # The sessions read so far for the search as it stands, newest first.
        self.sessions: Page[SessionLine] = Page([], 0, 0, more=False)
        self.reviews: Page[ReviewLine] = Page([], 0, 0, more=False)
        self.searched = ""

    # --- layout ----------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        yield Static("Reading the profile…", id="headline")
        with TabbedContent(initial="about"):
            for tab, words in TABS.items():
                with TabPane(words, id=tab):
                    yield from self._pane(tab)

    def _pane(self, tab: str) -> ComposeResult:
        if tab == "sessions":
            with Horizontal(id="search"):
                yield Label("Search ")
                yield Input(
                    id="filter",
                    compact=True,
                    placeholder="/ summary, views, activity, concern, key worker",
                )
        if tab in ("sessions", "targets", "reviews", "dates"):
            yield DataTable(id=f"{tab}-body", cursor_type="row", zebra_stripes=True)
        else:
            with VerticalScroll(id=f"{tab}-body"):
                yield Static(id=f"{tab}-text")
        if tab in ("sessions", "targets", "dates"):
            yield Static(classes="preview", id=f"{tab}-preview")
        if tab in HINTS:
            yield Static(HINTS[tab], classes="hint")

    def on_mount(self) -> None:
        columns = {
            "sessions": ("Held", "⚑", "Status", "Key worker", "Kind", "Min"),
            "targets": ("Target", "Set on", "Review by", "Outcome"),
            "reviews": ("Reviewed", "Document", "Outcome", "By"),
            "dates": ("Next", "What", "Repeats", "Note"),
        }
        for tab, names in columns.items():
            self.query_one(f"#{tab}-body", DataTable).add_columns(*names)
        self.load()

    def reload(self) -> None:
        self.load()

    # --- reading -------------------------------------------------------------

    def load(self) -> None:
        actor, child_id, today = self.ctx.actor, self.child_id, clock.today()
        self.call_service(
            lambda: profile.profile(actor, child_id, today),
            self.show,
            refused=lambda error: self.query_one("#headline", Static).update(plain(f"✗ {error}")),
            group="profile-load",
        )

    def show(self, data: ChildProfile) -> None:
        self.data = data
        self.query_one("#headline", Static).update(self._headline(data))
        self.query_one("#about-text", Static).update(self._about(data))
        self.query_one("#contacts-text", Static).update(self._contacts(data))
        self.query_one("#keyworkers-text", Static).update(self._key_workers(data))
        if self.query_one("#filter", Input).value.strip():
            self._search()  # what was asked for before the records changed
        else:
            self.searched = ""
            self.show_sessions(data.sessions)
        self._fill_targets(data)
        self.reviews = data.reviews
        self._fill_reviews()
        self._fill_dates(data)

    def _headline(self, data: ChildProfile) -> Text:
        about = data.about
        text = Text.assemble((about.name, "bold"), f", {about.age}")
        if about.left_on:
            text.append(f" · left on {day_words(about.left_on)}")
        worker = data.key_worker
        text.append(" · key worker ")
        text.append_text(plain(worker.staff_name) if worker else Text("none", style="bold"))
        if data.cover:
            text.append(" · cover ")
            text.append_text(plain(data.cover.staff_name))
            text.append(f" until {data.cover.ends_on:%d %b}")
        if data.restrictions:
            count = len(data.restrictions)
            text.append(
                f"\n‼ {count} contact restriction{'s' if count > 1 else ''}: see Contacts (key 2)",
                style="bold",
            )
        return text

    def _about(self, data: ChildProfile) -> Table:
        about = data.about
        grid = _grid()
        grid.add_row("Preferred name", _or_none(about.preferred_name or about.first_name))
        grid.add_row("Legal name", plain(about.legal_name))
        grid.add_row("Age", f"{about.age} (born {day_words(about.date_of_birth)})")
        grid.add_row("Placement", about.placement_words)
        grid.add_row("School", _or_none(about.school))
        admitted = day_words(about.admitted_on)
        if about.left_on:
            admitted += f", left on {day_words(about.left_on)}"
        grid.add_row("Admitted on", admitted)
        for label, value in (
            ("Likes", about.likes),
            ("Dislikes", about.dislikes),
            ("Interests", about.interests),
            ("Fears and worries", about.fears),
        ):
            grid.add_row(label, _or_none(value))
        return grid

    def _contacts(self, data: ChildProfile) -> Text:
        if not data.contacts:
            return Text("No contacts recorded.", style="italic")
        text = Text()
        for contact in data.contacts:
            if text:
                text.append("\n")
            text.append(f"{contact.kind_words}: ", style="bold")
            text.append_text(plain(contact.name))
            if contact.relationship:
                text.append_text(plain(f", {contact.relationship}"))
            ways = [
                f"phone {contact.phone}" if contact.phone else "",
                f"email {contact.email}" if contact.email else "",
            ]
            text.append_text(
                plain(
                    "\n  " + " · ".join(w for w in ways if w)
                    if any(ways)
                    else "\n  no phone or email recorded"
                )
            )
            if contact.restrictions:
                text.append("\n  ‼ RESTRICTION: ", style="bold reverse")
                text.append_text(plain(contact.restrictions, "bold"))
        return text

    def _key_workers(self, data: ChildProfile) -> Text:
        text = Text()
        current = [a for a in data.allocations if a.current]
        for a in current:
            text.append(f"Now: {a.role_words} ", style="bold")
            text.append_text(plain(a.staff_name, "bold"))
            text.append(f" since {day_words(a.starts_on)}\n")
        if not current:
            text.append("‼ No key worker now.\n", style="bold")
        if data.covers:
            for c in data.covers:
                text.append("Covering now: " if c.current else "Cover planned: ", style="bold")
                text.append_text(plain(c.staff_name))
                text.append(f", {day_words(c.starts_on)} to {day_words(c.ends_on)}\n")
        else:
            text.append("No cover arranged.\n")
        text.append("\nHistory, newest first\n", style="bold")
        for a in data.allocations:
            until = day_words(a.ends_on) if a.ends_on else "now"
            text.append(f"{day_words(a.starts_on)} to {until} · {a.role_words} ")
            text.append_text(plain(a.staff_name, "bold"))
            text.append("\n  why: ")
            text.append_text(plain(a.reason_words))
            text.append("\n")
        text.rstrip()
        return text

    # --- sessions ---------------------------------------------------------------

    @property
    def shown_sessions(self) -> list[SessionLine]:
        return self.sessions.lines

    def show_sessions(self, page: Page[SessionLine], *, more: bool = False) -> None:
        """A first page (in place of what is shown), or `more` of the same search."""
        if more:
            table = self.query_one("#sessions-body", DataTable)
            for line in page.lines:  # added below, so the cursor stays where it is
                table.add_row(*self._session_row(line), key=str(line.id))
            self.sessions = Page(self.sessions.lines + page.lines, *_counts(page))
        else:
            self.sessions = page
            self._fill("sessions", [(str(s.id), self._session_row(s)) for s in page.lines])
        if self.searched and not page.lines:
            self._preview("sessions", Text(f"No session of {page.total} matches the search."))
        elif not page.total:
            self._preview("sessions", Text("No sessions recorded yet: s records one."))
        else:
            self._preview_session()

    def _search(self) -> None:
        actor, child_id = self.ctx.actor, self.child_id
        words = self.query_one("#filter", Input).value
        self.call_service(
            lambda: profile.session_page(actor, child_id, search=words),
            partial(self._searched, words),
            group="profile-sessions",
        )

    def _searched(self, words: str, page: Page[SessionLine]) -> None:
        self.searched = words.strip()
        self.show_sessions(page)

    def _more_sessions(self) -> None:
        """The next page, once the cursor reaches the last session read."""
        actor, child_id, last = self.ctx.actor, self.child_id, self.sessions.lines[-1]
        words = self.searched
        self.call_service(
            lambda: profile.session_page(actor, child_id, search=words, after=last),
            partial(self._more_read, words, last.id),
            group="profile-sessions",
        )

    def _more_read(self, words: str, after_id: int, page: Page[SessionLine]) -> None:
        lines = self.sessions.lines
        if words == self.searched and lines and lines[-1].id == after_id:
            self.show_sessions(page, more=True)

    @staticmethod
    def _session_row(s: SessionLine) -> tuple[Text, ...]:
        kind = s.kind + (f": {s.activity}" if s.activity else "")
        flags = ("⚑" if s.concern else "") + ("☾" if s.bedtime else "")
        return (
            Text(f"{s.held_at:%d %b %y %H:%M}"),
            Text(flags, style="bold"),
            Text(s.status_words, style="bold" if s.late or s.status != "final" else ""),
            plain(s.staff_name),
            plain(kind[:18]),
            Text(str(s.minutes)),
        )

    def _preview_session(self) -> None:
        session = self._highlighted("sessions", self.shown_sessions)
        if session is None:
            return
        page = self.sessions
        if self.searched:
            text = Text(f"{page.matching} of {page.total} sessions match")
        else:
            text = Text(f"{len(page.lines)} of {page.total} sessions")
        if page.more:
            text.append(", more at the end")
        text.append(" · ")
        if session.restricted:
            text.append("restricted · ", style="bold")
        text.append_text(plain(session.summary or "(no summary yet)"))
        if session.concern:
            text.append(" · ⚑ ")
            text.append_text(plain(session.concern_text))
        self._preview("sessions", text)

    @on(Input.Changed, "#filter")
    def _search_changed(self) -> None:
        self._search()

    @on(Input.Submitted, "#filter")
    def _search_done(self) -> None:
        self.query_one("#sessions-body", DataTable).focus()

    @on(DataTable.RowHighlighted)
    def _highlighted_row(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "sessions-body":
            self._preview_session()
            if self.sessions.more and event.cursor_row == len(self.sessions.lines) - 1:
                self._more_sessions()
        elif event.data_table.id == "reviews-body":
            if self.reviews.more and event.cursor_row == len(self.reviews.lines) - 1:
                self._more_reviews()
        elif event.data_table.id == "targets-body":
            self._preview_target()
        elif event.data_table.id == "dates-body":
            self._preview_date()

    @on(DataTable.RowSelected, "#sessions-body")
    def _open_session(self, event: DataTable.RowSelected) -> None:
        session_id = int(event.row_key.value or 0)
        actor = self.ctx.actor
        self.app.push_screen(
            SessionDialog(
                partial(profile.session_detail, actor, session_id), partial(self._amend, session_id)
            )
        )

    def _amend(self, session_id: int, data: AmendmentIn) -> None:
        sessions.amend_session(self.ctx.actor, session_id, data)

    # --- targets, reviews, dates --------------------------------------------------

    def _fill_targets(self, data: ChildProfile) -> None:
        self._fill("targets", [(str(t.id), self._target_row(t, data)) for t in data.targets])
        if not data.targets:
            self._preview("targets", Text("No targets yet: t adds one."))
        self._preview_target()

    @staticmethod
    def _target_row(t: TargetLine, data: ChildProfile) -> tuple[Text, ...]:
        outcome = t.outcome_words
        if t.is_open and t.review_by < data.today:
            outcome = "open, review overdue"
        elif t.reviewed_on:
            outcome += f" ({t.reviewed_on:%d %b %y})"
        return (
            plain(_cut(t.text, 40)),
            Text(f"{t.set_on:%d %b %y}"),
            Text(f"{t.review_by:%d %b %y}"),
            Text(outcome, style="bold" if t.is_open else ""),
        )

    def _preview_target(self) -> None:
        target = self._highlighted("targets", self.data.targets if self.data else [])
        if target is not None:
            self._preview("targets", plain(target.text))

    def _fill_reviews(self) -> None:
        rows = [
            (
                str(r.id),
                (
                    Text(f"{r.reviewed_on:%d %b %y}"),
                    Text(r.document_words),
                    Text(r.outcome_words),
                    plain(r.by_name),
                ),
            )
            for r in self.reviews.lines
        ]
        self._fill("reviews", rows)

    def _more_reviews(self) -> None:
        actor, child_id, last = self.ctx.actor, self.child_id, self.reviews.lines[-1]
        self.call_service(
            lambda: profile.review_page(actor, child_id, after=last),
            partial(self._more_reviews_read, last.id),
            group="profile-reviews",
        )

    def _more_reviews_read(self, after_id: int, page: Page[ReviewLine]) -> None:
        lines = self.reviews.lines
        if lines and lines[-1].id == after_id:
            self.reviews = Page(lines + page.lines, *_counts(page))
            self._fill_reviews()

    def _fill_dates(self, data: ChildProfile) -> None:
        rows = [(str(i), self._date_row(d, data)) for i, d in enumerate(data.dates)]
        self._fill("dates", rows)
        self._preview_date()

    @staticmethod
    def _date_row(d: DateLine, data: ChildProfile) -> tuple[Text, ...]:
        if d.next_on is None:
            when = Text(f"past: {d.date:%d %b %y}", style="dim")
        else:
            days = (d.next_on - data.today).days
            soon = {0: " (today)", 1: " (tomorrow)"}.get(days, f" (in {days} days)")
            when = Text(f"{d.next_on:%a %d %b %y}{soon}", style="bold" if days <= 7 else "")
        return (
            when,
            Text(d.kind_words),
            Text("every year" if d.yearly else "once"),
            plain(_cut(d.note, 24)),
        )

    def _preview_date(self) -> None:
        day = self._highlighted("dates", self.data.dates if self.data else [])
        if day is not None:
            self._preview("dates", plain(day.note))

    # --- shared table helpers ------------------------------------------------------

    def _fill(self, tab: str, rows: Sequence[tuple[str, tuple[Text, ...]]]) -> None:
        """Refill a table, keeping the highlighted row where it still exists."""
        table = self.query_one(f"#{tab}-body", DataTable)
        kept = None
        if table.row_count:
            kept = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        table.clear()
        for key, cells in rows:
            table.add_row(*cells, key=key)
        keys = [key for key, _ in rows]
        if kept in keys:
            table.move_cursor(row=keys.index(kept))

    def _highlighted(self, tab: str, items: list[Row]) -> Row | None:
        table = self.query_one(f"#{tab}-body", DataTable)
        if not items or not table.row_count:
            return None
        return items[min(max(table.cursor_row, 0), len(items) - 1)]

    def _preview(self, tab: str, text: Text) -> None:
        self.query_one(f"#{tab}-preview", Static).update(text)

    # --- keys --------------------------------------------------------------------

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        self.query_one(f"#{tab}-body").focus()

    def action_search(self) -> None:
        self.query_one(TabbedContent).active = "sessions"
        self.query_one("#filter", Input).focus()

    def action_close(self) -> None:
        if self.focused is self.query_one("#filter", Input):
            self.query_one("#sessions-body", DataTable).focus()
            return
        self.app.pop_screen()

    def action_session(self) -> None:
        if self.app.current_mode == "session":
            # Session entry is underneath: uncover it rather than switch to it.
            self.app.pop_screen()
        self.leave_for(OpenSession(self.child_id))

    def action_edit_about(self) -> None:
        data = self.data
        if data is None:
            return
        self.query_one(TabbedContent).active = "about"
        if data.about_refusal:
            self.notify(f"Not yours to edit: {data.about_refusal}.", severity="warning")
            return
        save = partial(profile.update_about, self.ctx.actor, self.child_id)
        self._ask(AboutDialog(data.about, save), "What is written about them is saved.")

    def action_add_target(self) -> None:
        data = self.data
        if data is None:
            return
        self.query_one(TabbedContent).active = "targets"
        dialog = TargetDialog(
            self.child_id, data.about.name, data.default_review_by, self._add_target
        )
        self._ask(dialog, "Target added.")

    def _add_target(self, data: TargetIn) -> None:
        records.add_target(self.ctx.actor, data)

    def action_outcome(self) -> None:
        data = self.data
        if data is None:
            return
        tabs = self.query_one(TabbedContent)
        target = self._highlighted("targets", data.targets)
        if tabs.active != "targets" or not isinstance(target, TargetLine):
            tabs.active = "targets"
            self.query_one("#targets-body").focus()
            self.notify("Highlight an open target, then press o.")
            return
        if not target.is_open:
            self.notify(
                f"This target is already reviewed: {target.outcome_words}.", severity="warning"
            )
            return
        save = partial(self._review_target, target.id)
        self._ask(OutcomeDialog(target, save), "Outcome recorded.")

    def _review_target(self, target_id: int, data: TargetReviewIn) -> None:
        records.review_target(self.ctx.actor, target_id, data)

    def action_add_date(self) -> None:
        data = self.data
        if data is None:
            return
        self.query_one(TabbedContent).active = "dates"
        self._ask(EventDialog(self.child_id, data.about.name, self._add_event), "Date added.")

    def _add_event(self, data: EventIn) -> None:
        records.add_event(self.ctx.actor, data)

    def action_add_contact(self) -> None:
        data = self.data
        if data is None:
            return
        self.query_one(TabbedContent).active = "contacts"
        save = partial(people.add_contact, self.ctx.actor, self.child_id)
        self._ask(ContactDialog(data.about.name, None, save), "Contact added.")

    def action_edit_contact(self) -> None:
        data = self.data
        if data is None:
            return
        self.query_one(TabbedContent).active = "contacts"
        if not data.contacts:
            self.notify("No contacts yet: n adds one.")
            return

        def chosen(key: str | None) -> None:
            contact = next((c for c in data.contacts if str(c.id) == key), None)
            if contact is not None and self.data is not None:
                save = partial(people.update_contact, self.ctx.actor, contact.id)
                self._ask(
                    ContactDialog(self.data.about.name, contact, save),
                    "Contact changed; what it was before is in the audit trail.",
                )

        lines = [(str(c.id), plain(f"{c.kind_words}: {c.name}")) for c in data.contacts]
        self.app.push_screen(PickDialog("Which contact?", lines), chosen)

    def action_significant(self) -> None:
        home_id = self.ctx.home.id
        self.call_service(
            lambda: records.event_kinds(home_id), self._ask_significant, group="profile-ask"
        )

    def _ask_significant(self, kinds: dict[str, str]) -> None:
        data = self.data
        if data is None:
            return
        save = partial(records.record_significant_event, self.ctx.actor)
        self._ask(
            SignificantDialog(self.child_id, data.about.name, kinds, save),
            "Significant event recorded: it shows on the next handover, and the "
            "Support and Safety Plans are due.",
        )

    def action_report(self) -> None:
        data = self.data
        if data is None:
            return
        if not self.ctx.actor.is_manager:
            self.notify("Reports are written by a manager or admin.", severity="warning")
            return
        report_on(self.app, self.ctx.actor, self.child_id, data.about.name)

    def _ask(self, dialog: ModalScreen[Any], done: str) -> None:
        """Open a form; once it has saved, say so and read the profile again."""

        def closed(saved: object) -> None:
            if saved:
                self.notify(done)
                self.load()
                self.post_message(RecordsWritten())

        self.app.push_screen(dialog, closed)


def _counts(page: Page[Any]) -> tuple[int, int, bool]:
    """What a later page says of the whole: matching, total, and whether more."""
    return page.matching, page.total, page.more
