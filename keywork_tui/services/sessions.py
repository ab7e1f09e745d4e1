"""Key-work sessions: drafts, finalising, and amendments that keep the original."""

from __future__ import annotations

import datetime as dt

from keywork_tui.schemas import AmendmentIn, SessionIn, SessionOut
from models import Amendment, Child, KeySession
from models.base import write_transaction

from . import audit, clock
from .actor import Actor
from .errors import ConflictError, FieldError, NotFoundError, PermissionDeniedError

AMENDABLE = ("held_at", "kind", "activity", "minutes", "views", "summary", "concern_text")


def _check(actor: Actor, data: SessionIn) -> None:
    if data.held_at > clock.now() + dt.timedelta(minutes=5):
        raise FieldError("held_at", "held at is in the future")
    child = Child.get_or_none((Child.id == data.child_id) & (Child.home == actor.home_id))
    if child is None:
        raise FieldError("child_id", "choose a child of this home")
    if data.held_at.date() < child.admitted_on:
        raise FieldError("held_at", "held at is before the child was admitted")
    if data.staff_id != actor.id and not actor.is_manager:
        raise PermissionDeniedError("you can only record your own sessions")


def _session_row(actor: Actor, session_id: int) -> KeySession:
    row = (
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
    values = data.model_dump()
    now = clock.now()
    with write_transaction():
        if session_id is None:
            row = KeySession.create(**values, created_at=now, updated_at=now)
            before = None
        else:
            row = _session_row(actor, session_id)
            if row.status == "final":
                raise ConflictError("this session is final: record a correction as an amendment")
            before = audit.snapshot(row)
            for key, value in values.items():
                setattr(row, key, value)
            row.updated_at = now
        if finalise:
            row.status = "final"
            row.finalised_at = now
        row.save()
        action = "session.finalise" if finalise else "session.draft"
        audit.record(actor, action, row, before=before, child_id=row.child_id)
    return SessionOut.model_validate(row)


def amend_session(actor: Actor, session_id: int, data: AmendmentIn) -> SessionOut:
    """Correct one field of a final session; the original value stays on file."""
    if data.field not in AMENDABLE:
        raise FieldError("field", f"{data.field!r} cannot be amended")
    with write_transaction():
        row = _session_row(actor, session_id)
        if row.status != "final":
            raise ConflictError("a draft can be edited directly; amendments are for final records")
        if row.staff_id != actor.id and not actor.is_manager:
            raise PermissionDeniedError("only the session's key worker or a manager can amend it")
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
    return SessionOut.model_validate(row)


def _typed(field: str, text: str) -> object:
    if field == "minutes":
        try:
            minutes = int(text)
        except ValueError:
            raise FieldError("corrected", "duration must be a whole number of minutes") from None
        if not 5 <= minutes <= 240:
            raise FieldError("corrected", "duration must be between 5 and 240 minutes")
        return minutes
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
    return [SessionOut.model_validate(s) for s in query]

