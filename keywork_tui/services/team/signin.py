"""Signing in at the shared office terminal.

A staff member signs in by picking their name and typing their PIN (4 to 12
digits) or passphrase (8 characters or more). Only an argon2 hash is stored.
Three wrong attempts in a row start a wait that doubles with each further one
(30 seconds, 1, 2, 4, 8 minutes, then 15 at most); while it runs an attempt is
refused without looking at what was typed. Every attempt is audited under the
name that was picked: `signin.ok`, `signin.fail` or `signin.wait`.

The PIN step is skipped in two cases only (`pin_step_needed`): a manager of a
demo home, and, when the home's policy says `"ssh_skip_pin": true`, an SSH
session whose process owner is the staff member's own OS account.

For the sign-in screen: `pin_step_needed` says whether to ask, `sign_in`
returns the Actor or raises `SignInRefused` (its `reason` and `wait_seconds`
say what to show), and `lock_minutes` says when an idle terminal locks again.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import pwd
from typing import Any, Literal, NamedTuple

from keywork_tui import config
from keywork_tui.calendar import after, elapsed
from keywork_tui.outputs import HomeOut, StaffOut
from keywork_tui.services import audit, clock
from keywork_tui.services.actor import MANAGERS, Actor
from keywork_tui.services.errors import (
    FieldError,
    NotFoundError,
    PermissionDeniedError,
    ServiceError,
)
from keywork_tui.services.policy import DEFAULT_LOCK_MINUTES, LOCK_MINUTES_RANGE
from models import Home, Staff
from models.base import bound_file, write_transaction

from .hashing import hasher, matches

PIN_LENGTH = range(4, 13)
PASSPHRASE_MIN = 8
# Far above any real passphrase; stops a pasted novel from tying up the hasher.
PASSPHRASE_MAX = 200
# Wrong attempts allowed before any wait, the first wait, and the longest.
FREE_ATTEMPTS = 2
FIRST_WAIT_SECONDS = 30
MAX_WAIT_SECONDS = 15 * 60

ADMIN = "admin"

Reason = Literal["wrong", "wait", "inactive", "no_pin", "unreadable"]


class SignInRefused(ServiceError):
    """A sign-in the rules refuse; the message is for the person at the terminal.

    `reason` is one of "wrong", "wait", "inactive", "no_pin", "unreadable";
    `wait_seconds` is how long before another attempt is looked at (0: at once).
    """

    def __init__(self, message: str, *, reason: Reason, wait_seconds: int = 0) -> None:
        super().__init__(message)
        self.reason = reason
        self.wait_seconds = wait_seconds


# --- the secret ------------------------------------------------------------


def _is_run(digits: str) -> bool:
    """Every digit one up (or one down) from the last, as on a keypad: 1234, 8901, 4321."""
    steps = {(int(b) - int(a)) % 10 for a, b in zip(digits, digits[1:], strict=False)}
    return steps in ({1}, {9})


def _check_pin(pin: str) -> str:
    if len(pin) not in PIN_LENGTH:
        raise ValueError("a PIN is 4 to 12 digits; use a passphrase of 8 characters or more")
    if len(set(pin)) == 1:
        raise ValueError("a PIN of one digit repeated is too easy to guess")
    if _is_run(pin):
        raise ValueError("a PIN of digits in a straight run (like 1234) is too easy to guess")
    return pin


def check_secret(secret: str) -> str:
    """The secret unchanged when it is a good PIN or passphrase; ValueError otherwise."""
    if not secret:
        raise ValueError("type a PIN or a passphrase")
    if secret.isascii() and secret.isdigit():
        return _check_pin(secret)
    if len(secret) < PASSPHRASE_MIN:
        raise ValueError(f"a passphrase needs at least {PASSPHRASE_MIN} characters")
    if len(secret) > PASSPHRASE_MAX:
        raise ValueError(f"a passphrase can be at most {PASSPHRASE_MAX} characters")
    return secret


def validate_secret(secret: str) -> str:
    """The secret, as typed (not stripped), when good enough to store;
    FieldError("secret", why) otherwise. The message never repeats it."""
    try:
        return check_secret(secret if isinstance(secret, str) else "")
    except ValueError as exc:
        raise FieldError("secret", str(exc)) from None


# --- setting a PIN ---------------------------------------------------------


def staff_in_home(home_id: int, staff_id: int) -> Staff:
    row = Staff.get_or_none((Staff.id == staff_id) & (Staff.home == home_id))
    if row is None:
        raise NotFoundError(f"no staff member with id {staff_id} in this home")
    return row


def has_pin(staff_id: int) -> bool:
    """Whether the staff member has a PIN or passphrase set."""
    row = Staff.get_or_none(Staff.id == staff_id)
    return row is not None and row.pin_hash is not None


def may_set_for(actor: Actor, row: Staff) -> None:
    # Setting an admin's PIN would let a manager sign in with an admin's rights.
    if row.id != actor.id and row.role == ADMIN and actor.role != ADMIN:
        raise PermissionDeniedError("only an admin can set another admin's PIN")


def set_pin(actor: Actor, staff_id: int, secret: str) -> None:
    """Store a new PIN or passphrase (as its hash) and clear any wait.

    Anyone may set their own; a manager or admin may set anyone's in their
    home (an admin's only by an admin), which is also how a locked-out
    colleague is let back in at once.
    Raises FieldError("secret", why) for a weak secret, PermissionDeniedError
    when the actor may not, NotFoundError for a staff id outside the home, and
    ServiceError for a staff member who is no longer active.
    """
    secret = validate_secret(secret)
    if staff_id != actor.id and actor.role not in MANAGERS:
        raise PermissionDeniedError("only a manager can set another staff member's PIN")
    hashed = hasher().hash(secret)
    with write_transaction():
        row = staff_in_home(actor.home_id, staff_id)
        may_set_for(actor, row)
        if not row.active:
            raise ServiceError(f"{row.name} is no longer an active staff member")
        before = audit.snapshot(row)  # the hash is never part of a snapshot
        row.pin_hash = hashed
        row.failed_signins = 0
        row.signin_wait_until = None
        row.save()
        audit.record(actor, "staff.pin", row, before=before)


# --- signing in ------------------------------------------------------------


def wait_words(seconds: int) -> str:
    """'45 seconds', '1 minute', '15 minutes': rounded up, never shown as zero."""
    if seconds < 60:
        seconds = max(seconds, 1)
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def wait_after(failures: int) -> int:
    """Seconds to wait after this many wrong attempts in a row (0 for the first two)."""
    if failures <= FREE_ATTEMPTS:
        return 0
    factor: int = 2 ** (failures - FREE_ATTEMPTS - 1)
    return min(FIRST_WAIT_SECONDS * factor, MAX_WAIT_SECONDS)


def _as_actor(row: Staff) -> Actor:
    return Actor(row.id, row.name, row.role, row.home_id)


def _wrong(secret: str) -> str:
    return "wrong PIN" if secret.isascii() and secret.isdigit() else "wrong passphrase"


def _refusal_before_check(row: Staff, now: dt.datetime) -> SignInRefused | None:
    """Refusals that never look at the secret: inactive, no PIN, a wait running."""
    if not row.active:
        return SignInRefused(
            f"{row.name} is no longer an active staff member and cannot sign in", reason="inactive"
        )
    if row.pin_hash is None:
        return SignInRefused(
            f"{row.name} has no PIN yet: a manager sets one (F6, Staff), "
            "or gives a set-up code to set it with",
            reason="no_pin",
        )
    return running_wait(row, now)


def running_wait(row: Staff, now: dt.datetime) -> SignInRefused | None:
    """The refusal while a wait after wrong attempts runs, else None."""
    # Real seconds, so a wait running when the clocks go back is not an hour long.
    left = elapsed(now, row.signin_wait_until) if row.signin_wait_until else dt.timedelta()
    if left > dt.timedelta():
        seconds = math.ceil(left.total_seconds())
        return SignInRefused(
            f"too many wrong attempts: try again in {wait_words(seconds)}",
            reason="wait",
            wait_seconds=seconds,
        )
    return None


def _fail(row: Staff, wrong: str, now: dt.datetime) -> SignInRefused:
    row.failed_signins += 1
    seconds = wait_after(row.failed_signins)
    row.signin_wait_until = after(now, dt.timedelta(seconds=seconds)) if seconds else None
    row.save()
    if seconds:
        return SignInRefused(
            f"{wrong}; too many wrong attempts: try again in {wait_words(seconds)}",
            reason="wrong",
            wait_seconds=seconds,
        )
    return SignInRefused(wrong, reason="wrong")


def refuse_wrong(home_id: int, staff_id: int, wrong: str, now: dt.datetime) -> SignInRefused:
    """Count a wrong set-up code as a wrong sign-in: audited, with the same wait."""
    with write_transaction():
        row = staff_in_home(home_id, staff_id)
        before = audit.snapshot(row)
        refused = _fail(row, wrong, now)
        audit.record(_as_actor(row), "signin.fail.setup_code", row, before=before)
    return refused


def _succeed(row: Staff, secret: str) -> None:
    row.failed_signins = 0
    row.signin_wait_until = None
    if hasher().check_needs_rehash(row.pin_hash):
        row.pin_hash = hasher().hash(secret)  # stronger settings since it was set
    row.save()


def _attempt(row: Staff, secret: str, now: dt.datetime) -> tuple[str, SignInRefused | None]:
    """The audit action and the refusal, if any, with the row brought up to date."""
    refused = _refusal_before_check(row, now)
    if refused is not None:
        return ("signin.wait" if refused.reason == "wait" else "signin.fail"), refused
    match = matches(row.pin_hash, secret)
    if match is None:
        return "signin.fail", SignInRefused(
            f"{row.name}'s PIN cannot be read: a manager needs to set a new one",
            reason="unreadable",
        )
    if not match:
        return "signin.fail", _fail(row, _wrong(secret), now)
    _succeed(row, secret)
    return "signin.ok", None


def sign_in(home_id: int, staff_id: int, secret: str, now: dt.datetime | None = None) -> Actor:
    """The Actor for the staff member picked, when `secret` is their PIN or passphrase.

    Raises SignInRefused (wrong secret, a wait running, inactive, no PIN set)
    and NotFoundError for a staff id outside the home. The attempt and its
    outcome are audited and committed even when refused. `now` defaults to the
    services' clock; tests pass it to step through the waits.
    """
    now = now or clock.now()
    with write_transaction():
        row = staff_in_home(home_id, staff_id)
        before = audit.snapshot(row)
        action, refused = _attempt(row, secret, now)
        audit.record(_as_actor(row), action, row, before=before)
    if refused is not None:
        raise refused  # after the commit, so the attempt stays on the record
    return _as_actor(row)


def sign_in_without_pin(home_id: int, staff_id: int, why: str) -> Actor:
    """The Actor for a staff member whose PIN step `pin_step_needed` skips.

    The rule is checked again here, so a screen cannot skip it by mistake;
    the sign-in is audited as `signin.ok.demo_manager` or `signin.ok.ssh_policy`."""
    step = pin_step_needed(home_id, staff_id, over_ssh=over_ssh())
    if step or step.why != why:
        raise SignInRefused("this sign-in needs a PIN", reason="wrong")
    with write_transaction():
        row = staff_in_home(home_id, staff_id)
        audit.record(_as_actor(row), f"signin.ok.{why}", row, before=audit.snapshot(row))
    return _as_actor(row)


# --- who is at the terminal, and when to ask ------------------------------


def os_user() -> str:
    """The account name of the process owner.

    Read from the password database by effective uid, never from USER or
    LOGNAME, which anyone can set. A uid with no account gives its number,
    which no staff member's OS username can equal.
    """
    uid = os.geteuid()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def over_ssh() -> bool:
    """Whether this session came in over SSH. Only decides whether the home's
    SSH policy applies; who is signing in still comes from `os_user`."""
    return bool(os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_TTY"))


def mapped_staff(home_id: int) -> StaffOut | None:
    """The active staff member of the home whose OS username is the process owner's."""
    row = Staff.get_or_none((Staff.home == home_id) & Staff.active & (Staff.os_user == os_user()))
    return StaffOut.of(row) if row is not None else None


class PinStep(NamedTuple):
    """Whether to ask for a PIN, and why; true in a boolean test when needed.

    `why` is "demo_manager" or "ssh_policy" when skipped, "pin" when needed.
    """

    needed: bool
    why: Literal["pin", "demo_manager", "ssh_policy"]

    def __bool__(self) -> bool:
        return self.needed


def _policy(home: Home) -> dict[str, Any]:
    return home.policy if isinstance(home.policy, dict) else {}


def _the_demo_file() -> bool:
    """Whether the database is the file `keywork demo` writes: a demo flag set
    on any other database (by hand, say) skips no PIN."""
    bound = bound_file()
    return bound is not None and bound == config.demo_database().resolve()


def pin_step_needed(home_id: int, staff_id: int, *, over_ssh: bool) -> PinStep:
    """Whether the staff member must type their PIN to sign in.

    Skipped only for a manager of the demo home in the demo file (so the demo
    opens straight on the home), or over SSH for the staff member mapped to the process owner
    when the home's policy has "ssh_skip_pin": true. A real home asks otherwise.
    """
    home = Home.get_or_none(Home.id == home_id)
    if home is None:
        raise NotFoundError(f"no home with id {home_id}")
    row = staff_in_home(home_id, staff_id)
    if home.is_demo and row.role == "manager" and row.active and _the_demo_file():
        return PinStep(False, "demo_manager")
    if over_ssh and _policy(home).get("ssh_skip_pin") is True:
        mapped = mapped_staff(home_id)
        if mapped is not None and mapped.id == staff_id:
            return PinStep(False, "ssh_policy")
    return PinStep(True, "pin")


def lock_minutes(home_id: int) -> int:
    """Idle minutes before the terminal locks: the home's "lock_minutes" (1 to
    120), or 5 when unset or unreadable."""
    home = Home.get_or_none(Home.id == home_id)
    return _lock_minutes_of(home) if home is not None else DEFAULT_LOCK_MINUTES


class Terminal(NamedTuple):
    """What a terminal opening for a staff member needs of them and their home."""

    home: HomeOut
    staff: StaffOut
    lock_minutes: int


def terminal(home_id: int, staff_id: int) -> Terminal:
    """The staff member, their home and its idle lock, read in one statement."""
    row = (
        Staff.select(Staff, Home)
        .join(Home)
        .where((Staff.id == staff_id) & (Staff.home == home_id))
        .get_or_none()
    )
    if row is None:
        raise NotFoundError(f"no staff member with id {staff_id} in this home")
    home = row.home
    return Terminal(HomeOut.of(home), StaffOut.of(row), _lock_minutes_of(home))


def _lock_minutes_of(home: Home) -> int:
    value = _policy(home).get("lock_minutes")
    if isinstance(value, bool) or not isinstance(value, int) or value not in LOCK_MINUTES_RANGE:
        return DEFAULT_LOCK_MINUTES
    return value
