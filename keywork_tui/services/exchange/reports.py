"""Reports for managers: a child's month or review period, and the home's
key-work summary per key worker (everything held about one child is in
`child_export`).

Reports only read; every file is written 0600 through `write_private`, since
each one holds a child's records.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from dateutil.relativedelta import relativedelta

from keywork_tui.outputs import SessionOut
from keywork_tui.schemas import ChildReportIn
from keywork_tui.services import clock
from keywork_tui.services.actor import OVERSEERS, Actor, child_of, require
from keywork_tui.services.child_file import obligations as compliance
from keywork_tui.services.child_file import sessions
from keywork_tui.services.child_file.session_line import SessionLine, session_line, write_up
from keywork_tui.services.errors import FieldError, ServiceError
from keywork_tui.services.policy import SIGNIFICANT_KINDS, Policy, policy_for
from models import (
    Child,
    DocumentReview,
    Home,
    KeySession,
    KeyWorkerAllocation,
    SignificantEvent,
    Staff,
    Target,
    TargetProgress,
)

from .private_files import write_private

WEEK = dt.timedelta(days=7)
DAY = dt.timedelta(days=1)

# --- shared helpers ----------------------------------------------------------


def _policy(home: Home) -> Policy:
    return policy_for(home.profile, home.policy)


def _weekly_home(policy: Policy) -> bool:
    """True when the home's key-session rule is on and asks for one a week."""
    rule = policy.active("key_session")
    return rule is not None and rule.interval() == relativedelta(weeks=1)


def _weekly_child(child: Child, policy: Policy) -> bool:
    """A child's plan can switch the rule off or set its own rhythm: then weeks
    without a session are not counted as missed."""
    off = (child.policy or {}).get("off", [])
    own = child.session_every_days
    return _weekly_home(policy) and "key_session" not in off and own in (None, 7)


def _start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())


# --- one child over a period -------------------------------------------------


@dataclass(frozen=True)
class WorkerChange:
    """One allocation that overlapped the period: who, as what, from when."""

    name: str
    role: str  # key_worker or co_worker
    starts_on: dt.date
    ends_on: dt.date | None


@dataclass(frozen=True)
class ProgressRow:
    held_on: dt.date
    note: str


@dataclass(frozen=True)
class TargetRow:
    text: str
    set_on: dt.date
    review_by: dt.date
    outcome: str | None
    progress: list[ProgressRow]


@dataclass(frozen=True)
class ReviewRow:
    document: str
    reviewed_on: dt.date
    outcome: str
    note: str
    by: str


@dataclass(frozen=True)
class EventRow:
    occurred_on: dt.date
    summary: str
    by: str
    kind: str = "other"
    told: str = ""


@dataclass(frozen=True)
class ConcernRow:
    held_at: dt.datetime
    text: str
    bedtime: bool
    seen: bool


@dataclass(frozen=True)
class ChildReport:
    child_id: int
    child_name: str
    home_name: str
    first: dt.date
    last: dt.date
    key_workers: list[str]
    weekly_rule: bool  # False: missed weeks are not counted for this child
    sessions: list[SessionLine] = field(default_factory=list)
    missed_weeks: list[dt.date] = field(default_factory=list)  # the Monday of each
    targets: list[TargetRow] = field(default_factory=list)
    reviews: list[ReviewRow] = field(default_factory=list)
    significant_events: list[EventRow] = field(default_factory=list)
    concerns: list[ConcernRow] = field(default_factory=list)
    key_worker_changes: list[WorkerChange] = field(default_factory=list)

    @property
    def late_write_ups(self) -> list[SessionLine]:
        return [s for s in self.sessions if s.write_up in ("late", "overdue")]


def child_month(actor: Actor, child_id: int, year: int, month: int) -> ChildReport:
    """The child's calendar month: the monthly report on the child."""
    if not 1 <= month <= 12:
        raise FieldError("month", "the month must be between 1 and 12")
    first = dt.date(year, month, 1)
    return review_report(actor, child_id, first, first + relativedelta(months=1) - DAY)


