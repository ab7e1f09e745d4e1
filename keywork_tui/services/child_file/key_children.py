"""What a key worker sees of their own key children and those they cover."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

import peewee as pw

from keywork_tui.outputs import ChildOut
from keywork_tui.services.actor import Actor
from keywork_tui.services.child_file import obligations as compliance
from keywork_tui.services.child_file import upcoming
from keywork_tui.services.child_file.obligations import Obligation
from keywork_tui.services.child_file.upcoming import Upcoming
from keywork_tui.services.team.allocation import absences_on, key_workers_on
from keywork_tui.services.team.people import in_placement
from models import Child, Cover, KeySession, KeyWorkerAllocation, Target

WEEKS = 12
# How far ahead the significant dates (birthdays, reviews, court...) are read.
DATES_AHEAD = dt.timedelta(days=60)


@dataclass(frozen=True)
class KeyChildRow:
    child: ChildOut
    relation: str  # "key worker", "co-worker" or "cover"
    cover_until: dt.date | None
    last_session: dt.datetime | None


@dataclass(frozen=True)
class OpenTarget:
    id: int
    text: str
    review_by: dt.date


@dataclass(frozen=True)
class OpenAction:
    """An action agreed in a session and not yet ticked off."""

    session_id: int
    index: int  # its place in the session's list, for ticking it off
    text: str
    who: str
    by: dt.date | None
    agreed_on: dt.date

    def days_late(self, today: dt.date) -> int:
        return max((today - self.by).days, 0) if self.by else 0


@dataclass(frozen=True)
class KeyChildOverview(KeyChildRow):
    """One row of "My key children", with all its detail read in advance."""

    key_worker: str | None  # the child's key worker, whoever it is
    key_worker_away: str | None  # the key worker's absence today (leave, sickness...)
    next_due: dt.date | None  # the next key-work (or first) session, by the home's rules
    next_due_rule: str  # key_session or first_session ("" when neither applies)
    weekly: tuple[int, ...]  # sessions held in each of the last WEEKS weeks, oldest first
    obligations: tuple[Obligation, ...]  # overdue, due today and due soon, worst first
    targets: tuple[OpenTarget, ...]
    dates: tuple[Upcoming, ...]  # the next DATES_AHEAD days, soonest first
    actions: tuple[OpenAction, ...]

    @property
    def overdue(self) -> tuple[Obligation, ...]:
        return tuple(o for o in self.obligations if o.status == "overdue")


def key_children(actor: Actor, day: dt.date) -> list[KeyChildRow]:
    """The actor's key (and co-) children and the children they cover on `day`."""
    allocated = (
        KeyWorkerAllocation.select(KeyWorkerAllocation, Child)
        .join(Child)
        .where(
            (KeyWorkerAllocation.staff == actor.id)
            & (KeyWorkerAllocation.starts_on <= day)
            & (KeyWorkerAllocation.ends_on.is_null() | (KeyWorkerAllocation.ends_on >= day))
            & in_placement(day)
        )
    )
    covered = (
        Cover.select(Cover, Child)
        .join(Child)
        .where(
            (Cover.staff == actor.id)
            & (Cover.starts_on <= day)
            & (Cover.ends_on >= day)
            & in_placement(day)
        )
    )
    found: dict[int, tuple[Child, str, dt.date | None]] = {}
    for a in allocated:
        found[a.child_id] = (
            a.child,
            a.role.replace("_", "-").replace("key-worker", "key worker"),
            None,
        )
    for c in covered:
        found.setdefault(c.child_id, (c.child, "cover", c.ends_on))
    last = compliance.last_sessions(list(found))
    rows = [
        KeyChildRow(ChildOut.of(child), relation, until, last.get(child_id))
        for child_id, (child, relation, until) in found.items()
    ]
    return sorted(rows, key=lambda r: (r.relation == "cover", r.child.first_name))


# --- the overview: a fixed number of whole-list queries ----------------------


