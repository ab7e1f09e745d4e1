"""Counting the SQL statements a call runs, for tests that a screen's or a
list's reads stay a fixed number however much is on file."""

from __future__ import annotations

from collections.abc import Callable

import pytest

import models


def count_statements(monkeypatch: pytest.MonkeyPatch, run: Callable[[], object]) -> int:
    """How many statements `run()` sends to the bound database."""
    executed: list[str] = []
    real = models.db.obj.execute_sql

    def counting(sql, *args, **kwargs):
        executed.append(sql)
        return real(sql, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(models.db.obj, "execute_sql", counting)
        run()
    return len(executed)
