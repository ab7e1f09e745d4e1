"""The staff tab: who works in the home, who may key-work and why not, and the
form to add or edit a staff member. Staff are deactivated, never deleted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Label, Select, TextArea

from keywork_tui.schemas import StaffIn
from keywork_tui.services import FieldError, clock
from keywork_tui.services.team import people, setup_codes, signin
from keywork_tui.services.team import staffing as manager
from keywork_tui.services.team.staffing import StaffRow

from .dialog import Dialog
from .form_dialog import FormDialog, date_field, day_words, error_line
from .session_dialogs import ConfirmDialog
from .widgets.fitted_table import Col
from .widgets.text import plain
from .workspace_pane import WorkspacePane

ROLE_WORDS = {
    "care_staff": "care staff",
    "shift_leader": "shift leader",
    "manager": "manager",
    "admin": "admin",
}
# The table is narrow; the details below it use the full words.
SHORT_WHY = {"no induction": "no induction", "no level-3 qualification": "no level 3"}
YES_NO = [("yes", True), ("no", False)]


class StaffPane(WorkspacePane[StaffRow]):
    COLUMNS = (
        Col("Name", least=10),
        Col("Role", least=8),
        Col("Key-work", least=12),
        Col("Keys"),
        Col("Co"),
        Col("Away", least=8),
    )
    EMPTY = "No staff yet: a adds one."
    BINDINGS = [
        Binding("a", "add", "Add", id="staff.add", tooltip="Add a staff member"),
        Binding(
            "e",
            "edit",
            "Edit",
            id="staff.edit",
            tooltip="Edit the highlighted staff member's role and qualifications",
        ),
        Binding(
            "d",
            "deactivate",
            "Deactivate",
            id="staff.deactivate",
            tooltip="Deactivate the highlighted staff member (records are kept)",
        ),
        Binding(
            "p",
            "pin",
            "Set PIN",
            id="staff.pin",
            tooltip="Set a new PIN or passphrase for the highlighted staff member",
        ),
        Binding(
            "i",
            "setup_code",
            "Set-up code",
            id="staff.setup_code",
            tooltip="A one-time code with which the highlighted colleague sets their own first PIN",
        ),
    ]

    def read(self) -> list[StaffRow]:
        return manager.staff_overview(self.actor, clock.today())

    def intro(self) -> Text:
        active = [r for r in self.rows if r.active]
        eligible = sum(1 for r in active if r.eligible)
        return Text(
            f"{len(active)} active staff, {eligible} eligible to key-work "
            "(induction and a level-3 qualification)."
        )

    def cells(self, row: StaffRow) -> tuple[str | Text, ...]:
        eligibility = (
            Text("✓ eligible")
            if row.eligible
            else Text(
                "✗ " + ", ".join(SHORT_WHY.get(w, w) for w in row.why_not),
                style="bold" if row.active else "dim",
            )
        )
        away = f"{row.absence.kind} to {row.absence.ends_on:%d %b}" if row.absence else ""
        name = plain(row.name) if row.active else Text(row.name, style="dim")
        return (
            name,
            ROLE_WORDS.get(row.role, row.role),
            eligibility,
            str(row.key_children or ""),
            str(row.co_children or ""),
            away,
        )

    def detail(self, row: StaffRow) -> Text:
        text = Text.assemble((row.name, "bold"), f" · {ROLE_WORDS.get(row.role, row.role)}")
        text.append(" · active" if row.active else " · INACTIVE")
        text.append(f"\nKey-work: {row.eligibility}")
        level3 = "none recorded"
        if row.level3:
            level3 = f"since {day_words(row.level3_on)}" if row.level3_on else "yes"
        text.append(
            f"\nInduction: {'done' if row.induction_done else 'not done'} · Level 3: {level3}"
        )
        text.append(
            f"\nKey children: {row.key_children} · co-worked: {row.co_children}"
            f" · OS user: {row.os_user or 'not mapped'}"
        )
        if row.absence:
            text.append(
                f"\nAway ({row.absence.kind}) {day_words(row.absence.starts_on)} to "
                f"{day_words(row.absence.ends_on)}"
            )
        if row.interests:
            text.append("\nInterests: ").append_text(plain(row.interests))
        return text

    def action_add(self) -> None:
        self.ask(
            StaffDialog(None, lambda data: people.add_staff(self.actor, data)),
            "Staff member added.",
        )

    def action_edit(self) -> None:
        row = self.need_row("a staff member")
        if row is None:
            return
        self.ask(
            StaffDialog(row, lambda data: people.update_staff(self.actor, row.id, data)),
            f"{row.name}: saved.",
        )

    def action_deactivate(self) -> None:
        row = self.need_row("a staff member")
        if row is None:
            return
        if not row.active:
            self.app.notify(f"{row.name} is already inactive.", severity="warning")
            return
        question = f"Deactivate {row.name}? Their records stay on file."
        if row.key_children:
            question += (
                f" They key-work {row.key_children} "
                f"{'child' if row.key_children == 1 else 'children'}: "
                "give each a new key worker on the Key workers tab."
            )

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_write(
                    lambda: people.deactivate_staff(self.actor, row.id), f"{row.name} deactivated."
                )

        self.app.push_screen(ConfirmDialog(question), answered)

    def action_pin(self) -> None:
        row = self.need_row("a staff member")
        if row is None:
            return
        self.ask(
            PinDialog(row.name, lambda secret: signin.set_pin(self.actor, row.id, secret)),
            f"{row.name}: new PIN set. Tell them in person, not in writing.",
        )

    def action_setup_code(self) -> None:
        row = self.need_row("a staff member")
        if row is not None:
            actor = self.actor
            self.call_service(
                lambda: setup_codes.issue(actor, row.id), self._show_code, group="setup-code"
            )

    def _show_code(self, issued: setup_codes.Issued) -> None:
        self.app.push_screen(CodeDialog(issued))
        self.workspace.reload()


class CodeDialog(Dialog[None]):
    """The set-up code, shown this once: it is kept only as a hash."""

    DEFAULT_CSS = """
    CodeDialog .code { text-style: bold reverse; padding: 0 1; margin: 1 0; }
    """
    BINDINGS = [
        Binding(
            "escape,enter",
            "close",
            "Close",
            id="code.close",
            tooltip="Close: the code is not shown again",
        )
    ]

    def __init__(self, issued: setup_codes.Issued) -> None:
        super().__init__()
        self.issued = issued

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text.assemble("Set-up code for ", (self.issued.staff_name, "bold")))
            yield Label(self.issued.code, classes="code")
            yield Label(
                plain(
                    f"Give it to them in person. It works once, until "
                    f"{self.issued.expires_at:%a %d %b %H:%M}, and is not shown "
                    "again: they choose their name at the sign-in screen and "
                    "type it there to set their own PIN."
                )
            )
            yield Label("Enter or Esc closes", classes="hint")

    def action_close(self) -> None:
        self.dismiss(None)


class PinDialog(FormDialog):
    """A new PIN or passphrase, typed twice, never shown."""

    def __init__(self, name: str, save: Callable[[str], Any]) -> None:
        super().__init__(save)
        self.staff_name = name

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text.assemble("New PIN or passphrase for ", (self.staff_name, "bold")))
            yield Label("4 to 12 digits, or a passphrase of 8 characters or more", classes="hint")
            for name, words in (("secret", "New PIN or passphrase"), ("again", "Again")):
                yield Label(words, classes="field")
                yield Input(password=True, id=name, compact=True)
                yield error_line(name)
            yield error_line("form")
            yield Label("Ctrl+S saves · Esc cancels", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#secret", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "again":
            self.action_save()
        else:
            self.query_one("#again", Input).focus()

    def collect(self) -> Any:
        secret = signin.validate_secret(self.value("secret"))
        if self.value("again") != secret:
            raise FieldError("again", "the two do not match")
        return secret


class StaffDialog(FormDialog):
    """Add or edit a staff member: name, role, qualifications, OS user, interests."""

    DEFAULT_CSS = """
    StaffDialog TextArea { height: 3; }
    """

    def __init__(self, row: StaffRow | None, save: Callable[[StaffIn], Any]) -> None:
        super().__init__(save)
        self.row = row

    def compose(self) -> ComposeResult:
        row = self.row
        with Vertical():
            title = "New staff member" if row is None else f"Edit {row.name}"
            yield Label(plain(title), classes="title")
            with VerticalScroll():
                yield Label("Name", classes="field")
                yield Input(row.name if row else "", id="name", compact=True)
                yield error_line("name")
                yield Label("Role", classes="field")
                yield Select(
                    [(w, r) for r, w in ROLE_WORDS.items()],
                    allow_blank=False,
                    value=row.role if row else "care_staff",
                    id="role",
                    compact=True,
                )
                yield Label("Induction completed", classes="field")
                yield Select(
                    YES_NO,
                    allow_blank=False,
                    value=row.induction_done if row else False,
                    id="induction_done",
                    compact=True,
                )
                yield Label("Level-3 qualification (or equivalent)", classes="field")
                yield Select(
                    YES_NO,
                    allow_blank=False,
                    value=row.level3 if row else False,
                    id="level3",
                    compact=True,
                )
                yield from date_field(
                    "level3_on",
                    "Qualified on (blank if not known)",
                    f"{row.level3_on:%d/%m/%Y}" if row and row.level3_on else "",
                    "e.g. 14/6/2021",
                )
                yield Label("OS user name (for sign-in over SSH)", classes="field")
                yield Input(
                    (row.os_user or "") if row else "",
                    id="os_user",
                    compact=True,
                    placeholder="blank: not mapped",
                )
                yield error_line("os_user")
                yield Label("Interests (used to suggest key children)", classes="field")
                yield TextArea(row.interests if row else "", id="interests", compact=True)
                yield error_line("interests")
            yield error_line("form")
            yield Label("Tab moves on · Ctrl+S saves · Esc cancels", classes="hint")

    def on_mount(self) -> None:
        self.show_parsed("level3_on", self.value("level3_on"), "→ not recorded")
        self.query_one("#name", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "level3_on":
            self.show_parsed("level3_on", event.value, "→ not recorded")

    def collect(self) -> StaffIn:
        typed = self.value("level3_on").strip()
        level3_on: dt.date | None = self.field_date("level3_on") if typed else None
        return StaffIn(
            name=self.value("name"),
            role=str(self.query_one("#role", Select).value),
            induction_done=bool(self.query_one("#induction_done", Select).value),
            level3=bool(self.query_one("#level3", Select).value),
            level3_on=level3_on,
            os_user=self.value("os_user").strip() or None,
            interests=self.value("interests"),
        )
