"""A child's profile: everything the team keeps about one child, read in one
go, and the "About" part that the staff who know the child keep up to date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_
from typing import Any, Generic, TypeVar, cast

import peewee as pw
from dateutil.relativedelta import relativedelta

from keywork_tui.outputs import SessionOut
from keywork_tui.schemas import ChildAboutIn
from keywork_tui.services import audit, clock
from keywork_tui.services.actor import Actor, child_of, may_reach
from keywork_tui.services.child_file import plans_and_events as records
from keywork_tui.services.child_file import restricted, sessions
from keywork_tui.services.child_file.session_line import SessionLine, session_line
from keywork_tui.services.child_file.upcoming import KIND_WORDS, next_occurrence
from keywork_tui.services.errors import PermissionDeniedError
from models import (
    Child,
    Contact,
    Cover,
    DocumentReview,
    Home,
    KeySession,
    KeyWorkerAllocation,
    PersonalEvent,
    Staff,
    Target,
)
from models.base import folded, write_transaction

ABOUT_FIELDS = ("preferred_name", "school", "likes", "dislikes", "interests", "fears")
ABOUT_EDITORS = (
    "only the child's key worker or co-worker, the colleague covering them, "
    "or a manager can change what is written about them"
)

REASON_WORDS = {
    "child_request": "the child asked",
    "staff_request": "the staff member asked",
    "staff_left": "the staff member left",
    "long_absence": "long absence",
    "relationship": "the relationship could not be established",
    "manager_decision": "manager's decision",
    "other": "other",
}
ROLE_WORDS = {"key_worker": "key worker", "co_worker": "co-worker"}
PLACEMENT_WORDS = {
    "full_time": "full time",
    "residential_school": "residential school",
    "short_break": "short breaks",
}
# In the order a colleague looks for them.
CONTACT_WORDS = {
    "social_worker": "Social worker",
    "iro": "IRO",
    "gp": "GP",
    "dentist": "Dentist",
    "family": "Family",
    "school": "School",
    "other": "Other",
}
TARGET_WORDS = {
    None: "open",
    "achieved": "achieved",
    "partly": "partly",
    "not_yet": "not yet",
    "replaced": "replaced",
}
REVIEW_WORDS = {"updated": "updated", "no_change": "no change"}
DOCUMENT_WORDS = {
    "support_plan": "Support Plan",
    "safety_plan": "Safety Plan",
    "positive_handling_plan": "Positive Handling Plan",
    "risk_assessment": "Risk assessments",
    "medical_summary": "Medical summary",
    "consent_forms": "Consent forms",
    "audit_actions": "Audit actions",
    "monthly_report": "Monthly report",
    "formal_consultation": "Formal consultation",
    "school_visit": "School visit",
    "belongings_inventory": "Belongings inventory",
    "likes_dislikes": "Likes and dislikes form",
    "dental_check": "Dental check",
    "health_assessment": "CLA health assessment",
    "consent_parent_social_worker": "Consent by parent and social worker",
    "good_news_contact": "Good-news contact home",
}
AMENDABLE_WORDS = {
    "held_at": "held at",
    "kind": "kind",
    "activity": "activity",
    "minutes": "minutes",
    "views": "the child's views",
    "summary": "summary",
    "concern_text": "concern",
}


# --- what the profile holds ---------------------------------------------------


@dataclass(frozen=True)
class About:
    first_name: str
    last_name: str
    preferred_name: str
    date_of_birth: dt.date
    age: int
    placement: str
    school: str
    admitted_on: dt.date
    left_on: dt.date | None
    likes: str
    dislikes: str
    interests: str
    fears: str

    @property
    def legal_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def name(self) -> str:
        """What the child is called, with the surname for the file."""
        return f"{self.preferred_name or self.first_name} {self.last_name}"

    @property
    def placement_words(self) -> str:
        return PLACEMENT_WORDS.get(self.placement, self.placement.replace("_", " "))


@dataclass(frozen=True)
class ContactLine:
    kind: str
    name: str
    relationship: str
    phone: str
    email: str
    restrictions: str
    id: int = 0

    @property
    def kind_words(self) -> str:
        return CONTACT_WORDS.get(self.kind, self.kind)


@dataclass(frozen=True)
class AllocationLine:
    staff_id: int
    staff_name: str
    role: str
    starts_on: dt.date
    ends_on: dt.date | None
    reason: str | None
    reason_note: str
    current: bool

    @property
    def role_words(self) -> str:
        return ROLE_WORDS.get(self.role, self.role)

    @property
    def reason_words(self) -> str:
        """Why this allocation replaced the one before, in plain words."""
        if self.reason is None:
            return "first allocation"
        words = REASON_WORDS.get(self.reason, self.reason.replace("_", " "))
        return f"{words}: {self.reason_note}" if self.reason_note else words


@dataclass(frozen=True)
class CoverLine:
    staff_id: int
    staff_name: str
    starts_on: dt.date
    ends_on: dt.date
    current: bool


@dataclass(frozen=True)
class TargetLine:
    id: int
    text: str
    set_on: dt.date
    review_by: dt.date
    outcome: str | None
    reviewed_on: dt.date | None

    @property
    def is_open(self) -> bool:
        return self.outcome is None

    @property
    def outcome_words(self) -> str:
        return TARGET_WORDS.get(self.outcome, str(self.outcome))


@dataclass(frozen=True)
class ReviewLine:
    id: int
    document: str
    reviewed_on: dt.date
    outcome: str
    by_name: str
    note: str

    @property
    def document_words(self) -> str:
        return DOCUMENT_WORDS.get(self.document, self.document.replace("_", " "))

    @property
    def outcome_words(self) -> str:
        return REVIEW_WORDS.get(self.outcome, self.outcome)


@dataclass(frozen=True)
class DateLine:
    """A birthday or personal event and when it next comes round (None: past)."""

    date: dt.date
    kind: str
    yearly: bool
    note: str
    next_on: dt.date | None
    from_birth: bool = False

    @property
    def kind_words(self) -> str:
        return KIND_WORDS.get(self.kind, self.kind.capitalize())


# Rows of a history shown at first, and each time more are asked for: a child's
# file after ten years holds hundreds of sessions and a thousand reviews.
PAGE = 50
Line = TypeVar("Line")


@dataclass(frozen=True)
class Page(Generic[Line]):
    """Part of a history, newest first: `lines` of the `matching` (those a
    search finds, or all), of the `total` the child has."""

    lines: list[Line]
    matching: int
    total: int
    more: bool  # lines older than the last of these still to show


@dataclass(frozen=True)
class ChildProfile:
    child_id: int
    today: dt.date
    about: About
    contacts: list[ContactLine]
    allocations: list[AllocationLine]  # newest first
    covers: list[CoverLine]  # current and planned
    sessions: Page[SessionLine]  # the newest
    targets: list[TargetLine]  # open first, then by review date
    reviews: Page[ReviewLine]  # the newest
    dates: list[DateLine]  # soonest first, then past one-off dates
    default_review_by: dt.date  # for a target set today
    about_refusal: str  # why the actor cannot edit About; "" when they can

    @property
    def key_worker(self) -> AllocationLine | None:
        return next((a for a in self.allocations if a.current and a.role == "key_worker"), None)

    @property
    def cover(self) -> CoverLine | None:
        return next((c for c in self.covers if c.current), None)

    @property
    def restrictions(self) -> list[ContactLine]:
        return [c for c in self.contacts if c.restrictions]


# --- reading ------------------------------------------------------------------


def _about(child: Child, today: dt.date) -> About:
    born = child.date_of_birth
    return About(
        first_name=child.first_name,
        last_name=child.last_name,
        preferred_name=child.preferred_name,
        date_of_birth=born,
        age=relativedelta(today, born).years,
        placement=child.placement,
        school=child.school,
        admitted_on=child.admitted_on,
        left_on=child.left_on,
        likes=child.likes,
        dislikes=child.dislikes,
        interests=child.interests,
        fears=child.fears,
    )


def profile(actor: Actor, child_id: int, today: dt.date) -> ChildProfile:
    """The whole profile of one child of the actor's home, as of `today`.

    A fixed number of queries however long the child's history is."""
    child = child_of(actor, child_id)
    allocations = _allocations(child_id, today)
    covers = _covers(child_id, today)
    return ChildProfile(
        child_id=child.id,
        today=today,
        about=_about(child, today),
        contacts=_contacts(child_id),
        allocations=allocations,
        covers=covers,
        sessions=_session_page(actor, child),
        targets=_targets(child_id),
        reviews=_review_page(child_id),
        dates=_dates(child, today),
        default_review_by=records.default_review_by(actor.home_id, today),
        about_refusal="" if _may_edit(actor, allocations, covers) else ABOUT_EDITORS,
    )


