"""A PostgreSQL URL given to any command: what needs the postgres extra says
so in one line, and what only a SQLite file has points to the server's tools."""

from __future__ import annotations

import sys

import pytest

from keywork_tui.exit_codes import EXIT_USAGE
from models.base import POSTGRES_EXTRA, DatabaseOpenError, make_database, server_params

URL = "postgresql://keywork@127.0.0.1:1/home"


def test_without_the_postgres_extra_the_command_says_how_to_add_it(run_cli, monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if it were not installed
    code, out, err = run_cli("--db", URL, "handover")
    assert (code, out) == (EXIT_USAGE, "")
    assert err == f"keywork: {POSTGRES_EXTRA}\n"
    assert "pip install 'keywork[postgres]'" in err


def test_a_url_without_a_database_name_is_refused_plainly():
    with pytest.raises(DatabaseOpenError, match="no database named"):
        make_database("postgresql://keywork@127.0.0.1:1/")


def test_the_url_is_read_with_its_options_and_an_escaped_password():
    name, params = server_params("postgresql://kw:p%40ss@db.example:6543/homes?sslmode=require")
    assert name == "homes"
    assert params == {
        "user": "kw",
        "password": "p@ss",
        "host": "db.example",
        "port": 6543,
        "sslmode": "require",
    }


def test_backup_of_postgresql_points_to_its_own_tools(run_cli):
    code, _, err = run_cli("--db", URL, "backup")
    assert code == EXIT_USAGE and "pg_dump" in err
