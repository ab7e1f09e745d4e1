"""`keywork handover`: the board as JSON for scripts and as an 80-column sheet."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from keywork_tui import cli
from keywork_tui.calendar import ShiftRef
from keywork_tui.schemas import (
    AbsenceIn,
    AllocationIn,
    AmendmentIn,
    CoverIn,
    EventIn,
    HandoverEntryIn,
    SessionIn,
    SignOnIn,
)
from keywork_tui.services import clock, database
from keywork_tui.services.actor import actor_for
from keywork_tui.services.child_file import obligations as compliance
from keywork_tui.services.child_file import plans_and_events as records
from keywork_tui.services.child_file import sessions
from keywork_tui.services.handover import shift as handover
from keywork_tui.services.team import allocation

DAY = dt.date(2026, 3, 10)
AFTERNOON = dt.datetime(2026, 3, 10, 14, 0)
DAY_SHIFT = ShiftRef(DAY, "day")
NIGHT_SHIFT = ShiftRef(DAY, "night")
LAST_NIGHT = ShiftRef(DAY - dt.timedelta(days=1), "night")
YESTERDAY_DAY = ShiftRef(DAY - dt.timedelta(days=1), "day")
LONG_EVENTS = (
    "Went to the park with two staff and played football for most of the afternoon; "
    "came back muddy and cheerful, had a shower without being asked, then helped "
    "lay the table for tea and talked about the match at length."
)

pytestmark = pytest.mark.now(AFTERNOON)


@pytest.fixture(autouse=True)
def private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep config, data and logs of every test inside its own folder."""
    for var in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.setenv(var, str(tmp_path / var.lower()))
    monkeypatch.delenv("KEYWORK_DB", raising=False)
    monkeypatch.delenv("KEYWORK_CONFIG", raising=False)
    yield tmp_path
    database.close()


def board(run_cli, db: Path, *argv: str) -> dict:
    code, out, err = run_cli.as_manager(db, "handover", "--json", *argv)
    assert (code, err) == (0, "")
    return json.loads(out)


@pytest.fixture
def team(home, add_staff, add_child):
    """Amy's key worker Kim is off sick with nobody covering; Ben's key worker
    Lee is on leave and Pat covers; Cal's key worker Pat works tonight, led by
    Mo. The day shift has written and submitted its handover; Pat has read it."""
    amy, ben, cal = add_child("Amy", "Ash"), add_child("Ben", "Birch"), add_child("Cal", "Cole")
    kim, lee, pat = add_staff("Kim Key"), add_staff("Lee Leaf"), add_staff("Pat Pool")
    start = dt.date(2026, 1, 5)
    for child, worker in ((amy, kim), (ben, lee), (cal, pat)):
        allocation.allocate(
            home.actor, AllocationIn(child_id=child.id, staff_id=worker.id, starts_on=start)
        )
    allocation.record_absence(
        home.actor, AbsenceIn(staff_id=kim.id, starts_on=DAY, ends_on=DAY, kind="sickness")
    )
    allocation.record_absence(
        home.actor, AbsenceIn(staff_id=lee.id, starts_on=DAY, ends_on=DAY, kind="leave")
    )
    allocation.arrange_cover(
        home.actor, CoverIn(child_id=ben.id, staff_id=pat.id, starts_on=DAY, ends_on=DAY)
    )
    handover.set_shift_staff(
        home.actor,
        NIGHT_SHIFT,
        SignOnIn(staff_ids=[pat.id, home.manager.id], leader_id=home.manager.id),
    )
    records.add_event(
        home.actor,
        EventIn(
            child_id=amy.id, date=DAY + dt.timedelta(days=1), kind="court", note="hearing at 10"
        ),
    )
    handover_id = handover.open_handover(home.actor, DAY_SHIFT)
    for data in (
        HandoverEntryIn(
            child_id=amy.id,
            state="watch",
            mood="quiet",
            events=LONG_EVENTS,
            actions="ring the solicitor",
            bedtime_concern="worried about court",
        ),
        HandoverEntryIn(child_id=ben.id, state="settled", mood="cheerful"),
        HandoverEntryIn(child_id=cal.id, nothing_to_add=True),
    ):
        handover.write_entry(home.actor, handover_id, data)
    handover.submit(home.actor, handover_id, home_notes="Fire alarm test at 09:00 tomorrow.")
    handover.acknowledge(actor_for(pat.id), handover_id)
    return SimpleNamespace(
        amy=amy, ben=ben, cal=cal, kim=kim, lee=lee, pat=pat, handover_id=handover_id
    )


def _child(found: dict, name: str) -> dict:
    [child] = [c for c in found["children"] if c["child"] == name]
    return child


