"""Homes: creating one with its first manager, and reading its settings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from keywork_tui.outputs import HomeOut, StaffOut
from keywork_tui.services.team.signin import lock_minutes
from models import Home, Staff, TermDate
from models.base import write_transaction

from . import audit
from .actor import ADMINS, MANAGERS, Actor, require
from .errors import FieldError, NotFoundError, ServiceError
from .policy import DEFAULT_DUE_SOON_DAYS, DEFAULT_READING_HOURS, PROFILES, policy_for

if TYPE_CHECKING:  # the inputs arrive validated; opening a home needs no pydantic
    from keywork_tui.schemas import HomeIn, HomeSettingsIn, RuleSettingIn, StaffIn, TermIn


def create_home(data: HomeIn, manager: StaffIn, *, demo: bool = False) -> tuple[HomeOut, StaffOut]:
    """A new home and the manager (or admin) who will run it, in one transaction."""
    role = manager.role if manager.role in MANAGERS else "manager"
    manager = manager.model_copy(update={"role": role})
    with write_transaction():
        # Checked inside the transaction, so no other terminal adds the same name meanwhile.
        if name_taken(data.name):
            raise FieldError("name", f"a home named {data.name!r} is already in this database")
        home = Home.create(**data.model_dump(), is_demo=demo)
        staff = Staff.create(home=home, **manager.model_dump())
        actor = Actor(staff.id, staff.name, staff.role, home.id)
        audit.record(actor, "home.create", home)
        audit.record(actor, "staff.add", staff)
    return HomeOut.of(home), StaffOut.of(staff)


def get_home(home_id: int) -> HomeOut:
    home = Home.get_or_none(Home.id == home_id)
    if home is None:
        raise NotFoundError(f"no home with id {home_id}")
    return HomeOut.of(home)


def homes() -> list[HomeOut]:
    return [HomeOut.of(h) for h in Home.select().order_by(Home.id)]


def _same_name(one: str, other: str) -> bool:
    return one.strip().casefold() == other.strip().casefold()


def name_taken(name: str) -> bool:
    """A home of that name (case aside) is already in the database."""
    return any(_same_name(h.name, name) for h in Home.select(Home.name))


def home_named(name: str | None) -> HomeOut:
    """The home a command or the app works in: the one named (case aside), or
    the database's only one. A database of several homes needs the name."""
    found = homes()
    if not found:
        raise ServiceError("this database has no home yet: run `keywork init` or `keywork demo`")
    names = ", ".join(h.name for h in found)
    if name is None:
        if len(found) == 1:
            return found[0]
        raise ServiceError(
            f"this database holds {len(found)} homes ({names}): choose one with --home NAME"
        )
    for home in found:
        if _same_name(home.name, name):
            return home
    raise ServiceError(f"no home named {name!r} in this database; its homes: {names}")


def only_home() -> HomeOut:
    """The home of a single-home database; a clear error when there is none or several."""
    return home_named(None)


def add_term(actor: Actor, data: TermIn) -> None:
    require(actor, *MANAGERS, doing="set term dates")
    with write_transaction():
        term = TermDate.create(home=actor.home_id, **data.model_dump())
        audit.record(actor, "term.add", term)


def set_policy(actor: Actor, policy: dict[str, Any]) -> HomeOut:
    """Replace the home's rule overrides (intervals, switched-off rules).

    Admin only: the policy decides what counts as overdue, which is what a
    manager is inspected against."""
    require(actor, *ADMINS, doing="change the home's policy")
    with write_transaction():
        home = Home.get_by_id(actor.home_id)
        try:
            policy_for(home.profile, policy)  # a bad override is refused, not stored
        except (ValueError, TypeError, AttributeError) as exc:
            raise ServiceError(f"policy not changed: {exc}") from None
        before = audit.snapshot(home)
        home.policy = policy
        home.save()
        audit.record(actor, "home.policy", home, before=before)
    return HomeOut.of(home)


