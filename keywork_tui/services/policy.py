"""Rules as data: what must happen, how often, and who it falls to.

The two shipped profiles hold the defaults of the policies behind keywork; a
home overrides any rule in its `policy` (interval, window, on/off) and a
child's plan can switch a rule off or set its own session rhythm.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from functools import cache
from typing import Any, Literal, NamedTuple, Self, TypedDict, TypeVar, Unpack, get_args, overload

from dateutil.relativedelta import relativedelta

from keywork_tui.vocabulary import MonthlyDocument

Completion = Literal[
    "session", "write_up", "review", "target_review", "supervision", "acknowledgement"
]
FallsTo = Literal["key_worker", "managers", "shift_leader"]

MONTHLY_DOCUMENTS: tuple[str, ...] = get_args(MonthlyDocument)
# Reviewed again on the day of a significant event.
AFTER_SIGNIFICANT_EVENT = ("support_plan", "safety_plan")


class Rule(NamedTuple):
    """One statutory or home rule: what completes it, how often, and whose it is."""

    slug: str
    title: str
    completes: Completion
    every: str  # "1 week", "6 months", "term", or "" for one-off rules
    falls_to: FallsTo = "key_worker"
    first_due: str = ""  # after admission when there is no record yet; "" = `every`
    enabled: bool = True
    placements: tuple[str, ...] = ()  # empty: every placement type
    working_days: int = 0  # write-up deadline counts working days instead

    def interval(self) -> relativedelta | None:
        return parse_interval(self.every)


_INTERVAL = re.compile(r"^(\d+)\s*(day|week|month|year)s?$")


_DateT = TypeVar("_DateT", bound=dt.date)


class Interval(relativedelta):
    """A relativedelta. Of years, months and days alone, as a rule's interval
    is, and added to a date, it gives what relativedelta gives (the 31st a month on
    is the month's last day), by plain arithmetic: the rules add one for every
    document of every child on each refresh, and relativedelta's own addition,
    which handles every field it has, was a sixth of the rules' pass."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Anything more (hours, a weekday, an absolute day) is relativedelta's to add.
        relative = (self.hours, self.minutes, self.seconds, self.microseconds, self.leapdays)
        absolute = (self.year, self.month, self.day, self.weekday, self.hour, self.minute)
        self._plain = not any(relative) and all(v is None for v in absolute)

    @overload
    def __add__(self, other: dt.timedelta | relativedelta) -> Self: ...
    @overload
    def __add__(self, other: _DateT) -> _DateT: ...

    def __add__(self, other: Any) -> Any:
        if type(other) is not dt.date or not self._plain:
            return super().__add__(other)
        months = other.month - 1 + self.months + 12 * self.years
        year, month = other.year + months // 12, months % 12 + 1
        day = min(other.day, calendar.monthrange(year, month)[1])
        return dt.date(year, month, day) + dt.timedelta(days=self.days)

    __radd__ = __add__


@cache  # a handful of texts, read for every rule of every child on each refresh
def parse_interval(text: str) -> relativedelta | None:
    """'1 week', '6 months', '2 years' as a calendar-true relativedelta (one
    shared value per text: only ever added to a date, never changed)."""
    if not text or text == "term":
        return None
    match = _INTERVAL.match(text.strip().lower())
    if match is None:
        raise ValueError(f"cannot read interval {text!r}: use e.g. '1 week' or '6 months'")
    count, unit = int(match.group(1)), match.group(2)
    if unit == "day":
        return Interval(days=count)
    if unit == "week":
        return Interval(weeks=count)
    if unit == "month":
        return Interval(months=count)
    return Interval(years=count)


class _RuleExtra(TypedDict, total=False):
    """The fields of a Rule after `every`, each with its default."""

    falls_to: FallsTo
    first_due: str
    enabled: bool
    placements: tuple[str, ...]
    working_days: int


def _document(slug: str, title: str, every: str, **extra: Unpack[_RuleExtra]) -> Rule:
    # No first_due of its own: first due one interval after admission, so an
    # override of the interval moves the first occurrence too.
    return Rule(slug, title, "review", every, **extra)


CHILDRENS_HOME: tuple[Rule, ...] = (
    Rule("first_session", "First key-work session", "session", "", first_due="2 days"),
    Rule("key_session", "Key-work session", "session", "1 week"),
    Rule("session_write_up", "Session write-up", "write_up", "", working_days=5),
    _document("support_plan", "Support Plan review", "1 month"),
    _document("safety_plan", "Safety Plan review", "1 month"),
    _document("positive_handling_plan", "Handling plan review", "1 month"),
    _document("risk_assessment", "Risk assessments review", "1 month"),
    _document("medical_summary", "Medical summary review", "1 month"),
    _document("consent_forms", "Consent forms review", "1 month"),
    _document("audit_actions", "Audit actions review", "1 month"),
    _document("monthly_report", "Monthly report", "1 month"),
    _document("formal_consultation", "Formal consultation", "6 months"),
    _document("school_visit", "School visit", "6 months"),
    _document("belongings_inventory", "Belongings inventory", "6 months"),
    # Likes and dislikes are asked before arrival: due on the day of admission.
    Rule("likes_dislikes", "Likes and dislikes form", "review", "6 months", first_due="0 days"),
    _document("dental_check", "Dental check", "6 months"),
    _document("health_assessment", "CLA health assessment", "1 year"),
    _document("consent_parent_social_worker", "Consent by parent and SW", "2 years"),
    _document("good_news_contact", "Good-news contact home", "1 week", enabled=False),
    Rule("target_review", "Target review", "target_review", ""),
    Rule("supervision", "Supervision", "supervision", "term", falls_to="managers"),
    # Every incoming staff member confirms they read the handover.
    Rule(
        "handover_acknowledgement",
        "Handover not yet read",
        "acknowledgement",
        "",
        falls_to="shift_leader",
    ),
)

# A residential school: one planned 1:1 each term rather than each week.
RESIDENTIAL_SCHOOL: tuple[Rule, ...] = tuple(
    rule._replace(every="term") if rule.slug == "key_session" else rule for rule in CHILDRENS_HOME
)

PROFILES = {"childrens_home": CHILDRENS_HOME, "residential_school": RESIDENTIAL_SCHOOL}
DEFAULT_DUE_SOON_DAYS = 3
# For this long after a shift starts, the handover it received stays in focus:
# the incoming staff read and acknowledge it before the next one is begun.
DEFAULT_READING_HOURS = 2
# The office terminal locks after this many idle minutes unless a home sets its
# own "lock_minutes"; "ssh_skip_pin" lets an SSH session skip the PIN step.
DEFAULT_LOCK_MINUTES = 5
# Backups `keywork backup` keeps in its folder unless told otherwise.
BACKUPS_KEPT = 30
LOCK_MINUTES_RANGE = range(1, 121)
# Without term dates a "term" is a third of a year.
TERM_FALLBACK = relativedelta(months=4)
# A target is given at least this long before its default review, and without
# term dates it is reviewed after about a half-term.
TARGET_MIN_TIME = relativedelta(weeks=2)
TARGET_FALLBACK = relativedelta(weeks=6)


# Kinds of significant event every home records; a home adds its own with
# "significant_event_kinds": ["Self-harm", "Exclusion from school"].
SIGNIFICANT_KINDS = {
    "missing_from_home": "Missing from home",
    "police": "Police involvement",
    "hospital": "Hospital",
    "restraint": "Physical restraint",
    "allegation": "Allegation",
    "other": "Other",
}


def significant_kinds(overrides: dict[str, Any] | None) -> dict[str, str]:
    """The home's kinds of significant event, slug to words, "other" last."""
    added = (overrides or {}).get("significant_event_kinds") or []
    if not isinstance(added, list) or not all(isinstance(a, str) and a.strip() for a in added):
        raise ValueError("significant_event_kinds must be a list of names")
    kinds = {k: v for k, v in SIGNIFICANT_KINDS.items() if k != "other"}
    kinds |= {_slug(words): words.strip() for words in added}
    return kinds | {"other": SIGNIFICANT_KINDS["other"]}


def _slug(words: str) -> str:
    return "_".join("".join(c if c.isalnum() else " " for c in words.lower()).split())


class Policy(NamedTuple):
    """A home's rules, as its profile sets them and its settings change them."""

    rules: dict[str, Rule]
    due_soon_days: int
    reading_hours: int = DEFAULT_READING_HOURS

    def active(self, slug: str) -> Rule | None:
        rule = self.rules.get(slug)
        return rule if rule is not None and rule.enabled else None


def policy_for(profile: str, overrides: dict[str, Any] | None) -> Policy:
    """The profile's rules with the home's overrides applied.

    Overrides look like {"due_soon_days": 5, "handover_reading_hours": 2,
    "rules": {"dental_check": {"every": "12 months"},
    "school_visit": {"enabled": false}}, "lock_minutes": 10, "ssh_skip_pin": true}.
    """
    overrides = overrides or {}
    if profile not in PROFILES:
        raise ValueError(f"unknown policy profile {profile!r}")
    rules = {rule.slug: rule for rule in PROFILES[profile]}
    for slug, change in (overrides.get("rules") or {}).items():
        if slug not in rules:
            raise ValueError(f"the policy names an unknown rule {slug!r}")
        allowed = {k: v for k, v in change.items() if k in ("every", "enabled", "first_due")}
        rules[slug] = rules[slug]._replace(**allowed)
        # Refuse a bad interval now, not half-way through someone's overdue list.
        parse_interval(rules[slug].every)
        parse_interval(rules[slug].first_due)
    _check_signin_keys(overrides)
    significant_kinds(overrides)
    days = int(overrides.get("due_soon_days", DEFAULT_DUE_SOON_DAYS))
    reading = int(overrides.get("handover_reading_hours", DEFAULT_READING_HOURS))
    if not 0 <= reading <= 12:
        raise ValueError("handover_reading_hours must be between 0 and 12")
    return Policy(rules, days, reading)


def _check_signin_keys(overrides: dict[str, Any]) -> None:
    """Refuse sign-in settings the sign-in rules could not honour."""
    if not isinstance(overrides.get("ssh_skip_pin", False), bool):
        raise ValueError("ssh_skip_pin must be true or false")
    lock = overrides.get("lock_minutes", DEFAULT_LOCK_MINUTES)
    # bool is an int in Python; true is not a number of minutes.
    if isinstance(lock, bool) or not isinstance(lock, int) or lock not in LOCK_MINUTES_RANGE:
        raise ValueError("lock_minutes must be a whole number of minutes from 1 to 120")