def _contacts(child_id: int) -> list[ContactLine]:
    order = list(CONTACT_WORDS)
    query = Contact.select().where(Contact.child == child_id)
    lines = [
        ContactLine(c.kind, c.name, c.relationship, c.phone, c.email, c.restrictions, c.id)
        for c in query
    ]
    return sorted(
        lines,
        key=lambda c: (order.index(c.kind) if c.kind in order else len(order), c.name.casefold()),
    )


def _allocations(child_id: int, today: dt.date) -> list[AllocationLine]:
    query = (
        KeyWorkerAllocation.select(KeyWorkerAllocation, Staff)
        .join(Staff)
        .where(KeyWorkerAllocation.child == child_id)
        .order_by(KeyWorkerAllocation.starts_on.desc(), KeyWorkerAllocation.id.desc())
    )
    return [
        AllocationLine(
            a.staff_id,
            a.staff.name,
            a.role,
            a.starts_on,
            a.ends_on,
            a.reason,
            a.reason_note,
            current=_runs_on(a.starts_on, a.ends_on, today),
        )
        for a in query
    ]


def _runs_on(starts_on: dt.date, ends_on: dt.date | None, day: dt.date) -> bool:
    return starts_on <= day and (ends_on is None or ends_on >= day)


def _covers(child_id: int, today: dt.date) -> list[CoverLine]:
    query = (
        Cover.select(Cover, Staff)
        .join(Staff)
        .where((Cover.child == child_id) & (Cover.ends_on >= today))
        .order_by(Cover.starts_on, Cover.id)
    )
    return [
        CoverLine(c.staff_id, c.staff.name, c.starts_on, c.ends_on, c.starts_on <= today)
        for c in query
    ]