def review_report(actor: Actor, child_id: int, first: dt.date, last: dt.date) -> ChildReport:
    """The child's file over any period, e.g. since the last CLA review or PEP."""
    require(actor, *OVERSEERS, doing="run reports")
    if last < first:
        raise FieldError("last", "the period ends before it begins")
    child = child_of(actor, child_id)
    policy = _policy(child.home)
    weekly = _weekly_child(child, policy)
    held, rows = _period_sessions(child, first, last)
    changes = _worker_changes(child.id, first, last)
    return ChildReport(
        child_id=child.id,
        child_name=f"{child.first_name} {child.last_name}",
        home_name=child.home.name,
        first=first,
        last=last,
        key_workers=[c.name for c in changes if c.role == "key_worker"],
        weekly_rule=weekly,
        sessions=rows,
        missed_weeks=missed_weeks(
            first, last, held, child.admitted_on, child.left_on, clock.today()
        )
        if weekly
        else [],
        targets=_targets(child.id, first, last),
        reviews=_reviews(child.id, first, last),
        significant_events=_significant(child.id, first, last),
        concerns=_concerns(child.id, first, last),
        key_worker_changes=changes,
    )


def missed_weeks(
    first: dt.date,
    last: dt.date,
    held: set[dt.date],
    admitted_on: dt.date,
    left_on: dt.date | None,
    today: dt.date,
) -> list[dt.date]:
    """Mondays of the weeks with no session at all (draft or final).

    A Monday-to-Sunday week belongs to the period holding its Monday, so
    consecutive months count each week once. Only weeks that have ended
    before `today` and that the child spent wholly in placement count."""
    monday = first + dt.timedelta(days=-first.weekday() % 7)
    missed = []
    while monday <= last:
        sunday = monday + dt.timedelta(days=6)
        placed = admitted_on <= monday and (left_on is None or left_on >= sunday)
        if placed and sunday < today and not any(monday <= d <= sunday for d in held):
            missed.append(monday)
        monday += WEEK
    return missed


def _period_sessions(
    child: Child, first: dt.date, last: dt.date
) -> tuple[set[dt.date], list[SessionLine]]:
    """Days with a session (to the end of the period's last week) and the
    sessions held inside the period."""
    until = last + dt.timedelta(days=6 - last.weekday())
    query = (
        KeySession.select(KeySession, Staff)
        .join(Staff)
        .where(
            (KeySession.child == child.id)
            & (KeySession.held_at >= _start(first))
            & (KeySession.held_at < _start(until + DAY))
        )
        .order_by(KeySession.held_at, KeySession.id)
    )
    days = sessions.write_up_days(child.home_id)
    nation = child.home.nation
    held, rows = set(), []
    for row in query:
        held.add(row.held_at.date())
        if row.held_at.date() <= last:
            rows.append(session_line(row, SessionOut.of(row), nation, days))
    return held, rows


def _worker_changes(child_id: int, first: dt.date, last: dt.date) -> list[WorkerChange]:
    query = (
        KeyWorkerAllocation.select(KeyWorkerAllocation, Staff)
        .join(Staff)
        .where(
            (KeyWorkerAllocation.child == child_id)
            & (KeyWorkerAllocation.starts_on <= last)
            & (KeyWorkerAllocation.ends_on.is_null() | (KeyWorkerAllocation.ends_on >= first))
        )
        .order_by(KeyWorkerAllocation.starts_on, KeyWorkerAllocation.id)
    )
    return [WorkerChange(a.staff.name, a.role, a.starts_on, a.ends_on) for a in query]


def _targets(child_id: int, first: dt.date, last: dt.date) -> list[TargetRow]:
    """Targets open at some time in the period, with the progress noted in
    sessions held in it."""
    query = (
        Target.select()
        .where(
            (Target.child == child_id)
            & (Target.set_on <= last)
            & (Target.reviewed_on.is_null() | (Target.reviewed_on >= first))
        )
        .order_by(Target.set_on, Target.id)
    )
    notes = (
        TargetProgress.select(TargetProgress, KeySession)
        .join(KeySession)
        .where(
            (KeySession.child == child_id)
            & (KeySession.held_at >= _start(first))
            & (KeySession.held_at < _start(last + DAY))
        )
        .order_by(KeySession.held_at)
    )
    progress: dict[int, list[ProgressRow]] = {}
    for note in notes:
        progress.setdefault(note.target_id, []).append(
            ProgressRow(note.session.held_at.date(), note.note)
        )
    return [
        TargetRow(t.text, t.set_on, t.review_by, t.outcome, progress.get(t.id, [])) for t in query
    ]


