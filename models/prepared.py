"""Statements of a fixed shape whose SQL peewee writes once.

Building the SQL text of a query walks peewee's whole expression tree, and for
a small write that costs more than SQLite's own work. A hot statement whose
shape never changes (saving a session, moving the audit chain's head) is built
once per kind of database with `slot(i)` where its values go; later calls only
put their values in order.

    _HEAD = Prepared(lambda: AuditHead.select().where(AuditHead.id == slot(0)))
    head = _HEAD.first(AuditHead, HEAD_ID)

A value given for a slot goes to the driver as it is: give what the column's
field would have written (an insert made by `insert` converts its own).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import peewee as pw

from . import base
from .base import BaseModel, db

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class _Slot:
    """A placeholder for a parameter of a statement built once."""

    index: int


def slot(index: int) -> pw.Value:
    """Where the statement's value number `index` goes."""
    return pw.Value(_Slot(index), converter=False)


class Prepared:
    """One statement: `build` makes it from `slot`s, once for each kind of database
    (SQLite and PostgreSQL quote and mark parameters differently)."""

    def __init__(self, build: Callable[[], pw.Query]) -> None:
        self._build = build
        self._made: dict[type, tuple[str, tuple[Any, ...]]] = {}

    def _text(self) -> tuple[str, tuple[Any, ...]]:
        kind = type(db.obj)
        made = self._made.get(kind)
        if made is None:
            # Written by the bound database's own context: a plain Select has no model to say.
            sql, params = db.obj.get_sql_context().sql(self._build()).query()
            made = self._made[kind] = (sql, tuple(params))
        return made

    def _params(self, values: Sequence[Any]) -> tuple[str, list[Any]]:
        sql, params = self._text()
        return sql, [values[p.index] if isinstance(p, _Slot) else p for p in params]

    def execute(self, *values: Any) -> Any:
        """Run it; the database's cursor."""
        sql, params = self._params(values)
        return db.execute_sql(sql, params)

    def first(self, model: type[M], *values: Any) -> M | None:
        """The first row a select finds, as `model`, or None."""
        sql, params = self._params(values)
        rows = model.raw(sql, *params)
        found: M | None = next(iter(rows), None)
        return found

    def scalar(self, *values: Any) -> Any:
        row = self.execute(*values).fetchone()
        return None if row is None else row[0]


# The Python types each kind of field gives the driver unchanged (its `adapt`
# returns them as they are), matched exactly: a datetime is a date to
# isinstance, and a DateField would cut it to its day.
_KEPT_AS_IS: tuple[tuple[type[pw.Field], tuple[type, ...]], ...] = (
    (pw.BooleanField, (bool,)),
    (pw.IntegerField, (int,)),
    (pw.CharField, (str,)),
    (pw.TextField, (str,)),
    (pw.DateTimeField, (dt.datetime,)),
    (pw.DateField, (dt.date,)),
)


def kept_as_is(field: pw.Field) -> tuple[type, ...]:
    """The types whose values `field.db_value` would return unchanged: those go
    to the driver without the call (a few for every value of a bulk write)."""
    if isinstance(field, pw.ForeignKeyField):
        return kept_as_is(field.rel_field)
    if type(field).db_value is not pw.Field.db_value:
        return ()  # a conversion of its own (JSON, say)
    for kind, types in _KEPT_AS_IS:
        if isinstance(field, kind):
            return types
    return ()


# A field with no default that may not be null: a row must give it.
_NO_VALUE = object()


def _fallback(field: pw.Field, defaults: Mapping[pw.Field, Any]) -> tuple[Any, bool]:
    """What a row that leaves `field` out takes: (the default, whether to call it)."""
    if field in defaults:
        default = defaults[field]
        return default, callable(default)
    return (None if field.null else _NO_VALUE), False


class Insert(Generic[M]):
    """One row into `model`, every column but the key named in the text. A call
    gives the values by field or column name (`child` or `child_id`); one left
    out takes the field's default, worked out at the call as peewee would.

        _NEW_ENTRY = Insert(HandoverEntry)
        entry = _NEW_ENTRY.create(handover=handover_id, child=child_id, by=staff_id)
    """

    def __init__(self, model: type[M]) -> None:
        self.model = model
        key = model._meta.primary_key
        self._fields = [f for f in model._meta.sorted_fields if f is not key]
        self._names = [f.name for f in self._fields]
        self._as_is = [(f, kept_as_is(f)) for f in self._fields]
        # Each field's name, column and fallback, read once: an import fills
        # hundreds of thousands of rows, and a field's lookups are Python calls.
        defaults = model._meta.defaults
        self._plan = [(f.name, f.column_name, *_fallback(f, defaults)) for f in self._fields]
        fields = self._fields
        self._statement = Prepared(lambda: model.insert({f: slot(i) for i, f in enumerate(fields)}))
        keyed = [key, *fields]
        self._keyed = Prepared(lambda: model.insert({f: slot(i) for i, f in enumerate(keyed)}))

    def values(self, row: Mapping[str, Any]) -> dict[str, Any]:
        """The whole row as it will be written, defaults filled in, by field name."""
        whole = {}
        for name, column, default, call in self._plan:
            if name in row:
                whole[name] = row[name]
            elif column in row:
                whole[name] = row[column]
            elif call:
                whole[name] = default()
            elif default is not _NO_VALUE:
                whole[name] = default
            else:
                raise ValueError(f"no value for {self.model.__name__}.{name}")
        return whole

    def create(self, **row: Any) -> M:
        """Write the row, as `Model.create` would; the row made, with its id."""
        whole = self.values(row)
        made = self.model(**whole)
        made.id = self(whole)
        return made

    def many(self, rows: Iterable[Mapping[str, Any]], *, with_ids: bool = False) -> None:
        """Write many rows at once (each as `values` fills it), through the
        driver's executemany: `with_ids`, each row's "id" is its own."""
        statement = self._keyed if with_ids else self._statement
        sql, _ = statement._text()
        params = []
        for row in rows:
            try:  # a row already whole by field name (`values`' own result) goes as it is
                values = self._db_values(row)
            except KeyError:
                values = self._db_values(self.values(row))
            params.append([row["id"], *values] if with_ids else values)
        if params:
            if base.query_guard is not None:
                base.query_guard()
            db.cursor().executemany(sql, params)

    def _db_values(self, whole: Mapping[str, Any]) -> list[Any]:
        """The row's values as the driver takes them, in the statement's order."""
        return [
            value if value is None or type(value) in as_is else f.db_value(value)
            for (f, as_is), value in zip(
                self._as_is, map(whole.__getitem__, self._names), strict=True
            )
        ]

    def __call__(self, whole: Mapping[str, Any]) -> int:
        """Write a row made by `values`; its new id."""
        cursor = self._statement.execute(*self._db_values(whole))
        if db.returning_clause:  # PostgreSQL: the INSERT ends RETURNING "id"
            return int(cursor.fetchone()[0])
        return int(db.last_insert_id(cursor))
