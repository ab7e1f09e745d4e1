"""The audit trail: written inside the same transaction as the change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from typing import Any, NamedTuple, cast

import peewee as pw
from playhouse.shortcuts import model_to_dict

from keywork_tui.outputs import AuditOut
from models import AuditEvent, AuditHead, BaseModel, db
from models.audit_chain import GENESIS, HEAD_ID, UNAUDITED, chain_hash, encoded
from models.base import write_transaction
from models.changes import announce
from models.prepared import Insert, Prepared, slot

from . import clock
from .actor import OVERSEERS, Actor, require
from .errors import PermissionDeniedError

# The three statements of every audited write, their SQL built once.
_HEAD = Prepared(lambda: AuditHead.select().where(AuditHead.id == slot(0)))
_NEW_EVENT = Insert(AuditEvent)
_MOVE_HEAD = Prepared(
    lambda: AuditHead.update(events=AuditHead.events + slot(0), hash=slot(1)).where(
        AuditHead.id == slot(2)
    )
)


class Values(NamedTuple):
    """A row built as plain values rather than a model instance (an import's
    rows, thousands at a time): every field by name, "id" included, as
    `model_to_dict` would give them."""

    model: type[BaseModel]
    fields: dict[str, Any]


def snapshot(row: BaseModel | Values) -> dict[str, Any]:
    """The stored values of a row, foreign keys as ids, secrets left out."""
    data: dict[str, Any] = (
        dict(row.fields) if isinstance(row, Values) else model_to_dict(row, recurse=False)
    )
    for secret in UNAUDITED:
        data.pop(secret, None)
    return data


def record(
    actor: Actor | None,
    action: str,
    row: BaseModel,
    *,
    before: dict[str, Any] | None = None,
    child_id: int | None = None,
    deleted: bool = False,
) -> None:
    """One audit event for a write; a deletion keeps the whole row as `before`."""
    record_many(actor, action, [Change(row, before, child_id, deleted)])


class Change(NamedTuple):
    """One row written, for `record_many`: what it was (None when new) and whose."""

    row: BaseModel | Values
    before: dict[str, Any] | None = None
    child_id: int | None = None
    deleted: bool = False


def record_many(actor: Actor | None, action: str, changes: Sequence[Change]) -> None:
    """An audit event for each change, in order, chained as one after another:
    the chain's head is read and moved once, and the events go in together."""
    if not changes:
        return
    _provider_writes_nothing(actor, action)
    events = [event(actor, action, change) for change in changes]
    # Inside the write's transaction (IMMEDIATE on SQLite): nobody else can
    # add an event between reading the chain's head and adding these. Within
    # a write's own transaction a savepoint would only add two statements.
    with nullcontext() if db.in_transaction() else write_transaction():
        chain_on(events)
        # Every write has an event: other terminals of the home hear of it at commit.
        announce(actor.home_id if actor else None)


# What a provider's own use of keywork writes: signing in and their own PIN.
PROVIDER_MAY = ("signin.", "staff.pin", "staff.setup_code.closed")


def _provider_writes_nothing(actor: Actor | None, action: str) -> None:
    """Every write is audited here, in its transaction: a provider's is refused
    (and so rolled back) whichever service it came through."""
    if actor is not None and actor.is_provider and not action.startswith(PROVIDER_MAY):
        raise PermissionDeniedError(
            "a provider reads every home and writes nothing in a home's records"
        )


def chain_on(events: Sequence[dict[str, Any]]) -> None:
    """Hash each event onto the one before it, from the chain's head, add them,
    and move the head once. Inside the caller's write transaction."""
    head = _HEAD.first(AuditHead, HEAD_ID)
    chained = head.hash if head else GENESIS
    for event in events:
        chained = event["hash"] = chain_hash(chained, event)
    if len(events) == 1:
        _NEW_EVENT(_NEW_EVENT.values(events[0]))
    else:
        _NEW_EVENT.many(events)
    if head is None:
        AuditHead.create(id=HEAD_ID, events=len(events), hash=chained)
    else:
        _MOVE_HEAD.execute(len(events), chained, HEAD_ID)


