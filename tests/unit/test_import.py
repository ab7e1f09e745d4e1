"""keywork import: the keywork-import/1 file, validated whole, written all or nothing."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from engines import ON_POSTGRES

from keywork_tui.schemas import HomeIn, StaffIn
from keywork_tui.services import ServiceError, audit, clock, database, homes
from keywork_tui.services.actor import Actor
from keywork_tui.services.child_file import sessions
from keywork_tui.services.exchange import backup, home_import
from keywork_tui.services.exchange.home_import import ImportRecordError, import_home
from keywork_tui.services.exchange.import_format import InvalidImportError, validate
from keywork_tui.services.handover import board as handover_board
from keywork_tui.services.team import allocation, people, signin
from models import HandoverEntry, db
from models.base import BULK_CACHE_KB

# The example of IMPORT_FORMAT.md, as written there.
EXAMPLE = """
{
  "format": "keywork-import/1",
  "home": {
    "name": "Oak House",
    "nation": "england",
    "profile": "childrens_home",
    "day_shift_starts": "07:30",
    "night_shift_starts": "22:00",
    "term_dates": [{"start": "2026-09-02", "end": "2026-10-23"}]
  },
  "staff": [
    {"ref": "s1", "name": "Amy Shah", "role": "care_staff",
     "induction_done": true, "level3": true, "os_user": "amy"}
  ],
  "children": [
    {"ref": "c1", "first_name": "Jordan", "last_name": "Reed",
     "preferred_name": "Jo", "date_of_birth": "2012-05-04",
     "admitted_on": "2026-01-10", "left_on": null, "placement": "full_time"}
  ],
  "allocations": [{"child": "c1", "staff": "s1", "from": "2026-01-10", "to": null, "reason": null}],
  "absences": [{"staff": "s1", "from": "2026-12-20", "to": "2027-01-03", "kind": "leave"}],
  "covers": [{"child": "c1", "staff": "s2", "from": "2026-12-20", "to": "2027-01-03"}],
  "sessions": [
    {"child": "c1", "staff": "s1", "held_at": "2026-12-23T16:00", "kind": "informal",
     "minutes": 30, "summary": "Talked about Christmas contact.",
     "views": "", "concern": null, "finalised_at": null}
  ],
  "reviews": [
    {"child": "c1", "document": "support_plan", "reviewed_on": "2026-11-30",
     "outcome": "no_change", "by": "s1"}
  ],
  "targets": [
    {"child": "c1", "text": "Ask an adult for help at break time",
     "set_on": "2026-09-07", "review_by": "2026-12-18", "outcome": null}
  ],
  "events": [
    {"child": "c1", "date": "2026-12-24", "kind": "court", "yearly": false, "note": ""}
  ],
  "handover_entries": [
    {"child": "c1", "shift_date": "2026-12-22", "shift": "day", "by": "s1",
     "state": "watch", "mood": "Quiet after school", "events": "",
     "bedtime_concern": "Worried about court on Thursday", "actions": ""}
  ]
}
"""

# After everything in the example has happened.
IMPORT_TIME = dt.datetime(2027, 1, 10, 12, 0)


@pytest.fixture(autouse=True)
def private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Keep config, data and logs of every test inside its own folder."""
    for var in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.setenv(var, str(tmp_path / var.lower()))
    monkeypatch.delenv("KEYWORK_DB", raising=False)
    monkeypatch.delenv("KEYWORK_CONFIG", raising=False)
    yield tmp_path
    database.close()


# `keywork import` asks the PIN of whoever sets the home up, as `init` does.
FIRST_PIN = "5813"


@pytest.fixture(autouse=True)
def first_pin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{FIRST_PIN}\n"))


@pytest.fixture
def db_path(new_target: Path | str) -> str:
    path = str(new_target)
    database.open_target(path, create=True)
    return path


