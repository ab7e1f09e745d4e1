"""Each screen reads the database a fixed number of times when it opens,
whatever the home's history: first paint (the handover) in at most 30
statements, and every count the same on a home with three years more records.

Statements are counted at peewee's `execute_sql`, in every thread but the
change watch's (its once-a-second look is no screen's load)."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from engines import ON_POSTGRES
from pilot_tools import settle

from keywork_tui.services.child_file import obligations as compliance
from models.base import KeyworkPostgresDatabase, KeyworkSqliteDatabase

FIRST_PAINT_MOST = 30
KEYS = ("f3", "f4", "f7", "f2")

# Tables that grow with the years, and their dates, moved back a year a copy.
HISTORY = {
    "key_session": ("held_at", "created_at", "updated_at", "finalised_at"),
    "document_review": ("reviewed_on", "created_at"),
    "significant_event": ("occurred_on", "created_at"),
}


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    count = [0]
    lock = threading.Lock()
    engine = KeyworkPostgresDatabase if ON_POSTGRES else KeyworkSqliteDatabase
    original = engine.execute_sql

    def counting(self: Any, *args: Any, **kwargs: Any) -> Any:
        if threading.current_thread().name != "keywork-change-watch":
            with lock:
                count[0] += 1
        return original(self, *args, **kwargs)

    monkeypatch.setattr(engine, "execute_sql", counting)
    return count


async def loads(demo_db, counted: list[int]) -> dict[str, int]:
    """Statements for the first paint (the app's own set-up among them), then
    for each screen the keys open."""
    from keywork_tui.app import KeyworkApp
    from keywork_tui.services.team.people import resolve_staff

    path, built = demo_db
    manager = resolve_staff(built.home_id, None)  # who may open every screen
    counted[0] = 0
    app = KeyworkApp(home_id=built.home_id, staff_id=manager.id, database=str(path))
    found: dict[str, int] = {}
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        found["first paint"], counted[0] = counted[0], 0
        for key in KEYS:
            await pilot.press(key)
            await settle(app, pilot)
            found[key], counted[0] = counted[0], 0
    return found


def add_years(path: Path | str, years: int) -> int:
    """Copy the demo's rows of each growing table `years` times, each copy a
    year older; the number of rows added."""
    if ON_POSTGRES:
        return _add_years_on_server(str(path), years)
    db = sqlite3.connect(path)
    added = 0
    with db:
        for table, dates in HISTORY.items():
            columns = [r[1] for r in db.execute(f'pragma table_info("{table}")') if r[1] != "id"]
            names = ", ".join(f'"{c}"' for c in columns)
            built = db.execute(f'select max(id) from "{table}"').fetchone()[0] or 0
            for back in range(1, years + 1):
                moved = ", ".join(_moved(c, dates, back) for c in columns)
                done = db.execute(
                    f'insert into "{table}" ({names}) select {moved} from "{table}" where id <= ?',
                    (built,),
                )
                added += done.rowcount
    db.close()
    return added


def _add_years_on_server(url: str, years: int) -> int:
    import psycopg

    added = 0
    with psycopg.connect(url) as db:
        for table, dates in HISTORY.items():
            found = db.execute(
                "select column_name from information_schema.columns"
                " where table_name = %s and column_name <> 'id' order by ordinal_position",
                (table,),
            ).fetchall()
            columns = [r[0] for r in found]
            names = ", ".join(f'"{c}"' for c in columns)
            built = db.execute(f'select max(id) from "{table}"').fetchone()[0] or 0
            for back in range(1, years + 1):
                moved = ", ".join(
                    f"\"{c}\" - interval '{back} years'" if c in dates else f'"{c}"'
                    for c in columns
                )
                done = db.execute(
                    f'insert into "{table}" ({names}) select {moved} from "{table}" where id <= %s',
                    (built,),
                )
                added += done.rowcount
    return added


def _moved(column: str, dates: tuple[str, ...], years: int) -> str:
    if column not in dates:
        return f'"{column}"'
    kind = "date" if column.endswith("_on") else "datetime"
    return f"{kind}(\"{column}\", '-{years} years')"


async def test_first_paint_reads_at_most_thirty_statements(demo_db, counted) -> None:
    found = await loads(demo_db, counted)
    assert 0 < found["first paint"] <= FIRST_PAINT_MOST, found


async def test_each_screen_reads_as_often_on_three_more_years(demo_db, counted) -> None:
    before = await loads(demo_db, counted)
    assert add_years(demo_db[0], 3) > 1000
    compliance.forget_worked_out()  # written around the services, so no audit event says so
    after = await loads(demo_db, counted)
    assert after == before
