"""Who is acting, and what their role lets them do.

Every service write names a staff member; the checks here are the only place
the role rules live, so each refusal reads the same wherever it comes from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import NamedTuple

import peewee as pw

from models import Child, Cover, Home, KeyWorkerAllocation, Staff
from models.prepared import Prepared, slot

from . import clock
from .errors import NotFoundError, PermissionDeniedError

MANAGERS = ("manager", "admin")
# Shift leaders run the whole home's handover; managers keep every right they have.
LEADERS = ("shift_leader", *MANAGERS)
ROLES = ("care_staff", *LEADERS)
ADMINS = ("admin",)
# Reads every home of the database; writes nothing in a home's records.
PROVIDERS = ("provider",)
# Who reads what a home is overseen by (its audit trail, reports, the
# workspace's boards): its managers, and the provider over every home.
OVERSEERS = (*MANAGERS, *PROVIDERS)


class Actor(NamedTuple):
    """Who is doing something: every service call is made as, and audited under, one."""

    id: int
    name: str
    role: str
    home_id: int

    @property
    def is_provider(self) -> bool:
        return self.role in PROVIDERS

    @property
    def is_manager(self) -> bool:
        return self.role in MANAGERS

    @property
    def is_leader(self) -> bool:
        return self.role in LEADERS


def actor_for(staff_id: int) -> Actor:
    staff = Staff.get_or_none(Staff.id == staff_id)
    if staff is None or not staff.active:
        raise NotFoundError(f"no active staff member with id {staff_id}")
    return Actor(staff.id, staff.name, staff.role, staff.home_id)


def child_of(home: Actor | int, child_id: int) -> Child:
    """The child of the actor's home (or of the home with that id), its home read
    with it; a child of another home is not found, as if there were none."""
    home_id = home.home_id if isinstance(home, Actor) else home
    child: Child | None = (
        Child.select(Child, Home)
        .join(Home)
        .where((Child.id == child_id) & (Child.home == home_id))
        .first()
    )
    if child is None:
        raise _not_in_home(child_id)
    return child


def children_of(home: Actor | int, child_ids: Iterable[int]) -> dict[int, Child]:
    """Several children of the actor's home (or of the home with that id), by id,
    in one read; the first that is not of it is not found, as `child_of` says."""
    home_id = home.home_id if isinstance(home, Actor) else home
    wanted = sorted(set(child_ids))
    found = {c.id: c for c in Child.select().where(Child.id.in_(wanted) & (Child.home == home_id))}
    missing = [child_id for child_id in wanted if child_id not in found]
    if missing:
        raise _not_in_home(missing[0])
    return found


def _not_in_home(child_id: int) -> NotFoundError:
    return NotFoundError(f"no child with id {child_id} in this home")


def require(actor: Actor, *roles: str, doing: str) -> None:
    if actor.role not in roles:
        words = [r.replace("_", " ") for r in roles]
        allowed = " or ".join([", ".join(words[:-1]), words[-1]] if len(words) > 2 else words)
        article = "an" if allowed[0] in "aeiou" else "a"
        raise PermissionDeniedError(f"only {article} {allowed} can {doing}")


def _works_with_query() -> pw.Query:
    child, staff, day = slot(0), slot(1), slot(2)
    allocated = KeyWorkerAllocation.select(pw.SQL("1")).where(
        (KeyWorkerAllocation.child == child)
        & (KeyWorkerAllocation.staff == staff)
        & (KeyWorkerAllocation.starts_on <= day)
        & (KeyWorkerAllocation.ends_on.is_null() | (KeyWorkerAllocation.ends_on >= day))
    )
    covering = Cover.select(pw.SQL("1")).where(
        (Cover.child == child)
        & (Cover.staff == staff)
        & (Cover.starts_on <= day)
        & (Cover.ends_on >= day)
    )
    return pw.Select(columns=[pw.fn.EXISTS(allocated) | pw.fn.EXISTS(covering)])


# Asked before every write about a child: its SQL is built once.
_WORKS_WITH = Prepared(_works_with_query)
_HOME_CHILD = Prepared(
    lambda: Child.select().where((Child.id == slot(0)) & (Child.home == slot(1)))
)


def _works_with_on(actor: Actor, child_id: int, day: dt.date) -> bool:
    return bool(_WORKS_WITH.scalar(child_id, actor.id, day))


def home_child(home_id: int, child_id: int) -> Child | None:
    """The child with that id if it is of the home, else None (its home not read)."""
    return _HOME_CHILD.first(Child, child_id, home_id)


def works_with(
    actor: Actor, child_id: int, day: dt.date | None = None, *, also_on: dt.date | None = None
) -> bool:
    """The actor is the child's key worker, co-worker or cover on `day` (today
    by default) or on `also_on`, e.g. the day a session was held: whoever held
    a session may still write it up once the cover has ended."""
    days = {day or clock.today()} | ({also_on} if also_on else set())
    return any(_works_with_on(actor, child_id, d) for d in days)


def may_reach(
    actor: Actor, child_id: int, day: dt.date | None = None, *, also_on: dt.date | None = None
) -> bool:
    """Managers reach every child of their home; others the children they work with."""
    return actor.is_manager or works_with(actor, child_id, day, also_on=also_on)


def require_child_access(
    actor: Actor,
    child_id: int,
    day: dt.date | None = None,
    *,
    doing: str,
    also_on: dt.date | None = None,
) -> None:
    """Refuse, in words, anyone but a manager or the child's key worker,
    co-worker or cover (on `day`, today by default, or on `also_on`)."""
    if may_reach(actor, child_id, day, also_on=also_on):
        return
    child = Child.get_or_none(Child.id == child_id)
    name = (child.preferred_name or child.first_name) if child else "this child"
    raise PermissionDeniedError(
        f"only {name}'s key worker, co-worker, cover or a manager can {doing}"
    )