def example() -> dict[str, Any]:
    """The example plus what it needs to import: it has no manager, and its cover
    names a staff member (s2) the example leaves out."""
    raw = json.loads(EXAMPLE)
    raw["staff"] += [
        {
            "ref": "s2",
            "name": "Ben Cole",
            "role": "shift_leader",
            "induction_done": True,
            "level3": True,
            "os_user": "ben",
        },
        {
            "ref": "m1",
            "name": "Mia Lord",
            "role": "manager",
            "induction_done": True,
            "level3": True,
        },
    ]
    return raw


def do_import(raw: dict[str, Any]):
    with clock.frozen(IMPORT_TIME):
        return import_home(validate(raw))


def problems(raw: dict[str, Any]) -> list[str]:
    with pytest.raises(InvalidImportError) as info:
        validate(raw)
    return info.value.lines


def run_at_import_time(run_cli, *argv: str) -> tuple[int, str, str]:
    with clock.frozen(IMPORT_TIME):
        return run_cli(*argv)


def write(tmp_path: Path, raw: object, name: str = "home.json") -> str:
    path = tmp_path / name
    path.write_text(raw if isinstance(raw, str) else json.dumps(raw), encoding="utf-8")
    return str(path)


def assert_empty() -> None:
    assert homes.homes() == []
    assert audit.events() == []


# --- a good file ---------------------------------------------------------------


def test_the_example_file_imports_whole(db_path) -> None:
    summary = do_import(example())

    assert summary.counts == {
        "staff": 3,
        "children": 1,
        "term_dates": 1,
        "allocations": 1,
        "absences": 1,
        "covers": 1,
        "sessions": 1,
        "reviews": 1,
        "targets": 1,
        "events": 1,
        "handover_entries": 1,
    }
    assert summary.line().startswith("Imported Oak House: 3 staff, 1 child, 1 term,")
    home = homes.only_home()
    assert (home.name, home.nation, home.profile) == ("Oak House", "england", "childrens_home")
    staff = {s.name: s for s in people.list_staff(home.id)}
    assert set(staff) == {"Amy Shah", "Ben Cole", "Mia Lord"}
    assert staff["Amy Shah"].os_user == "amy" and staff["Amy Shah"].role == "care_staff"
    [child] = people.children_in_placement(home.id, IMPORT_TIME.date())
    assert (child.short_name, child.date_of_birth) == ("Jo Reed", dt.date(2012, 5, 4))
    assert allocation.key_workers_on(home.id, dt.date(2026, 6, 1))[child.id].name == "Amy Shah"
    christmas = dt.date(2026, 12, 25)
    assert allocation.absences_on(home.id, christmas)[staff["Amy Shah"].id].kind == "leave"
    assert allocation.covers_on(home.id, christmas)[child.id].staff_name == "Ben Cole"
    amy = Actor(staff["Amy Shah"].id, "Amy Shah", "care_staff", home.id)
    [session] = sessions.sessions_for_child(amy, child.id)
    assert (session.held_at, session.status) == (dt.datetime(2026, 12, 23, 16), "draft")
    assert session.summary == "Talked about Christmas contact." and not session.concern

    # The handover the day shift of the 22nd wrote, as the night shift reads it.
    board = handover_board.board(home.id, at=dt.datetime(2026, 12, 22, 21, 0))
    [row] = board.rows
    assert (row.state, row.bedtime_concern) == ("watch", "Worried about court on Thursday")
    assert (row.key_worker_status, row.cover) == ("absent", "Ben Cole")

    actions = [e.action for e in audit.events(home_id=home.id)]
    for action in (
        "term.add",
        "target.add",
        "event.add",
        "review.record",
        "handover.entry",
        "handover.submit",
    ):
        assert actions.count(action) == 1, action


def test_audit_names_the_importing_manager_and_each_writer(db_path) -> None:
    do_import(example())
    events = audit.events()
    by_action = {e.action: e for e in events}
    for action in (
        "home.create",
        "child.admit",
        "allocation.start",
        "absence.add",
        "cover.arrange",
        "term.add",
        "target.add",
        "event.add",
    ):
        assert by_action[action].staff_name == "Mia Lord", action
    assert {e.staff_name for e in events if e.action == "staff.add"} == {"Mia Lord"}
    # Records made by someone are theirs, at the time they were made.
    for action in ("session.draft", "review.record", "handover.entry"):
        assert by_action[action].staff_name == "Amy Shah", action
    assert by_action["session.draft"].at == dt.datetime(2026, 12, 23, 17, 0)
    assert by_action["review.record"].at == dt.datetime(2026, 11, 30, 12, 0)


