"""`keywork copy`: one home's SQLite file moved into another database (a
provider's PostgreSQL when the suite runs there) beside the homes it holds,
its history chained on, reading the same afterwards as before."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from cli_pins import CLI_PIN
from engines import audit_verdict

from keywork_tui.outputs import StaffOut
from keywork_tui.schemas import ChildIn, HomeIn, StaffIn
from keywork_tui.services import clock, demo, homes
from keywork_tui.services import database as opening
from keywork_tui.services.actor import Actor
from keywork_tui.services.exchange.home_copy import CopyError, copy_home
from keywork_tui.services.team import people, signin
from models import ALL_MODELS, AuditEvent, AuditHead, Child, Home, Staff

# The suite's own instant (conftest's TEST_NOW): the demo is built as of it.
NOW = dt.datetime(2026, 11, 22, 17, 30)


@pytest.fixture(scope="module")
def demo_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo home's file, built once; each test copies a copy of it."""
    path = tmp_path_factory.mktemp("source") / "rowan.sqlite"
    opening.open_target(str(path), create=True)
    try:
        with clock.frozen(NOW):
            demo.build(NOW, seed=1)
    finally:
        opening.close()
    return path


@pytest.fixture
def source(demo_source: Path, tmp_path: Path) -> Path:
    copied = tmp_path / "rowan.sqlite"
    shutil.copyfile(demo_source, copied)
    return copied


@pytest.fixture
def target(database, monkeypatch, tmp_path) -> str:
    """A database that already holds a home of its own, so every id moves."""
    for var in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.setenv(var, str(tmp_path / var.lower()))
    _, manager = homes.create_home(HomeIn(name="Oak Lodge"), StaffIn(name="Olu Oak"))
    people.add_child(_actor(manager), _child())
    opening.close()
    return str(database)


def _actor(staff: StaffOut) -> Actor:
    return Actor(staff.id, staff.name, staff.role, staff.home_id)


def _child() -> ChildIn:
    return ChildIn(
        first_name="Ola",
        last_name="Oak",
        date_of_birth=dt.date(2013, 2, 3),
        admitted_on=dt.date(2026, 2, 2),
    )


def _copy(run_cli, source: Path, target: str) -> tuple[int, str, str]:
    return run_cli("copy", "--from", str(source), "--to", target, stdin=f"{demo.DEMO_PIN}\n")


def _json(run_cli, db: str, home: str, *words: str) -> object:
    """A command's JSON for the home, its first manager signed in with a PIN."""
    opening.open_target(db)
    manager = people.first_manager(homes.home_named(home).id)
    signin.set_pin(_actor(manager), manager.id, CLI_PIN)
    opening.close()
    code, out, err = run_cli("--db", db, "--home", home, *words, stdin=f"{CLI_PIN}\n")
    assert code == 0, err
    return json.loads(out)


def _without_ids(value: object) -> object:
    if isinstance(value, dict):
        return {
            k: None if k == "id" or k.endswith("_id") else _without_ids(v) for k, v in value.items()
        }
    if isinstance(value, list):
        return [_without_ids(v) for v in value]
    return value


def test_a_copied_home_reads_as_it_did_and_its_chain_is_whole(run_cli, source, target):
    code, out, err = _copy(run_cli, source, target)
    assert (code, err) == (0, "") and "Copied Rowan House" in out
    for words in (["overdue", "--json"], ["handover", "--json"]):
        before = _json(run_cli, str(source), "Rowan House", *words)
        after = _json(run_cli, target, "Rowan House", *words)
        assert _without_ids(after) == _without_ids(before)
        assert after != before or words[0] == "handover"  # the overdue list names ids
    opening.open_target(target)
    try:
        verdict = audit_verdict(target)
        assert verdict is not None and verdict.ok, verdict
        rowan = homes.home_named("Rowan House")
        assert Child.select().where(Child.home == rowan.id).count() == 8
        assert people.list_staff(homes.home_named("Oak Lodge").id)[0].name == "Olu Oak"
        [copied] = [e for e in AuditEvent.select().where(AuditEvent.action == "home.copy")]
        assert copied.home_id == rowan.id and copied.staff_name == "Helen Okafor"
    finally:
        opening.close()


def test_every_table_comes_across_row_for_row(run_cli, source, target):
    with closing(sqlite3.connect(source)) as file:
        counted = {
            m._meta.table_name: file.execute(
                f'select count(*) from "{m._meta.table_name}"'
            ).fetchone()[0]
            for m in ALL_MODELS
            if m is not AuditHead
        }
    opening.open_target(target)
    before = {m._meta.table_name: m.select().count() for m in ALL_MODELS if m is not AuditHead}
    opening.close()
    assert _copy(run_cli, source, target)[0] == 0
    opening.open_target(target)
    try:
        after = {m._meta.table_name: m.select().count() for m in ALL_MODELS if m is not AuditHead}
    finally:
        opening.close()
    # Two audit events more than the file held: the manager's sign-in to the
    # file (copied with it), and the copy itself, naming who made it.
    extra = {"audit_event": 2}
    assert {t: after[t] - before[t] for t in after} == {
        t: n + extra.get(t, 0) for t, n in counted.items()
    }


def test_a_home_already_there_is_not_copied_twice(run_cli, source, target):
    assert _copy(run_cli, source, target)[0] == 0
    code, _, err = _copy(run_cli, source, target)
    assert code == 2 and "already holds a home named 'Rowan House'" in err
    opening.open_target(target)
    try:
        assert [h.name for h in homes.homes()] == ["Oak Lodge", "Rowan House"]
    finally:
        opening.close()


def test_a_file_edited_outside_keywork_is_refused(run_cli, source, target):
    with closing(sqlite3.connect(source)) as file, file:
        file.execute("update child set first_name = 'Edited' where id = 1")
    code, _, err = _copy(run_cli, source, target)
    assert code == 2 and "does not agree with its audit trail" in err
    opening.open_target(target)
    try:
        assert [h.name for h in homes.homes()] == ["Oak Lodge"]
    finally:
        opening.close()


def test_only_a_manager_of_the_home_copies_it(source, target):
    opening.open_target(str(source))
    carer = people.find_staff(homes.home_named("Rowan House").id, "Liam Foster").id
    opening.close()
    opening.open_target(target)
    try:
        with pytest.raises(CopyError, match="only a manager"):
            copy_home(source, carer)
        assert Home.select().count() == 1 and Staff.select().count() == 1
    finally:
        opening.close()
