"""Statements whose SQL is built once: they read and write what peewee's own
queries would, with each call's values, whichever database is bound."""

from __future__ import annotations

import datetime as dt

import pytest
from playhouse.shortcuts import model_to_dict

from keywork_tui.services import clock
from models import ALL_MODELS, Child, KeySession
from models.base import JSONField
from models.prepared import Insert, Prepared, kept_as_is, slot

_BY_NAME = Prepared(
    lambda: Child.select().where((Child.first_name == slot(1)) & (Child.home == slot(0)))
)
# One value used twice, and a fixed value written into the text.
_NAMED_TWICE = Prepared(
    lambda: Child.select(Child.id).where(
        ((Child.first_name == slot(0)) | (Child.last_name == slot(0))) & (Child.home == 1)
    )
)


def test_a_select_finds_with_each_calls_values(home, add_child):
    ana = add_child("Ana", "Bell")
    ben = add_child("Ben", "Ana")
    assert _BY_NAME.first(Child, home.id, "Ana").id == ana.id
    assert _BY_NAME.first(Child, home.id, "Ben").id == ben.id
    assert _BY_NAME.first(Child, home.id + 1, "Ben") is None
    assert _BY_NAME.first(Child, home.id, "Nobody") is None
    found = {r[0] for r in _NAMED_TWICE.execute("Ana").fetchall()}
    assert found == {ana.id, ben.id}


def test_the_text_serves_the_next_database_bound(tmp_path, open_db, add_child, home):
    add_child("Ana")
    assert _BY_NAME.first(Child, home.id, "Ana") is not None
    open_db(tmp_path / "other.sqlite")  # an empty home-less database, same engine
    assert _BY_NAME.first(Child, home.id, "Ana") is None


def _session_row(child_id: int, staff_id: int) -> dict[str, object]:
    return {
        "child_id": child_id,
        "staff": staff_id,
        "held_at": dt.datetime(2026, 11, 20, 16, 0),
        "purposes": ["progress"],
        "summary": "A walk.",
    }


def test_an_insert_writes_what_create_writes(home, add_child):
    child = add_child("Ana")
    given = _session_row(child.id, home.manager.id)
    ours = Insert(KeySession)
    made = ours(ours.values(given))
    theirs = KeySession.create(**given).id
    read = {i: model_to_dict(KeySession.get_by_id(i), recurse=False) for i in (made, theirs)}
    assert made != theirs
    assert {k: v for k, v in read[made].items() if k != "id"} == {
        k: v for k, v in read[theirs].items() if k != "id"
    }


def test_defaults_are_worked_out_at_each_call_not_once(home, add_child):
    child = add_child("Ana")
    insert = Insert(KeySession)
    first = insert.values(_session_row(child.id, home.manager.id))
    with clock.frozen(clock.now() + dt.timedelta(hours=3)):
        later = insert.values(_session_row(child.id, home.manager.id))
    ids = [insert(first), insert(later)]
    made = [KeySession.get_by_id(i).created_at for i in ids]
    assert made[1] - made[0] == dt.timedelta(hours=3)
    # A mutable default is a new one for each row.
    assert first["actions"] == [] and first["actions"] is not later["actions"]


def test_a_column_without_value_or_default_is_refused(home):
    with pytest.raises(ValueError, match="KeySession.child"):
        Insert(KeySession).values({"staff": home.manager.id, "held_at": clock.now()})


def test_many_rows_write_what_create_writes_with_ids_given_or_not(home, add_child):
    child = add_child("Ana")
    given = _session_row(child.id, home.manager.id)
    theirs = model_to_dict(KeySession.create(**given), recurse=False)
    ours = Insert(KeySession)
    ours.many([given, given])
    ours.many([dict(given, id=100), dict(given, id=101)], with_ids=True)
    rows = [model_to_dict(r, recurse=False) for r in KeySession.select().order_by(KeySession.id)]
    assert [r.pop("id") for r in rows] == [theirs.pop("id"), 2, 3, 100, 101]
    assert rows == [theirs] * 5


# One value of each type a row is given, and some a field converts.
SAMPLES = (
    True,
    0,
    7,
    "text",
    "",
    dt.date(2026, 3, 4),
    dt.datetime(2026, 3, 4, 21, 30, 5),
    dt.datetime(2026, 3, 4, 21, 30, 5, 1234),
    1.5,
    ["a list"],
    {"a": "dict"},
)


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda m: m.__name__)
def test_a_value_passed_as_is_is_what_the_field_would_have_written(model):
    insert = Insert(model)
    fields = [f for f in model._meta.sorted_fields if f is not model._meta.primary_key]
    for value in SAMPLES:
        written = insert._db_values({f.name: value for f in fields})
        converted = [f.db_value(value) for f in fields]
        assert written == converted
        assert [type(v) for v in written] == [type(v) for v in converted]
    for field in fields:
        if isinstance(field, JSONField):
            assert kept_as_is(field) == ()  # text for a JSON column is still encoded
