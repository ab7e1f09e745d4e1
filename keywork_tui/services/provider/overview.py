"""A provider's homes side by side: what each needs now, and its key-working
figures over a period. Every home is read at once, so the overview takes the
same number of queries for two homes as for twenty."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from keywork_tui.calendar import ShiftRef, next_shift
from keywork_tui.services import clock
from keywork_tui.services.actor import PROVIDERS, Actor, require
from keywork_tui.services.child_file.obligations import (
    Obligation,
    WorkedOut,
    obligations,
    worked_out_for,
)
from keywork_tui.services.errors import NotFoundError
from keywork_tui.services.handover.board import BEDTIME_CONCERN_HANDOVERS
from keywork_tui.services.handover.shift import around, focus_of, start_of
from keywork_tui.services.policy import policy_for
from models import Child, Handover, HandoverEntry, Home, KeySession

from .key_working import Figures, Period, figures

UNREAD_RULE = "handover_acknowledgement"
SESSION_WEEK = dt.timedelta(days=7)


@dataclass(frozen=True)
class HomeNow:
    """One home at a glance."""

    home_id: int
    name: str
    children: int  # in placement today
    no_cover: int  # the key worker away and nobody standing in
    no_key_worker: int
    unread_handovers: int
    overdue: dict[str, int]  # by rule
    bedtime_tonight: int  # children with a bedtime concern for the night staff
    sessions_week: int  # held in the last 7 days
    sessions_week_projected: float
    period: Figures
    before: Figures

    @property
    def overdue_total(self) -> int:
        return sum(self.overdue.values())


def overview(actor: Actor, days: int = 28) -> list[HomeNow]:
    """Every home of the database by name, for a provider: now, and over the
    last `days` days beside the `days` before them."""
    require(actor, *PROVIDERS, doing="see every home side by side")
    if days < 1:
        raise ValueError("a period is at least one day")
    today = clock.today()
    homes = list(Home.select().order_by(Home.name))
    if not homes:
        return []
    worked = worked_out_for(homes, today)
    policies = {h.id: policy_for(h.profile, h.policy) for h in homes}
    period = Period(today - dt.timedelta(days=days - 1), today)
    week = Period(today - dt.timedelta(days=6), today)
    earlier = period.before()
    keyed = figures(policies, period, earlier, week)
    bedtime = _bedtime_tonight(homes, worked)
    return [
        _home_now(
            h,
            worked[h.id],
            bedtime.get(h.id, 0),
            (keyed[h.id][period], keyed[h.id][earlier]),
            keyed[h.id][week],
        )
        for h in homes
    ]


def _home_now(
    home: Home, worked: WorkedOut, bedtime: int, keyed: tuple[Figures, Figures], week: Figures
) -> HomeNow:
    who = worked.who
    placed = [c.id for c in worked.children]
    no_cover = sum(
        1
        for child_id in placed
        if (worker := who.workers.get(child_id)) is not None
        and worker.id in who.absent
        and child_id not in who.covers
    )
    overdue = Counter(o.obligation for o in worked.obligations if o.status == "overdue")
    unread = sum(1 for o in worked.obligations if o.obligation == UNREAD_RULE)
    return HomeNow(
        home.id,
        home.name,
        len(placed),
        no_cover,
        sum(1 for child_id in placed if child_id not in who.workers),
        unread,
        dict(sorted(overdue.items())),
        bedtime,
        week.sessions,
        week.projected,
        *keyed,
    )


def _bedtime_tonight(homes: Sequence[Home], worked: dict[int, WorkedOut]) -> dict[int, int]:
    """Per home, the children in placement the handover board marks ☾: a
    bedtime concern in one of the last three handovers, or raised in a session
    since the oldest of them began. Two queries for every home."""
    now = clock.now()
    spans: dict[int, tuple[set[ShiftRef], dt.datetime, dt.datetime]] = {}
    for home in homes:
        outgoing = focus_of(home, now)
        shifts = {around(outgoing, -step) for step in range(BEDTIME_CONCERN_HANDOVERS)}
        since = start_of(home, around(outgoing, 1 - BEDTIME_CONCERN_HANDOVERS))
        until = min(now, start_of(home, next_shift(next_shift(outgoing))))
        spans[home.id] = (shifts, since, until)
    marked: dict[int, set[int]] = {home.id: set() for home in homes}
    first = min(s.date for shifts, _, _ in spans.values() for s in shifts)
    entries = (
        HandoverEntry.select(
            HandoverEntry.child, Handover.home, Handover.shift_date, Handover.shift
        )
        .join(Handover)
        .where(
            Handover.home.in_(list(marked))
            & (Handover.shift_date >= first)
            & (HandoverEntry.bedtime_concern != "")
        )
    )
    for e in entries:
        h = e.handover
        if ShiftRef(h.shift_date, h.shift) in spans[h.home_id][0]:
            marked[h.home_id].add(e.child_id)
    earliest = min(since for _, since, _ in spans.values())
    sessions = (
        KeySession.select(KeySession.child, KeySession.created_at, Child.home)
        .join(Child)
        .where(
            Child.home.in_(list(marked))
            & (KeySession.concern == True)  # noqa: E712 - a SQL expression
            & (KeySession.bedtime == True)  # noqa: E712
            & (KeySession.created_at > earliest)
        )
    )
    for s in sessions:
        _, since, until = spans[s.child.home_id]
        if since < s.created_at <= until:
            marked[s.child.home_id].add(s.child_id)
    placed = {h: {c.id for c in w.children} for h, w in worked.items()}
    return {home_id: len(ids & placed[home_id]) for home_id, ids in marked.items()}


def home_overdue(actor: Actor, home_id: int) -> list[Obligation]:
    """One home's overdue list today, for a provider to read."""
    require(actor, *PROVIDERS, doing="read another home's overdue list")
    if Home.get_or_none(Home.id == home_id) is None:
        raise NotFoundError(f"no home with id {home_id}")
    return obligations(home_id, clock.today())