def test_optional_fields_map_across(db_path) -> None:
    raw = example()
    raw["staff"][2]["role"] = "admin"
    raw["children"][0]["left_on"] = "2027-01-05"
    raw["allocations"][0]["to"] = "2026-06-30"
    raw["allocations"].append(
        {"child": "c1", "staff": "s2", "from": "2026-07-01", "reason": "staff_request"}
    )
    # From July Ben is Jo's key worker: the session and the review are his.
    raw["sessions"][0]["staff"] = "s2"
    raw["reviews"][0]["by"] = "s2"
    raw["sessions"][0].update(finalised_at="2026-12-24T09:15", concern="Scared of court")
    raw["targets"][0]["outcome"] = "achieved"
    do_import(raw)

    home = homes.only_home()
    staff = {s.name: s for s in people.list_staff(home.id)}
    assert staff["Mia Lord"].role == "admin"  # kept, though create_home makes a manager
    child = people.get_child(
        home.id, people.children_in_placement(home.id, dt.date(2027, 1, 1))[0].id
    )
    assert child.left_on == dt.date(2027, 1, 5)
    assert people.children_in_placement(home.id, dt.date(2027, 1, 6)) == []
    assert allocation.key_workers_on(home.id, dt.date(2026, 6, 30))[child.id].name == "Amy Shah"
    assert allocation.key_workers_on(home.id, dt.date(2026, 7, 1))[child.id].name == "Ben Cole"
    amy = Actor(staff["Amy Shah"].id, "Amy Shah", "care_staff", home.id)
    [session] = sessions.sessions_for_child(amy, child.id)
    assert (session.status, session.finalised_at) == ("final", dt.datetime(2026, 12, 24, 9, 15))
    assert (session.concern, session.concern_text) == (True, "Scared of court")
    [review] = audit.events(action_prefix="target.review")
    assert review.after == {"outcome": "achieved", "reviewed_on": "2026-12-18"}
    [ended] = audit.events(action_prefix="allocation.end")
    assert ended.after == {"ends_on": "2026-06-30"}


# --- a bad file: named errors, nothing written --------------------------------


def _unknown_key(raw: dict) -> None:
    raw["colour"] = "blue"


def _bad_enum(raw: dict) -> None:
    raw["staff"][0]["role"] = "carer"


def _dangling_ref(raw: dict) -> None:
    raw["covers"][0]["staff"] = "s9"


def _bad_date(raw: dict) -> None:
    raw["children"][0]["date_of_birth"] = "2012-13-04"


def _bad_date_time(raw: dict) -> None:
    raw["sessions"][0]["held_at"] = "2026-12-23 16:00"


def _unknown_record_key(raw: dict) -> None:
    raw["children"][0]["nickname"] = "JJ"


@pytest.mark.parametrize(
    ("spoil", "expected"),
    [
        (_unknown_key, "colour: unknown key (not part of keywork-import/1)"),
        (
            _bad_enum,
            "staff[0] (ref s1).role: Input should be 'care_staff', 'shift_leader', "
            "'manager', 'admin' or 'provider' (got \"carer\")",
        ),
        (_dangling_ref, "covers[0].staff: no staff member with ref 's9' in the file"),
        (
            _bad_date,
            "children[0] (ref c1).date_of_birth: 2012-13-04 is not a date in the "
            'calendar (got "2012-13-04")',
        ),
        (_bad_date_time, "sessions[0].held_at: write the date and time as YYYY-MM-DDTHH:MM"),
        (_unknown_record_key, "children[0] (ref c1).nickname: unknown key"),
    ],
)
def test_a_bad_file_names_the_place_and_writes_nothing(
    run_cli, tmp_path, db_path, spoil, expected
) -> None:
    raw = example()
    spoil(raw)
    assert any(line.startswith(expected) for line in problems(raw)), problems(raw)

    database.close()
    code, out, err = run_at_import_time(run_cli, "--db", db_path, "import", write(tmp_path, raw))
    assert code == 2 and out == ""
    assert expected in err and "nothing was imported" in err
    database.open_target(db_path, create=True)
    assert_empty()