# --- the home's settings -------------------------------------------------------


class RuleSetting(NamedTuple):
    """One rule of the home's policy, as the settings show it."""

    slug: str
    title: str
    every: str
    enabled: bool
    usual: str  # the profile's own interval, to show what a change departs from
    falls_to: str


class Settings(NamedTuple):
    """The home's settings, rules and term dates, as the settings dialog edits them."""

    values: HomeSettingsIn
    rules: list[RuleSetting]
    terms: list[TermIn]
    may_change: bool  # the reader is an admin


def settings(actor: Actor) -> Settings:
    """The home's settings as they apply now, with each rule's usual interval."""
    require(actor, *MANAGERS, doing="see the home's settings")
    from keywork_tui.schemas import HomeSettingsIn, RuleSettingIn, TermIn

    home = Home.get_by_id(actor.home_id)
    overrides = home.policy if isinstance(home.policy, dict) else {}
    rules = policy_for(home.profile, overrides).rules
    usual = {r.slug: r for r in PROFILES[home.profile]}
    lines = [
        RuleSetting(r.slug, r.title, r.every, r.enabled, usual[r.slug].every, r.falls_to)
        for r in rules.values()
    ]
    values = HomeSettingsIn(
        day_shift_starts=home.day_shift_starts,
        night_shift_starts=home.night_shift_starts,
        lock_minutes=lock_minutes(home.id),
        due_soon_days=int(overrides.get("due_soon_days", DEFAULT_DUE_SOON_DAYS)),
        handover_reading_hours=int(overrides.get("handover_reading_hours", DEFAULT_READING_HOURS)),
        ssh_skip_pin=overrides.get("ssh_skip_pin") is True,
        rules={r.slug: RuleSettingIn(every=r.every, enabled=r.enabled) for r in lines},
    )
    terms = [
        TermIn(starts_on=t.starts_on, ends_on=t.ends_on, kind=t.kind)
        for t in TermDate.select().where(TermDate.home == home.id).order_by(TermDate.starts_on)
    ]
    return Settings(values, lines, terms, actor.role in ADMINS)


def _overrides(profile: str, rules: dict[str, RuleSettingIn]) -> dict[str, dict[str, str | bool]]:
    """Only what differs from the profile is stored, so a later change to the
    profile's own rules still reaches the home."""
    usual = {r.slug: r for r in PROFILES[profile]}
    found: dict[str, dict[str, str | bool]] = {}
    for slug, rule in rules.items():
        if slug not in usual:
            raise FieldError("rules", f"no rule {slug!r} in this home's profile")
        change = {
            k: v
            for k, v in (("every", rule.every.strip()), ("enabled", rule.enabled))
            if v != getattr(usual[slug], k)
        }
        if change:
            found[slug] = change
    return found


def change_settings(actor: Actor, data: HomeSettingsIn) -> None:
    """Shift times, the lock, the due-soon window and every rule, in one audited
    change. Admin only, as the policy is: it decides what counts as overdue."""
    require(actor, *ADMINS, doing="change the home's settings")
    with write_transaction():
        home = Home.get_by_id(actor.home_id)
        policy = dict(home.policy) if isinstance(home.policy, dict) else {}
        policy.update(
            lock_minutes=data.lock_minutes,
            due_soon_days=data.due_soon_days,
            handover_reading_hours=data.handover_reading_hours,
            ssh_skip_pin=data.ssh_skip_pin,
            rules=_overrides(home.profile, data.rules),
        )
        try:
            policy_for(home.profile, policy)
        except ValueError as exc:
            raise FieldError("rules", str(exc)) from None
        before = audit.snapshot(home)
        home.policy = policy
        home.day_shift_starts, home.night_shift_starts = (
            data.day_shift_starts,
            data.night_shift_starts,
        )
        home.save()
        audit.record(actor, "home.settings", home, before=before)
