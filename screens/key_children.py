"""My key children: the signed-in worker's own children and those they cover.

A table with one row per child and, below it, the highlighted child in detail:
sessions a week as a sparkline with the numbers under it, overdue work, open
targets, coming dates and open actions. Everything reads in words and symbols,
so it is the same with NO_COLOR and at 80x24.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from rich.color import Color as RichColor
from rich.console import RenderableType
from rich.padding import Padding
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.color import Color
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.renderables.sparkline import Sparkline as SparklineBars
from textual.widgets import DataTable, Sparkline, Static

from keywork_tui.services import ServiceError, clock
from keywork_tui.services.child_file import key_children as children
from keywork_tui.services.child_file import sessions
from keywork_tui.services.child_file.key_children import (
    WEEKS,
    KeyChildOverview,
    KeyChildRow,
    OpenAction,
)

from . import modes
from .base import ChildTableScreen
from .messages import OpenProfile
from .overdue import lateness_text
from .pick_dialog import PickDialog
from .widgets.fitted_table import Col, FittedTable
from .widgets.text import plain

# Dates and actions listed in the detail pane; a tall terminal lists more.
SHOWN = 3
SHOWN_TALL = 10
NAME_WIDTH = 18
TALL = 40  # terminal rows from which the sparkline is drawn taller
DATE_KINDS = {"appointment": "appt", "other": "event"}  # shorter words for the table


def day_words(day: dt.date) -> str:
    return f"{day:%a %d %b}"


def relation_text(row: KeyChildRow) -> Text:
    if row.relation == "cover" and row.cover_until:
        return Text(f"cover until {row.cover_until:%d %b}")
    return Text(row.relation)


# --- table cells: short, and each means the same without colour -------------


@dataclass(frozen=True)
class Look:
    """What every cell needs besides its child."""

    today: dt.date
    bars: RichColor  # the sparkline's colour, from the theme


def name_cell(o: KeyChildOverview, _: Look) -> Text:
    text = plain(o.child.short_name, "bold")
    text.truncate(NAME_WIDTH, overflow="ellipsis")
    return text


def last_cell(o: KeyChildOverview, _: Look) -> Text:
    return Text(f"{o.last_session:%d %b}" if o.last_session else "never")


def due_cell(o: KeyChildOverview, look: Look) -> Text:
    if o.next_due is None:
        return Text("–")
    if o.next_due < look.today:
        return Text(f"‼ late {(look.today - o.next_due).days}d", style="bold")
    if o.next_due == look.today:
        return Text("! today", style="bold")
    return Text(f"{o.next_due:%d %b}")


def late_cell(o: KeyChildOverview, _: Look) -> Text:
    count = len(o.overdue)
    return Text(f"‼ {count}", style="bold") if count else Text("")


def targets_cell(o: KeyChildOverview, _: Look) -> Text:
    return Text(str(len(o.targets)) if o.targets else "none")


def next_date_cell(o: KeyChildOverview, look: Look) -> Text:
    if not o.dates:
        return Text("")
    first = o.dates[0]
    days = (first.date - look.today).days
    when = {0: "today", 1: "tmrw"}.get(
        days, f"{first.date:%a}" if days < 7 else f"{first.date.day} {first.date:%b}"
    )
    more = f" +{len(o.dates) - 1}" if len(o.dates) > 1 else ""
    return Text(f"{when} {DATE_KINDS.get(first.kind, first.kind)}{more}")


def age_cell(o: KeyChildOverview, look: Look) -> Text:
    return Text(str(o.child.age_on(look.today)))


def weeks_cell(o: KeyChildOverview, look: Look) -> RenderableType:
    # The same bars as the detail pane's sparkline, one cell a week.
    return Padding(
        SparklineBars(o.weekly, width=WEEKS, min_color=look.bars, max_color=look.bars), (0, 0, 0, 1)
    )


def seen_cell(o: KeyChildOverview, _: Look) -> Text:
    return Text(f"{sum(o.weekly)} in {WEEKS}w")


def worker_cell(o: KeyChildOverview, _: Look) -> Text:
    return plain(o.key_worker or "none")


def school_cell(o: KeyChildOverview, _: Look) -> Text:
    return plain(o.child.school)


@dataclass(frozen=True)
class Column:
    label: str
    cell: Callable[[KeyChildOverview, Look], RenderableType]
    from_width: int = 0  # shown only on terminals at least this wide
    width: int | None = None  # fixed, for a cell that is not text
    least: int | None = None  # may shorten to this, with an ellipsis
    drop: int = 0  # see `FittedTable`: the least needed go first

    def fitted(self) -> Col:
        """The column as the table fits it, a cell wider for the leading space."""
        return Col(
            f" {self.label}",
            least=None if self.least is None else self.least + 1,
            drop=self.drop,
            width=None if self.width is None else self.width + 1,
        )


COLUMNS = (
    Column("Child", name_cell, least=10),
    Column("Age", age_cell, 110),
    Column("As", lambda o, _: relation_text(o), least=6),
    Column("Key worker", worker_cell, 150),
    Column("Last", last_cell),
    Column(f"{WEEKS} weeks", weeks_cell, 110, width=WEEKS + 1),
    Column("Seen", seen_cell, 110),
    Column("Next due", due_cell),
    Column("Late", late_cell),
    Column("Targets", targets_cell, least=6, drop=2),
    Column("School", school_cell, 150),
    Column("Next date", next_date_cell, least=8, drop=1),
)


def spaced(cell: RenderableType) -> RenderableType:
    """One space before each cell: seven columns fit in 80 where the table's
    own padding (a space each side) would push the last one off screen."""
    return Text.assemble(" ", cell) if isinstance(cell, Text) else cell


# --- the detail pane ------------------------------------------------------------


def relation_words(o: KeyChildOverview) -> str:
    if o.relation == "key worker":
        return "your key child"
    worker = f"key worker {o.key_worker}" if o.key_worker else "no key worker"
    if o.key_worker_away:
        worker += f" ({o.key_worker_away})"
    if o.relation == "cover":
        until = f" until {day_words(o.cover_until)}" if o.cover_until else ""
        return f"you cover{until}; {worker}"
    return f"you are {o.relation}; {worker}"


def about_text(o: KeyChildOverview, today: dt.date) -> Text:
    text = plain(o.child.display_name, "bold")
    text.append(f", {o.child.age_on(today)} · {relation_words(o)}")
    if o.child.school:
        text.append(" · ")
        text.append_text(plain(o.child.school))
    text.append("\n")
    if o.last_session:
        ago = (today - o.last_session.date()).days
        text.append(f"Last session {day_words(o.last_session.date())} ({_days_ago(ago)})")
    else:
        text.append("No session yet")
    text.append(" · ")
    text.append_text(due_words(o, today))
    return text


def _days_ago(days: int) -> str:
    return {0: "today", 1: "yesterday"}.get(days, f"{days} days ago")


def due_words(o: KeyChildOverview, today: dt.date) -> Text:
    if o.next_due is None:
        return Text("no session due by the home's rules")
    what = "first session" if o.next_due_rule == "first_session" else "next session"
    when = day_words(o.next_due)
    if o.next_due < today:
        late = (today - o.next_due).days
        return Text(f"‼ {what} was due {when} (late {late}d)", style="bold")
    if o.next_due == today:
        return Text(f"! {what} due today", style="bold")
    return Text(f"{what} due {when} (in {(o.next_due - today).days}d)")


def week_numbers(weekly: tuple[int, ...]) -> str:
    """One figure under each week of the sparkline (two cells a week)."""
    return " ".join(str(n) if n < 10 else "+" for n in weekly)


def weeks_words(weekly: tuple[int, ...]) -> Text:
    total, empty = sum(weekly), sum(1 for n in weekly if n == 0)
    text = Text(f"{total} session{'s' if total != 1 else ''} in {WEEKS} weeks", style="bold")
    if empty:
        text.append(f"; none in {empty} week{'s' if empty != 1 else ''}")
    else:
        text.append("; at least one every week")
    text.append("\na bar and a figure a week, oldest first")
    return text


def obligations_text(o: KeyChildOverview) -> Text:
    """Overdue work one item a line; what is only due soon on one line after it."""
    text = Text(f"Overdue ({len(o.overdue)}):" if o.overdue else "Overdue: nothing", style="bold")
    lateness = [lateness_text(item) for item in o.overdue]
    width = max((late.cell_len for late in lateness), default=0)
    for item, late in zip(o.overdue, lateness, strict=True):
        text.append("\n  ")
        late.align("left", width)
        text.append_text(late)
        text.append(f"  {item.title} (due {day_words(item.due)})")
    soon = [item for item in o.obligations if item.status != "overdue"]
    if soon:
        text.append("\nDue soon: ")
        text.append(" · ".join(f"{item.title} {day_words(item.due)}" for item in soon))
    return text


def targets_text(o: KeyChildOverview, today: dt.date) -> Text:
    if not o.targets:
        return Text("Open targets: none")
    text = Text(f"Open targets ({len(o.targets)}):", style="bold")
    for target in o.targets:
        text.append("\n  • ")
        text.append_text(plain(target.text))
        verb = "was due" if target.review_by < today else "by"
        mark = "‼ " if target.review_by < today else ""
        text.append(f" ({mark}review {verb} {day_words(target.review_by)})")
    return text


def _more(text: Text, hidden: int) -> None:
    if hidden > 0:
        text.append(f"\n  … and {hidden} more")


def dates_text(o: KeyChildOverview, today: dt.date, shown: int = SHOWN) -> Text:
    if not o.dates:
        return Text(f"Coming up: nothing in the next {children.DATES_AHEAD.days} days")
    text = Text("Coming up:", style="bold")
    for item in o.dates[:shown]:
        text.append("\n  • ")
        text.append_text(plain(item.label(today)))
    _more(text, len(o.dates) - shown)
    return text


def actions_text(o: KeyChildOverview, today: dt.date, shown: int = SHOWN) -> Text:
    if not o.actions:
        return Text("Open actions from sessions: none")
    late = sum(1 for a in o.actions if a.days_late(today))
    text = Text(f"Open actions from sessions ({len(o.actions)}, {late} overdue):", style="bold")
    for action in o.actions[:shown]:
        text.append("\n  • ")
        text.append_text(action_line(action, today))
    _more(text, len(o.actions) - shown)
    text.append("\n  x ticks one off", style="italic")
    return text


def action_line(action: OpenAction, today: dt.date) -> Text:
    """'Ring school (Liam Foster, by 27 Nov: ‼ late 3d)'."""
    text = plain(action.text)
    text.append(" (")
    if action.who:
        text.append_text(plain(action.who))
        text.append(", ")
    text.append(f"by {action.by:%d %b}" if action.by else "no date")
    if action.days_late(today):
        text.append(f": ‼ late {action.days_late(today)}d", style="bold")
    text.append(")")
    return text


def more_text(o: KeyChildOverview, today: dt.date, shown: int = SHOWN) -> Text:
    parts = (
        obligations_text(o),
        targets_text(o, today),
        dates_text(o, today, shown),
        actions_text(o, today, shown),
    )
    return Text("\n").join(parts)


def summary_line(name: str, rows: list[KeyChildOverview]) -> Text:
    counts = [
        (sum(1 for r in rows if r.relation == relation), words)
        for relation, words in (
            ("key worker", "key worker for"),
            ("co-worker", "co-worker for"),
            ("cover", "covering"),
        )
    ]
    text = plain(name, "bold")
    text.append(": " + " · ".join(f"{words} {n}" for n, words in counts if n))
    late = sum(1 for r in rows if r.overdue)
    if late:
        text.append(f" · ‼ {late} with overdue work", style="bold")
    return text


def nobody_line(is_manager: bool) -> str:
    if is_manager:
        return (
            "You have no key children and cover nobody today. Managers allocate key "
            "workers and arrange cover; F4 shows what is overdue across the whole home."
        )
    return (
        "You have no key children and cover nobody today. A manager allocates key "
        "workers and arranges cover: ask them if you expected a child here. "
        "F2 shows every child in the home."
    )


class KeyChildrenScreen(ChildTableScreen):
    MODE_TITLE = modes.title("children")
    AUTO_FOCUS = "DataTable"
    CSS_PATH = "key_children.tcss"
    BINDINGS = [
        # A priority key, so the table's own Enter (select) does not hide it.
        Binding(
            "enter",
            "profile",
            "Profile",
            id="key_children.profile",
            priority=True,
            tooltip="Open the highlighted child's profile",
        ),
        Binding(
            "x",
            "action_done",
            "Action done",
            id="key_children.action_done",
            tooltip="Tick off an action agreed in a session with the highlighted child",
        ),
    ]

    def compose_body(self) -> ComposeResult:
        yield Static(id="intro")
        yield FittedTable([], id="key-children", cell_padding=0)
        with VerticalScroll(id="detail"):
            yield Static(id="about")
            with Horizontal(id="weeks"):
                with Vertical(id="bars"):
                    yield Sparkline([0] * WEEKS, id="sparkline")
                    yield Static(id="week-numbers")
                yield Static(id="weeks-words")
            yield Static(id="more")

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[KeyChildOverview] = []
        self.today = clock.today()
        # The child the cursor is on, kept across reloads and resizes.
        self.current: int | None = None
        self.width_shown = 0

    def on_mount(self) -> None:
        self.load()

    def reload(self) -> None:
        self.load()

    def load(self) -> None:
        today, actor = clock.today(), self.ctx.actor

        def read(rows: list[KeyChildOverview]) -> None:
            self.rows, self.today = rows, today
            self.show()

        def refused(error: ServiceError) -> None:
            self.query_one("#intro", Static).update(
                plain(f"Your key children could not be read: {error}")
            )

        self.call_service(
            lambda: children.overview(actor, today), read, refused=refused, group="load"
        )

    # --- showing -------------------------------------------------------------

    def show(self) -> None:
        intro = self.query_one("#intro", Static)
        has_rows = bool(self.rows)
        self.query_one(DataTable).set_class(not has_rows, "hidden")
        self.query_one("#detail").set_class(not has_rows, "hidden")
        if not has_rows:
            intro.update(plain(nobody_line(self.ctx.actor.is_manager)))
            self.query_one(DataTable).clear(columns=True)
            return
        intro.update(summary_line(self.ctx.actor.name, self.rows))
        self._fill_table()

    def _columns(self) -> list[Column]:
        width = self.size.width
        return [c for c in COLUMNS if width >= c.from_width]

    def _fill_table(self) -> None:
        table = self.query_one(FittedTable)
        columns = self._columns()
        look = Look(self.today, Color.parse(self.app.current_theme.primary).rich_color)
        table.cols = [c.fitted() for c in columns]
        ids = [o.child.id for o in self.rows]
        index = ids.index(self.current) if self.current in ids else 0
        table.show_rows(
            [(str(o.child.id), [spaced(c.cell(o, look)) for c in columns]) for o in self.rows],
            cursor=index,
        )
        self.width_shown = self.size.width
        self._show_detail(ids[index])

    def on_resize(self, _: events.Resize) -> None:
        self.query_one("#sparkline").styles.height = 3 if self.size.height >= TALL else 1
        if self.rows and self.size.width != self.width_shown:
            self._fill_table()
        elif self.current is not None:
            self._show_detail(self.current)  # a taller pane lists more

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is not None:
            self._show_detail(int(event.row_key.value))

    def _show_detail(self, child_id: int) -> None:
        found = next((o for o in self.rows if o.child.id == child_id), None)
        if found is None:
            return
        self.current = child_id
        self.query_one("#about", Static).update(about_text(found, self.today))
        self.query_one(Sparkline).data = list(found.weekly)
        self.query_one("#week-numbers", Static).update(week_numbers(found.weekly))
        self.query_one("#weeks-words", Static).update(weeks_words(found.weekly))
        shown = SHOWN_TALL if self.size.height >= TALL else SHOWN
        self.query_one("#more", Static).update(more_text(found, self.today, shown))

    # --- keys ------------------------------------------------------------------

    def action_profile(self) -> None:
        if self.current is None or not self.rows:
            self.notify("No child to open.", severity="warning")
            return
        self.post_message(OpenProfile(self.current))

    def action_action_done(self) -> None:
        row = next((o for o in self.rows if o.child.id == self.current), None)
        if row is None or not row.actions:
            self.notify("No open actions for this child.", severity="warning")
            return
        lines = [(f"{a.session_id}:{a.index}", action_line(a, self.today)) for a in row.actions]

        def chosen(key: str | None) -> None:
            if key:
                session_id, index = (int(p) for p in key.split(":"))
                self.tick_off(session_id, index)

        self.app.push_screen(
            PickDialog(f"Which action for {row.child.short_name} is done?", lines), chosen
        )

    def tick_off(self, session_id: int, index: int) -> None:
        actor = self.ctx.actor

        def ticked(_: object) -> None:
            self.notify("Action ticked off.")
            self.load()

        self.call_service(
            lambda: sessions.complete_action(actor, session_id, index),
            ticked,
            group="write",
            exclusive=False,
        )