def test_json_names_the_shifts_and_who_is_on(run_cli, database, home, team) -> None:
    found = board(run_cli, database)
    assert (found["home"], found["outgoing_shift"], found["shift"]) == (
        "Test House",
        "day",
        "night",
    )
    assert (found["shift_date"], found["starts_at"]) == ("2026-03-10", "2026-03-10T22:00")
    assert found["handover_status"] == "submitted"
    assert found["incoming_staff"] == ["Mo Manager", "Pat Pool"]
    assert found["shift_leader"] == "Mo Manager"
    assert found["acknowledged_by"] == ["Pat Pool"]
    assert found["not_acknowledged"] == ["Mo Manager"]
    assert found["home_notes"] == "Fire alarm test at 09:00 tomorrow."
    assert found["previous_unread"] is None


def test_json_key_worker_status_cover_and_no_cover(run_cli, database, home, team) -> None:
    found = board(run_cli, database)
    assert found["no_cover"] == ["Amy Ash"]
    amy, ben, cal = (_child(found, n) for n in ("Amy Ash", "Ben Birch", "Cal Cole"))
    assert (amy["key_worker"], amy["key_worker_status"], amy["absence"], amy["cover"]) == (
        "Kim Key",
        "absent",
        "sickness",
        None,
    )
    assert (ben["key_worker_status"], ben["absence"], ben["cover"]) == (
        "absent",
        "leave",
        "Pat Pool",
    )
    assert (cal["key_worker_status"], cal["cover"]) == ("on_shift", None)
    assert (amy["child_id"], ben["child_id"]) == (team.amy.id, team.ben.id)


def test_json_entries_bedtime_and_coming_dates(run_cli, database, home, team) -> None:
    found = board(run_cli, database)
    amy, cal = _child(found, "Amy Ash"), _child(found, "Cal Cole")
    assert (amy["state"], amy["mood"], amy["actions"]) == ("watch", "quiet", "ring the solicitor")
    assert amy["events"] == LONG_EVENTS and amy["nothing_to_add"] is False
    assert (cal["state"], cal["nothing_to_add"]) == (None, True)
    assert amy["bedtime_concern"] == "worried about court"
    # Said once in the handover: listed once, with where it was said.
    assert [(b["text"], b["source"], b["by"]) for b in amy["bedtime_concerns"]] == [
        ("worried about court", "day handover Tue 10 Mar", "Mo Manager")
    ]
    assert amy["events_next_24h"] == ["Tomorrow: Court (hearing at 10)"]
    assert _child(found, "Ben Birch")["bedtime_concern"] == ""


def test_json_overdue_count_and_unseen_concerns(run_cli, database, home, team) -> None:
    sessions.save_session(
        home.actor,
        SessionIn(
            child_id=team.amy.id,
            staff_id=team.kim.id,
            held_at=AFTERNOON - dt.timedelta(hours=1),
            concern=True,
            concern_text="scared of the dark",
            bedtime=True,
        ),
        finalise=True,
    )
    late = [
        o
        for o in compliance.obligations(home.id, DAY)
        if o.child_id == team.amy.id and o.status == "overdue"
    ]
    amy = _child(board(run_cli, database), "Amy Ash")
    assert late and amy["overdue_count"] == len(late)
    assert amy["unseen_concerns"] == 1
    assert amy["bedtime_concern"] == "worried about court"  # the newer of the two
    assert [b["source"] for b in amy["bedtime_concerns"]] == [
        "day handover Tue 10 Mar",
        "session Tue 10 Mar",
    ]


def test_json_amendments_and_for_cover(run_cli, database, home, team) -> None:
    with clock.frozen(AFTERNOON + dt.timedelta(minutes=30)):
        handover.amend_entry(
            home.actor,
            team.handover_id,
            team.ben.id,
            AmendmentIn(field="mood", corrected="tearful", reason="misheard"),
        )
    found = board(run_cli, database)
    ben = _child(found, "Ben Birch")
    assert ben["mood"] == "tearful"
    assert ben["amendments"] == [
        {
            "field": "mood",
            "original": "cheerful",
            "corrected": "tearful",
            "reason": "misheard",
            "by": "Mo Manager",
            "at": "2026-03-10T14:30:00",
        }
    ]
    covers = {c["cover"]: c["items"] for c in found["for_cover"]}
    # Amy's absent key worker has no cover: her notes go to the shift leader.
    assert set(covers) == {"Mo Manager", "Pat Pool"}
    assert {(i["child"], i["kind"]) for i in covers["Mo Manager"]} == {
        ("Amy Ash", "handover"),
        ("Amy Ash", "bedtime"),
    }
    assert [(i["child"], i["kind"]) for i in covers["Pat Pool"]] == [("Ben Birch", "handover")]


def test_at_chooses_a_past_shift(run_cli, database, home, team) -> None:
    with clock.frozen(dt.datetime(2026, 3, 9, 15, 0)):
        earlier = handover.open_handover(home.actor, YESTERDAY_DAY)
        handover.write_entry(
            home.actor, earlier, HandoverEntryIn(child_id=team.amy.id, mood="excited")
        )
    found = board(run_cli, database, "--at", "2026-03-09T16:00")
    assert (found["outgoing_shift"], found["shift"], found["shift_date"]) == (
        "day",
        "night",
        "2026-03-09",
    )
    assert found["starts_at"] == "2026-03-09T22:00"
    assert found["handover_status"] == "draft"
    assert _child(found, "Amy Ash")["mood"] == "excited"
    # Early in the day shift the night's handover is still the one to read.
    found = board(run_cli, database, "--at", "2026-03-10T08:00")
    assert (found["outgoing_shift"], found["shift"], found["shift_date"]) == (
        "night",
        "day",
        "2026-03-10",
    )
    assert found["handover_status"] == "none"