def test_every_problem_is_reported_at_once() -> None:
    raw = example()
    raw["format"] = "keywork-import/2"
    raw["staff"] = raw["staff"][:1] + [dict(raw["staff"][0], name="Amy Again")]
    raw["children"][0]["left_on"] = "2025-01-01"
    raw["allocations"][0]["to"] = "2025-01-01"
    lines = problems(raw)
    assert lines[0].startswith("format: Input should be 'keywork-import/1'")
    assert "staff[1] (ref s1).ref: 's1' is already used by staff[0]" in lines
    assert "staff[1] (ref s1).os_user: 'amy' is already used by staff[0]" in lines
    assert "staff: no one has the role manager or admin: the home needs one to be set up" in lines
    assert "children[0] (ref c1).left_on: a child cannot leave before they were admitted" in lines
    assert "allocations[0].to: an allocation must end on or after the day it starts" in lines


def test_service_rules_of_a_record_are_checked_before_writing() -> None:
    raw = example()
    raw["sessions"][0]["minutes"] = 500
    raw["staff"][0]["os_user"] = "Amy Shah"
    raw["handover_entries"].append(dict(raw["handover_entries"][0], mood="Chatty"))
    lines = problems(raw)
    assert any(
        line.startswith("sessions[0].minutes: duration must be between 5 and 240 minutes")
        for line in lines
    )
    assert any(line.startswith("staff[0] (ref s1).os_user: an OS username is") for line in lines)
    assert any(
        line.startswith("handover_entries[1].child: child 'c1' already has an entry")
        for line in lines
    )


# --- refusals while writing roll everything back ------------------------------------


def test_a_refusal_part_way_rolls_everything_back(db_path) -> None:
    raw = example()
    raw["staff"][1]["level3"] = False  # Ben cannot cover: covers come after much else
    with pytest.raises(ImportRecordError) as info:
        do_import(raw)
    assert str(info.value) == (
        "covers[0]: Ben Cole cannot key-work: has no level-3 qualification; nothing was imported"
    )
    assert_empty()


def test_a_refused_field_is_named_as_the_file_names_it(db_path) -> None:
    raw = example()
    raw["sessions"][0]["held_at"] = "2027-02-01T16:00"  # after the moment of import
    with pytest.raises(
        ImportRecordError,
        match=r"^sessions\[0\]\.held_at: held at is in the "
        r"future",
    ):
        do_import(raw)
    assert_empty()


def test_a_home_of_the_same_name_is_refused(db_path) -> None:
    name = example()["home"]["name"]
    homes.create_home(HomeIn(name=name.upper()), StaffIn(name="Bea Moss"))
    with pytest.raises(ServiceError, match="already holds a home named"):
        do_import(example())
    [home] = homes.homes()
    assert [s.name for s in people.list_staff(home.id)] == ["Bea Moss"]


def test_a_home_is_imported_beside_another_and_keeps_to_itself(db_path) -> None:
    other, _ = homes.create_home(HomeIn(name="Ash Lodge"), StaffIn(name="Bea Moss"))
    before = len(audit.events(home_id=other.id))
    summary = do_import(example())
    assert summary.home_id != other.id
    assert [s.name for s in people.list_staff(other.id)] == ["Bea Moss"]
    assert people.all_children(other.id) == []
    assert len(audit.events(home_id=other.id)) == before
    assert people.list_staff(summary.home_id)


def test_ending_an_allocation_is_for_managers(db_path) -> None:
    do_import(example())
    home = homes.only_home()
    amy = people.find_staff(home.id, "Amy Shah")
    [start] = audit.events(action_prefix="allocation.start")
    with pytest.raises(ServiceError, match="only a manager or admin"):
        allocation.end_allocation(
            Actor(amy.id, amy.name, amy.role, home.id), start.record_id, dt.date(2026, 12, 31)
        )


