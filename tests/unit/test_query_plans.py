"""Every read a screen makes when it opens, and the overdue list behind the
header's count, finds its rows through an index: none reads a table that grows
with a home's years from end to end, or sorts rows an index could give in order.

Each load below calls the services its screen calls, on the demo home, while
pytest records peewee's 'peewee' logger, which logs every statement at DEBUG as
(sql, params); each SELECT is then put to EXPLAIN QUERY PLAN with its own
parameters. SQLite plans from the schema and the statement alone (keywork never
runs ANALYZE), so the plans found on the demo's six months are the plans on a
home with ten years of records. For the tables that grow (HOT), a load fails on:

- a SCAN of the table, with or without an index. A covering index scan is no
  exception: it still reads an entry for every row, and a LIMIT bounds it only
  when no condition turns rows away, which the plan cannot show. Every read
  here can be a SEARCH, so none is let off.
- a temporary B-tree for an ORDER BY on the table's columns, unless its rows
  are found through an IN list of several values (a home's children) on the
  index's first column: those come list by list, and no index gives them in
  one order. A sort on another table's columns is that table's matter.
- a DISTINCT, or a MIN or MAX grouped by child or home, over the table: even
  through an index it reads an entry for every row of every group (each event
  the home has had), where one value asked at a time, as a subquery, is one
  probe of the index.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import models
from keywork_tui.services import audit, clock, database, demo, homes
from keywork_tui.services.actor import Actor
from keywork_tui.services.child_file import key_children, language, obligations, profile, sessions
from keywork_tui.services.exchange import reports
from keywork_tui.services.handover import away
from keywork_tui.services.handover import board as handover_board
from keywork_tui.services.team import allocation, people, staffing, workspace

# The functional suite's demo instant: a Sunday evening, before the night shift.
DEMO_NOW = dt.datetime(2026, 11, 22, 17, 30)
pytestmark = pytest.mark.now(DEMO_NOW)

HOT = {"audit_event", "handover_entry", "key_session", "document_review", "target"}


@dataclass(frozen=True)
class Demo:
    home_id: int
    manager: Actor
    worker: Actor  # the key worker with the most key children
    child_id: int  # one of the worker's key children
    writer: Actor  # someone with a draft session, as session entry offers it
    draft_id: int

    @property
    def today(self) -> dt.date:
        return DEMO_NOW.date()


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo home, built once for the module: the loads only read it."""
    path = tmp_path_factory.mktemp("plans") / "demo.sqlite"
    database.open_target(str(path), create=True)
    try:
        with clock.frozen(DEMO_NOW):
            demo.build(DEMO_NOW, seed=1)
    finally:
        database.close()
    return path


@pytest.fixture
def home(demo_file: Path, open_db: Callable[..., object]) -> Demo:
    open_db(demo_file)
    home_id = homes.homes()[0].id
    everyone = {s.id: s for s in people.list_staff(home_id)}
    manager = next(s for s in everyone.values() if s.role == "manager")
    workers = allocation.key_workers_on(home_id, DEMO_NOW.date())
    busiest = max(everyone, key=lambda i: sum(s.id == i for s in workers.values()))
    writer, draft_id = _a_draft(home_id, list(everyone.values()))
    return Demo(
        home_id,
        _actor(manager, home_id),
        _actor(everyone[busiest], home_id),
        min(child for child, s in workers.items() if s.id == busiest),
        writer,
        draft_id,
    )


def _actor(staff: Any, home_id: int) -> Actor:
    return Actor(staff.id, staff.name, staff.role, home_id)


def _a_draft(home_id: int, staff: list[Any]) -> tuple[Actor, int]:
    for member in staff:
        actor = _actor(member, home_id)
        drafts = sessions.drafts_of(actor)
        if drafts:
            return actor, drafts[0].id
    raise AssertionError("the demo home has no draft session for session entry to offer")


# --- what each screen reads when it opens ------------------------------------

Load = Callable[[Demo], object]

LOADS: dict[str, Load] = {
    # screens/handover.py load(): the board, and the reader's digest of while away.
    "handover board": lambda d: (
        handover_board.board(d.home_id, None, None),
        away.digest(d.worker),
    ),
    "key children": lambda d: key_children.overview(d.worker, d.today),
    "overdue": lambda d: obligations.obligations(d.home_id, d.today),
    # keywork_tui/app.py refresh_overdue_count(): the count in every header.
    "header overdue count": lambda d: obligations.overdue_count(d.home_id, d.today),
    # screens/audit_view.py fill_filters(), then load() with each filter.
    "audit filters": lambda d: (
        audit.kinds(d.manager),
        people.all_children(d.home_id),
        people.list_staff(d.home_id, active_only=False),
    ),
    "audit trail": lambda d: audit.trail(d.manager),
    "audit trail of a child": lambda d: audit.trail(d.manager, child_id=d.child_id),
    "audit trail of a kind": lambda d: audit.trail(d.manager, kind="session"),
    "audit trail of a worker": lambda d: audit.trail(d.manager, staff_id=d.worker.id),
    "child profile": lambda d: profile.profile(d.manager, d.child_id, d.today),
    # screens/child_profile.py: a search of the sessions, and the next page of each history.
    "child profile pages": lambda d: (
        profile.session_page(d.worker, d.child_id, search="school"),
        profile.session_page(
            d.manager,
            d.child_id,
            after=profile.profile(d.manager, d.child_id, d.today).sessions.lines[-1],
        ),
        profile.review_page(
            d.manager,
            d.child_id,
            after=profile.profile(d.manager, d.child_id, d.today).reviews.lines[-1],
        ),
    ),
    # screens/manager_*.py: each tab's read().
    "manager staff": lambda d: staffing.staff_overview(d.manager, d.today),
    "manager key workers": lambda d: workspace.allocation_board(d.manager, d.today),
    "manager absence and cover": lambda d: (
        staffing.cover_warnings(d.manager, d.today),
        workspace.absences_ahead(d.manager, d.today),
    ),
    "manager supervision": lambda d: workspace.supervision_overview(d.manager, d.today),
    "manager summary": lambda d: reports.home_summary(d.manager, d.today),
    "manager home": lambda d: (homes.settings(d.manager), language.guide_for(d.manager)),
    # screens/session_entry.py: opening, the drafts offered, a draft resumed, a child chosen.
    "session entry": lambda d: (
        people.children_in_placement(d.home_id, d.today),
        language.guide_for(d.writer),
        sessions.drafts_of(d.writer),
        sessions.get_session(d.writer, d.draft_id),
        sessions.progress_of(d.writer, d.draft_id),
        sessions.open_targets(d.worker, d.child_id),
    ),
}