def session_page(
    actor: Actor, child_id: int, *, search: str = "", after: SessionLine | None = None
) -> Page[SessionLine]:
    """The child's sessions newest first, a page at a time (`after` the last line
    shown), those whose words include every word of `search` (in any case) in
    the summary, views, activity, concern or the key worker's name."""
    return _session_page(actor, child_of(actor, child_id), search=search, after=after)


def _session_page(
    actor: Actor, child: Child, *, search: str = "", after: SessionLine | None = None
) -> Page[SessionLine]:
    """Restricted sessions read as such unless the actor may read them, so a
    search never finds words the reader may not see."""
    everything = KeySession.select(KeySession, Staff).join(Staff).where(KeySession.child == child)
    found = everything
    words = search.casefold().split()
    if words:
        readable = restricted.readable_where(actor, child.id)
        found = found.where(reduce(and_, (_has_word(w, readable) for w in words)))
    order = (KeySession.held_at, KeySession.id)
    rows = _newest(found, order, (after.held_at, after.id) if after else None)
    page = rows[:PAGE]
    shown = restricted.for_reader_all(actor, (SessionOut.of(r) for r in page))
    nation, days = child.home.nation, sessions.write_up_days(child.home_id)
    lines = [session_line(row, out, nation, days) for row, out in zip(page, shown, strict=True)]
    total = everything.count()
    return Page(lines, found.count() if words else total, total, more=len(rows) > PAGE)


def _newest(
    query: pw.Select, order: tuple[pw.Field, pw.Field], after: tuple[Any, int] | None
) -> list[Any]:
    """A page of `query` newest first by (moment, id), and one more row to tell
    whether there are more: those older than `after`, the last shown."""
    moment, ident = order
    if after is not None:
        last, last_id = after
        query = query.where((moment < last) | ((moment == last) & (ident < last_id)))
    return list(query.order_by(moment.desc(), ident.desc()).limit(PAGE + 1))


_WORDS_OF_A_SESSION = (
    KeySession.summary,
    KeySession.views,
    KeySession.activity,
    KeySession.concern_text,
)


def _has_word(word: str, readable: pw.Expression | None) -> pw.Expression:
    """The session holds `word` where its reader sees it: a session they may
    not read shows only its writer's name and the restricted notice."""
    in_words = reduce(or_, (folded(column).contains(word) for column in _WORDS_OF_A_SESSION))
    in_name = folded(Staff.name).contains(word)
    if readable is None:
        found = in_words | in_name
    elif word in restricted.RESTRICTED_TEXT.casefold():
        found = in_name | ~readable | in_words
    else:
        found = in_name | (readable & in_words)
    return found


def _targets(child_id: int) -> list[TargetLine]:
    query = Target.select().where(Target.child == child_id)
    lines = [
        TargetLine(t.id, t.text, t.set_on, t.review_by, t.outcome, t.reviewed_on) for t in query
    ]
    return sorted(lines, key=lambda t: (not t.is_open, t.review_by, t.id))


def review_page(
    actor: Actor, child_id: int, *, after: ReviewLine | None = None
) -> Page[ReviewLine]:
    """The child's document reviews newest first, a page at a time."""
    return _review_page(child_of(actor, child_id).id, after=after)


