"""The key-working figures a provider reports for each home over a period,
beside the period of the same length before it.

- allocated: of the children in placement on the period's last day, the share
  with a key worker that day;
- days to allocation: for children whose first key worker came in the period,
  the mean days from admission to that allocation;
- days to first session: for children whose first session was held in the
  period, the mean days from admission to it;
- delivery: sessions held in the period against those the home's policy
  projects for the children in placement (each child's own frequency, else the
  key-work rule's; once a term, a term that ends in the period).

Every figure is read for all the homes at once: the same queries for two homes
as for twenty.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from statistics import fmean
from typing import Any, cast

import peewee as pw

from keywork_tui.services.child_file.obligations import TermBook
from keywork_tui.services.policy import Policy
from keywork_tui.services.team.allocation import key_workers_on
from models import Child, KeySession, KeyWorkerAllocation

HOW = (
    "allocated: children in placement on the last day with a key worker; days to "
    "allocation and to first session: mean from admission, for children whose first "
    "came in the period; delivery: sessions held against those the policy projects "
    "for the children in placement (each child's frequency, else the home's)"
)


@dataclass(frozen=True)
class Period:
    first: dt.date
    last: dt.date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def before(self) -> Period:
        """The period of the same length just before this one."""
        return Period(self.first - dt.timedelta(days=self.days), self.first - dt.timedelta(days=1))

    def holds(self, day: dt.date) -> bool:
        return self.first <= day <= self.last


@dataclass(frozen=True)
class Figures:
    period: Period
    children: int  # in placement on the last day
    allocated: int  # of them, with a key worker that day
    days_to_allocation: float | None
    days_to_first_session: float | None
    sessions: int
    projected: float
    views: int  # sessions with the child's views written down

    @property
    def allocated_share(self) -> float | None:
        return self.allocated / self.children if self.children else None

    @property
    def delivery(self) -> float | None:
        return self.sessions / self.projected if self.projected else None

    @property
    def views_share(self) -> float | None:
        return self.views / self.sessions if self.sessions else None


@dataclass(frozen=True)
class _Child:
    id: int
    home_id: int
    admitted_on: dt.date
    left_on: dt.date | None
    every_days: int | None

    def placed_on(self, day: dt.date) -> bool:
        return self.admitted_on <= day and (self.left_on is None or self.left_on > day)

    def days_placed(self, period: Period) -> int:
        first = max(period.first, self.admitted_on)
        last = min(
            period.last, self.left_on - dt.timedelta(days=1) if self.left_on else period.last
        )
        return max(0, (last - first).days + 1)


@dataclass(frozen=True)
class _Read:
    """What the figures of every home are worked out from."""

    children: dict[int, list[_Child]]
    first_allocation: dict[int, dt.date]
    first_session: dict[int, dt.date]
    sessions: dict[int, list[tuple[dt.date, bool]]]  # by home: (held on, with views)
    allocated_on: dict[dt.date, set[int]]  # children with a key worker on each last day


def figures(policies: Mapping[int, Policy], *periods: Period) -> dict[int, dict[Period, Figures]]:
    """For each home (by id, with its policy), the figures of each period,
    all read at once over the days they span."""
    ids = sorted(policies)
    first, last = min(p.first for p in periods), max(p.last for p in periods)
    read = _read(ids, first, last, sorted({p.last for p in periods}))
    terms = TermBook(ids)
    return {
        home_id: {p: _of_home(home_id, policies[home_id], read, terms, p) for p in periods}
        for home_id in ids
    }


def _read(ids: Sequence[int], first: dt.date, last: dt.date, days: Iterable[dt.date]) -> _Read:
    children: dict[int, list[_Child]] = {home_id: [] for home_id in ids}
    for c in Child.select().where(Child.home.in_(list(ids))):
        children[c.home_id].append(
            _Child(c.id, c.home_id, c.admitted_on, c.left_on, c.session_every_days)
        )
    return _Read(
        children,
        _firsts(ids),
        _first_sessions(ids),
        _sessions(ids, first, last),
        {day: set(key_workers_on(list(ids), day)) for day in days},
    )


def _firsts(ids: Sequence[int]) -> dict[int, dt.date]:
    """Each child's first key worker's first day."""
    query = (
        KeyWorkerAllocation.select(
            KeyWorkerAllocation.child, pw.fn.MIN(KeyWorkerAllocation.starts_on)
        )
        .join(Child)
        .where(Child.home.in_(list(ids)) & (KeyWorkerAllocation.role == "key_worker"))
        .group_by(KeyWorkerAllocation.child)
    )
    rows = cast("Iterable[tuple[int, object]]", query.tuples())
    return {child_id: _day(KeyWorkerAllocation.starts_on, day) for child_id, day in rows}


def _first_sessions(ids: Sequence[int]) -> dict[int, dt.date]:
    query = (
        KeySession.select(KeySession.child, pw.fn.MIN(KeySession.held_at))
        .join(Child)
        .where(Child.home.in_(list(ids)))
        .group_by(KeySession.child)
    )
    rows = cast("Iterable[tuple[int, object]]", query.tuples())
    return {child_id: _day(KeySession.held_at, held) for child_id, held in rows}


def _sessions(
    ids: Sequence[int], first: dt.date, last: dt.date
) -> dict[int, list[tuple[dt.date, bool]]]:
    query = (
        KeySession.select(Child.home, KeySession.held_at, KeySession.views)
        .join(Child)
        .where(
            Child.home.in_(list(ids))
            & (KeySession.held_at >= dt.datetime.combine(first, dt.time()))
            & (KeySession.held_at < dt.datetime.combine(last + dt.timedelta(days=1), dt.time()))
        )
    )
    found: dict[int, list[tuple[dt.date, bool]]] = {home_id: [] for home_id in ids}
    for s in query:
        found[s.child.home_id].append((s.held_at.date(), bool(s.views.strip())))
    return found


def _day(field: pw.Field[Any], value: object) -> dt.date:
    """A MIN's value in its field's type (a date of a datetime), as peewee reads it."""
    read = field.python_value(value)  # type: ignore[no-untyped-call]  # untyped in peewee's stubs
    return read.date() if isinstance(read, dt.datetime) else cast(dt.date, read)


def _of_home(home_id: int, policy: Policy, read: _Read, terms: TermBook, period: Period) -> Figures:
    children = read.children[home_id]
    placed = [c for c in children if c.placed_on(period.last)]
    allocated = read.allocated_on[period.last]
    sessions = [views for held, views in read.sessions[home_id] if period.holds(held)]
    return Figures(
        period,
        len(placed),
        sum(1 for c in placed if c.id in allocated),
        _mean_wait(children, read.first_allocation, period),
        _mean_wait(children, read.first_session, period),
        len(sessions),
        sum(_projected(c, policy, terms.spans.get(home_id, []), period) for c in children),
        sum(sessions),
    )


def _mean_wait(children: list[_Child], firsts: dict[int, dt.date], period: Period) -> float | None:
    waits = [
        (firsts[c.id] - c.admitted_on).days
        for c in children
        if c.id in firsts and period.holds(firsts[c.id])
    ]
    return fmean(waits) if waits else None


def _projected(
    child: _Child, policy: Policy, spans: list[tuple[dt.date, dt.date]], period: Period
) -> float:
    """The sessions the policy asks of one child over the period."""
    placed = child.days_placed(period)
    rule = policy.active("key_session")
    if not placed or rule is None:
        return 0.0
    if child.every_days:
        return placed / child.every_days
    every = rule.interval()
    if every is None:  # once a term: one for each term that ends while the child is placed
        return float(sum(1 for _, end in spans if period.holds(end) and child.placed_on(end)))
    length = ((period.first + every) - period.first).days
    return placed / length if length > 0 else 0.0
