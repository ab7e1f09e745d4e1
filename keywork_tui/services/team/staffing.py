"""The manager's workspace: who may key-work, changes of key worker, who could
take a child on or cover, and which absences leave children without cover.

Reads take a fixed handful of whole-home queries; the one write goes through
allocation.allocate so a change is checked and audited exactly as any other.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

from pydantic import ValidationError

from keywork_tui.outputs import ChildOut, StaffOut
from keywork_tui.schemas import AllocationIn, ChildIn, field_errors
from keywork_tui.services.actor import MANAGERS, OVERSEERS, Actor, child_of, require
from keywork_tui.services.errors import ConflictError, FieldError, NotFoundError
from keywork_tui.services.team.allocation import AbsenceOut, allocate, key_workers_on
from keywork_tui.services.team.people import (
    add_child,
    children_in_placement,
    in_placement,
    list_staff,
)
from keywork_tui.vocabulary import ChangeReason
from models import Absence, Child, Cover, Home, KeyWorkerAllocation, Staff
from models.base import write_transaction

# An absence longer than this suggests a change of key worker rather than cover;
# a home sets its own with the policy key "long_absence_days".
LONG_ABSENCE_DAYS = 28
# Absences starting this far ahead are warned about while there is time to plan.
COVER_NOTICE = dt.timedelta(days=7)
MIN_WORD = 3
STOP_WORDS = frozenset(
    {
        "and",
        "the",
        "with",
        "for",
        "from",
        "into",
        "like",
        "likes",
        "liked",
        "love",
        "loves",
        "enjoy",
        "enjoys",
        "enjoying",
        "lots",
        "very",
        "also",
        "but",
        "not",
        "all",
        "any",
        "has",
        "have",
        "his",
        "her",
        "its",
        "our",
        "out",
        "off",
        "too",
        "own",
        "who",
        "was",
        "are",
        "were",
        "will",
        "when",
        "what",
        "that",
        "this",
        "these",
        "those",
        "about",
        "just",
        "really",
        "much",
        "more",
        "most",
        "other",
        "things",
        "thing",
        "stuff",
        "some",
        "going",
        "doing",
        "being",
        "playing",
        "watching",
    }
)


# --- eligibility and load ------------------------------------------------------


def why_not_eligible(*, active: bool, induction_done: bool, level3: bool) -> tuple[str, ...]:
    """Why a staff member may not key-work, in words; empty when they may."""
    return tuple(
        words
        for words, ok in (
            ("no induction", induction_done),
            ("no level-3 qualification", level3),
            ("inactive", active),
        )
        if not ok
    )


def eligibility_words(staff: Staff) -> str:
    """'eligible', or 'not eligible: ' and why, for a staff row."""
    why = why_not_eligible(
        active=staff.active, induction_done=staff.induction_done, level3=staff.level3
    )
    return "not eligible: " + ", ".join(why) if why else "eligible"


def allocations_on(home_id: int, day: dt.date) -> Counter[tuple[int, str]]:
    """(staff id, role) -> children in placement they key-work (or co-work) on `day`."""
    query = cast(
        "Iterable[tuple[int, str]]",
        KeyWorkerAllocation.select(KeyWorkerAllocation.staff, KeyWorkerAllocation.role)
        .join(Child)
        .where(
            (Child.home == home_id)
            & in_placement(day)
            & (KeyWorkerAllocation.starts_on <= day)
            & (KeyWorkerAllocation.ends_on.is_null() | (KeyWorkerAllocation.ends_on >= day))
        )
        .tuples(),
    )
    return Counter(query)


def _covers_between(home_id: int, first: dt.date, last: dt.date) -> Counter[int]:
    """Staff id -> covers they hold on any day from `first` to `last`."""
    query = cast(
        "Iterable[tuple[int]]",
        Cover.select(Cover.staff)
        .join(Staff)
        .where((Staff.home == home_id) & (Cover.starts_on <= last) & (Cover.ends_on >= first))
        .tuples(),
    )
    return Counter(staff_id for (staff_id,) in query)


def _absent_between(home_id: int, first: dt.date, last: dt.date) -> list[Absence]:
    return list(
        Absence.select(Absence, Staff)
        .join(Staff)
        .where((Staff.home == home_id) & (Absence.starts_on <= last) & (Absence.ends_on >= first))
        .order_by(Absence.starts_on, Staff.name)
    )


def _absence_out(a: Absence) -> AbsenceOut:
    return AbsenceOut(a.id, a.staff_id, a.starts_on, a.ends_on, a.kind)


# --- staff overview ------------------------------------------------------------


@dataclass(frozen=True)
class StaffRow:
    id: int
    name: str
    role: str
    active: bool
    induction_done: bool
    level3: bool
    level3_on: dt.date | None
    os_user: str | None
    interests: str
    why_not: tuple[str, ...]  # empty when the staff member may key-work
    key_children: int
    co_children: int
    absence: AbsenceOut | None  # the absence running on the day asked

    @property
    def eligible(self) -> bool:
        return not self.why_not

    @property
    def eligibility(self) -> str:
        return "eligible" if self.eligible else "not eligible: " + ", ".join(self.why_not)


def staff_overview(actor: Actor, today: dt.date) -> list[StaffRow]:
    """Every staff member of the home, active or not, active first then by name."""
    require(actor, *OVERSEERS, doing="see the staff list")
    loads = allocations_on(actor.home_id, today)
    absent = {a.staff_id: _absence_out(a) for a in _absent_between(actor.home_id, today, today)}
    query = Staff.select().where(Staff.home == actor.home_id)
    return [
        StaffRow(
            s.id,
            s.name,
            s.role,
            s.active,
            s.induction_done,
            s.level3,
            s.level3_on,
            s.os_user,
            s.interests,
            why_not_eligible(active=s.active, induction_done=s.induction_done, level3=s.level3),
            loads[(s.id, "key_worker")],
            loads[(s.id, "co_worker")],
            absent.get(s.id),
        )
        for s in sorted(query, key=lambda s: (not s.active, s.name.casefold()))
    ]


def _eligible_active(home_id: int) -> list[Staff]:
    query = Staff.select().where(
        (Staff.home == home_id) & Staff.active & Staff.induction_done & Staff.level3
    )
    return list(query)


# --- changing a key worker -------------------------------------------------------


@dataclass(frozen=True)
class KeyWorkerChange:
    child_id: int
    previous_allocation_id: int
    previous_staff: str
    allocation_id: int
    staff: str
    starts_on: dt.date
    reason: str
    reason_note: str


def _change_in(
    child_id: int, staff_id: int, starts_on: dt.date, reason: str, note: str
) -> AllocationIn:
    try:
        return AllocationIn(
            child_id=child_id,
            staff_id=staff_id,
            starts_on=starts_on,
            reason=reason,
            reason_note=note,
        )
    except ValidationError as exc:
        field, message = next(iter(field_errors(exc).items()))
        # The model-wide check is the note that "other" needs.
        raise FieldError("reason_note" if field == "form" else field, message) from None


def change_key_worker(
    actor: Actor,
    child_id: int,
    new_staff_id: int,
    starts_on: dt.date,
    reason: ChangeReason,
    reason_note: str = "",
) -> KeyWorkerChange:
    """Hand a child to a new key worker from `starts_on`: the current allocation
    ends the day before, both are kept, and the reason is recorded."""
    require(actor, *MANAGERS, doing="change a child's key worker")
    data = _change_in(child_id, new_staff_id, starts_on, reason, reason_note)
    with write_transaction():
        child = child_of(actor, child_id)
        current = KeyWorkerAllocation.get_or_none(
            (KeyWorkerAllocation.child == child.id)
            & (KeyWorkerAllocation.role == "key_worker")
            & KeyWorkerAllocation.ends_on.is_null()
        )
        name = f"{child.preferred_name or child.first_name} {child.last_name}"
        if current is None:
            raise ConflictError(f"{name} has no key worker to change: allocate one instead")
        if current.staff_id == new_staff_id:
            raise ConflictError(f"{current.staff.name} is already {name}'s key worker")
        # allocate() ends the current allocation and audits both; its own
        # transaction nests here as a savepoint, so the change is one write.
        new_id = allocate(actor, data)
        new = KeyWorkerAllocation.get_by_id(new_id)
    return KeyWorkerChange(
        child.id,
        current.id,
        current.staff.name,
        new_id,
        new.staff.name,
        new.starts_on,
        new.reason,
        new.reason_note,
    )


# --- suggestions -----------------------------------------------------------------


def _stem(word: str) -> str:
    # "games" and "game" are the same interest; "chess" keeps its double s.
    return word[:-1] if len(word) > MIN_WORD and word.endswith("s") and word[-2] != "s" else word


def interest_words(*texts: str) -> dict[str, str]:
    """Stemmed word -> the word as first written, short and stop words left out."""
    found: dict[str, str] = {}
    for text in texts:
        for word in re.findall(r"[^\W\d_]+", text.casefold()):
            if len(word) >= MIN_WORD and word not in STOP_WORDS:
                found.setdefault(_stem(word), word)
    return found


def shared_interests(staff_interests: str, child_words: dict[str, str]) -> tuple[str, ...]:
    """The child's words (as the child's profile has them) the staff member shares."""
    staff_words = interest_words(staff_interests)
    return tuple(sorted(child_words[stem] for stem in child_words.keys() & staff_words.keys()))


@dataclass(frozen=True)
class Suggestion:
    staff_id: int
    name: str
    key_children: int
    covers: int
    load: int  # what the suggestions are ordered by, fewest first
    shared: tuple[str, ...]  # interests shared with the child


def _ranked(
    staff: Iterable[Staff],
    load: dict[int, tuple[int, int]],
    child_words: dict[str, str],
    count_covers: bool,
    limit: int | None,
) -> list[Suggestion]:
    found = []
    for s in staff:
        keys, covers = load.get(s.id, (0, 0))
        total = keys + covers if count_covers else keys
        found.append(
            Suggestion(
                s.id, s.name, keys, covers, total, shared_interests(s.interests, child_words)
            )
        )
    found.sort(key=lambda g: (g.load, -len(g.shared), g.name.casefold()))
    return found[:limit] if limit is not None else found


def suggest_key_workers(
    actor: Actor, child_id: int, today: dt.date, limit: int | None = 5
) -> list[Suggestion]:
    """Eligible staff not away today, fewest key children first, then those who
    share most of the child's interests; the current key worker is left out."""
    require(actor, *OVERSEERS, doing="see suggested key workers")
    child = child_of(actor, child_id)
    current = key_workers_on(actor.home_id, today).get(child.id)
    away = {a.staff_id for a in _absent_between(actor.home_id, today, today)}
    loads = allocations_on(actor.home_id, today)
    covers = _covers_between(actor.home_id, today, today)
    staff = [
        s
        for s in _eligible_active(actor.home_id)
        if s.id not in away and (current is None or s.id != current.id)
    ]
    load = {s.id: (loads[(s.id, "key_worker")], covers[s.id]) for s in staff}
    words = interest_words(child.interests, child.likes)
    return _ranked(staff, load, words, count_covers=False, limit=limit)