def _review_page(child_id: int, *, after: ReviewLine | None = None) -> Page[ReviewLine]:
    everything = DocumentReview.select(DocumentReview, Staff).join(Staff)
    everything = everything.where(DocumentReview.child == child_id)
    order = (DocumentReview.reviewed_on, DocumentReview.id)
    rows = _newest(everything, order, (after.reviewed_on, after.id) if after else None)
    lines = [
        ReviewLine(r.id, r.document, r.reviewed_on, r.outcome, r.by.name, r.note)
        for r in rows[:PAGE]
    ]
    total = everything.count()
    return Page(lines, total, total, more=len(rows) > PAGE)


def _dates(child: Child, today: dt.date) -> list[DateLine]:
    born = child.date_of_birth
    birthday = next_occurrence(born, True, today)
    turns = relativedelta(birthday, born).years if birthday else 0
    lines = [DateLine(born, "birthday", True, f"turns {turns}", birthday, from_birth=True)]
    for event in PersonalEvent.select().where(PersonalEvent.child == child.id):
        next_on = next_occurrence(event.date, event.yearly, today)
        if event.kind == "birthday" and next_on == birthday and not event.note:
            continue  # the birthday worked out from the date of birth says it already
        lines.append(DateLine(event.date, event.kind, event.yearly, event.note, next_on))
    coming = sorted((d for d in lines if d.next_on), key=lambda d: (d.next_on, d.kind))
    past = sorted((d for d in lines if not d.next_on), key=lambda d: d.date, reverse=True)
    return coming + past


# --- one session, whole ---------------------------------------------------------


@dataclass(frozen=True)
class ProgressLine:
    target_text: str
    note: str


@dataclass(frozen=True)
class AmendmentLine:
    field: str
    original: str
    corrected: str
    reason: str
    by_name: str
    at: dt.datetime

    @property
    def field_words(self) -> str:
        return AMENDABLE_WORDS.get(self.field, self.field.replace("_", " "))


@dataclass(frozen=True)
class SessionDetail:
    session: SessionOut
    staff_name: str
    late: bool
    progress: list[ProgressLine]
    amendments: list[AmendmentLine]  # oldest first

    def current(self, field: str) -> str:
        """A field's value as it is typed in a correction."""
        value = getattr(self.session, field)
        return f"{value:%Y-%m-%d %H:%M}" if isinstance(value, dt.datetime) else str(value)


def session_detail(actor: Actor, session_id: int) -> SessionDetail:
    """A session of the actor's home with its progress notes and corrections."""
    session = sessions.get_session(actor, session_id)
    readable = restricted.may_read(actor, session)
    progress = sessions.progress_of(actor, session_id) if readable else []
    amendments = sessions.amendments_of(actor, session_id)
    names = dict(
        cast(
            "Iterable[tuple[int, str]]",
            Staff.select(Staff.id, Staff.name)
            .where(Staff.id.in_({session.staff_id} | {a.by_id for a in amendments}))
            .tuples(),
        )
    )
    texts = dict(
        cast(
            "Iterable[tuple[int, str]]",
            Target.select(Target.id, Target.text)
            .where(Target.id.in_([p.target_id for p in progress]))
            .tuples(),
        )
    )
    home = Home.get_by_id(actor.home_id)
    return SessionDetail(
        session=session,
        staff_name=names.get(session.staff_id, "?"),
        late=sessions.written_up_late(session, home.nation, sessions.write_up_days(home.id)),
        progress=[ProgressLine(texts.get(p.target_id, "?"), p.note) for p in progress],
        amendments=[
            AmendmentLine(a.field, a.original, a.corrected, a.reason, names.get(a.by_id, "?"), a.at)
            for a in amendments
        ],
    )


# --- editing About ----------------------------------------------------------------


def _may_edit(actor: Actor, allocations: list[AllocationLine], covers: list[CoverLine]) -> bool:
    if actor.is_manager:
        return True
    return any(a.current and a.staff_id == actor.id for a in allocations) or any(
        c.current and c.staff_id == actor.id for c in covers
    )


def update_about(actor: Actor, child_id: int, data: ChildAboutIn) -> About:
    """Change what is written about the child; a save that changes nothing
    writes nothing, not even an audit event."""
    today = clock.today()
    with write_transaction():
        child = child_of(actor, child_id)
        if not may_reach(actor, child_id, today):
            raise PermissionDeniedError(ABOUT_EDITORS)
        wanted = data.model_dump(include=set(ABOUT_FIELDS))
        if all(getattr(child, k) == v for k, v in wanted.items()):
            return _about(child, today)
        before = audit.snapshot(child)
        for key, value in wanted.items():
            setattr(child, key, value)
        child.save(only=[getattr(Child, k) for k in ABOUT_FIELDS])
        audit.record(actor, "child.about", child, before=before, child_id=child.id)
    return _about(child, today)
