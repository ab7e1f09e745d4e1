"""Key-work sessions: drafts, finalising, and amendments that keep the original."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from keywork_tui.calendar import add_working_days
from keywork_tui.outputs import AmendmentOut, SessionOut
from keywork_tui.schemas import AmendmentIn, ProgressIn, SessionIn, session_minutes
from keywork_tui.services import audit, clock
from keywork_tui.services.actor import Actor, home_child, require_child_access
from keywork_tui.services.child_file import restricted
from keywork_tui.services.errors import (
    ConflictError,
    FieldError,
    NotFoundError,
    PermissionDeniedError,
    RecordRefusedError,
    ServiceError,
)
from keywork_tui.services.policy import policy_for
from models import Amendment, Child, Home, KeySession, Target, TargetProgress
from models.base import write_transaction
from models.changes import announce
from models.given_ids import follow_given_ids, largest_id
from models.prepared import Insert

_NEW_SESSION = Insert(KeySession)
AMENDABLE = ("held_at", "kind", "activity", "minutes", "views", "summary", "concern_text")


def _check(actor: Actor, data: SessionIn) -> None:
    _check_with(actor, data, home_child(actor.home_id, data.child_id))


def _check_with(actor: Actor, data: SessionIn, child: Child | None) -> None:
    """`child`: the session's child as read from the actor's home (None: not of it)."""
    if data.held_at > clock.now() + dt.timedelta(minutes=5):
        raise FieldError("held_at", "held at is in the future")
    if child is None:
        raise FieldError("child_id", "choose a child of this home")
    if data.held_at.date() < child.admitted_on:
        raise FieldError("held_at", "held at is before the child was admitted")
    if data.staff_id != actor.id and not actor.is_manager:
        raise PermissionDeniedError("you can only record your own sessions")
    require_child_access(
        actor, child.id, also_on=data.held_at.date(), doing="record a session with them"
    )
    _check_progress(data.child_id, data.progress)


def _writer_or_manager(actor: Actor, row: KeySession, doing: str) -> None:
    if row.staff_id != actor.id and not actor.is_manager:
        raise PermissionDeniedError(f"only the session's key worker or a manager can {doing}")


def _may_work_on(actor: Actor, row: KeySession, doing: str) -> None:
    """Whoever held the session may still finish it after their cover ended."""
    require_child_access(actor, row.child_id, also_on=row.held_at.date(), doing=doing)


def _check_progress(child_id: int, progress: list[ProgressIn]) -> None:
    ids = [p.target_id for p in progress]
    if len(set(ids)) != len(ids):
        raise FieldError("progress", "give one progress note per target")
    if not ids:
        return
    found = {t.id: t for t in Target.select().where(Target.id.in_(ids))}
    for target_id in ids:
        target = found.get(target_id)
        if target is None or target.child_id != child_id:
            raise FieldError("progress", "progress can only be noted on this child's targets")
        if target.outcome is not None:
            raise FieldError("progress", f"the target {target.text!r} has already been reviewed")


def _session_row(actor: Actor, session_id: int) -> KeySession:
    row: KeySession | None = (
        KeySession.select()
        .join(Child)
        .where((KeySession.id == session_id) & (Child.home == actor.home_id))
        .first()
    )
    if row is None:
        raise NotFoundError(f"no session with id {session_id}")
    return row


def save_session(
    actor: Actor, data: SessionIn, session_id: int | None = None, *, finalise: bool = False
) -> SessionOut:
    """Create or update a draft; `finalise` writes it up, after which it is final."""
    _check(actor, data)
    values = data.model_dump(exclude={"progress"})
    # Stored as JSON: the same shape whether just written or read back.
    values["actions"] = [a.model_dump(mode="json") for a in data.actions]
    now = clock.now()
    if finalise:
        values |= {"status": "final", "finalised_at": now}
    with write_transaction():
        if session_id is None:
            # One INSERT, final or draft as it stands: nothing to update after.
            row = _NEW_SESSION.create(**values, created_at=now, updated_at=now)
            before = None
        else:
            row = _session_row(actor, session_id)
            if row.status == "final":
                raise ConflictError("this session is final: record a correction as an amendment")
            _writer_or_manager(actor, row, "change this draft")
            before = audit.snapshot(row)
            for key, value in values.items():
                setattr(row, key, value)
            row.updated_at = now
            row.save()
        action = "session.finalise" if finalise else "session.draft"
        audit.record(actor, action, row, before=before, child_id=row.child_id)
        _save_progress(actor, row, data.progress, new=session_id is None)
    return SessionOut.of(row)


@dataclass(frozen=True)
class PastSession:
    """A session from a home's past record: its draft saved by `by` at
    `drafted_at`, written up at `finalised_at` (None: still a draft)."""

    by: Actor
    data: SessionIn
    drafted_at: dt.datetime
    finalised_at: dt.datetime | None = None


# Past sessions go in many at once: the SQL of one row built once.
_NEW_PROGRESS = Insert(TargetProgress)


def record_past_sessions(home_id: int, past: Sequence[PastSession]) -> None:
    """Sessions from a home's past record (an import), written together in one
    transaction, or none: each checked as `save_session` would have checked its
    draft and its write-up when they were made, leaving the rows and audit
    events those two calls would."""
    if not past:
        return
    with write_transaction():
        first = largest_id(KeySession) + 1
        first_note = largest_id(TargetProgress) + 1
        sessions: list[dict[str, Any]] = []
        notes: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        # The home's children read once, where each check would read its own.
        children = {
            c.id: c for c in Child.select(Child.id, Child.admitted_on).where(Child.home == home_id)
        }
        for index, one in enumerate(past):
            try:
                _check_past(home_id, one, children.get(one.data.child_id))
            except ServiceError as exc:
                raise RecordRefusedError(index, exc) from exc
            made = audit.Values(
                KeySession, {"id": first + index, **_NEW_SESSION.values(_past_values(one))}
            )
            events.append(_past_event(one, "session.draft", audit.Change(made), one.drafted_at))
            for p in one.data.progress:
                given = {"session": made.fields["id"], **p.model_dump()}
                note = audit.Values(
                    TargetProgress, {"id": first_note + len(notes), **_NEW_PROGRESS.values(given)}
                )
                notes.append(note.fields)
                events.append(_past_event(one, "progress.add", audit.Change(note), one.drafted_at))
            if one.finalised_at is not None:
                before = audit.snapshot(made)
                at = one.finalised_at
                made.fields.update(status="final", finalised_at=at, updated_at=at)
                change = audit.Change(made, before)
                events.append(_past_event(one, "session.finalise", change, at))
            sessions.append(made.fields)
        _NEW_SESSION.many(sessions, with_ids=True)
        _NEW_PROGRESS.many(notes, with_ids=True)
        audit.chain_on(events)
        announce(home_id)
        follow_given_ids([KeySession, TargetProgress])


def _check_past(home_id: int, one: PastSession, child: Child | None) -> None:
    if one.by.home_id != home_id:
        raise NotFoundError(f"{one.by.name} is not of this home")
    for moment in (one.drafted_at, one.finalised_at):
        if moment is not None:
            with clock.frozen(moment):
                _check_with(one.by, one.data, child)


def _past_values(one: PastSession) -> dict[str, Any]:
    values = one.data.model_dump(exclude={"progress"})
    values["actions"] = [a.model_dump(mode="json") for a in one.data.actions]
    at = one.drafted_at
    return values | {"created_at": at, "updated_at": at}


def _past_event(
    one: PastSession, action: str, change: audit.Change, at: dt.datetime
) -> dict[str, Any]:
    child = audit.Change(change.row, change.before, one.data.child_id)
    return audit.event(one.by, action, child, at)


def _save_progress(actor: Actor, row: KeySession, progress: list[ProgressIn], *, new: bool) -> None:
    """A draft's progress notes follow the form: changed notes are replaced,
    each change audited. A session just made has none to read."""
    kept = (
        {}
        if new
        else {p.target_id: p for p in TargetProgress.select().where(TargetProgress.session == row)}
    )
    wanted = {p.target_id: p.note for p in progress}
    for target_id, old in kept.items():
        if wanted.get(target_id) != old.note:
            audit.record(actor, "progress.remove", old, deleted=True, child_id=row.child_id)
            old.delete_instance()
    for target_id, note in wanted.items():
        if target_id in kept and kept[target_id].note == note:
            continue
        added = TargetProgress.create(session=row, target=target_id, note=note)
        audit.record(actor, "progress.add", added, child_id=row.child_id)


@dataclass(frozen=True)
class OpenTarget:
    id: int
    text: str
    review_by: dt.date


def open_targets(actor: Actor, child_id: int) -> list[OpenTarget]:
    """The child's targets not yet reviewed: a session can note progress on each."""
    query = (
        Target.select()
        .join(Child)
        .where(
            (Target.child == child_id) & (Child.home == actor.home_id) & Target.outcome.is_null()
        )
        .order_by(Target.review_by, Target.id)
    )
    return [OpenTarget(t.id, t.text, t.review_by) for t in query]