def test_unread_previous_handover(run_cli, database, home, team) -> None:
    with clock.frozen(dt.datetime(2026, 3, 10, 7, 0)):
        night = handover.open_handover(home.actor, LAST_NIGHT)
        for child in (team.amy, team.ben, team.cal):
            handover.write_entry(home.actor, night, HandoverEntryIn(child_id=child.id))
        handover.submit(home.actor, night)
    handover.sign_on(home.actor, DAY_SHIFT, [team.pat.id])
    found = board(run_cli, database)
    # Nobody leads the day shift, so chasing it falls to whoever wrote it.
    assert found["previous_unread"] == {
        "shift": "night",
        "date": "2026-03-09",
        "missing": ["Pat Pool"],
        "leader": "Mo Manager",
    }
    code, out, _ = run_cli.as_manager(database, "handover")
    assert code == 0
    assert (
        "UNREAD: the handover written by the Night shift of Mon 09 Mar 2026 is not yet read "
        "by Pat Pool."
    ) in " ".join(out.split())


def test_print_sheet_for_paper(run_cli, database, home, team) -> None:
    code, out, err = run_cli.as_manager(database, "handover", "--print")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert all(len(line) <= 80 for line in lines), [ln for ln in lines if len(ln) > 80]
    assert "\x1b" not in out
    assert lines[0].startswith("Test House: Day shift of Tue 10 Mar 2026 hands over to the")
    flat = " ".join(out.split())
    assert "Night shift, starting Tue 10 Mar 2026 at 22:00." in flat
    assert "On shift: Mo Manager, Pat Pool. Shift leader: Mo Manager." in flat
    assert "NO COVER: Amy Ash (Kim Key absent, sickness)." in flat
    assert "Key worker: Kim Key, absent (sickness); NO COVER" in out
    assert "Key worker: Lee Leaf, absent (leave); cover: Pat Pool" in out
    assert "Key worker: Pat Pool, on shift" in out
    assert "BEDTIME: worried about court (day handover Tue 10 Mar, Mo Manager)" in out
    assert flat.count("BEDTIME: worried about court (") == 1
    assert "Next 24 hours: Tomorrow: Court (hearing at 10)" in out
    assert "State: nothing to add this shift" in out
    assert "Overdue: " in out
    assert LONG_EVENTS in flat  # wrapped, never cut
    assert "Fire alarm test at 09:00 tomorrow." in out
    assert "For cover colleagues" in out and "For Pat Pool:" in out
    assert "Read by: Pat Pool." in out and "Not yet read by: Mo Manager." in out


def test_sheet_is_the_default_and_shows_amendments(run_cli, database, home, team) -> None:
    with clock.frozen(AFTERNOON + dt.timedelta(minutes=30)):
        handover.amend_entry(
            home.actor,
            team.handover_id,
            team.ben.id,
            AmendmentIn(field="mood", corrected="tearful", reason="misheard"),
        )
    code, out, _ = run_cli.as_manager(database, "handover")
    assert code == 0
    flat = " ".join(out.split())
    assert "Amended by Mo Manager at 14:30: mood was 'cheerful', now 'tearful'" in flat
    assert all(len(line) <= 80 for line in out.splitlines())


def test_sheet_of_an_empty_home(run_cli, database, home) -> None:
    code, out, _ = run_cli.as_manager(database, "handover")
    assert code == 0
    assert "No children in placement." in out
    assert "nobody signed on yet" in out and "Handover: not started." in out


def test_bad_at_is_one_line_and_opens_nothing(run_cli, tmp_path) -> None:
    db = tmp_path / "never.sqlite"
    code, out, err = run_cli.as_manager(db, "handover", "--at", "10/03/2026 14:00")
    assert (code, out) == (cli.EXIT_USAGE, "")
    assert err == ("keywork: --at '10/03/2026 14:00' is not a time in the form YYYY-MM-DDTHH:MM\n")
    assert not db.exists()


def test_json_and_print_together_are_refused(capsys, tmp_path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--db", str(tmp_path / "x.sqlite"), "handover", "--json", "--print"])
    assert exit_info.value.code == cli.EXIT_USAGE
    assert "not allowed with argument" in capsys.readouterr().err


def test_handover_on_an_empty_database_says_what_to_do(run_cli, tmp_path) -> None:
    code, _, err = run_cli.as_manager(tmp_path / "empty.sqlite", "handover", "--json")
    assert code == cli.EXIT_USAGE and "keywork init" in err and err.count("\n") == 1
