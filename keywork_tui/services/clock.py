"""The one clock the services read, so tests and the demo can set the time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

_frozen: dt.datetime | None = None


def now() -> dt.datetime:
    return _frozen if _frozen is not None else dt.datetime.now().replace(microsecond=0)


def today() -> dt.date:
    return now().date()


@contextmanager
def frozen(at: dt.datetime) -> Iterator[None]:
    """Run the block as if it were `at` (demo history, tests)."""
    global _frozen
    previous, _frozen = _frozen, at
    try:
        yield
    finally:
        _frozen = previous
