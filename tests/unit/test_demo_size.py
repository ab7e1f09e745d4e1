"""`keywork demo --children N --years Y`: a larger home, made the same way each
time, to try keywork on or to measure it; the default demo stays as it is."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from pathlib import Path

import pytest
from engines import ON_POSTGRES

from keywork_tui import cli
from keywork_tui.services import clock, database, demo, homes
from keywork_tui.services.team import people
from models import AuditEvent, Child, Handover, HandoverEntry, KeySession

NOW = dt.datetime(2026, 3, 4, 9, 30)


def test_the_roster_keeps_the_eight_and_adds_children_with_names_of_their_own() -> None:
    assert demo.roster(None, 182, seed=1) == demo.CHILDREN
    assert demo.roster(3, 182, seed=1) == demo.CHILDREN[:3]
    large = demo.roster(130, 3650, seed=1)
    assert large[:8] == demo.CHILDREN and len(large) == 130
    assert len({first for first, *_ in large}) == 130  # children are told apart by name
    assert large == demo.roster(130, 3650, seed=1)
    assert large != demo.roster(130, 3650, seed=2)
    assert {row[-1] for row in large} <= set(demo.KEY_WORKERS)
    qualified = {name for name, _, induction, level3, _ in demo.STAFF if induction and level3}
    assert set(demo.KEY_WORKERS) <= qualified


@pytest.mark.parametrize("home", [0, 1])
def test_over_ten_years_no_child_is_placed_before_they_were_born(home: int) -> None:
    today = NOW.date()
    for first, _, _, age, days, *_ in demo.roster(60, 3650, seed=1, home=home):
        born = demo._birthday(today, age, first)
        admitted = today - dt.timedelta(days=days)
        assert born + dt.timedelta(days=5 * 365 - 366) <= admitted, first


@pytest.mark.now(NOW)
def test_a_larger_home_holds_every_child_and_the_history_asked_for(database: Path) -> None:
    built = demo.build(clock.now(), seed=3, children=20, years=0.1)
    in_placement = people.children_in_placement(built.home_id, NOW.date())
    assert len(in_placement) == len(built.children) == 20
    earliest = NOW.date() - dt.timedelta(days=36)
    handovers = Handover.select().where(Handover.home == built.home_id)
    assert built.history_days == 36  # a tenth of a year
    assert handovers.count() == 2 * 36
    assert min(h.shift_date for h in handovers) == earliest
    sessions = KeySession.select().join(Child).where(Child.home == built.home_id)
    assert sessions.count() > 11 and all(s.held_at.date() >= earliest for s in sessions)
    # Each handover speaks of the children in placement on its shift.
    assert HandoverEntry.select().count() > 11 * 2 * 30


@pytest.mark.parametrize(
    ("flag", "value", "words"),
    [
        ("--children", "0", "not a whole number from 1 to 500"),
        ("--children", "lots", "not a whole number from 1 to 500"),
        ("--years", "nan", "not a number of years from 0.05 to 20"),
        ("--years", "50", "not a number of years from 0.05 to 20"),
    ],
)
def test_a_size_out_of_reach_is_refused_with_the_usage(capsys, flag, value, words) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["demo", flag, value])
    out, err = capsys.readouterr()
    assert exit_info.value.code == 2 and out == ""
    assert words in err and "Traceback" not in err


@pytest.mark.now(NOW)
def test_a_providers_demo_holds_homes_of_their_own(new_target, capsys, monkeypatch, tmp_path):
    for var in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.setenv(var, str(tmp_path / var.lower()))
    argv = ["--db", str(new_target), "demo", "--homes", "3", "--children", "2", "--years", "0.05"]
    assert cli.main(argv) == 0
    assert "Demo homes Rowan House, Elm Court, Birch Lodge written to" in capsys.readouterr().out
    database.open_target(str(new_target))
    try:
        made = homes.homes()
        assert [h.name for h in made] == ["Rowan House", "Elm Court", "Birch Lodge"]
        for home in made:
            assert len(people.children_in_placement(home.id, NOW.date())) == 2
            staff = people.list_staff(home.id)
            # A login is one person's: only the first home maps its staff to them.
            assert any(s.os_user for s in staff) == (home.name == "Rowan House")
    finally:
        database.close()
    # The provider the demo makes sees all three side by side.
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{demo.DEMO_PIN}\n"))
    assert cli.main(["--db", str(new_target), "--home", "Rowan House", "homes", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["homes"]
    assert [h["name"] for h in listed] == ["Birch Lodge", "Elm Court", "Rowan House"]
    assert all(h["children"] == 2 for h in listed)
    # Again: a file of demo homes is replaced, a server's database never emptied.
    assert cli.main(argv) == (2 if ON_POSTGRES else 0)


def test_a_providers_homes_are_named_apart() -> None:
    names = [demo.home_name(k) for k in range(45)]
    assert names[0] == demo.HOME_NAME and len(set(names)) == 45
    assert names[20] == "Elm Court 2"


def test_a_providers_other_homes_have_children_of_their_own() -> None:
    first = {row[0] for row in demo.roster(None, 182, seed=1)}
    for home in range(1, 25):
        for count in (None, 3, 60):
            kids = demo.roster(count, 365, seed=1 + home, home=home)
            names = [row[0] for row in kids]
            assert len(names) == (count or 8) == len(set(names))
            assert not first & set(names)
    assert demo.roster(None, 182, seed=2, home=1) != demo.roster(None, 182, seed=3, home=2)


@pytest.mark.parametrize("hour", [0, 3, 7, 12, 21, 23])
def test_nothing_in_a_demo_is_recorded_after_the_moment_it_is_built(database, hour) -> None:
    # Built in the small hours, a record dated later that day would be an
    # audit trail from the future.
    moment = dt.datetime.combine(NOW.date(), dt.time(hour, 30))
    with clock.frozen(moment):
        demo.build(clock.now(), seed=2, children=8, years=0.1)
    later = AuditEvent.select(AuditEvent.action, AuditEvent.at).where(AuditEvent.at > moment)
    assert [(e.action, e.at.time()) for e in later] == []
