"""keywork check, backup and restore on the database file: a damaged file is
one line with its own exit code, a backup is a checked private copy taken
while others write, and a restore never writes over a database."""

from __future__ import annotations

import datetime as dt
import io
import os
import sqlite3
import sys
from contextlib import closing
from pathlib import Path

import apsw
import pytest
from engines import sqlite_only
from playhouse.migrations import Runner

from keywork_tui.exit_codes import (
    EXIT_CORRUPT,
    EXIT_INCOMPLETE,
    EXIT_LOCKED,
    EXIT_NOT_A_DATABASE,
    EXIT_SCHEMA_TOO_NEW,
    EXIT_TAMPERED,
    EXIT_TRUNCATED,
    EXIT_UNHEALTHY,
    EXIT_USAGE,
)
from keywork_tui.schemas import ChildIn, HomeIn, LanguageWordIn, StaffIn
from keywork_tui.services import actor_for, database, homes
from keywork_tui.services.child_file import language
from keywork_tui.services.team import people
from models import db, sqlite_file
from models.base import sqlite_database
from models.schema import HISTORY_TABLE, MIGRATIONS_DIR, head_version, known_steps

pytestmark = sqlite_only(
    "backups, restores and checks of a file read and copy the SQLite file itself"
)

TABLES = ("child", "staff", "key_session", "audit_event")