def event(
    actor: Actor | None, action: str, change: Change, at: dt.datetime | None = None
) -> dict[str, Any]:
    """The audit event of one change, made `at` (else now), for `chain_on`."""
    before = change.before
    after: dict[str, Any] | None = snapshot(change.row)
    if change.deleted:
        before, after = after, None
    elif before is not None and after is not None:
        # Keep only what changed, so the trail reads as a list of edits.
        changed = {k for k in after if before.get(k) != after.get(k)}
        before = {k: before.get(k) for k in changed}
        after = {k: after[k] for k in changed}
    row = change.row
    if isinstance(row, Values):
        table, record_id = row.model._meta.table_name, row.fields["id"]
    else:
        table = row._meta.table_name
        record_id = row.get_id()  # type: ignore[no-untyped-call]  # untyped in peewee's stubs
    return {
        "at": at or clock.now(),
        "staff_id": actor.id if actor else None,
        "staff_name": actor.name if actor else "system",
        "home_id": actor.home_id if actor else None,
        "action": action,
        "table": table,
        "record_id": record_id,
        "child_id": change.child_id,
        # Encoded once: the chain's hash and the stored row use the same text.
        "before": encoded(before),
        "after": encoded(after),
    }


def events(
    *,
    home_id: int | None = None,
    child_id: int | None = None,
    staff_id: int | None = None,
    action_prefix: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    limit: int = 500,
) -> list[AuditOut]:
    query = AuditEvent.select().order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if home_id is not None:
        query = query.where(AuditEvent.home_id == home_id)
    if child_id is not None:
        query = query.where(AuditEvent.child_id == child_id)
    if staff_id is not None:
        query = query.where(AuditEvent.staff_id == staff_id)
    if action_prefix:
        query = query.where(AuditEvent.action.startswith(action_prefix))
    if since is not None:
        query = query.where(AuditEvent.at >= since)
    if until is not None:
        query = query.where(AuditEvent.at < until)
    return [AuditOut.of(e) for e in query.limit(limit)]


def trail(
    actor: Actor,
    *,
    child_id: int | None = None,
    staff_id: int | None = None,
    kind: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int = 500,
) -> list[AuditOut]:
    """The home's audit trail for a manager, newest first; `until` is inclusive."""
    require(actor, *OVERSEERS, doing="read the audit trail")
    return events(
        home_id=actor.home_id,
        child_id=child_id,
        staff_id=staff_id,
        action_prefix=f"{kind}." if kind else None,
        since=dt.datetime.combine(since, dt.time()) if since else None,
        until=dt.datetime.combine(until + dt.timedelta(days=1), dt.time()) if until else None,
        limit=limit,
    )


def kinds(actor: Actor) -> list[str]:
    """The kinds of change on file (the part of an action before the dot)."""
    require(actor, *OVERSEERS, doing="read the audit trail")
    return sorted({action.split(".")[0] for action in _actions(actor.home_id)})


def _actions(home_id: int) -> list[str]:
    """Each action on the home's trail, found one after another on the
    (home_id, action) index: one probe per action, where a DISTINCT reads an
    index entry for every event the home has ever had."""
    later = AuditEvent.alias()
    found = (
        AuditEvent.select(pw.fn.MIN(AuditEvent.action).alias("action"))
        .where(AuditEvent.home_id == home_id)
        .cte("found", recursive=True, columns=("action",))
    )
    following = later.select(pw.fn.MIN(later.action)).where(
        (later.home_id == home_id) & (later.action > found.c.action)
    )
    step = pw.Select([found], [following]).where(found.c.action.is_null(False))
    chain = found.union_all(step)
    query = cast(
        "Iterable[tuple[str]]",
        chain.select_from(chain.c.action).where(chain.c.action.is_null(False)).tuples(),
    )
    # Read through the field, as a plain select of it would be.
    return [AuditEvent.action.python_value(action) for (action,) in query]
