"""`keywork check` on either engine: the audit chain walked and every record
compared with what its trail recorded, so an edit made outside keywork (by
hand in a SQL shell, or by another program) is named."""

from __future__ import annotations

import io
import sqlite3
import sys
from contextlib import closing
from pathlib import Path

import pytest
from engines import ON_POSTGRES

from keywork_tui.exit_codes import EXIT_TAMPERED
from models import db


@pytest.fixture
def home_db(home, add_child, database: Path | str, monkeypatch, tmp_path) -> str:
    """A home with two children, the app's connection closed."""
    add_child("Amy", "Ash")
    add_child("Bea", "Brook")
    for var in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.setenv(var, str(tmp_path / var.lower()))
    monkeypatch.delenv("KEYWORK_DB", raising=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    db.close()
    return str(database)


def _by_hand(target: str, statement: str) -> None:
    """The change made on a connection of its own, as a SQL shell would."""
    if ON_POSTGRES:
        import psycopg

        with psycopg.connect(target) as connection:
            connection.execute(statement)
        return
    with closing(sqlite3.connect(target)) as connection, connection:
        connection.execute(statement)


def _trail_line(out: str) -> str:
    [line] = [li for li in out.splitlines() if li.startswith("audit trail:")]
    return line


def test_a_home_written_by_keywork_checks_whole(run_cli, home_db):
    code, out, err = run_cli("--db", home_db, "check")
    assert (code, err) == (0, "")
    assert "ok," in _trail_line(out) and "every record agrees" in out
    assert "schema version:" in out


@pytest.mark.parametrize(
    ("edit", "named"),
    [
        (
            "update child set first_name = 'Edited' where id = 1",
            "child 1: first_name differs from what its audit trail recorded",
        ),
        ("update home set is_demo = true", "home 1: is_demo differs"),
        ("delete from child where id = 2", "child 2: removed outside keywork"),
        (
            "insert into term_date (home_id, starts_on, ends_on, kind) "
            "values (1, '2027-01-04', '2027-02-12', 'term')",
            "term_date 1: no audit event records it",
        ),
        (
            "update audit_event set staff_name = 'Someone else' where id = 2",
            "audit_event 2: the event was changed",
        ),
        (
            "delete from audit_event where id = 2",
            "audit_event 3: the event was changed, or one before it removed",
        ),
        (
            "delete from audit_event where id = (select max(id) from audit_event)",
            "the newest were removed or changed",
        ),
    ],
)
def test_check_finds_an_edit_made_outside_keywork(run_cli, home_db, edit, named):
    assert run_cli("--db", home_db, "check")[0] == 0
    _by_hand(home_db, edit)
    code, out, _ = run_cli("--db", home_db, "check")
    assert code == EXIT_TAMPERED
    line = _trail_line(out)
    assert "DOES NOT AGREE" in line and named in line