@pytest.fixture
def home_file(home, add_child, database: Path, monkeypatch, tmp_path) -> Path:
    """A home with two children, closed so the file on disk holds everything."""
    add_child("Amy", "Ash")
    add_child("Bea", "Brook")
    for var in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.setenv(var, str(tmp_path / var.lower()))
    monkeypatch.delenv("KEYWORK_DB", raising=False)
    monkeypatch.delenv("KEYWORK_CONFIG", raising=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    database_path = database
    db.close()
    return database_path


def _sql(path: Path, *statements: str) -> None:
    """Change the file directly, as a hand edit would; closed at once, so the
    file on disk holds the change."""
    with closing(sqlite3.connect(path)) as connection, connection:
        for statement in statements:
            connection.execute(statement)


def _records(path: Path) -> dict[str, list[tuple]]:
    with closing(sqlite3.connect(path)) as connection:
        return {t: connection.execute(f"select * from {t} order by id").fetchall() for t in TABLES}


def _damaged_copy(source: Path, folder: Path, how: str) -> Path:
    target = folder / f"{how}.sqlite"
    data = bytearray(source.read_bytes())
    if how == "corrupt":
        data[20480:20992] = bytes(b ^ 0xFF for b in data[20480:20992])
    elif how == "corrupt_everywhere":
        for page in range(8192, len(data), 4096):
            data[page + 100 : page + 612] = bytes(b ^ 0xFF for b in data[page + 100 : page + 612])
    elif how == "truncated":
        data = data[: len(data) // 3]
    elif how == "not_a_database":
        data = bytearray(b"Dear diary, " * 500)
    target.write_bytes(bytes(data))
    if how == "incomplete":
        target.write_bytes(source.read_bytes())
        _sql(target, "drop table away_read")
    return target


# --- check ---------------------------------------------------------------------


def test_check_reports_a_whole_file(run_cli, home_file):
    code, out, _ = run_cli("--db", str(home_file), "check")
    assert code == 0
    head = head_version()
    assert "integrity:       ok" in out and f"schema version:  {head} (this program: {head})" in out
    assert "every record agrees" in out


@pytest.mark.parametrize(
    ("how", "exit_code", "words"),
    [
        ("corrupt", EXIT_CORRUPT, "is damaged"),
        ("truncated", EXIT_TRUNCATED, "is cut short"),
        ("not_a_database", EXIT_NOT_A_DATABASE, "is not a SQLite database"),
        ("incomplete", EXIT_INCOMPLETE, "no table away_read"),
    ],
)
def test_check_describes_a_damaged_file_in_one_line(
    run_cli, home_file, tmp_path, how, exit_code, words
):
    damaged = _damaged_copy(home_file, tmp_path, how)
    before = damaged.read_bytes()
    code, out, err = run_cli("--db", str(damaged), "check")
    assert code == exit_code and out == ""
    assert err.startswith("keywork: ") and words in err and err.count("\n") == 1
    assert damaged.read_bytes() == before  # looked at, never written


def test_check_of_a_missing_file_makes_nothing(run_cli, tmp_path):
    code, _, err = run_cli("--db", str(tmp_path / "nope.sqlite"), "check")
    assert code == EXIT_USAGE and "no database at" in err
    assert not (tmp_path / "nope.sqlite").exists()


def test_check_of_a_locked_file_says_so(run_cli, home_file, monkeypatch):
    monkeypatch.setattr(sqlite_file, "CHECK_BUSY_MS", 50)
    holder = apsw.Connection(str(home_file))
    holder.execute("pragma locking_mode = exclusive").fetchall()
    holder.execute("begin exclusive")
    holder.execute("create table held (x)")
    try:
        code, _, err = run_cli("--db", str(home_file), "check")
    finally:
        holder.execute("rollback")
        holder.close()
    assert code == EXIT_LOCKED and "is locked by another program" in err


def test_check_names_integrity_problems_with_their_exit_code(run_cli, home_file):
    _sql(home_file, "pragma foreign_keys = off", "update child set home_id = 999")
    code, out, _ = run_cli("--db", str(home_file), "check")
    assert code == EXIT_UNHEALTHY and "foreign keys:    2 problem(s)" in out


# --- backup --------------------------------------------------------------------


def test_a_backup_is_a_private_checked_copy_named_by_the_time(run_cli, home_file, tmp_path):
    folder = tmp_path / "backups"
    code, out, _ = run_cli("--db", str(home_file), "backup", str(folder))
    made = folder / "keywork-20261122-173000.sqlite"  # the test's instant
    assert code == 0 and str(made) in out and "checked" in out
    assert (made.stat().st_mode & 0o777) == 0o600
    assert (folder.stat().st_mode & 0o777) == 0o700
    assert _records(made) == _records(home_file)
    assert [p.name for p in folder.iterdir()] == [made.name]  # no partial file left


def test_backups_keep_the_newest_and_leave_other_files_alone(run_cli, home_file, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / "notes.txt").write_text("the backup folder")
    for _ in range(4):
        assert run_cli("--db", str(home_file), "backup", str(folder), "--keep", "2")[0] == 0
    names = sorted(p.name for p in folder.iterdir())
    # Taken within one second: each still gets a name of its own.
    assert names == [
        "keywork-20261122-173002.sqlite",
        "keywork-20261122-173003.sqlite",
        "notes.txt",
    ]


def test_a_backup_is_consistent_while_another_terminal_writes(run_cli, home_file, tmp_path):
    before = _records(home_file)
    writer = apsw.Connection(str(home_file))
    writer.execute("begin immediate; update child set first_name = 'Half-written'")
    try:
        code, _, _ = run_cli("--db", str(home_file), "backup", str(tmp_path / "b"))
    finally:
        writer.execute("rollback")
        writer.close()
    assert code == 0
    [made] = (tmp_path / "b").iterdir()
    assert _records(made) == before


def test_a_damaged_database_is_not_backed_up(run_cli, home_file, tmp_path):
    damaged = _damaged_copy(home_file, tmp_path, "corrupt")
    folder = tmp_path / "backups"
    code, _, err = run_cli("--db", str(damaged), "backup", str(folder))
    assert code == EXIT_CORRUPT and "is damaged" in err
    assert not folder.exists() or list(folder.iterdir()) == []


# --- restore -------------------------------------------------------------------


def _backup(run_cli, home_file: Path, folder: Path) -> Path:
    assert run_cli("--db", str(home_file), "backup", str(folder))[0] == 0
    return next(folder.iterdir())


def test_backup_then_restore_gives_the_same_records_and_a_clean_check(run_cli, home_file, tmp_path):
    made = _backup(run_cli, home_file, tmp_path / "backups")
    target = tmp_path / "restored" / "home.sqlite"
    code, out, _ = run_cli("--db", str(target), "restore", str(made))
    assert code == 0 and "Restored" in out
    assert (target.stat().st_mode & 0o777) == 0o600
    assert _records(target) == _records(home_file)
    assert run_cli("--db", str(target), "check")[0] == 0
    database.open_target(str(target), create=True)  # and the app opens it
    from keywork_tui.services import homes

    assert homes.only_home().name == "Test House"


def test_restore_never_writes_over_a_database(run_cli, home_file, tmp_path):
    made = _backup(run_cli, home_file, tmp_path / "backups")
    other = tmp_path / "other.sqlite"
    other.write_bytes(b"someone else's file")
    code, _, err = run_cli("--db", str(other), "restore", str(made))
    assert code == EXIT_USAGE and "already exists" in err
    assert other.read_bytes() == b"someone else's file"


def test_restore_needs_the_new_file_named(run_cli, home_file, tmp_path):
    made = _backup(run_cli, home_file, tmp_path / "backups")
    code, _, err = run_cli("restore", str(made))
    assert code == EXIT_USAGE and "--db" in err


def test_a_damaged_backup_is_not_restored(run_cli, home_file, tmp_path):
    damaged = _damaged_copy(home_file, tmp_path, "truncated")
    target = tmp_path / "restored.sqlite"
    code, _, err = run_cli("--db", str(target), "restore", str(damaged))
    assert code == EXIT_TRUNCATED and "is cut short" in err
    assert not target.exists()


def test_a_backup_from_a_newer_keywork_is_not_restored(run_cli, home_file, tmp_path):
    _sql(
        home_file,
        "insert into schema_migration (name, applied) values ('9999_future', '2030-01-01')",
    )
    target = tmp_path / "restored.sqlite"
    code, _, err = run_cli("--db", str(target), "restore", str(home_file))
    assert code == EXIT_SCHEMA_TOO_NEW and "newer version of keywork" in err
    assert not target.exists()


def test_a_backup_killed_part_way_leaves_only_a_partial_file_that_the_next_one_clears(
    run_cli, home_file, tmp_path
):
    folder = tmp_path / "backups"
    folder.mkdir()
    leftover = folder / "keywork-20261122-173000.sqlite.partial"
    leftover.write_bytes(b"half")
    os.chmod(leftover, 0o600)
    assert run_cli("--db", str(home_file), "backup", str(folder))[0] == 0
    assert sorted(p.name for p in folder.iterdir()) == ["keywork-20261122-173000.sqlite"]


def test_a_command_that_meets_damage_part_way_says_so(run_cli, home_file, tmp_path):
    damaged = _damaged_copy(home_file, tmp_path, "corrupt_everywhere")
    code, _, err = run_cli("--db", str(damaged), "overdue")
    assert code == EXIT_CORRUPT, err
    assert err == (
        "keywork: the database is damaged; run `keywork check`, and restore it from a backup\n"
    )


# --- the audit trail as a chain -------------------------------------------------


def test_an_edited_database_is_not_backed_up(run_cli, home_file, tmp_path):
    _sql(home_file, "update child set last_name = 'Edited'")
    code, _, err = run_cli("--db", str(home_file), "backup", str(tmp_path / "b"))
    assert code == EXIT_TAMPERED and "does not agree with its audit trail" in err
    assert not (tmp_path / "b").exists()  # checked before anything is written


def test_the_chain_is_added_to_an_older_database_with_its_history(tmp_path, open_db):
    """A database at the schema before the chain, with history, upgraded."""
    path = tmp_path / "older.sqlite"
    open_db(path)
    _, manager = homes.create_home(HomeIn(name="Old House"), StaffIn(name="Mo Manager"))
    people.add_child(
        actor_for(manager.id),
        ChildIn(
            first_name="Amy",
            last_name="Ash",
            date_of_birth=dt.date(2012, 3, 4),
            admitted_on=dt.date(2026, 1, 5),
        ),
    )

    db.execute_sql("drop table audit_head")
    db.execute_sql("update audit_event set hash = ''")
    db.execute_sql("delete from schema_migration where name = '0004_audit_chain'")
    db.execute_sql("alter table audit_event drop column hash")
    db.close()
    assert sqlite_file.examine(path, []).history is None  # nothing to check yet
    open_db(path)  # upgrades
    db.close()
    verdict = sqlite_file.examine(path, []).history
    assert verdict is not None and verdict.ok and verdict.events == 3


def _as_before_the_language_guide(path: Path) -> int:
    """Take the file back to the schema step before the language guide, as a
    backup taken before that upgrade would be; the steps it is left at."""
    return _as_before(path, "0008_language_guide")


def _as_before(path: Path, step: str) -> int:
    """Take the file back to the schema of the steps before `step`: whatever
    `step` and the steps after it made is dropped, and any index they dropped
    made again, as a file brought only that far has them."""
    earlier = known_steps()[: known_steps().index(step)]
    older = path.with_name(f"{path.stem}-{earlier[-1]}.sqlite")
    made = sqlite_database(older)
    Runner(made, directory=str(MIGRATIONS_DIR), table_name=HISTORY_TABLE).up(earlier[-1])
    made.close()
    want, have = _schema(older), _schema(path)
    _sql(
        path,
        *(f'drop index "{name}"' for name in have["index"].keys() - want["index"].keys()),
        *(f'drop table "{name}"' for name in have["table"].keys() - want["table"].keys()),
        *(
            f'alter table "{table}" drop column "{column}"'
            for table in have["table"].keys() & want["table"].keys()
            for column in _columns(path, table) - _columns(older, table)
        ),
        *(want["index"][name] for name in want["index"].keys() - have["index"].keys()),
        f"delete from {HISTORY_TABLE} where name >= '{step}'",
    )
    return len(earlier)


def _schema(path: Path) -> dict[str, dict[str, str]]:
    """The file's tables and indexes by name, each with the SQL that made it."""
    with closing(sqlite3.connect(path)) as connection:
        rows = connection.execute(
            "select type, name, sql from sqlite_master where sql is not null"
        ).fetchall()
    return {kind: {n: sql for t, n, sql in rows if t == kind} for kind in ("table", "index")}


def _columns(path: Path, table: str) -> set[str]:
    with closing(sqlite3.connect(path)) as connection:
        return {row[1] for row in connection.execute(f'pragma table_info("{table}")')}


def test_a_backup_from_before_an_upgrade_is_checked_restored_and_opened(
    run_cli, home_file, tmp_path
):
    steps = _as_before_the_language_guide(home_file)
    code, out, err = run_cli("--db", str(home_file), "check")
    assert code == 0, err
    assert f"schema version:  {steps}" in out and "every record agrees" in out
    made = _backup(run_cli, home_file, tmp_path / "backups")
    target = tmp_path / "restored.sqlite"
    assert run_cli("--db", str(target), "restore", str(made))[0] == 0
    assert _records(target) == _records(home_file)

    database.open_target(str(target), create=False)  # opening brings it to the current step
    assert language.home_guide(homes.only_home().id).on  # the new column, with its default
    db.close()
    code, out, _ = run_cli("--db", str(target), "check")
    assert code == 0 and f"schema version:  {head_version()} (this program" in out


def test_a_table_taken_from_a_file_is_found_though_it_claims_an_older_step(run_cli, home_file):
    """Rows the trail records cannot be hidden by dropping their table and
    passing the file off as one from before the table existed."""
    database.open_target(str(home_file), create=False)
    manager = people.list_staff(homes.only_home().id)[0]
    language.add_word(
        actor_for(manager.id), LanguageWordIn(word="placement breakdown", suggestion="the move")
    )
    db.close()
    _as_before_the_language_guide(home_file)
    code, out, _ = run_cli("--db", str(home_file), "check")
    assert code == EXIT_TAMPERED and "language_word 1: removed outside keywork" in out


def test_a_column_taken_from_a_current_file_makes_it_incomplete(run_cli, home_file):
    _sql(home_file, "alter table key_session drop column summary")
    code, out, err = run_cli("--db", str(home_file), "check")
    assert code == EXIT_INCOMPLETE and out == ""
    assert "key_session has no column summary" in err


def _checkpoint_cut_off(folder: Path) -> Path:
    """A file as a checkpoint killed after writing page 1 leaves it: the header
    counts pages that are still only in the write-ahead log beside it."""
    source = folder / "live.sqlite"
    writer = apsw.Connection(str(source))
    writer.execute("pragma journal_mode=wal; pragma wal_autocheckpoint=0")
    writer.execute("create table note (id integer primary key, words text)")
    writer.execute("pragma wal_checkpoint(truncate)")  # the file holds the table
    with writer:
        for n in range(400):
            writer.execute("insert into note (words) values (?)", (f"note {n} " * 40,))
    copy = folder / "cut.sqlite"
    copy.write_bytes(source.read_bytes())
    wal = (folder / "live.sqlite-wal").read_bytes()
    (folder / "cut.sqlite-wal").write_bytes(wal)
    writer.close()
    # The log's last copy of page 1 written over the file's, as the checkpoint began.
    page_size = int.from_bytes(wal[8:12], "big")
    frames = range(32, len(wal), 24 + page_size)
    last = [f for f in frames if int.from_bytes(wal[f : f + 4], "big") == 1][-1]
    data = bytearray(copy.read_bytes())
    data[:page_size] = wal[last + 24 : last + 24 + page_size]
    copy.write_bytes(bytes(data))
    return copy


def test_a_checkpoint_cut_off_is_whole_with_its_log_and_cut_short_without(tmp_path):
    copy = _checkpoint_cut_off(tmp_path)
    header = copy.read_bytes()[:100]
    assert sqlite_file._expected_size(header) > copy.stat().st_size  # as the kill left it
    with closing(sqlite3.connect(f"file:{copy}?mode=ro", uri=True)) as reader:
        assert reader.execute("pragma integrity_check").fetchone()[0] == "ok"
        assert reader.execute("select count(*) from note").fetchone()[0] == 400
    sqlite_file._look_at_header(copy)  # the log holds the rest: not cut short
    Path(f"{copy}-wal").unlink()
    with pytest.raises(sqlite_file.FileProblem, match="cut short"):
        sqlite_file._look_at_header(copy)
