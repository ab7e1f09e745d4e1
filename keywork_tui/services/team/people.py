"""Staff and children: added, edited, deactivated or leaving, never deleted."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import peewee as pw

from keywork_tui.outputs import ChildOut, StaffOut
from keywork_tui.services import audit
from keywork_tui.services.actor import (
    ADMINS,
    MANAGERS,
    PROVIDERS,
    Actor,
    child_of,
    require,
    require_child_access,
)
from keywork_tui.services.errors import ConflictError, NotFoundError, ServiceError
from models import Child, Contact, Staff
from models.base import Homes, of_homes, write_transaction

if TYPE_CHECKING:  # inputs arrive validated: reading people needs no pydantic
    from pydantic import BaseModel

    from keywork_tui.schemas import ChildIn, ContactIn, StaffIn


def _staff_row(actor: Actor, staff_id: int) -> Staff:
    row = Staff.get_or_none((Staff.id == staff_id) & (Staff.home == actor.home_id))
    if row is None:
        raise NotFoundError(f"no staff member with id {staff_id} in this home")
    return row


def _check_os_user(os_user: str | None, staff_id: int | None = None) -> None:
    if os_user is None:
        return
    clash = Staff.get_or_none((Staff.os_user == os_user) & (Staff.id != (staff_id or 0)))
    if clash is not None:
        raise ConflictError(f"the OS username {os_user!r} already belongs to {clash.name}")


def _may_give_role(actor: Actor, before: str | None, after: str) -> None:
    # Otherwise a manager could make an admin and so change the home's policy.
    if "admin" in (before, after) and before != after:
        require(actor, *ADMINS, doing="give or take away the admin role")
    # A provider reads every home of the database: not one home's manager's to give.
    if "provider" in (before, after) and before != after:
        require(actor, *ADMINS, doing="give or take away the provider role")


def _update(row: Child | Staff, data: BaseModel) -> dict[str, Any]:
    before = audit.snapshot(row)
    for key, value in data.model_dump().items():
        setattr(row, key, value)
    row.save()
    return before


# --- staff -----------------------------------------------------------------


def add_staff(actor: Actor, data: StaffIn) -> StaffOut:
    require(actor, *MANAGERS, doing="add staff")
    _may_give_role(actor, None, data.role)
    with write_transaction():
        _check_os_user(data.os_user)
        row = Staff.create(home=actor.home_id, **data.model_dump())
        audit.record(actor, "staff.add", row)
    return StaffOut.of(row)


def update_staff(actor: Actor, staff_id: int, data: StaffIn) -> StaffOut:
    require(actor, *MANAGERS, doing="edit staff")
    with write_transaction():
        row = _staff_row(actor, staff_id)
        _may_give_role(actor, row.role, data.role)
        _check_os_user(data.os_user, staff_id)
        before = _update(row, data)
        audit.record(actor, "staff.edit", row, before=before)
    return StaffOut.of(row)


def deactivate_staff(actor: Actor, staff_id: int) -> StaffOut:
    require(actor, *MANAGERS, doing="deactivate staff")
    with write_transaction():
        row = _staff_row(actor, staff_id)
        before = audit.snapshot(row)
        row.active = False
        row.save()
        audit.record(actor, "staff.deactivate", row, before=before)
    return StaffOut.of(row)


def list_staff(home_id: Homes, *, active_only: bool = True) -> list[StaffOut]:
    """The staff of a home (or of several), by name."""
    query = Staff.select().where(of_homes(Staff.home, home_id)).order_by(Staff.name)
    if active_only:
        query = query.where(Staff.active)
    return [StaffOut.of(s) for s in query]


def find_staff(home_id: int, name: str) -> StaffOut | None:
    """Exact name first, then a unique case-insensitive prefix."""
    staff = list_staff(home_id)
    folded = name.casefold().strip()
    exact = [s for s in staff if s.name.casefold() == folded]
    prefixed = [s for s in staff if s.name.casefold().startswith(folded)]
    found = exact or (prefixed if len(prefixed) == 1 else [])
    return found[0] if found else None


def first_manager(home_id: int) -> StaffOut | None:
    return next((s for s in list_staff(home_id) if s.role in MANAGERS), None)


# --- children --------------------------------------------------------------


def add_child(actor: Actor, data: ChildIn) -> ChildOut:
    require(actor, *MANAGERS, doing="admit a child")
    with write_transaction():
        row = Child.create(home=actor.home_id, **data.model_dump())
        audit.record(actor, "child.admit", row, child_id=row.id)
    return ChildOut.of(row)


def update_child(actor: Actor, child_id: int, data: ChildIn) -> ChildOut:
    require(actor, *MANAGERS, doing="edit a child's details")
    with write_transaction():
        row = child_of(actor, child_id)
        before = _update(row, data)
        audit.record(actor, "child.edit", row, before=before, child_id=row.id)
    return ChildOut.of(row)


def child_leaves(actor: Actor, child_id: int, left_on: dt.date) -> ChildOut:
    """A child leaves the home; the record is kept (until their 75th birthday)."""
    require(actor, *MANAGERS, doing="record a child leaving")
    with write_transaction():
        row = child_of(actor, child_id)
        if left_on < row.admitted_on:
            raise ConflictError("a child cannot leave before they were admitted")
        before = audit.snapshot(row)
        row.left_on = left_on
        row.save()
        audit.record(actor, "child.leave", row, before=before, child_id=row.id)
    return ChildOut.of(row)


def add_contact(actor: Actor, child_id: int, data: ContactIn) -> int:
    """A contact of the child's, with any restriction in words; for a manager or
    the child's key worker, co-worker or cover."""
    with write_transaction():
        child = child_of(actor, child_id)
        require_child_access(actor, child.id, doing="change their contacts")
        row = Contact.create(child=child, **data.model_dump())
        audit.record(actor, "contact.add", row, child_id=child.id)
    return row.id