def _reviews(child_id: int, first: dt.date, last: dt.date) -> list[ReviewRow]:
    query = (
        DocumentReview.select(DocumentReview, Staff)
        .join(Staff)
        .where((DocumentReview.child == child_id) & DocumentReview.reviewed_on.between(first, last))
        .order_by(DocumentReview.reviewed_on, DocumentReview.id)
    )
    return [ReviewRow(r.document, r.reviewed_on, r.outcome, r.note, r.by.name) for r in query]


def _significant(child_id: int, first: dt.date, last: dt.date) -> list[EventRow]:
    query = (
        SignificantEvent.select(SignificantEvent, Staff)
        .join(Staff)
        .where(
            (SignificantEvent.child == child_id) & SignificantEvent.occurred_on.between(first, last)
        )
        .order_by(SignificantEvent.occurred_on, SignificantEvent.id)
    )
    return [EventRow(e.occurred_on, e.summary, e.by.name, e.kind, e.told) for e in query]


def _concerns(child_id: int, first: dt.date, last: dt.date) -> list[ConcernRow]:
    query = (
        KeySession.select()
        .where(
            (KeySession.child == child_id)
            & KeySession.concern
            & (KeySession.held_at >= _start(first))
            & (KeySession.held_at < _start(last + DAY))
        )
        .order_by(KeySession.held_at)
    )
    return [
        ConcernRow(s.held_at, s.concern_text, s.bedtime, s.concern_seen_by_id is not None)
        for s in query
    ]


# --- report as Markdown and HTML -----------------------------------------------
# Both formats come from templates in keywork_tui/templates, given the same
# report; the HTML one escapes every value (autoescape), the Markdown one puts a
# backslash before anything a renderer could take for HTML.


def _words(slug: str) -> str:
    return slug.replace("_", " ")


def _md(text: object) -> str:
    return str(text).replace("\\", "\\\\").replace("<", "\\<")


def _md_block(text: object) -> str:
    """User text inside a list item: its later lines stay in the item."""
    return _md(text).replace("\n", "\n    ")


@cache
def _templates(kind: str) -> Any:
    import jinja2  # loaded when a report is first written, not with the app

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("keywork_tui", "templates"),
        autoescape=kind == "html",
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        words=_words,
        md=_md,
        md_block=_md_block,
        day=lambda d: f"{d:%a %d %b %Y}",
        moment=lambda t: f"{t:%a %d %b %Y %H:%M}",
        event_kind=lambda k: SIGNIFICANT_KINDS.get(k, _words(k)),
    )
    return env.get_template(f"child_report.{kind}.j2")


def _render(kind: str, report: ChildReport) -> str:
    period = f"{report.first:%d %b %Y} to {report.last:%d %b %Y}"
    return str(
        _templates(kind).render(r=report, period=period, produced=f"{clock.now():%d %b %Y %H:%M}")
    )


def to_markdown(report: ChildReport) -> str:
    return _render("md", report)


def to_html(report: ChildReport) -> str:
    """A self-contained page (inline style, no scripts or links); every text escaped."""
    return _render("html", report)


REPORT_FORMATS = {".md": to_markdown, ".html": to_html, ".htm": to_html}


def renderer_for(path: Path | str) -> Callable[[ChildReport], str]:
    """The format follows the file name, checked before any work is done."""
    render = REPORT_FORMATS.get(Path(path).suffix.lower())
    if render is None:
        raise FieldError("path", f"{str(path)!r} must end in .md or .html")
    return render


def write_child_report(actor: Actor, data: ChildReportIn) -> tuple[Path, ChildReport]:
    """Write the child's report over the period to a new 0600 file (a missing
    folder is made, readable by its owner only); the path and the report back."""
    render = renderer_for(data.path)
    report = review_report(actor, data.child_id, data.first, data.last)
    path = Path(data.path).expanduser()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        return write_private(path, render(report), overwrite=data.overwrite), report
    except (OSError, ServiceError) as exc:
        message = exc.strerror if isinstance(exc, OSError) else str(exc)
        raise FieldError("path", str(message)) from None


