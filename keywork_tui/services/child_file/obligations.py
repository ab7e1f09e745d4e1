"""Every due, due-soon and overdue obligation of a home on a given day.

The facts of the whole home are read with a fixed number of set-based queries
(never one per child); the rules are then applied in plain Python. The date is
always an argument, so "as of" any day can be asked.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Any, NamedTuple, cast

import peewee as pw
from dateutil.relativedelta import relativedelta

from keywork_tui.calendar import (
    add_working_days,
    after,
    before,
    next_shift,
)
from keywork_tui.outputs import ChildOut, StaffOut
from keywork_tui.services import clock
from keywork_tui.services.actor import MANAGERS
from keywork_tui.services.database import newest_audit_id
from keywork_tui.services.handover.on_shift import NOBODY_YET, Unread, unread_in
from keywork_tui.services.handover.shift import start_of
from keywork_tui.services.policy import (
    AFTER_SIGNIFICANT_EVENT,
    TERM_FALLBACK,
    Interval,
    Policy,
    Rule,
    parse_interval,
    policy_for,
)
from keywork_tui.services.team.allocation import (
    AbsenceOut,
    CoverOut,
    absences_on,
    covers_on,
    key_workers_on,
)
from keywork_tui.services.team.people import list_staff, placed
from models import (
    Child,
    DocumentReview,
    Home,
    KeySession,
    KeyWorkerAllocation,
    SignificantEvent,
    Supervision,
    Target,
    TermDate,
    db,
)
from models.base import Homes, binding, of_homes

_NO_TIME, _SIXTEEN_YEARS = Interval(), Interval(years=16)

STATUS_WORDS = {"due_soon": "due soon", "due_today": "due today", "overdue": "overdue"}


class Obligation(NamedTuple):
    """One piece of work due, due soon or overdue, and whose it is."""

    obligation: str
    title: str
    due: dt.date
    days_overdue: int  # 0 is due today, negative is due soon
    status: str  # due_soon, due_today, overdue
    subject: str  # the child's (or, for supervision, the staff member's) name
    child_id: int | None
    staff_id: int | None
    responsible: str
    responsible_id: int | None
    falls_to: str
    record_id: int | None = None  # the draft session or target it is about

    @property
    def lateness(self) -> str:
        """Short words that read right without colour: 'late 12d', 'today', 'in 2d'."""
        if self.days_overdue > 0:
            return f"late {self.days_overdue}d"
        if self.days_overdue == 0:
            return "due today"
        return f"due in {-self.days_overdue}d"


@dataclass
class ChildFacts:
    """What the rules read about one child, gathered in a few queries for them all."""

    child: ChildOut
    rules_off: frozenset[str] = frozenset()
    session_every_days: int | None = None
    last_session: dt.date | None = None
    drafts: list[tuple[int, dt.date]] = field(default_factory=list)
    last_review: dict[str, dt.date] = field(default_factory=dict)
    last_significant: dt.date | None = None
    open_targets: list[tuple[int, dt.date]] = field(default_factory=list)


class TermBook:
    """The term dates of several homes, read together the first time a rule
    of any of them asks (most homes' rules never do)."""

    def __init__(self, home_ids: Homes) -> None:
        self._homes = home_ids

    @cached_property
    def spans(self) -> dict[int, list[tuple[dt.date, dt.date]]]:
        query = (
            TermDate.select()
            .where(of_homes(TermDate.home, self._homes) & (TermDate.kind == "term"))
            .order_by(TermDate.starts_on)
        )
        found: dict[int, list[tuple[dt.date, dt.date]]] = {}
        for t in query:
            found.setdefault(t.home_id, []).append((t.starts_on, t.ends_on))
        return found


@dataclass(frozen=True)
class Terms:
    """A home's term dates: those given, or the home's own from `book` (a book
    of the home alone when none is shared)."""

    given: list[tuple[dt.date, dt.date]] | None = None
    home_id: int | None = None
    book: TermBook | None = None

    @cached_property
    def spans(self) -> list[tuple[dt.date, dt.date]]:
        if self.given is not None:
            return self.given
        assert self.home_id is not None
        book = self.book or TermBook(self.home_id)
        return book.spans.get(self.home_id, [])

    def containing(self, day: dt.date) -> tuple[dt.date, dt.date] | None:
        return next(((s, e) for s, e in self.spans if s <= day <= e), None)


# --- due dates: pure functions of the facts --------------------------------


def _every(rule: Rule, facts: ChildFacts) -> relativedelta | None:
    if rule.slug == "key_session" and facts.session_every_days:
        return Interval(days=facts.session_every_days)
    return rule.interval()


def _term_due(last: dt.date | None, on: dt.date, terms: Terms, anchor: dt.date) -> dt.date:
    """Once per term: due at the end of the first term since `anchor` (or since
    the last completion) that has begun without one; missed terms stay overdue."""
    if not terms.spans:
        return (last or anchor) + TERM_FALLBACK
    since = last or anchor
    open_terms = [
        end
        for start, end in terms.spans
        if start <= on and end >= anchor and (last is None or start > since)
    ]
    return open_terms[0] if open_terms else dt.date.max


def session_due(rule: Rule, facts: ChildFacts, on: dt.date, terms: Terms) -> dt.date | None:
    if facts.last_session is None:
        return None  # the first-session rule speaks for a child never seen yet
    if rule.every == "term" and not facts.session_every_days:
        return _term_due(facts.last_session, on, terms, facts.child.admitted_on)
    every = _every(rule, facts)
    return facts.last_session + every if every else None


def first_session_due(rule: Rule, facts: ChildFacts) -> dt.date | None:
    if facts.last_session is not None:
        return None
    return facts.child.admitted_on + (parse_interval(rule.first_due) or _NO_TIME)


def document_due(rule: Rule, facts: ChildFacts) -> dt.date | None:
    every = rule.interval()
    last = facts.last_review.get(rule.slug)
    if last is not None:
        due = last + every if every else None
    else:
        first = parse_interval(rule.first_due) if rule.first_due else every
        due = facts.child.admitted_on + (first or _NO_TIME)
    if rule.slug == "consent_parent_social_worker":
        due = _at_sixteen(facts.child, last, due)
    event = facts.last_significant
    if rule.slug in AFTER_SIGNIFICANT_EVENT and event and (last is None or event > last):
        due = min(due, event) if due else event
    return due


def _at_sixteen(child: ChildOut, last: dt.date | None, due: dt.date | None) -> dt.date | None:
    """Consent is signed again when the child turns 16, if that comes first."""
    sixteen = child.date_of_birth + _SIXTEEN_YEARS
    signed_after = last or child.admitted_on
    if sixteen > signed_after and (due is None or sixteen < due):
        return sixteen
    return due


def child_due_dates(
    policy: Policy, facts: ChildFacts, on: dt.date, terms: Terms, nation: str
) -> list[tuple[str, dt.date, int | None]]:
    """(rule slug, due date, record id) for everything this child needs."""
    found: list[tuple[str, dt.date, int | None]] = []
    for rule in policy.rules.values():
        if not rule.enabled or rule.slug in facts.rules_off:
            continue
        if rule.placements and facts.child.placement not in rule.placements:
            continue
        if rule.completes == "write_up":
            found += [
                (rule.slug, add_working_days(held, rule.working_days, nation), sid)
                for sid, held in facts.drafts
            ]
        elif rule.completes == "target_review":
            found += [(rule.slug, due, tid) for tid, due in facts.open_targets]
        elif rule.completes == "session":
            due = (
                first_session_due(rule, facts)
                if rule.slug == "first_session"
                else session_due(rule, facts, on, terms)
            )
            if due is not None:
                found.append((rule.slug, due, None))
        elif rule.completes == "review":
            due = document_due(rule, facts)
            if due is not None:
                found.append((rule.slug, due, None))
    return found


def status_on(due: dt.date, on: dt.date, due_soon_days: int) -> tuple[str, int] | None:
    """(status, days overdue) or None when nothing needs showing yet."""
    if due == dt.date.max:
        return None
    days = (on - due).days
    if days > 0:
        return "overdue", days
    if days == 0:
        return "due_today", 0
    if -days <= due_soon_days:
        return "due_soon", days
    return None


# --- facts: a fixed number of queries for the whole home -------------------


def _child_facts(home_id: Homes, on: dt.date, documents: list[str]) -> dict[int, ChildFacts]:
    """The facts of each child in placement on `on` (in one home or several),
    with the last review of each of `documents`."""
    before = dt.datetime.combine(on + dt.timedelta(days=1), dt.time())
    last_session = KeySession.select(pw.fn.MAX(KeySession.held_at)).where(
        (KeySession.child == Child.id) & (KeySession.held_at < before)
    )
    last_significant = SignificantEvent.select(pw.fn.MAX(SignificantEvent.occurred_on)).where(
        (SignificantEvent.child == Child.id) & (SignificantEvent.occurred_on <= on)
    )
    last_reviews = [
        DocumentReview.select(pw.fn.MAX(DocumentReview.reviewed_on)).where(
            (DocumentReview.child == Child.id)
            & (DocumentReview.document == document)
            & (DocumentReview.reviewed_on <= on)
        )
        for document in documents
    ]
    # One read of the children, each latest date a subquery of the child's row.
    latest: dict[str, pw.ModelSelect[Any]] = {
        "last_session": last_session,
        "last_significant": last_significant,
    }
    latest |= {f"review_{n}": review for n, review in enumerate(last_reviews)}
    query = placed(home_id, on).select_extend(*(q.alias(name) for name, q in latest.items()))
    facts = {}
    for row in query:
        # Each subquery's value comes back as an attribute named by its alias.
        session, significant, *reviews = (getattr(row, name) for name in latest)
        held = _read(KeySession.held_at, session)
        child_facts = ChildFacts(
            ChildOut.of(row),
            frozenset((row.policy or {}).get("off", [])),
            row.session_every_days,
            last_session=held.date() if held is not None else None,
            last_significant=_read(SignificantEvent.occurred_on, significant),
        )
        for document, value in zip(documents, reviews, strict=True):
            reviewed = _read(DocumentReview.reviewed_on, value)
            if reviewed is not None:
                child_facts.last_review[document] = reviewed
        facts[row.id] = child_facts
    if facts:
        ids = list(facts)
        _add_drafts(facts, ids, before)
        _add_targets(facts, ids)
    return facts


# The last session, the last significant event and the last review of each
# document are subqueries of the child: SQLite finds each with one probe of an
# index ending in the date, where a MAX grouped by child reads every row each
# child has.


def _read(field: pw.Field[Any], value: object) -> Any:
    """A subquery's value in its field's type: peewee converts only the fields selected."""
    return field.python_value(value)  # type: ignore[no-untyped-call]  # untyped in peewee's stubs


def last_sessions(ids: list[int], before: dt.datetime | None = None) -> dict[int, dt.datetime]:
    """When each child's last session (before `before`) was held; none for a child never seen."""
    if not ids:
        return {}
    of_child = KeySession.child == Child.id
    if before is not None:
        of_child &= KeySession.held_at < before
    latest = KeySession.select(pw.fn.MAX(KeySession.held_at)).where(of_child)
    query = cast(
        "Iterable[tuple[int, str | dt.datetime | None]]",
        Child.select(Child.id, latest).where(Child.id.in_(ids)).tuples(),
    )
    return {
        child_id: _read(KeySession.held_at, held) for child_id, held in query if held is not None
    }


def _add_drafts(facts: dict[int, ChildFacts], ids: list[int], before: dt.datetime) -> None:
    drafts = cast(
        "Iterable[tuple[int, int, dt.datetime]]",
        KeySession.select(KeySession.id, KeySession.child, KeySession.held_at)
        .where(
            KeySession.child.in_(ids)
            & (KeySession.status == "draft")
            & (KeySession.held_at < before)
        )
        .tuples(),
    )
    for session_id, child_id, held in drafts:
        facts[child_id].drafts.append((session_id, held.date()))


def _add_targets(facts: dict[int, ChildFacts], ids: list[int]) -> None:
    query = cast(
        "Iterable[tuple[int, int, dt.date]]",
        Target.select(Target.id, Target.child, Target.review_by)
        .where(Target.child.in_(ids) & Target.outcome.is_null())
        .tuples(),
    )
    for target_id, child_id, review_by in query:
        facts[child_id].open_targets.append((target_id, review_by))


def _first_allocation(staff_ids: list[int]) -> dict[int, dt.date]:
    """When each staff member first became a key worker: supervision counts from then."""
    query = cast(
        "Iterable[tuple[int, dt.date]]",
        KeyWorkerAllocation.select(
            KeyWorkerAllocation.staff, pw.fn.MIN(KeyWorkerAllocation.starts_on)
        )
        .where(KeyWorkerAllocation.staff.in_(staff_ids))
        .group_by(KeyWorkerAllocation.staff)
        .tuples(),
    )
    return {staff_id: start for staff_id, start in query}


def _last_supervision(staff_ids: list[int], on: dt.date) -> dict[int, dt.date]:
    if not staff_ids:
        return {}
    query = cast(
        "Iterable[tuple[int, dt.date]]",
        Supervision.select(Supervision.staff, pw.fn.MAX(Supervision.held_on))
        .where(Supervision.staff.in_(staff_ids) & (Supervision.held_on <= on))
        .group_by(Supervision.staff)
        .tuples(),
    )
    return {staff_id: held for staff_id, held in query}


# --- the list ---------------------------------------------------------------


class Responsibility(NamedTuple):
    """Who each child's work falls to on a day: key workers, their absences and covers."""

    workers: dict[int, StaffOut]
    absent: dict[int, AbsenceOut]
    covers: dict[int, CoverOut]
    managers: list[StaffOut]

    def for_child(self, child_id: int) -> tuple[str, int | None]:
        worker = self.workers.get(child_id)
        if worker is None:
            return "no key worker (managers)", None
        if worker.id in self.absent:
            cover = self.covers.get(child_id)
            if cover is not None:
                return f"{cover.staff_name} (cover)", cover.staff_id
            return f"{worker.name} (absent, NO COVER)", worker.id
        return worker.name, worker.id

    def managers_label(self) -> str:
        return ", ".join(m.name for m in self.managers) or "managers"


class WorkedOut(NamedTuple):
    """One pass of the rules over a home on a day, with the facts it read that
    the handover board shows too. Shared between callers: read, never change."""

    obligations: tuple[Obligation, ...]
    children: tuple[ChildOut, ...]  # in placement that day, as the board lists them
    who: Responsibility


# The rules' answers, kept while nothing is written: the header's count, the
# handover board and the lists of one refresh share one pass of the rules.
# Keyed to the database bound and to the minute as well, since a handover
# turns unread with the time.
_Key = tuple[int, int, dt.date, dt.datetime, int]
_WORKED_OUT: dict[_Key, WorkedOut] = {}
_WORKED_OUT_LOCK = threading.Lock()
_KEEP = 8


def obligations(home_id: int, on: dt.date) -> list[Obligation]:
    """Everything due soon, due today or overdue in the home on `on`, worst first."""
    return list(worked_out(home_id, on).obligations)


def worked_out(home_id: int, on: dt.date, home: Home | None = None) -> WorkedOut:
    """The rules worked out for the home on `on`, or the same answer again while
    no one has written anything since (`home`: its row, when already read)."""
    if db.in_transaction():
        return _work_out(home or Home.get_by_id(home_id), on)  # may see uncommitted writes
    minute = clock.now().replace(second=0, microsecond=0)
    key = (binding(), home_id, on, minute, newest_audit_id())
    # Held while working out, so a second caller at the same moment (the
    # header's count beside the board) waits for the answer, not repeats it.
    with _WORKED_OUT_LOCK:
        kept = _WORKED_OUT.get(key)
        if kept is None:
            kept = _work_out(home or Home.get_by_id(home_id), on)
            if len(_WORKED_OUT) >= _KEEP:
                _WORKED_OUT.clear()
            _WORKED_OUT[key] = kept
    return kept


def forget_worked_out() -> None:
    """Drop every kept answer, for a caller that changed records some way other
    than the services (which record each write in the audit trail)."""
    with _WORKED_OUT_LOCK:
        _WORKED_OUT.clear()


def _work_out(home: Home, on: dt.date) -> WorkedOut:
    return _work_out_homes([home], on)[home.id]


def worked_out_for(homes: list[Home], on: dt.date) -> dict[int, WorkedOut]:
    """The rules worked out for several homes on `on`, by home id, with the
    same number of queries as for one: each fact is read for them all at once."""
    return _work_out_homes(homes, on) if homes else {}


class _Facts(NamedTuple):
    """What the rules read, for every home of one pass."""

    children: dict[int, dict[int, ChildFacts]]
    who: dict[int, Responsibility]
    supervised: tuple[dict[int, dt.date], dict[int, dt.date]]  # last, first allocation
    unread: dict[int, list[Unread]]


def _work_out_homes(homes: list[Home], on: dt.date) -> dict[int, WorkedOut]:
    policies = {home.id: policy_for(home.profile, home.policy) for home in homes}
    facts = _read_facts(homes, policies, on)
    book = TermBook([home.id for home in homes])
    return {
        home.id: _apply(home, policies[home.id], facts, Terms(home_id=home.id, book=book), on)
        for home in homes
    }


def _read_facts(homes: list[Home], policies: dict[int, Policy], on: dt.date) -> _Facts:
    ids = [home.id for home in homes]
    staff: dict[int, list[StaffOut]] = {home_id: [] for home_id in ids}
    for member in list_staff(ids):
        staff[member.home_id].append(member)
    workers, absent, covers = key_workers_on(ids, on), absences_on(ids, on), covers_on(ids, on)
    who = {
        home_id: Responsibility(
            workers, absent, covers, [s for s in staff[home_id] if s.role in MANAGERS]
        )
        for home_id in ids
    }
    documents = sorted({d for policy in policies.values() for d in _documents(policy)})
    children: dict[int, dict[int, ChildFacts]] = {home_id: {} for home_id in ids}
    for child_id, child_facts in _child_facts(ids, on, documents).items():
        children[child_facts.child.home_id][child_id] = child_facts
    supervised = [h for h in ids if policies[h].active("supervision") is not None]
    key_workers = sorted(
        {s.id for h in supervised for child_id, s in workers.items() if child_id in children[h]}
    )
    reading = [h for h in homes if policies[h.id].active("handover_acknowledgement")]
    return _Facts(
        children,
        who,
        (_last_supervision(key_workers, on), _first_allocation(key_workers) if key_workers else {}),
        _unread(reading, policies, on),
    )


def _apply(home: Home, policy: Policy, facts: _Facts, terms: Terms, on: dt.date) -> WorkedOut:
    """One home's rules over the facts read: plain Python, no queries but the
    term dates a rule may ask for."""
    who = facts.who[home.id]
    all_facts = facts.children[home.id]
    found: list[Obligation] = []
    for child_id, child_facts in all_facts.items():
        responsible, responsible_id = who.for_child(child_id)
        for slug, due, record_id in child_due_dates(policy, child_facts, on, terms, home.nation):
            state = status_on(due, on, policy.due_soon_days)
            if state is None:
                continue
            found.append(
                Obligation(
                    slug,
                    policy.rules[slug].title,
                    due,
                    state[1],
                    state[0],
                    child_facts.child.short_name,
                    child_id,
                    None,
                    responsible,
                    responsible_id,
                    "key_worker",
                    record_id,
                )
            )
    found += _unallocated(policy, who, all_facts, on)
    found += _supervision(policy, who, facts.supervised, on, terms, set(all_facts))
    found += _unread_handovers(policy, home, on, who, facts.unread.get(home.id, []))
    found.sort(key=lambda o: (-o.days_overdue, o.subject, o.obligation))
    return WorkedOut(tuple(found), tuple(f.child for f in all_facts.values()), who)


def _documents(policy: Policy) -> list[str]:
    """The documents the policy has reviewed: each review rule is named after its document."""
    return [slug for slug, rule in policy.rules.items() if rule.completes == "review"]


# Not a rule of the policy profiles: every child has a key worker, so neither a
# home's policy nor a child's plan switches it off.
KEY_WORKER_ALLOCATION = "key_worker_allocation"
KEY_WORKER_ALLOCATION_TITLE = "Allocate a key worker"


def _unallocated(
    policy: Policy, who: Responsibility, all_facts: dict[int, ChildFacts], on: dt.date
) -> list[Obligation]:
    """Children in placement with no key worker: due on admission, for the managers."""
    found = []
    for child_id, facts in all_facts.items():
        if child_id in who.workers:
            continue
        state = status_on(facts.child.admitted_on, on, policy.due_soon_days)
        if state is None:
            continue
        found.append(
            Obligation(
                KEY_WORKER_ALLOCATION,
                KEY_WORKER_ALLOCATION_TITLE,
                facts.child.admitted_on,
                state[1],
                state[0],
                facts.child.short_name,
                child_id,
                None,
                who.managers_label(),
                None,
                "managers",
            )
        )
    return found


def _supervision(
    policy: Policy,
    who: Responsibility,
    supervised: tuple[dict[int, dt.date], dict[int, dt.date]],
    on: dt.date,
    terms: Terms,
    children: set[int],
) -> list[Obligation]:
    rule = policy.active("supervision")
    if rule is None:
        return []
    key_workers = {s.id: s for child_id, s in who.workers.items() if child_id in children}
    if not key_workers:
        return []
    last, since = supervised
    every = rule.interval()
    found = []
    for staff_id, member in sorted(key_workers.items(), key=lambda kv: kv[1].name):
        if every is not None:
            due = last.get(staff_id, since[staff_id]) + every
        else:
            due = _term_due(last.get(staff_id), on, terms, since[staff_id])
        state = status_on(due, on, policy.due_soon_days)
        if state is None:
            continue
        found.append(
            Obligation(
                "supervision",
                rule.title,
                due,
                state[1],
                state[0],
                member.name,
                None,
                staff_id,
                who.managers_label(),
                None,
                "managers",
            )
        )
    return found


# Unread handovers older than this are left to the audit, not the overdue list.
UNREAD_LOOKBACK = dt.timedelta(days=7)


def _unread(homes: list[Home], policies: dict[int, Policy], on: dt.date) -> dict[int, list[Unread]]:
    """The handovers of each home whose reading time is over and that the
    incoming shift has not all read."""
    if not homes:
        return {}
    by_id = {home.id: home for home in homes}
    end_of_day = dt.datetime.combine(on + dt.timedelta(days=1), dt.time())
    until = min(clock.now(), end_of_day) if on == clock.today() else end_of_day
    # Reading time is real time: on a night the clocks change, wall time would be an hour out.
    read_by = {
        home_id: before(until, dt.timedelta(hours=policies[home_id].reading_hours))
        for home_id in by_id
    }
    return unread_in(
        list(by_id),
        on - UNREAD_LOOKBACK,
        read_by,
        lambda home_id, shift: start_of(by_id[home_id], shift),
    )


def _unread_handovers(
    policy: Policy, home: Home, on: dt.date, who: Responsibility, unread: list[Unread]
) -> list[Obligation]:
    """Handovers the incoming shift has not all read once the reading time is over."""
    rule = policy.active("handover_acknowledgement")
    if rule is None:
        return []
    starts = partial(start_of, home)
    reading = dt.timedelta(hours=policy.reading_hours)
    found = []
    for u in unread:
        # Due when the reading time after the incoming shift's start runs out.
        due = after(starts(next_shift(u.shift)), reading).date()
        days = (on - due).days
        found.append(
            Obligation(
                rule.slug,
                f"{rule.title} {_readers_missing(u.missing)}",
                due,
                days,
                "overdue" if days > 0 else "due_today",
                f"{u.shift.name.capitalize()} handover {u.shift.date:%a %d %b}",
                None,
                None,
                u.leader or who.managers_label(),
                u.leader_id,
                "shift_leader",
                u.handover_id,
            )
        )
    return found


def _readers_missing(missing: tuple[str, ...]) -> str:
    """'by Kim Key, Sam Shaw', or 'by anyone' when nobody signed on to read it."""
    names = [n for n in missing if n != NOBODY_YET]
    return f"by {', '.join(names)}" if names else "by anyone"


SESSION_RULES = ("key_session", "first_session")


def session_due_dates(home_id: int, on: dt.date, ids: set[int]) -> dict[int, tuple[dt.date, str]]:
    """When each child's next key-work (or first) session is due, however far
    off: the same facts and rules as the overdue list, so the two agree."""
    home = Home.get_by_id(home_id)
    policy = policy_for(home.profile, home.policy)
    terms = Terms(home_id=home_id)
    found = {}
    for child_id, facts in _child_facts(home_id, on, []).items():
        if child_id not in ids:
            continue
        for slug, due, _ in child_due_dates(policy, facts, on, terms, home.nation):
            if slug in SESSION_RULES:
                found[child_id] = (due, slug)
    return found


def overdue_count(home_id: int, on: dt.date) -> int:
    return sum(1 for o in obligations(home_id, on) if o.status == "overdue")