def update_contact(actor: Actor, contact_id: int, data: ContactIn) -> None:
    """Change a contact (a new number, a restriction added or lifted), audited
    with what it was before."""
    with write_transaction():
        row = (
            Contact.select()
            .join(Child)
            .where((Contact.id == contact_id) & (Child.home == actor.home_id))
            .first()
        )
        if row is None:
            raise NotFoundError(f"no contact with id {contact_id} in this home")
        require_child_access(actor, row.child_id, doing="change their contacts")
        before = audit.snapshot(row)
        for field, value in data.model_dump().items():
            setattr(row, field, value)
        row.save()
        audit.record(actor, "contact.update", row, before=before, child_id=row.child_id)


def in_placement(day: dt.date) -> pw.Expression:
    """Admitted by `day` and not yet left: the children the home has that day."""
    return (Child.admitted_on <= day) & (Child.left_on.is_null() | (Child.left_on > day))


def placed(home_id: Homes, on: dt.date) -> pw.ModelSelect[Child]:
    """The query of the children admitted by `on` and not yet left, by first name
    (of one home, or of several)."""
    return (
        Child.select()
        .where(of_homes(Child.home, home_id) & in_placement(on))
        .order_by(Child.first_name, Child.last_name)
    )


def children_in_placement(home_id: int, on: dt.date) -> list[ChildOut]:
    """Children admitted by `on` and not yet left, by first name."""
    return [ChildOut.of(c) for c in placed(home_id, on)]


def get_child(home_id: int, child_id: int) -> ChildOut:
    return ChildOut.of(child_of(home_id, child_id))


def match_children(children: list[ChildOut], typed: str) -> list[ChildOut]:
    """Children whose preferred, first or last name (or whole name) begins with
    what was typed; an exact whole name wins outright."""
    text = " ".join(typed.casefold().split())
    if not text:
        return []
    found = []
    for child in children:
        whole = {child.short_name.casefold(), f"{child.first_name} {child.last_name}".casefold()}
        if text in whole:
            return [child]
        parts = {child.preferred_name, child.first_name, child.last_name}
        names = whole | {n.casefold() for n in parts if n}
        if any(n.startswith(text) for n in names):
            found.append(child)
    return found


def resolve_child(home_id: int, typed: str) -> ChildOut:
    """The child a command names, by id or by name (any child the home has had,
    for a file is kept after they leave); one clear line when none or several match."""
    text = typed.strip()
    if text.isdigit():
        return get_child(home_id, int(text))
    found = match_children(all_children(home_id), text)
    if not found:
        raise NotFoundError(f"no child of this home is called {text!r}")
    if len(found) > 1:
        names = ", ".join(f"{c.short_name} (id {c.id})" for c in found[:6])
        raise ServiceError(f"{text!r} could be {names}: give more of the name, or the id")
    return found[0]


def all_children(home_id: int) -> list[ChildOut]:
    """Every child the home has had, those who left too, by first name."""
    query = Child.select().where(Child.home == home_id).order_by(Child.first_name, Child.last_name)
    return [ChildOut.of(c) for c in query]


def resolve_staff(home_id: int, name: str | None, *, usually: str = "manager") -> StaffOut:
    """The staff member to act as: by name, or the home's first manager (or,
    `usually` "provider", its first provider account)."""
    if name:
        found = find_staff(home_id, name)
        if found is None:
            raise ServiceError(f"no active staff member called {name!r} in this home")
        return found
    roles = PROVIDERS if usually == "provider" else MANAGERS
    first = next((s for s in list_staff(home_id) if s.role in roles), None)
    if first is None:
        raise ServiceError(f"this home has no active {usually}; use --as NAME")
    return first
