"""Homes: creating one with its first manager, and reading its settings."""

from __future__ import annotations

from keywork_tui.schemas import HomeIn, HomeOut, StaffIn, StaffOut, TermIn
from models import Home, Staff, TermDate
from models.base import write_transaction

from . import audit
from .actor import ADMINS, MANAGERS, Actor, require
from .errors import NotFoundError, ServiceError
from .policy import policy_for


def create_home(data: HomeIn, manager: StaffIn, *, demo: bool = False) -> tuple[HomeOut, StaffOut]:
    """A new home and the manager (or admin) who will run it, in one transaction."""
    role = manager.role if manager.role in MANAGERS else "manager"
    manager = manager.model_copy(update={"role": role})
    with write_transaction():
        home = Home.create(**data.model_dump(), is_demo=demo)
        staff = Staff.create(home=home, **manager.model_dump())
        actor = Actor(staff.id, staff.name, staff.role, home.id)
        audit.record(actor, "home.create", home)
        audit.record(actor, "staff.add", staff)
    return HomeOut.model_validate(home), StaffOut.model_validate(staff)


def get_home(home_id: int) -> HomeOut:
    home = Home.get_or_none(Home.id == home_id)
    if home is None:
        raise NotFoundError(f"no home with id {home_id}")
    return HomeOut.model_validate(home)


def homes() -> list[HomeOut]:
    return [HomeOut.model_validate(h) for h in Home.select().order_by(Home.id)]


def only_home() -> HomeOut:
    """The home of a single-home database; a clear error when there is none."""
    found = homes()
    if not found:
        raise ServiceError("this database has no home yet: run `keywork init` or `keywork demo`")
    return found[0]


def add_term(actor: Actor, data: TermIn) -> None:
    require(actor, *MANAGERS, doing="set term dates")
    with write_transaction():
        term = TermDate.create(home=actor.home_id, **data.model_dump())
        audit.record(actor, "term.add", term)


def set_policy(actor: Actor, policy: dict) -> HomeOut:
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
    return HomeOut.model_validate(home)