# --- the command ---------------------------------------------------------------


def test_cli_imports_a_good_file(run_cli, tmp_path) -> None:
    db = str(tmp_path / "home.sqlite")
    code, out, err = run_at_import_time(run_cli, "--db", db, "import", write(tmp_path, example()))
    assert code == 0 and err == ""
    assert out.startswith("Imported Oak House: 3 staff, 1 child,") and db in out
    assert out.splitlines()[1].startswith("Mia Lord signs in with the PIN just set")
    # The one who set the home up has the PIN typed; nobody else has one, so
    # nobody at a shell can give themselves the others' accounts.
    database.open_target(db, create=True)
    home = homes.only_home()
    with_pins = {s.name for s in people.list_staff(home.id) if signin.has_pin(s.id)}
    assert with_pins == {"Mia Lord"}
    assert signin.sign_in(home.id, people.find_staff(home.id, "Mia Lord").id, FIRST_PIN)


def test_cli_a_weak_first_pin_imports_nothing(run_cli, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("12\n"))
    db = str(tmp_path / "home.sqlite")
    code, _, err = run_at_import_time(run_cli, "--db", db, "import", write(tmp_path, example()))
    assert code == 2 and "a PIN is 4 to 12 digits" in err
    assert not Path(db).exists()  # no empty database left to be opened by mistake


def test_cli_an_import_stopped_part_way_leaves_no_file(run_cli, tmp_path, monkeypatch) -> None:
    from keywork_tui.services.exchange import home_import

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt  # Ctrl+C while the records are written

    monkeypatch.setattr(home_import, "import_home", interrupted)
    db = tmp_path / "home.sqlite"
    code, _, _ = run_at_import_time(run_cli, "--db", str(db), "import", write(tmp_path, example()))
    assert code == 130
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home.json"]


def test_cli_a_refused_import_into_a_database_with_a_home_keeps_it(
    run_cli, tmp_path, monkeypatch
) -> None:
    db = str(tmp_path / "home.sqlite")
    assert run_at_import_time(run_cli, "--db", db, "import", write(tmp_path, example()))[0] == 0
    database.close()
    monkeypatch.setattr(sys, "stdin", io.StringIO("12\n"))
    other = example()
    other["home"]["name"] = "Elm Court"
    second = write(tmp_path, other, "b.json")
    code, _, err = run_at_import_time(run_cli, "--db", db, "import", second)
    assert code == 2 and "a PIN is 4 to 12 digits" in err
    database.open_target(db)
    assert [h.name for h in homes.homes()] == [example()["home"]["name"]]


def test_cli_invalid_json_gives_line_and_column(run_cli, tmp_path) -> None:
    bad = write(tmp_path, '{"format": "keywork-import/1",\n  "home": }\n')
    code, out, err = run_at_import_time(run_cli, "--db", str(tmp_path / "x.sqlite"), "import", bad)
    assert code == 2 and out == ""
    assert "is not valid JSON" in err and "line 2, column 11" in err
    assert err.count("\n") == 1
    assert not (tmp_path / "x.sqlite").exists()  # nothing is opened for a bad file


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "no such file"),
        (b"\xff\xfe{}", "is not UTF-8 text"),
        (
            '{"format": "keywork-import/1", "staff": [], "staff": []}',
            "the key 'staff' appears twice",
        ),
        ("[1, 2]", "file: should be an object"),
    ],
)
def test_cli_unreadable_files_are_one_clear_line(run_cli, tmp_path, content, expected) -> None:
    path = tmp_path / "in.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    code, _, err = run_at_import_time(
        run_cli, "--db", str(tmp_path / "x.sqlite"), "import", str(path)
    )
    assert code == 2 and expected in err


def test_cli_a_refusal_while_writing_is_one_line(run_cli, tmp_path) -> None:
    raw = copy.deepcopy(example())
    raw["staff"][1]["induction_done"] = False
    db = str(tmp_path / "home.sqlite")
    code, out, err = run_at_import_time(run_cli, "--db", db, "import", write(tmp_path, raw))
    assert code == 2 and out == ""
    assert err == (
        "keywork: covers[0]: Ben Cole cannot key-work: has not completed induction; "
        "nothing was imported\n"
    )
    database.open_target(db, create=True)
    assert_empty()