def progress_of(actor: Actor, session_id: int) -> list[ProgressIn]:
    """The progress notes of a session; none of a restricted one the actor may
    not read (its notes say as much about the child as its summary)."""
    session = SessionOut.of(_session_row(actor, session_id))
    if not restricted.may_read(actor, session):
        return []
    query = TargetProgress.select().where(TargetProgress.session == session_id)
    return [ProgressIn(target_id=p.target_id, note=p.note) for p in query]


def drafts_of(actor: Actor) -> list[SessionOut]:
    """The actor's own unfinished sessions, most recently touched first."""
    query = (
        KeySession.select()
        .join(Child)
        .where(
            (KeySession.staff == actor.id)
            & (KeySession.status == "draft")
            & (Child.home == actor.home_id)
        )
        .order_by(KeySession.updated_at.desc())
    )
    return [SessionOut.of(s) for s in query]


def get_session(actor: Actor, session_id: int) -> SessionOut:
    """A session of the home; a restricted one's content only for those who may read it."""
    return restricted.for_reader(actor, SessionOut.of(_session_row(actor, session_id)))


def discard_draft(actor: Actor, session_id: int) -> None:
    """A draft its writer no longer wants; the audit keeps the whole of it."""
    with write_transaction():
        row = _session_row(actor, session_id)
        if row.status != "draft":
            raise ConflictError("a final session stays on file: correct it with an amendment")
        _writer_or_manager(actor, row, "discard it")
        for progress in TargetProgress.select().where(TargetProgress.session == row):
            audit.record(actor, "progress.remove", progress, deleted=True, child_id=row.child_id)
            progress.delete_instance()
        audit.record(actor, "session.discard", row, deleted=True, child_id=row.child_id)
        row.delete_instance()