def overview(actor: Actor, day: dt.date) -> list[KeyChildOverview]:
    """Each of the actor's key children and covered children, with what is due,
    how often they were seen, targets, coming dates and open actions."""
    rows = key_children(actor, day)
    if not rows:
        return []
    ids = [r.child.id for r in rows]
    home_id = actor.home_id
    workers = key_workers_on(home_id, day)
    away = absences_on(home_id, day)
    due = compliance.session_due_dates(home_id, day, set(ids))
    weekly = weekly_counts(ids, day)
    targets = _open_targets(ids)
    actions = _open_actions(ids)
    dates = upcoming.between(
        {r.child.id: r.child.date_of_birth for r in rows}, day, day + DATES_AHEAD
    )
    owed: dict[int | None, list[Obligation]] = defaultdict(list)
    for o in compliance.obligations(home_id, day):
        owed[o.child_id].append(o)
    found = []
    for r in rows:
        child_id = r.child.id
        worker = workers.get(child_id)
        absence = away.get(worker.id) if worker else None
        next_due, rule = due.get(child_id, (None, ""))
        found.append(
            KeyChildOverview(
                r.child,
                r.relation,
                r.cover_until,
                r.last_session,
                worker.name if worker else None,
                absence.kind if absence else None,
                next_due,
                rule,
                weekly[child_id],
                tuple(owed[child_id]),
                tuple(targets[child_id]),
                tuple(dates.get(child_id, [])),
                tuple(actions[child_id]),
            )
        )
    return found


def week_of(day: dt.date, held_on: dt.date) -> int | None:
    """Which of the WEEKS weeks ending on `day` a session falls in (0 is the
    oldest, WEEKS - 1 the last seven days), or None outside them."""
    back = (day - held_on).days
    if not 0 <= back < WEEKS * 7:
        return None
    return WEEKS - 1 - back // 7


def weekly_counts(child_ids: list[int], day: dt.date) -> dict[int, tuple[int, ...]]:
    """Sessions held (drafts and finals) in each of the WEEKS weeks ending on `day`."""
    counts = {child_id: [0] * WEEKS for child_id in child_ids}
    first = dt.datetime.combine(day - dt.timedelta(days=WEEKS * 7 - 1), dt.time())
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time())
    query = cast(
        "Iterable[tuple[int, dt.datetime]]",
        KeySession.select(KeySession.child, KeySession.held_at)
        .where(
            KeySession.child.in_(child_ids)
            & (KeySession.held_at >= first)
            & (KeySession.held_at < end)
        )
        .tuples(),
    )
    for child_id, held in query:
        week = week_of(day, held.date())
        if week is not None:
            counts[child_id][week] += 1
    return {child_id: tuple(weeks) for child_id, weeks in counts.items()}


def _open_targets(child_ids: list[int]) -> dict[int, list[OpenTarget]]:
    found: dict[int, list[OpenTarget]] = defaultdict(list)
    query = cast(
        "Iterable[tuple[int, int, str, dt.date]]",
        Target.select(Target.id, Target.child, Target.text, Target.review_by)
        .where(Target.child.in_(child_ids) & Target.outcome.is_null())
        .order_by(Target.review_by, Target.id)
        .tuples(),
    )
    for target_id, child_id, text, review_by in query:
        found[child_id].append(OpenTarget(target_id, text, review_by))
    return found


def _open_actions(child_ids: list[int]) -> dict[int, list[OpenAction]]:
    """Actions not yet done from every session of the children, drafts included:
    an action agreed with a child stands before the notes are written up."""
    found: dict[int, list[OpenAction]] = defaultdict(list)
    query = cast(
        "Iterable[tuple[int, int, dt.datetime, list[dict[str, Any]] | None]]",
        KeySession.select(KeySession.id, KeySession.child, KeySession.held_at, KeySession.actions)
        # Stored as JSON text: anything longer than "[]" holds an action.
        .where(KeySession.child.in_(child_ids) & (pw.fn.LENGTH(KeySession.actions) > 2))
        .order_by(KeySession.held_at)
        .tuples(),
    )
    for session_id, child_id, held, actions in query:
        for index, action in enumerate(actions or []):
            if not action.get("done"):
                found[child_id].append(_action(session_id, index, held.date(), action))
    for items in found.values():
        items.sort(key=lambda a: (a.by is None, a.by or dt.date.max, a.agreed_on))
    return found


def _action(session_id: int, index: int, agreed_on: dt.date, action: dict[str, Any]) -> OpenAction:
    by = action.get("by")
    return OpenAction(
        session_id,
        index,
        str(action.get("text", "")),
        str(action.get("who") or ""),
        dt.date.fromisoformat(by) if by else None,
        agreed_on,
    )