def report_file_name(child_name: str, first: dt.date, last: dt.date) -> str:
    """'tyler-marsh-2026-11.html' for a calendar month, else both days."""
    slug = re.sub(r"[\W_]+", "-", child_name.lower()).strip("-")
    month_end = first + relativedelta(months=1) - DAY
    if first.day == 1 and last == month_end:
        return f"{slug or 'child'}-{first:%Y-%m}.html"
    return f"{slug or 'child'}-{first}-to-{last}.html"


# --- the home, per key worker ------------------------------------------------------


@dataclass(frozen=True)
class WorkerSummary:
    staff_id: int
    name: str
    key_children: int
    held_4w: int
    due_4w: int | None  # None: the home's rule is not weekly
    held_12w: int
    due_12w: int | None
    write_ups_on_time: int
    write_ups_late: int
    overdue_reviews: int
    # The worker's sessions of the last 12 weeks, and how many of them record
    # the child's own views: what the child will read of themselves later.
    sessions: int = 0
    views_recorded: int = 0


@dataclass
class _Tally:
    due: dict[int, set[tuple[int, int]]] = field(default_factory=dict)  # staff: (week, child)
    held: dict[int, set[tuple[int, int]]] = field(default_factory=dict)


SUMMARY_WEEKS = 12
SHORT_WEEKS = 4


def home_summary(actor: Actor, today: dt.date) -> list[WorkerSummary]:
    """Per key worker, over the 4 and 12 weeks ending on `today` (week 0 is the
    last seven days):

    - due: one session per key child per week, when the home's rule is weekly
      and the worker was the child's key worker on the week's last day;
    - held: the due (week, child) pairs in which the worker held a session
      with that child (draft or final), so held never exceeds due;
    - write-ups: the worker's sessions of the last 12 weeks, late when
      finalised late or still a draft after the write-up time;
    - overdue reviews: document and target reviews overdue today that fall to
      the worker according to the overdue list;
    - views recorded: of the worker's sessions of the last 12 weeks (draft or
      final), those with the child's own views written down.
    """
    require(actor, *OVERSEERS, doing="run reports")
    home = Home.get_by_id(actor.home_id)
    policy = _policy(home)
    first = today - dt.timedelta(days=SUMMARY_WEEKS * 7 - 1)
    allocations = _allocations_between(actor.home_id, first, today)
    children = {c.id: c for c in Child.select().where(Child.home == actor.home_id)}
    tally = _tally(allocations, children, policy, today)
    session_rows = list(
        KeySession.select()
        .join(Child)
        .where(
            (Child.home == actor.home_id)
            & (KeySession.held_at >= _start(first))
            & (KeySession.held_at < _start(today + DAY))
        )
    )
    for s in session_rows:
        week = (today - s.held_at.date()).days // 7
        if (week, s.child_id) in tally.due.get(s.staff_id, set()):
            tally.held.setdefault(s.staff_id, set()).add((week, s.child_id))
    staff_ids = {a.staff_id for a in allocations}
    names = {s.id: s.name for s in Staff.select().where(Staff.id.in_(list(staff_ids)))}
    writeups = _write_ups(session_rows, home, today)
    views = _views_recorded(session_rows)
    overdue = _overdue_reviews(home.id, today, policy)
    weekly = _weekly_home(policy)
    found = []
    for staff_id in sorted(staff_ids, key=lambda i: names[i]):
        due = tally.due.get(staff_id, set())
        held = tally.held.get(staff_id, set())
        on_time, late = writeups.get(staff_id, (0, 0))
        found.append(
            WorkerSummary(
                staff_id,
                names[staff_id],
                key_children=sum(
                    1
                    for a in allocations
                    if a.staff_id == staff_id
                    and _covers(a, today)
                    and _placed(children[a.child_id], today)
                ),
                held_4w=_within(held, SHORT_WEEKS),
                due_4w=_within(due, SHORT_WEEKS) if weekly else None,
                held_12w=len(held),
                due_12w=len(due) if weekly else None,
                write_ups_on_time=on_time,
                write_ups_late=late,
                overdue_reviews=overdue.get(staff_id, 0),
                sessions=views.get(staff_id, (0, 0))[0],
                views_recorded=views.get(staff_id, (0, 0))[1],
            )
        )
    return found