# --- limits: nothing a hostile file holds ends in a crash ------------------------


def _deep_list(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (lambda raw: _deep_list(200_000), "nests lists or objects deeper than an import file does"),
        (
            lambda raw: json.dumps({**raw, "home": {**raw["home"], "name": "@"}}).replace(
                '"@"', '{"a": ' * 5000 + "1" + "}" * 5000
            ),
            "nests lists or objects deeper than an import file does",
        ),
        (
            lambda raw: json.dumps(raw).replace(
                '"minutes": 30', '"minutes": ' + "[" * 40 + "]" * 40
            ),
            "nests lists or objects deeper than an import file does",
        ),
        (
            lambda raw: json.dumps(raw).replace(
                '"minutes": 30', '"minutes": ' + "[" * 5000 + "]" * 5000
            ),
            "nests lists or objects deeper than an import file does",
        ),
        (
            lambda raw: json.dumps(raw).replace('"minutes": 30', '"minutes": ' + "9" * 5000),
            "holds a number of 5,000 digits; no number in an import file has more than 18",
        ),
        (
            lambda raw: json.dumps(raw).replace('"minutes": 30', '"minutes": ' + "9" * 19),
            "holds a number of 19 digits",
        ),
    ],
    ids=[
        "list 200,000 deep",
        "object 5,000 deep in home.name",
        "list 40 deep in a session",
        "list 5,000 deep in a session",
        "5,000-digit minutes",
        "19-digit minutes",
    ],
)
def test_cli_a_hostile_file_is_one_clear_line(run_cli, tmp_path, build, expected) -> None:
    path = write(tmp_path, build(example()))
    code, out, err = run_at_import_time(run_cli, "--db", str(tmp_path / "x.sqlite"), "import", path)
    assert code == 2 and out == "" and expected in err and err.count("\n") == 1
    assert not (tmp_path / "x.sqlite").exists()


def test_cli_an_overlong_summary_is_named_and_nothing_is_imported(run_cli, tmp_path) -> None:
    raw = example()
    raw["sessions"][0]["summary"] = "word " * 4001  # 20,005 characters
    code, _, err = run_at_import_time(
        run_cli, "--db", str(tmp_path / "x.sqlite"), "import", write(tmp_path, raw)
    )
    assert code == 2
    assert "sessions[0]" in err and "summary: too long: at most 20000 characters" in err


def test_cli_a_file_over_the_size_limit_is_not_read(run_cli, tmp_path, monkeypatch) -> None:
    from keywork_tui.services.exchange import import_format

    monkeypatch.setattr(import_format, "MAX_FILE_BYTES", 1024)
    path = write(tmp_path, {**example(), "padding": "x" * 2048})
    code, _, err = run_at_import_time(run_cli, "--db", str(tmp_path / "x.sqlite"), "import", path)
    assert code == 2 and "keywork imports at most" in err and "padding" not in err


# --- what spreadsheets and paper books hold ------------------------------------


def test_null_for_an_optional_field_means_left_out(db_path) -> None:
    raw = example()
    raw["children"][0].update(preferred_name=None, school=None, likes=None)
    raw["staff"][0]["interests"] = None
    raw["sessions"][0].update(kind=None, views=None, activity=None)
    raw["home"]["nation"] = None
    do_import(raw)
    home = homes.only_home()
    assert home.nation == "england"
    [child] = people.children_in_placement(home.id, IMPORT_TIME.date())
    assert (child.preferred_name, child.school, child.short_name) == ("", "", "Jordan Reed")


def test_null_where_a_value_is_required_is_still_refused() -> None:
    raw = example()
    raw["children"][0]["first_name"] = None
    assert any("first_name" in line for line in problems(raw))