def suggest_cover(actor: Actor, absence_id: int, child_id: int) -> list[Suggestion]:
    """Eligible colleagues not away on any day of the absence, fewest key
    children (when it starts) plus covers (during it) first."""
    require(actor, *OVERSEERS, doing="see suggested cover")
    absence = (
        Absence.select(Absence, Staff)
        .join(Staff)
        .where((Absence.id == absence_id) & (Staff.home == actor.home_id))
        .first()
    )
    if absence is None:
        raise NotFoundError(f"no absence with id {absence_id} in this home")
    child = child_of(actor, child_id)
    first, last = absence.starts_on, absence.ends_on
    away = {a.staff_id for a in _absent_between(actor.home_id, first, last)}
    loads = allocations_on(actor.home_id, first)
    covers = _covers_between(actor.home_id, first, last)
    staff = [s for s in _eligible_active(actor.home_id) if s.id not in away]
    load = {s.id: (loads[(s.id, "key_worker")], covers[s.id]) for s in staff}
    words = interest_words(child.interests, child.likes)
    return _ranked(staff, load, words, count_covers=True, limit=None)


# --- warnings about absences -------------------------------------------------------


def _day_words(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def day_spans(days: Iterable[dt.date]) -> str:
    """Days in words, runs of consecutive days joined: 'Mon 9 Mar to Wed 11 Mar, Fri 13 Mar'."""
    spans: list[list[dt.date]] = []
    for day in sorted(days):
        if spans and day - spans[-1][-1] == dt.timedelta(days=1):
            spans[-1].append(day)
        else:
            spans.append([day])
    return ", ".join(
        _day_words(s[0]) if len(s) == 1 else f"{_day_words(s[0])} to {_day_words(s[-1])}"
        for s in spans
    )


@dataclass(frozen=True)
class ChildDays:
    child_id: int
    child: str
    days: tuple[dt.date, ...]  # the days without cover (empty for a long absence)


@dataclass(frozen=True)
class CoverWarning:
    kind: str  # no_cover, long_absence
    absence_id: int
    staff_id: int
    staff: str
    absence_kind: str
    starts_on: dt.date
    ends_on: dt.date
    children: tuple[ChildDays, ...]

    @property
    def text(self) -> str:
        away = f"{self.staff} is away ({self.absence_kind}) {_day_words(self.starts_on)}"
        if self.ends_on != self.starts_on:
            away += f" to {_day_words(self.ends_on)}"
        if self.kind == "long_absence":
            names = ", ".join(c.child for c in self.children)
            days = (self.ends_on - self.starts_on).days + 1
            return f"{away}, {days} days: consider a change of key worker for {names}."
        gaps = "; ".join(f"{c.child} on {day_spans(c.days)}" for c in self.children)
        return f"{away}: no cover for {gaps}."


def long_absence_days(home_id: int) -> int:
    """The home's long-absence threshold, or the default when unset or unreadable."""
    policy = Home.get_by_id(home_id).policy or {}
    try:
        days = int(policy.get("long_absence_days", LONG_ABSENCE_DAYS))
    except (TypeError, ValueError):
        return LONG_ABSENCE_DAYS
    return days if days > 0 else LONG_ABSENCE_DAYS


def key_child_days(
    absences: list[Absence], today: dt.date
) -> dict[int, dict[int, tuple[str, list[dt.date]]]]:
    """Absence id -> child id -> (name, days from today on that the absent staff
    member is that child's key worker and the child is in placement)."""
    if not absences:
        return {}
    last = max(a.ends_on for a in absences)
    query = (
        KeyWorkerAllocation.select(KeyWorkerAllocation, Child)
        .join(Child)
        .where(
            KeyWorkerAllocation.staff.in_([a.staff_id for a in absences])
            & (KeyWorkerAllocation.role == "key_worker")
            & (KeyWorkerAllocation.starts_on <= last)
            & (KeyWorkerAllocation.ends_on.is_null() | (KeyWorkerAllocation.ends_on >= today))
        )
    )
    allocations = list(query)
    found: dict[int, dict[int, tuple[str, list[dt.date]]]] = {}
    for absence in absences:
        children = found.setdefault(absence.id, {})
        for a in (x for x in allocations if x.staff_id == absence.staff_id):
            name = f"{a.child.preferred_name or a.child.first_name} {a.child.last_name}"
            for day in days_between(max(absence.starts_on, today), absence.ends_on):
                if _allocated_on(a, day):
                    children.setdefault(a.child_id, (name, []))[1].append(day)
    return found


def days_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every day from `first` to `last`, both included."""
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def _allocated_on(a: KeyWorkerAllocation, day: dt.date) -> bool:
    child = a.child
    placed = child.admitted_on <= day and (child.left_on is None or child.left_on > day)
    return placed and a.starts_on <= day and (a.ends_on is None or a.ends_on >= day)


def _covered_days(child_ids: set[int], first: dt.date, last: dt.date) -> set[tuple[int, dt.date]]:
    if not child_ids:
        return set()
    query = cast(
        "Iterable[tuple[int, dt.date, dt.date]]",
        Cover.select(Cover.child, Cover.starts_on, Cover.ends_on)
        .where(
            Cover.child.in_(list(child_ids)) & (Cover.starts_on <= last) & (Cover.ends_on >= first)
        )
        .tuples(),
    )
    return {
        (child_id, day)
        for child_id, start, end in query
        for day in days_between(max(start, first), min(end, last))
    }


def cover_warnings(actor: Actor, today: dt.date) -> list[CoverWarning]:
    """Absences running now or starting within a week that leave a key child
    without cover on some day, and long ones that call for a change instead."""
    require(actor, *OVERSEERS, doing="see cover warnings")
    absences = _absent_between(actor.home_id, today, today + COVER_NOTICE)
    key_days = key_child_days(absences, today)
    every_child = {c for children in key_days.values() for c in children}
    last = max((a.ends_on for a in absences), default=today)
    covered = _covered_days(every_child, today, last)
    threshold = long_absence_days(actor.home_id)
    found = []
    for absence in absences:
        children = key_days[absence.id]
        if not children:
            continue
        found += _warnings_for(absence, children, covered, threshold)
    return found


def _warnings_for(
    absence: Absence,
    children: dict[int, tuple[str, list[dt.date]]],
    covered: set[tuple[int, dt.date]],
    threshold: int,
) -> list[CoverWarning]:
    def warning(kind: str, rows: list[ChildDays]) -> CoverWarning:
        return CoverWarning(
            kind,
            absence.id,
            absence.staff_id,
            absence.staff.name,
            absence.kind,
            absence.starts_on,
            absence.ends_on,
            tuple(sorted(rows, key=lambda c: c.child.casefold())),
        )

    found = []
    gaps = [
        ChildDays(child_id, name, tuple(d for d in days if (child_id, d) not in covered))
        for child_id, (name, days) in children.items()
    ]
    gaps = [g for g in gaps if g.days]
    if gaps:
        found.append(warning("no_cover", gaps))
    if (absence.ends_on - absence.starts_on).days + 1 > threshold:
        found.append(
            warning("long_absence", [ChildDays(c, name, ()) for c, (name, _) in children.items()])
        )
    return found


# --- children without a key worker -------------------------------------------------


def children_without_key_worker(home_id: int, today: dt.date) -> list[ChildOut]:
    """Children in placement on `today` with nobody allocated as key worker."""
    allocated = key_workers_on(home_id, today)
    return [c for c in children_in_placement(home_id, today) if c.id not in allocated]


# --- admitting a child ------------------------------------------------------------


def admit_child(actor: Actor, data: ChildIn, key_worker_id: int | None = None) -> ChildOut:
    """Admit a child and, when one is named, their key worker from the day they
    arrive, in one transaction. The first session and the likes and dislikes
    fall due from the admission (the compliance rules read `admitted_on`)."""
    with write_transaction():
        child = add_child(actor, data)
        if key_worker_id is not None:
            allocate(
                actor,
                AllocationIn(child_id=child.id, staff_id=key_worker_id, starts_on=data.admitted_on),
            )
    return child


def eligible_key_workers(actor: Actor) -> list[StaffOut]:
    """Active staff with induction and level 3: who may be a new child's key worker."""
    require(actor, *MANAGERS, doing="choose a key worker")
    return [s for s in list_staff(actor.home_id) if s.eligible]