# --- recording and judging plans ----------------------------------------------


@dataclass(frozen=True)
class Plan:
    sql: str
    params: tuple[Any, ...]
    lines: list[str]  # EXPLAIN QUERY PLAN's details, outermost first

    def table(self, name: str) -> str:
        """The table behind an alias peewee gave it ("t1"), or named as itself."""
        aliases = {alias: table for table, alias in re.findall(r'"(\w+)" AS "(\w+)"', self.sql)}
        return aliases.get(name, name)

    def faults(self) -> list[str]:
        return self._scans() + self._sorts() + self._aggregates()

    def _scans(self) -> list[str]:
        scanned = [re.match(r"SCAN (\w+)", line) for line in self.lines]
        return [
            f"reads the whole of {self.table(m[1])}: {m.string}"
            for m in scanned
            if m and self.table(m[1]) in HOT
        ]

    def _sorts(self) -> list[str]:
        if not any(re.search(r"TEMP B-TREE FOR .*ORDER BY", line) for line in self.lines):
            return []
        clauses = re.findall(r"ORDER BY (.*?)(?= LIMIT | OFFSET |\)|$)", self.sql)
        ordered = {alias for clause in clauses for alias in re.findall(r'"(\w+)"\.', clause)}
        return [
            f"sorts {self.table(alias)} in a temporary B-tree where an index could give the order"
            for alias in sorted(ordered)
            if self.table(alias) in HOT and not self._through_in_list(alias)
        ]

    def _through_in_list(self, alias: str) -> bool:
        """The alias's rows are found by an IN list of several values on the
        first column of the index searched."""
        for line in self.lines:
            search = re.match(rf"SEARCH {alias} USING (?:COVERING )?INDEX \S+ \((\w+)=", line)
            if search and re.search(rf'"{alias}"\."{search[1]}" IN \(\?, \?', self.sql):
                return True
        return False

    def _aggregates(self) -> list[str]:
        distinct = re.findall(r'SELECT DISTINCT .*? FROM "(\w+)"', self.sql)
        grouped = re.findall(r'\b(?:MIN|MAX)\("(\w+)"\.', self.sql)
        tables = set(distinct) | {self.table(a) for a in grouped if "GROUP BY" in self.sql}
        return [f"reads every row of each group of {table}" for table in sorted(tables & HOT)]

    def __str__(self) -> str:
        plan = "\n".join(f"    {line}" for line in self.lines)
        return f"  {self.sql}\n  params {list(self.params)}\n{plan}"


def _selects(records: list[logging.LogRecord]) -> list[tuple[str, tuple[Any, ...]]]:
    """The SELECTs peewee logged, each once, in the order they ran."""
    found = {}
    for record in records:
        if record.name == "peewee" and isinstance(record.msg, tuple):
            sql, params = record.msg
            if sql.lstrip().upper().startswith(("SELECT", "WITH")):
                found[sql, tuple(params or ())] = None
    return list(found)


def _plans(load: Load, home: Demo, caplog: pytest.LogCaptureFixture) -> list[Plan]:
    with caplog.at_level(logging.DEBUG, logger="peewee"):
        load(home)
    statements = _selects(caplog.records)
    caplog.clear()
    return [
        Plan(
            sql,
            params,
            [row[3] for row in models.db.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params)],
        )
        for sql, params in statements
    ]


@pytest.mark.parametrize("name", list(LOADS))
def test_each_screen_load_reads_through_indexes(name, home, caplog):
    plans = _plans(LOADS[name], home, caplog)
    assert plans, f"{name} ran no SELECT: is the load still what its screen reads?"
    faults = [f"{fault}\n{plan}" for plan in plans for fault in plan.faults()]
    assert not faults, f"{name}:\n" + "\n\n".join(faults)


def test_the_loads_read_every_table_guarded(home, caplog):
    """So no table in HOT is guarded by name only."""
    read = {
        plan.table(name)
        for load in LOADS.values()
        for plan in _plans(load, home, caplog)
        for name in re.findall(r'(?:FROM|JOIN) "(\w+)"', plan.sql)
    }
    assert not HOT - read, f"no load reads {sorted(HOT - read)}"
