"""Who is acting: every service write names a staff member."""

from __future__ import annotations

from dataclasses import dataclass

from models import Staff

from .errors import NotFoundError, PermissionDeniedError

MANAGERS = ("manager", "admin")


@dataclass(frozen=True)
class Actor:
    id: int
    name: str
    role: str
    home_id: int

    @property
    def is_manager(self) -> bool:
        return self.role in MANAGERS


def actor_for(staff_id: int) -> Actor:
    staff = Staff.get_or_none(Staff.id == staff_id)
    if staff is None or not staff.active:
        raise NotFoundError(f"no active staff member with id {staff_id}")
    return Actor(staff.id, staff.name, staff.role, staff.home_id)


def require(actor: Actor, *roles: str, doing: str) -> None:
    if actor.role not in roles:
        allowed = " or ".join(r.replace("_", " ") for r in roles)
        raise PermissionDeniedError(f"only a {allowed} can {doing}")
