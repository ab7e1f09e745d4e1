"""The home tab: its rules (how often each piece of work falls due, and
whether it applies), shift times, the terminal lock, term dates and the
language guide. Managers read it, add terms and edit the language guide; an
admin changes the settings, every change audited."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, Select

from keywork_tui.schemas import HomeSettingsIn, RuleSettingIn, TermIn
from keywork_tui.services import Actor, homes
from keywork_tui.services.child_file import language
from keywork_tui.services.child_file.language import Guide
from keywork_tui.services.homes import RuleSetting, Settings

from .form_dialog import FormDialog, date_field, error_line
from .language_guide import LanguageGuideDialog, guide_words
from .widgets.fitted_table import Col
from .widgets.text import plain
from .workspace_pane import WorkspacePane

FALLS_TO_WORDS = {
    "key_worker": "key worker",
    "managers": "managers",
    "shift_leader": "shift leader",
}
ON_OFF = [("applies", True), ("switched off", False)]
SETTING_FIELDS = (
    ("day_shift_starts", "Day shift starts (HH:MM)"),
    ("night_shift_starts", "Night shift starts (HH:MM)"),
    ("lock_minutes", "Lock the terminal after idle minutes (1-120)"),
    ("due_soon_days", "Due soon: days ahead (0-60)"),
    ("handover_reading_hours", "Hours to read a handover (0-12)"),
)


class HomePane(WorkspacePane[RuleSetting]):
    COLUMNS = (
        Col("Rule", least=14),
        Col("Every", least=8),
        Col("Applies", least=8),
        Col("Falls to", least=8),
    )
    BINDINGS = [
        Binding(
            "p",
            "settings",
            "Settings",
            id="home.settings",
            tooltip="Change shift times, the lock and the rules (admins)",
        ),
        Binding("t", "add_term", "Term", id="home.add_term", tooltip="Add term or half-term dates"),
        Binding(
            "g",
            "language",
            "Language guide",
            id="home.language",
            tooltip="The words pointed out while writing for the child: add, take off, switch off",
        ),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.current: Settings | None = None
        self.guide: Guide | None = None

    def read(self) -> list[RuleSetting]:
        self.current = homes.settings(self.actor)
        self.guide = language.guide_for(self.actor)
        return self.current.rules

    def key(self, row: RuleSetting) -> str:
        return row.slug

    def intro(self) -> Text:
        s = self.current
        if s is None:
            return Text("")
        v = s.values
        terms = ", ".join(f"{t.starts_on:%d %b} – {t.ends_on:%d %b %Y}" for t in s.terms[-3:])
        return Text.assemble(
            f"Day shift {v.day_shift_starts} · night {v.night_shift_starts} · locks after "
            f"{v.lock_minutes} min · due soon {v.due_soon_days} days · SSH skips PIN: "
            f"{'yes' if v.ssh_skip_pin else 'no'}\n",
            ("Terms: ", "bold"),
            terms or "none yet (t adds one; without them a term is a third of a year)",
            "\np changes the settings · t adds terms"
            if s.may_change
            else "\nAdmins change rules and times · t adds terms",
            f" · g language guide ({guide_words(self.guide)})" if self.guide else "",
        )

    def cells(self, row: RuleSetting) -> tuple[str | Text, ...]:
        every = row.every or "once"
        if row.every != row.usual:
            every += " *"
        return (
            plain(row.title),
            every,
            "yes" if row.enabled else "✗ off",
            FALLS_TO_WORDS.get(row.falls_to, row.falls_to),
        )

    def detail(self, row: RuleSetting) -> Text:
        text = Text.assemble((row.title, "bold"), f"\nEvery {row.every or 'once'}")
        if row.every != row.usual:
            text.append(f" (* the usual is {row.usual or 'once'})")
        if not row.enabled:
            text.append("\nSwitched off for this home: nothing falls due.")
        return text

    def action_settings(self) -> None:
        s = self.current
        if s is None:
            return
        if not s.may_change:
            self.app.notify("Only an admin changes the home's rules and times.", severity="warning")
            return
        save = partial(homes.change_settings, self.actor)
        self.ask(SettingsDialog(s, save), "The home's settings are changed and audited.")

    def action_add_term(self) -> None:
        self.ask(TermDialog(partial(_add_term, self.actor)), "Term added.")

    def action_language(self) -> None:
        if self.guide is None:
            return
        # Each change inside is saved and audited as it is made; read the tab again after.
        self.app.push_screen(
            LanguageGuideDialog(self.actor, self.guide), lambda _: self.workspace.reload()
        )


def _add_term(actor: Actor, data: TermIn) -> None:
    homes.add_term(actor, data)


class SettingsDialog(FormDialog):
    """Every setting of the home on one form; the rules in a list below."""

    DEFAULT_CSS = """
    SettingsDialog > Vertical { width: 90; }
    SettingsDialog VerticalScroll { max-height: 18; }
    SettingsDialog .rule { height: 1; }
    SettingsDialog .rule Label { width: 1fr; }
    SettingsDialog .rule Input { width: 14; }
    SettingsDialog .rule Select { width: 18; }
    """

    def __init__(self, current: Settings, save: Callable[[HomeSettingsIn], Any]) -> None:
        super().__init__(save)
        self.current = current

    def compose(self) -> ComposeResult:
        v = self.current.values
        with Vertical():
            yield Label(Text("The home's settings", style="bold"))
            with VerticalScroll():
                for name, words in SETTING_FIELDS:
                    yield Label(words, classes="field")
                    yield Input(str(getattr(v, name)), id=name, compact=True)
                    yield error_line(name)
                yield Label("An SSH session skips the PIN for its own account", classes="field")
                yield Select(
                    [("no", False), ("yes", True)],
                    value=v.ssh_skip_pin,
                    allow_blank=False,
                    id="ssh_skip_pin",
                    compact=True,
                )
                yield Label(
                    "Rules: how often, and whether they apply (e.g. 1 week, 6 months, term)",
                    classes="field",
                )
                for rule in self.current.rules:
                    with Horizontal(classes="rule"):
                        yield Label(plain(rule.title))
                        yield Input(
                            rule.every,
                            id=f"every-{rule.slug}",
                            compact=True,
                            disabled=not rule.usual,
                        )
                        yield Select(
                            ON_OFF,
                            value=rule.enabled,
                            allow_blank=False,
                            id=f"on-{rule.slug}",
                            compact=True,
                        )
                yield error_line("rules")
            yield error_line("form")
            yield Label("Ctrl+S saves · Esc cancels", classes="hint")

    def collect(self) -> HomeSettingsIn:
        rules = {
            r.slug: RuleSettingIn(
                every=self.value(f"every-{r.slug}"),
                enabled=self.query_one(f"#on-{r.slug}", Select).value is True,
            )
            for r in self.current.rules
        }
        return HomeSettingsIn(
            **{name: self.value(name) for name, _ in SETTING_FIELDS},
            ssh_skip_pin=self.query_one("#ssh_skip_pin", Select).value is True,
            rules=rules,
        )


class TermDialog(FormDialog):
    """A term or half-term, first and last day."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text("Term dates", style="bold"))
            yield Label("Kind", classes="field")
            yield Select(
                [("term", "term"), ("half-term", "half_term")],
                value="term",
                allow_blank=False,
                id="kind",
                compact=True,
            )
            yield from date_field("starts_on", "First day", placeholder="e.g. 4/1/2027")
            yield from date_field("ends_on", "Last day", placeholder="e.g. 12/2/2027")
            yield error_line("form")
            yield Label("Ctrl+S saves · Esc cancels", classes="hint")

    def on_mount(self) -> None:
        for name in ("starts_on", "ends_on"):
            self.show_parsed(name, "", "type the date", ahead=True)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.show_parsed(event.input.id or "", event.value, "type the date", ahead=True)

    def collect(self) -> TermIn:
        return TermIn(
            starts_on=self.field_date("starts_on", ahead=True),
            ends_on=self.field_date("ends_on", ahead=True),
            kind=str(self.query_one("#kind", Select).value),
        )