def _views_recorded(rows: list[KeySession]) -> dict[int, tuple[int, int]]:
    """(sessions, sessions with the child's views) per staff member."""
    counts: dict[int, tuple[int, int]] = {}
    for row in rows:
        held, with_views = counts.get(row.staff_id, (0, 0))
        counts[row.staff_id] = (held + 1, with_views + bool(row.views.strip()))
    return counts


def _allocations_between(home_id: int, first: dt.date, last: dt.date) -> list[KeyWorkerAllocation]:
    return list(
        KeyWorkerAllocation.select()
        .join(Child)
        .where(
            (Child.home == home_id)
            & (KeyWorkerAllocation.role == "key_worker")
            & (KeyWorkerAllocation.starts_on <= last)
            & (KeyWorkerAllocation.ends_on.is_null() | (KeyWorkerAllocation.ends_on >= first))
        )
    )


def _covers(allocation: KeyWorkerAllocation, day: dt.date) -> bool:
    return allocation.starts_on <= day and (allocation.ends_on is None or allocation.ends_on >= day)


def _placed(child: Child, day: dt.date) -> bool:
    return child.admitted_on <= day and (child.left_on is None or child.left_on >= day)


def _tally(
    allocations: list[KeyWorkerAllocation],
    children: dict[int, Child],
    policy: Policy,
    today: dt.date,
) -> _Tally:
    tally = _Tally()
    for week in range(SUMMARY_WEEKS):
        end = today - dt.timedelta(days=7 * week)
        for a in allocations:
            child = children[a.child_id]
            if _covers(a, end) and _placed(child, end) and _weekly_child(child, policy):
                tally.due.setdefault(a.staff_id, set()).add((week, a.child_id))
    return tally


def _within(pairs: set[tuple[int, int]], weeks: int) -> int:
    return sum(1 for week, _ in pairs if week < weeks)


def _write_ups(rows: list[KeySession], home: Home, today: dt.date) -> dict[int, tuple[int, int]]:
    """(on time, late) per staff member; drafts still within their time are neither."""
    days = sessions.write_up_days(home.id)
    counts: dict[int, tuple[int, int]] = {}
    for row in rows:
        state = write_up(SessionOut.of(row), home.nation, days)
        on_time, late = counts.get(row.staff_id, (0, 0))
        if state == "on time":
            counts[row.staff_id] = (on_time + 1, late)
        elif state in ("late", "overdue"):
            counts[row.staff_id] = (on_time, late + 1)
    return counts


def _overdue_reviews(home_id: int, today: dt.date, policy: Policy) -> dict[int, int]:
    counts: dict[int, int] = {}
    for o in compliance.obligations(home_id, today):
        rule = policy.rules.get(o.obligation)
        if (
            o.status == "overdue"
            and o.responsible_id is not None
            and rule is not None
            and rule.completes in ("review", "target_review")
        ):
            counts[o.responsible_id] = counts.get(o.responsible_id, 0) + 1
    return counts


SUMMARY_HEADER = (
    "staff_id",
    "key_worker",
    "key_children",
    "held_4_weeks",
    "due_4_weeks",
    "held_12_weeks",
    "due_12_weeks",
    "write_ups_on_time",
    "write_ups_late",
    "overdue_reviews",
    "sessions_12_weeks",
    "views_recorded_12_weeks",
)


def _cell(value: object) -> str:
    """Blank for 'not counted'; a quote before a leading = + - @ so a
    spreadsheet never runs a name as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def summary_csv(rows: list[WorkerSummary]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(SUMMARY_HEADER)
    for r in rows:
        writer.writerow(
            [
                _cell(v)
                for v in (
                    r.staff_id,
                    r.name,
                    r.key_children,
                    r.held_4w,
                    r.due_4w,
                    r.held_12w,
                    r.due_12w,
                    r.write_ups_on_time,
                    r.write_ups_late,
                    r.overdue_reviews,
                    r.sessions,
                    r.views_recorded,
                )
            ]
        )
    return out.getvalue()
