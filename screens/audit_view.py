"""The audit trail, read-only: who changed what, when, and the values before
and after; for managers, filtered by child, staff member, kind and dates."""

from __future__ import annotations

import json
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Input, Select, Static

from keywork_tui.calendar import DateParseError, parse_when
from keywork_tui.outputs import AuditOut, ChildOut, StaffOut
from keywork_tui.services import ServiceError, audit, clock
from keywork_tui.services.team import people

from . import modes
from .base import ModeScreen
from .widgets.fitted_table import Col, FittedTable
from .widgets.text import plain

FILTERS = ("child", "staff", "kind")


def change_text(event: AuditOut) -> Text:
    """Each changed field as 'field: before → after', in plain text."""
    before, after = event.before or {}, event.after or {}
    if not before and not after:
        return Text("no values recorded")
    if not after:
        return Text.assemble(("Removed; it held:\n", "bold"), _values(before))
    if not before:
        return Text.assemble(("Created with:\n", "bold"), _values(after))
    changed = [f for f in sorted(set(before) | set(after)) if before.get(f) != after.get(f)]
    if not changed:
        return Text("nothing changed (recorded as an event)")
    text = Text()
    for field in changed:
        text.append(f"{field}: ", style="bold")
        text.append_text(plain(f"{_short(before.get(field))} → {_short(after.get(field))}\n"))
    return text


def _values(values: dict[str, Any]) -> Text:
    return plain("\n".join(f"{k}: {_short(v)}" for k, v in sorted(values.items())))


def _short(value: object) -> str:
    words = value if isinstance(value, str) else json.dumps(value, default=str)
    return words if len(words) <= 200 else words[:199] + "…"


AUDIT_COLUMNS = (
    Col("When"),
    Col("Who", least=8),
    Col("What", least=10),
    Col("Record", least=8, drop=1),
    Col("Child", least=8),
)


class AuditScreen(ModeScreen):
    MODE_TITLE = modes.title("audit")
    CSS_PATH = "audit_view.tcss"
    BINDINGS = [
        Binding(
            "f",
            "focus_filters",
            "Filter",
            id="audit.filter",
            tooltip="Choose the child, staff member, kind or dates to show",
        ),
        Binding("x", "clear", "Clear", id="audit.clear", tooltip="Show the whole trail again"),
    ]

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="filters"):
            yield Select([], prompt="any child", id="child", compact=True)
            yield Select([], prompt="anyone", id="staff", compact=True)
            yield Select([], prompt="any kind", id="kind", compact=True)
            yield Input(placeholder="from", id="since", compact=True)
            yield Input(placeholder="to", id="until", compact=True)
        yield Static(id="intro")
        yield FittedTable(AUDIT_COLUMNS, id="trail")
        with VerticalScroll(id="change"):
            yield Static(id="detail")

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[AuditOut] = []
        self.names: dict[int, str] = {}

    def on_mount(self) -> None:
        self.fill_filters()

    def reload(self) -> None:
        if self.is_mounted:
            self.load()

    def fill_filters(self) -> None:
        actor, home = self.ctx.actor, self.ctx.home.id

        def read() -> tuple[list[str], list[ChildOut], list[StaffOut]]:
            kinds = audit.kinds(actor)  # first: refused to anyone who may not read the trail
            return kinds, people.all_children(home), people.list_staff(home, active_only=False)

        self.call_service(read, self._show_filters, refused=self._refused, group="filters")

    def _refused(self, error: ServiceError) -> None:
        self.query_one("#intro", Static).update(plain(f"✗ {error}."))

    def _show_filters(self, read: tuple[list[str], list[ChildOut], list[StaffOut]]) -> None:
        kinds, children, staff = read
        self.names = {c.id: c.short_name for c in children}
        with self.prevent(Select.Changed):
            self.query_one("#child", Select).set_options(
                [(plain(c.short_name), c.id) for c in children]
            )
            self.query_one("#staff", Select).set_options([(plain(s.name), s.id) for s in staff])
            self.query_one("#kind", Select).set_options([(k, k) for k in kinds])
        self.load()

    def _filters(self) -> dict[str, Any]:
        chosen = {name: self.query_one(f"#{name}", Select).value for name in FILTERS}
        values = {
            f"{k}_id" if k != "kind" else k: (None if v is Select.NULL else v)
            for k, v in chosen.items()
        }
        for name in ("since", "until"):
            typed = self.query_one(f"#{name}", Input).value
            values[name] = parse_when(typed, clock.now()).date() if typed.strip() else None
        return values

    def load(self) -> None:
        intro = self.query_one("#intro", Static)
        try:
            filters = self._filters()
        except DateParseError as exc:
            intro.update(plain(f"✗ {exc}"))
            return
        actor = self.ctx.actor
        self.call_service(
            lambda: audit.trail(actor, **filters), self._show, refused=self._refused, group="load"
        )

    def _show(self, shown: list[AuditOut]) -> None:
        self.shown = shown
        intro = self.query_one("#intro", Static)
        more = (
            " (the newest 500: narrow the filters for older ones)" if len(self.shown) == 500 else ""
        )
        intro.update(plain(f"{len(self.shown)} changes{more} · read-only"))
        self._fill_table()

    def _fill_table(self) -> None:
        self.query_one(FittedTable).show_rows(
            [
                (
                    str(index),
                    (
                        Text(f"{event.at:%d %b %y %H:%M}"),
                        plain(event.staff_name),
                        Text(event.action),
                        Text(f"{event.table} {event.record_id or ''}".strip()),
                        plain(self.names.get(event.child_id, "") if event.child_id else ""),
                    ),
                )
                for index, event in enumerate(self.shown)
            ],
            cursor=0,
        )
        self._show_detail(0)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is not None:
            self._show_detail(int(event.row_key.value))

    def _show_detail(self, index: int) -> None:
        detail = self.query_one("#detail", Static)
        if not self.shown:
            detail.update("Nothing recorded matches these filters.")
            return
        event = self.shown[index]
        head = Text.assemble(
            (f"{event.at:%a %d %b %Y %H:%M:%S}", "bold"),
            " · ",
            plain(event.staff_name),
            f" · {event.action}\n",
        )
        detail.update(head + change_text(event))

    def on_select_changed(self, _: Select.Changed) -> None:
        self.load()

    def on_input_submitted(self, _: Input.Submitted) -> None:
        self.load()

    def action_focus_filters(self) -> None:
        self.query_one("#child", Select).focus()

    def action_clear(self) -> None:
        with self.prevent(Select.Changed):
            for name in FILTERS:
                self.query_one(f"#{name}", Select).clear()
        for name in ("since", "until"):
            self.query_one(f"#{name}", Input).value = ""
        self.load()
