"""What a key worker sees of their own key children and those they cover."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import peewee as pw

from keywork_tui.schemas import ChildOut
from models import Child, Cover, KeySession, KeyWorkerAllocation

from .actor import Actor


@dataclass(frozen=True)
class KeyChildRow:
    child: ChildOut
    relation: str  # "key worker", "co-worker" or "cover"
    cover_until: dt.date | None
    last_session: dt.datetime | None


def _in_placement(day: dt.date) -> pw.Expression:
    return (Child.admitted_on <= day) & (Child.left_on.is_null() | (Child.left_on > day))


def key_children(actor: Actor, day: dt.date) -> list[KeyChildRow]:
    """The actor's key (and co-) children and the children they cover on `day`."""
    allocated = (
        KeyWorkerAllocation.select(KeyWorkerAllocation, Child)
        .join(Child)
        .where(
            (KeyWorkerAllocation.staff == actor.id)
            & (KeyWorkerAllocation.starts_on <= day)
            & (KeyWorkerAllocation.ends_on.is_null() | (KeyWorkerAllocation.ends_on >= day))
            & _in_placement(day)
        )
    )
    covered = (
        Cover.select(Cover, Child)
        .join(Child)
        .where(
            (Cover.staff == actor.id)
            & (Cover.starts_on <= day)
            & (Cover.ends_on >= day)
            & _in_placement(day)
        )
    )
    found: dict[int, tuple[Child, str, dt.date | None]] = {}
    for a in allocated:
        found[a.child_id] = (a.child, a.role.replace("_", "-").replace("key-worker", "key worker"),
                             None)
    for c in covered:
        found.setdefault(c.child_id, (c.child, "cover", c.ends_on))
    last = _last_sessions(list(found))
    rows = [
        KeyChildRow(ChildOut.model_validate(child), relation, until, last.get(child_id))
        for child_id, (child, relation, until) in found.items()
    ]
    return sorted(rows, key=lambda r: (r.relation == "cover", r.child.first_name))


def _last_sessions(child_ids: list[int]) -> dict[int, dt.datetime]:
    if not child_ids:
        return {}
    query = (
        KeySession.select(KeySession.child, pw.fn.MAX(KeySession.held_at).alias("last"))
        .where(KeySession.child.in_(child_ids))
        .group_by(KeySession.child)
        .tuples()
    )
    # Peewee reads the aggregate back through held_at's own field type.
    return dict(query)

