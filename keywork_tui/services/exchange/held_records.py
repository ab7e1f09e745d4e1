"""Validated records held as tuples of their values, made models again when read.

A pydantic model of a handover entry takes over a kilobyte; its values alone,
in a tuple, with the days, shifts and refs that repeat across the file shared,
take a fifth of that. An import of years of records holds them like this
between checking the file and writing it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any, Generic, TypeVar, overload

from pydantic import BaseModel

R = TypeVar("R", bound=BaseModel)

# Values shorter than this are shared with their equals (refs, shifts, states).
_SHORT = 24


class HeldRecords(Sequence[R], Generic[R]):
    """Records of one model, in order; each read back is a model again, built
    from values already checked (`model_construct`, not validated twice)."""

    def __init__(self, model: type[R]) -> None:
        self._model = model
        self._names = tuple(model.model_fields)
        self._rows: list[tuple[Any, ...]] = []
        self._shared: dict[Any, Any] = {}

    def append(self, record: R) -> None:
        self._rows.append(tuple(self._share(getattr(record, name)) for name in self._names))

    def _share(self, value: Any) -> Any:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return self._shared.setdefault(value, value)
        if isinstance(value, str) and len(value) < _SHORT:
            return self._shared.setdefault(value, value)
        return value

    def column(self, name: str) -> Iterator[Any]:
        """One field of every record, without making the records."""
        at = self._names.index(name)
        return (row[at] for row in self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> R: ...

    @overload
    def __getitem__(self, index: slice) -> list[R]: ...

    def __getitem__(self, index: int | slice) -> R | list[R]:
        if isinstance(index, slice):
            return [self._made(row) for row in self._rows[index]]
        return self._made(self._rows[index])

    def __iter__(self) -> Iterator[R]:
        return (self._made(row) for row in self._rows)

    def _made(self, row: tuple[Any, ...]) -> R:
        return self._model.model_construct(**dict(zip(self._names, row, strict=True)))


def column(records: Sequence[R], name: str) -> Iterator[Any]:
    """One field of each record: read from the values held, where they are."""
    if isinstance(records, HeldRecords):
        return records.column(name)
    return (getattr(record, name) for record in records)
