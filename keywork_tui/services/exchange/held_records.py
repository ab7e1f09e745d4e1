"""Validated records held as tuples of their values, made models again when read.

A pydantic model of a handover entry takes about 1.1 KB; its values alone,
in a tuple, with the days, shifts and refs that repeat across the file shared,
take about 135 bytes. An import of years of records holds them like this
between checking the file and writing it.
"""

from __future__ import annotations

import datetime as dt
from collections import namedtuple
from collections.abc import Iterator, Sequence
from operator import attrgetter
from typing import Any, Generic, Literal, TypeVar, get_origin, overload

from pydantic import BaseModel
from pydantic.fields import FieldInfo

R = TypeVar("R", bound=BaseModel)

# Strings this short or shorter are shared with their equals (refs, shifts, states).
_SHORT = 64


def _recurs(info: FieldInfo) -> bool:
    """A field whose values recur from record to record: a day, a choice from
    a list, a short code such as a ref (not free text, not moments)."""
    if info.annotation is dt.date or get_origin(info.annotation) is Literal:
        return True
    limits = [getattr(m, "max_length", None) for m in info.metadata]
    return info.annotation is str and any(n is not None and n <= _SHORT for n in limits)


class HeldRecords(Sequence[R], Generic[R]):
    """Records of one model, in order; each read back is a model again, built
    from values already checked (`model_construct`, not validated twice)."""

    def __init__(self, model: type[R]) -> None:
        self._model = model
        self._names = tuple(model.model_fields)
        many = attrgetter(*self._names)  # a tuple, for two names or more
        self._values = many if len(self._names) > 1 else lambda r: (many(r),)
        fields = model.model_fields.values()
        self._recurring = [i for i, info in enumerate(fields) if _recurs(info)]
        # Each record's values as a named tuple: as small as a tuple, and read
        # by field name as the record is (`values`), without making the model.
        self._row: Any = namedtuple(f"{model.__name__}Values", self._names)  # type: ignore[misc]  # made at run time
        self._rows: list[tuple[Any, ...]] = []
        self._shared: dict[Any, Any] = {}

    def append(self, record: R) -> None:
        values = list(self._values(record))
        shared = self._shared
        for i in self._recurring:
            values[i] = shared.setdefault(values[i], values[i])
        self._rows.append(self._row._make(values))

    def values(self, index: int) -> Any:
        """One record's values, each read by its field's name, without making
        the model (which costs more than building the service input from
        them): for code that reads a record's fields only."""
        return self._rows[index]

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


def values_at(records: Sequence[R], index: int) -> Any:
    """A record's values by field name: the held values, or the record itself."""
    if isinstance(records, HeldRecords):
        return records.values(index)
    return records[index]


def column(records: Sequence[R], name: str) -> Iterator[Any]:
    """One field of each record: read from the values held, where they are."""
    if isinstance(records, HeldRecords):
        return records.column(name)
    return (getattr(record, name) for record in records)