def complete_action(actor: Actor, session_id: int, index: int, done: bool = True) -> SessionOut:
    """Tick off (or reopen) an action agreed in a session."""
    with write_transaction():
        row = _session_row(actor, session_id)
        _may_work_on(actor, row, "tick off actions agreed with them")
        actions = [dict(a) for a in row.actions]
        if not 0 <= index < len(actions):
            raise NotFoundError("no such action in this session")
        before = audit.snapshot(row)
        actions[index]["done"] = done
        row.actions = actions
        row.save()
        audit.record(actor, "session.action", row, before=before, child_id=row.child_id)
    return SessionOut.of(row)


def write_up_due(held_at: dt.datetime, nation: str, working_days: int = 5) -> dt.date:
    return add_working_days(held_at.date(), working_days, nation)


def written_up_late(session: SessionOut, nation: str, working_days: int = 5) -> bool:
    """Finalised after the write-up time (working days after it was held)."""
    if session.finalised_at is None:
        return False
    return session.finalised_at.date() > write_up_due(session.held_at, nation, working_days)


def write_up_days(home_id: int) -> int:
    """The home's write-up time in working days (policy: session_write_up)."""
    home = Home.get_by_id(home_id)
    rule = policy_for(home.profile, home.policy).rules.get("session_write_up")
    return rule.working_days if rule and rule.working_days else 5


def amendments_of(actor: Actor, session_id: int) -> list[AmendmentOut]:
    session = SessionOut.of(_session_row(actor, session_id))
    query = (
        Amendment.select()
        .where((Amendment.table == "key_session") & (Amendment.record_id == session_id))
        .order_by(Amendment.at)
    )
    found = [AmendmentOut.of(a) for a in query]
    return restricted.amendments_for_reader(actor, session, found)


def amend_session(actor: Actor, session_id: int, data: AmendmentIn) -> SessionOut:
    """Correct one field of a final session; the original value stays on file."""
    if data.field not in AMENDABLE:
        raise FieldError("field", f"{data.field!r} cannot be amended")
    with write_transaction():
        row = _session_row(actor, session_id)
        if row.status != "final":
            raise ConflictError("a draft can be edited directly; amendments are for final records")
        _writer_or_manager(actor, row, "amend it")
        _may_work_on(actor, row, "correct a session with them")
        before = audit.snapshot(row)
        original = getattr(row, data.field)
        setattr(row, data.field, _typed(data.field, data.corrected))
        row.updated_at = clock.now()
        row.save()
        amendment = Amendment.create(
            table="key_session",
            record_id=row.id,
            field=data.field,
            original=str(original),
            corrected=data.corrected,
            reason=data.reason,
            by=actor.id,
            at=clock.now(),
        )
        audit.record(actor, "session.amend", row, before=before, child_id=row.child_id)
        audit.record(actor, "amendment.add", amendment, child_id=row.child_id)
    return SessionOut.of(row)


def _typed(field: str, text: str) -> object:
    if field == "minutes":
        try:
            minutes = int(text)
        except ValueError:
            raise FieldError("corrected", "duration must be a whole number of minutes") from None
        try:
            return session_minutes(minutes)
        except ValueError as exc:
            raise FieldError("corrected", str(exc)) from None
    if field == "held_at":
        try:
            return dt.datetime.fromisoformat(text)
        except ValueError:
            raise FieldError("corrected", "give the time as YYYY-MM-DD HH:MM") from None
    if field == "kind" and text not in ("formal", "informal"):
        raise FieldError("corrected", "kind is formal or informal")
    return text


def sessions_for_child(actor: Actor, child_id: int) -> list[SessionOut]:
    query = (
        KeySession.select()
        .join(Child)
        .where((KeySession.child == child_id) & (Child.home == actor.home_id))
        .order_by(KeySession.held_at.desc())
    )
    return restricted.for_reader_all(actor, (SessionOut.of(s) for s in query))
