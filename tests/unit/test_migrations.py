"""Schema migrations: frozen steps reach the live models, newer files are refused."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import apsw
import peewee as pw
import pytest
from engines import ON_POSTGRES
from playhouse.migrations import Runner

import models
from keywork_tui.schemas import ChildIn, HandoverEntryIn, TermIn
from keywork_tui.services import homes
from keywork_tui.services.handover import shift as handover
from keywork_tui.services.team import people
from models import schema
from models.schema import HISTORY_TABLE, MIGRATIONS_DIR, SchemaTooNewError, head_version

FUTURE = "9999_from_the_future"


def _runner() -> Runner:
    return Runner(models.db.obj, directory=str(MIGRATIONS_DIR), table_name=HISTORY_TABLE)


def _migrate_step_by_step() -> list[str]:
    names = [m.name for m in _runner().migrations()]
    for name in names:
        _runner().up(target=name)
        assert name in _runner().applied()
    return names


def _model_columns(model: type[models.BaseModel]) -> dict[str, bool]:
    return {f.column_name: f.null for f in model._meta.sorted_fields}


def _table_columns(model: type[models.BaseModel]) -> dict[str, bool]:
    return {c.name: c.null for c in models.db.get_columns(model._meta.table_name)}


def _indexes(
    database: pw.Database, model: type[models.BaseModel]
) -> set[tuple[tuple[str, ...], bool]]:
    """(columns, unique) of each index on the model's table: names differ, as
    the first migration's models named theirs without the table's underscores."""
    found = {(tuple(i.columns), i.unique) for i in database.get_indexes(model._meta.table_name)}
    return found - {(("id",), True)}  # PostgreSQL lists the primary key's own index


def _dump(target: Path | str) -> dict[str, list[tuple]]:
    """Every table's definition and rows, read through a separate connection."""
    if ON_POSTGRES:
        return _dump_postgres(str(target))
    conn = apsw.Connection(str(target), flags=apsw.SQLITE_OPEN_READONLY)
    try:
        tables = conn.execute(
            "select name, sql from sqlite_master where type = 'table' order by name"
        ).fetchall()
        return {name: [sql, *conn.execute(f'select * from "{name}"')] for name, sql in tables}
    finally:
        conn.close()


def _dump_postgres(url: str) -> dict[str, list[tuple]]:
    import psycopg

    with psycopg.connect(url) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "select table_name from information_schema.tables"
                " where table_schema = 'public' order by table_name"
            )
        ]
        dump: dict[str, list[tuple]] = {}
        for name in tables:
            columns = conn.execute(
                "select column_name, data_type, is_nullable from information_schema.columns"
                " where table_name = %s order by ordinal_position",
                (name,),
            ).fetchall()
            rows = conn.execute(f'select * from "{name}" order by 1').fetchall()
            dump[name] = [tuple(columns), *rows]
        return dump


@pytest.fixture
def migrated(new_target, open_db) -> list[str]:
    """An empty database brought to head one migration at a time."""
    open_db(new_target, migrate=False)
    return _migrate_step_by_step()


def test_step_by_step_ends_at_head(migrated):
    current = schema.status()
    assert current.applied == migrated
    assert current.pending == [] and current.unknown == []
    assert current.version == head_version() >= 1


def test_step_by_step_creates_exactly_the_model_tables(migrated):
    expected = {m._meta.table_name for m in models.ALL_MODELS} | {HISTORY_TABLE}
    assert set(models.db.get_tables()) == expected


@pytest.mark.parametrize("model", models.ALL_MODELS, ids=lambda m: m.__name__)
def test_frozen_migrations_match_live_model(migrated, model):
    assert _table_columns(model) == _model_columns(model)


@pytest.mark.parametrize("model", models.ALL_MODELS, ids=lambda m: m.__name__)
def test_frozen_migrations_index_what_the_live_model_declares(migrated, model):
    """A database brought up step by step has the indexes the models declare,
    so the reads planned on them (test_query_plans) are the reads it makes."""
    declared = pw.SqliteDatabase(":memory:")
    with declared.bind_ctx(models.ALL_MODELS):
        declared.create_tables(models.ALL_MODELS)
        expected = _indexes(declared, model)
    assert _indexes(models.db, model) == expected


def test_reopening_a_head_database_applies_nothing(database, open_db):
    history = _dump(database)[HISTORY_TABLE]
    status = open_db(database)
    assert status.pending == []
    assert schema.upgrade() == []
    assert _dump(database)[HISTORY_TABLE] == history


def test_newer_schema_is_refused_and_left_unchanged(database, open_db):
    mark = models.db.obj.param
    models.db.execute_sql(
        f"insert into {HISTORY_TABLE} (name, applied) values ({mark}, {mark})",
        (FUTURE, dt.datetime(2030, 1, 1)),
    )
    models.db.close()
    before = _dump(database)
    with pytest.raises(SchemaTooNewError, match="newer version of keywork"):
        open_db(database)
    models.db.close()
    assert _dump(database) == before


def _with_rebuild_step(tmp_path: Path) -> Path:
    """The real migrations plus one that rebuilds the home table, as SQLite
    must for most column changes: every row pointing at a home is at risk."""
    directory = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, directory, ignore=shutil.ignore_patterns("__pycache__"))
    step = directory / f"{head_version() + 1:04d}_rebuild_home.py"
    step.write_text(
        "def up(migrator, db):\n    migrator.migrate(migrator.drop_not_null('home', 'profile'))\n"
    )
    return directory


def _fill(home) -> None:
    actor = home.actor
    homes.add_term(actor, TermIn(starts_on=dt.date(2026, 1, 5), ends_on=dt.date(2026, 3, 27)))
    child = people.add_child(
        actor,
        ChildIn(
            first_name="Amy",
            last_name="Ash",
            date_of_birth=dt.date(2012, 3, 4),
            admitted_on=dt.date(2026, 1, 5),
        ),
    )
    shift = handover.shift_now(home.id)
    handover_id = handover.open_handover(actor, shift)
    handover.write_entry(actor, handover_id, HandoverEntryIn(child_id=child.id, mood="bright"))
    handover.submit(actor, handover_id)
    handover.sign_on(actor, handover.around(shift, 1), [actor.id])
    handover.acknowledge(actor, handover_id)


def test_data_written_before_an_upgrade_survives(database, home, open_db, tmp_path, monkeypatch):
    _fill(home)
    before = {t: rows[1:] for t, rows in _dump(database).items() if t != HISTORY_TABLE}
    head = head_version()
    monkeypatch.setattr(schema, "MIGRATIONS_DIR", _with_rebuild_step(tmp_path))

    status = open_db(database)

    assert status.pending == [] and status.version == head + 1
    assert _table_columns(models.Home)["profile"] is True  # the rebuild ran
    after = {t: rows[1:] for t, rows in _dump(database).items() if t != HISTORY_TABLE}
    assert after == before
    if not ON_POSTGRES:  # PostgreSQL never lets a foreign key go unchecked
        assert models.db.execute_sql("pragma foreign_key_check").fetchall() == []