def test_a_handover_book_naming_some_children_marks_the_rest_not_mentioned(db_path) -> None:
    raw = example()
    raw["children"].append(
        {
            "ref": "c2",
            "first_name": "Sam",
            "last_name": "Hill",
            "date_of_birth": "2011-02-03",
            "admitted_on": "2026-02-01",
        }
    )
    do_import(raw)
    home = homes.only_home()
    board = handover_board.board(home.id, at=dt.datetime(2026, 12, 22, 21, 0))
    rows = {r.child: r for r in board.rows}
    assert board.status == "submitted"
    assert rows["Jo Reed"].state == "watch" and not rows["Jo Reed"].entry.not_mentioned
    sam = rows["Sam Hill"].entry
    assert sam is not None and sam.not_mentioned and sam.nothing_to_add


def test_handovers_go_in_batches_of_whole_shifts_and_the_chain_holds(db_path, monkeypatch) -> None:
    raw = example()
    raw["handover_entries"] += [
        {"child": "c1", "shift_date": day, "shift": shift, "by": "s1", "mood": f"{day} {shift}"}
        for day in ("2026-12-20", "2026-12-21")
        for shift in ("day", "night")
    ]
    batches: list[int] = []
    write_books = home_import.past_books.write_books

    def counted(home_id: int, books: list) -> None:
        batches.append(len(books))
        write_books(home_id, books)

    monkeypatch.setattr(home_import, "RECORDS_AT_ONCE", 2)
    monkeypatch.setattr(home_import.past_books, "write_books", counted)
    do_import(raw)
    assert batches == [2, 2, 1]  # five shifts, one entry each, two shifts a batch
    moods = [e.mood for e in HandoverEntry.select().order_by(HandoverEntry.id)]
    assert moods == ["Quiet after school"] + [e["mood"] for e in raw["handover_entries"][1:]]
    assert backup.bound_history().ok  # ids and the chain run on from batch to batch


@pytest.mark.parametrize("kind", ["sessions", "reviews"])
def test_a_refusal_in_a_later_batch_names_its_own_record(db_path, monkeypatch, kind) -> None:
    raw = example()
    first = raw[kind][0]
    moment = "held_at" if kind == "sessions" else "reviewed_on"
    raw[kind] = [dict(first) for _ in range(3)]
    # The third is dated after the moment of import: refused by the services.
    raw[kind][2][moment] = "2027-02-01T16:00" if kind == "sessions" else "2027-02-01"
    monkeypatch.setattr(home_import, "RECORDS_AT_ONCE", 2)
    with pytest.raises(ImportRecordError, match=rf"^{kind}\[2\]\.{moment}: "):
        do_import(raw)
    assert_empty()


@pytest.mark.skipif(ON_POSTGRES, reason="a server keeps its own cache")
def test_an_import_writes_with_a_larger_cache_and_leaves_it_as_it_was(db_path, monkeypatch) -> None:
    def cache() -> int:
        return db.execute_sql("pragma cache_size").fetchone()[0]

    before, during = cache(), []
    handovers = home_import._handovers
    monkeypatch.setattr(
        home_import, "_handovers", lambda run: (during.append(cache()), handovers(run))
    )
    do_import(example())
    assert during == [-BULK_CACHE_KB] and cache() == before


def test_at_a_terminal_the_import_says_where_it_has_got_to(run_cli, tmp_path, monkeypatch) -> None:
    path = write(tmp_path, example())
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    code, out, err = run_at_import_time(run_cli, "--db", str(tmp_path / "h.sqlite"), "import", path)
    assert code == 0 and out.startswith("Imported Oak House")
    assert err.splitlines() == [
        f"keywork: checking {path}...",
        f"keywork: {path}: 13 records, all in order",  # 3 staff, a child, a term, 8 more
        "keywork: writing them in one transaction: all of them, or none if one is refused...",
    ]


@pytest.mark.parametrize(("value", "shown"), [({}, ""), ("abc", ' (got "abc")'), (5, " (got 5)")])
def test_a_history_that_is_not_a_list_is_refused_as_a_list_field_refuses_it(value, shown) -> None:
    raw = example()
    raw["sessions"] = value
    assert problems(raw) == [f"sessions: Input should be a valid list{shown}"]
