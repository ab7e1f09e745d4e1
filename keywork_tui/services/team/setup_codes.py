"""First PINs: a manager issues a one-time set-up code, and the colleague it is
for uses it to set their own PIN. Nobody can give themselves a first PIN.

A code is shown once, kept only as an argon2 hash, lasts a limited time, and
opens nothing once used or replaced. Wrong codes count as wrong sign-ins, so
the same growing wait stops anyone trying codes in turn.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import NamedTuple

from keywork_tui.calendar import after
from keywork_tui.services import audit, clock
from keywork_tui.services.actor import MANAGERS, Actor, require
from keywork_tui.services.errors import ServiceError
from keywork_tui.services.team import signin
from keywork_tui.services.team.signin import SignInRefused
from models import SetupCode, Staff
from models.base import write_transaction

from .hashing import hasher, matches

VALID_HOURS = 72
# No 0/O or 1/I/L to misread from a note; 8 characters of 31 is about 40 bits,
# and the wait after wrong attempts makes trying them in turn hopeless.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 8


class Issued(NamedTuple):
    """A set-up code just made, for the manager to hand over."""

    code: str  # shown to the manager once, never stored
    staff_name: str
    expires_at: dt.datetime


def _new_code() -> str:
    letters = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{letters[:4]}-{letters[4:]}"


def _normalised(code: str) -> str:
    """What a person types: any case, with or without the dash or spaces."""
    letters = "".join(c for c in code.upper() if c.isalnum())
    return f"{letters[:4]}-{letters[4:]}"


def _open_codes(staff_id: int, now: dt.datetime) -> list[SetupCode]:
    return list(
        SetupCode.select().where(
            (SetupCode.staff == staff_id)
            & SetupCode.closed_at.is_null()
            & (SetupCode.expires_at > now)
        )
    )


def issue(actor: Actor, staff_id: int, hours: int = VALID_HOURS) -> Issued:
    """A new code for a colleague with no PIN (any earlier code stops working)."""
    require(actor, *MANAGERS, doing="issue a set-up code")
    if not 1 <= hours <= 14 * 24:
        raise ServiceError("a set-up code lasts between 1 hour and 14 days")
    code, now = _new_code(), clock.now()
    hashed = hasher().hash(code)
    with write_transaction():
        staff = signin.staff_in_home(actor.home_id, staff_id)
        signin.may_set_for(actor, staff)
        if not staff.active:
            raise ServiceError(f"{staff.name} is no longer an active staff member")
        if staff.pin_hash is not None:
            raise ServiceError(f"{staff.name} already has a PIN; a manager can set a new one")
        for earlier in _open_codes(staff.id, now):
            _close(actor, earlier, now)
        row = SetupCode.create(
            staff=staff,
            code_hash=hashed,
            issued_by=actor.id,
            issued_at=now,
            expires_at=after(now, dt.timedelta(hours=hours)),
        )
        audit.record(actor, "staff.setup_code", row)
    return Issued(code, staff.name, row.expires_at)


def _close(actor: Actor, row: SetupCode, now: dt.datetime) -> None:
    before = audit.snapshot(row)
    row.closed_at = now
    row.save()
    audit.record(actor, "staff.setup_code.closed", row, before=before)


def _matching(staff: Staff, code: str, now: dt.datetime) -> SetupCode | None:
    typed = _normalised(code)
    for row in _open_codes(staff.id, now):
        if matches(row.code_hash, typed):
            return row
    return None


def set_first_pin(home_id: int, staff_id: int, code: str, secret: str) -> Actor:
    """The colleague sets their own first PIN with the code a manager gave them;
    returns them signed in. A wrong or expired code is a refused sign-in."""
    secret = signin.validate_secret(secret)
    now = clock.now()
    with write_transaction():
        staff = signin.staff_in_home(home_id, staff_id)
        if staff.pin_hash is not None:
            raise ServiceError(f"{staff.name} already has a PIN: change it with the current one")
        waiting = signin.running_wait(staff, now)
        if waiting is not None:
            raise waiting
        row = _matching(staff, code, now)
        person = Actor(staff.id, staff.name, staff.role, staff.home_id)
        if row is not None:
            # In the transaction that found it, so a code opens one PIN only
            # however many terminals type it at once.
            _close(person, row, now)
            signin.set_pin(person, staff.id, secret)
            return person
    raise signin.refuse_wrong(
        home_id, staff.id, "that set-up code is wrong, used or out of date", now
    )


__all__ = ["Issued", "SignInRefused", "VALID_HOURS", "issue", "set_first_pin"]
