"""Rows written with ids chosen by keywork rather than by the database: many
rows at once whose ids the audit events must name before they are written."""

from __future__ import annotations

from collections.abc import Iterable

import peewee as pw

from .base import BaseModel, db, is_sqlite


def largest_id(model: type[BaseModel]) -> int:
    """The largest id the table holds (0 when empty); inside a write
    transaction, no other writer can take the ids after it meanwhile."""
    return int(model.select(pw.fn.MAX(model.id)).scalar() or 0)


def follow_given_ids(models: Iterable[type[BaseModel]]) -> None:
    """PostgreSQL hands out ids from a sequence that rows given their own ids
    do not move: each starts again after the largest id now held. SQLite
    always goes on from the largest."""
    if is_sqlite():
        return
    for model in models:
        table = model._meta.table_name
        db.execute_sql(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f'COALESCE((SELECT MAX(id) FROM "{table}"), 1))'
        )
