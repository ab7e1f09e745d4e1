"""The one clock: every part of keywork that needs the time asks here.

The time is the home's wall-clock time (UK time, whatever zone the machine is
set to), naive, to the second: what staff see on the office clock and type.

Tests and the demo choose their instant with `frozen`. A person reproducing a
report can run a demo home "as of" a moment (`start_at`, from the command
line's KEYWORK_AS_OF); the command line refuses that on real records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from keywork_tui.calendar import HOME_ZONE

_frozen: dt.datetime | None = None
# Set by start_at: the clock runs on from a chosen instant.
_shift: dt.timedelta | None = None


def wall() -> dt.datetime:
    """The real time now in the home's zone: read here and nowhere else."""
    return home_time(dt.datetime.now(dt.UTC))


def home_time(moment: dt.datetime) -> dt.datetime:
    """A moment as the home's wall clock shows it (fold=1 the second time
    round the hour that comes twice)."""
    return moment.astimezone(HOME_ZONE).replace(tzinfo=None, microsecond=0)


def now() -> dt.datetime:
    if _frozen is not None:
        return _frozen
    if _shift is not None:
        return wall() + _shift
    return wall()


def today() -> dt.date:
    return now().date()


@contextmanager
def frozen(at: dt.datetime) -> Iterator[None]:
    """Run the block as if it were `at`, and the clock stood still (tests, demo history)."""
    global _frozen
    previous, _frozen = _frozen, at.replace(microsecond=0)
    try:
        yield
    finally:
        _frozen = previous


def start_at(at: dt.datetime) -> None:
    """From now on the clock reads `at`, then runs on as the real one does."""
    global _shift
    _shift = at.replace(microsecond=0) - wall()


def as_of() -> bool:
    """Whether the clock was moved off the real time by `start_at`."""
    return _shift is not None


def reset() -> None:
    """Back to the real time (the end of a run that started "as of" a moment)."""
    global _shift
    _shift = None
