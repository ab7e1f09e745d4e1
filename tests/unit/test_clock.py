"""The one clock: the home's wall time whatever the machine's zone, frozen by
tests, and started "as of" a moment only on a demo home."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from keywork_tui import cli
from keywork_tui.services import clock, database
from models import Home, KeySession

UTC = dt.UTC


def test_the_home_keeps_uk_time_whatever_the_machine_is_set_to():
    summer = dt.datetime(2027, 7, 1, 11, 0, 0, 999, tzinfo=UTC)
    winter = dt.datetime(2027, 1, 1, 11, 0, tzinfo=UTC)
    assert clock.home_time(summer) == dt.datetime(2027, 7, 1, 12, 0)
    assert clock.home_time(winter) == dt.datetime(2027, 1, 1, 11, 0)


def test_the_hour_that_comes_twice_is_told_apart():
    first = clock.home_time(dt.datetime(2027, 10, 31, 0, 30, tzinfo=UTC))
    second = clock.home_time(dt.datetime(2027, 10, 31, 1, 30, tzinfo=UTC))
    assert first == second == dt.datetime(2027, 10, 31, 1, 30)
    assert (first.fold, second.fold) == (0, 1)


def test_a_test_that_reaches_for_the_wall_clock_fails():
    with pytest.raises(AssertionError, match="read the wall clock"):
        clock.wall()


def test_frozen_blocks_nest_and_restore():
    outer, inner = dt.datetime(2027, 1, 2, 3, 4), dt.datetime(2028, 2, 29, 7, 29)
    with clock.frozen(outer):
        with clock.frozen(inner):
            assert clock.now() == inner and clock.today() == inner.date()
        assert clock.now() == outer


def test_started_as_of_a_moment_the_clock_runs_on(monkeypatch):
    real = [dt.datetime(2026, 12, 1, 9, 0)]
    monkeypatch.setattr(clock, "wall", lambda: real[0])
    monkeypatch.setattr(clock, "_frozen", None)
    clock.start_at(dt.datetime(2026, 11, 22, 17, 30))
    assert clock.as_of() and clock.now() == dt.datetime(2026, 11, 22, 17, 30)
    real[0] += dt.timedelta(minutes=3)
    assert clock.now() == dt.datetime(2026, 11, 22, 17, 33)
    clock.reset()
    assert not clock.as_of() and clock.now() == real[0]


def test_rows_are_stamped_by_the_one_clock(home, add_child):
    amy = add_child("Amy")
    with clock.frozen(dt.datetime(2031, 6, 15, 12, 0)):
        row = KeySession.create(
            child=amy.id, staff=home.manager.id, held_at=dt.datetime(2031, 6, 15, 11, 0)
        )
    assert row.created_at == row.updated_at == dt.datetime(2031, 6, 15, 12, 0)


# --- KEYWORK_AS_OF on the command line ---------------------------------------------


@pytest.fixture
def command_line(run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Runs `keywork` in this process with its data kept in the test's folder;
    the real time, where a command asks for it, is 1 December 2026, 09:00."""
    for var in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.setenv(var, str(tmp_path / var.lower()))
    monkeypatch.delenv("KEYWORK_DB", raising=False)
    monkeypatch.delenv("KEYWORK_CONFIG", raising=False)
    monkeypatch.setattr(clock, "wall", lambda: dt.datetime(2026, 12, 1, 9, 0))
    monkeypatch.setattr(clock, "_frozen", None)

    def run(*argv: str, pin: str = "2580") -> tuple[int, str, str]:
        return run_cli(*argv, stdin=f"{pin}\n")

    yield run
    database.close()


def _home(run, db: Path, *, demo: bool) -> None:
    code, _, err = run("--db", str(db), "init", "--home", "Ash Lodge", "--manager", "Bea Moss")
    assert code == 0, err
    if demo:
        database.open_target(str(db), create=True)
        Home.update(is_demo=True).execute()
        database.close()


def test_as_of_runs_a_demo_home_at_that_moment(command_line, tmp_path, monkeypatch):
    db = tmp_path / "demo.sqlite"
    _home(command_line, db, demo=True)
    monkeypatch.setenv(cli.AS_OF_VARIABLE, "2031-06-15T12:00")
    code, out, _ = command_line("--db", str(db), "overdue")
    assert code == 0 and "on Sun 15 Jun 2031" in out
    assert not clock.as_of()  # the clock is the real one again once the command ends


def test_without_as_of_a_command_reads_the_real_time(command_line, tmp_path):
    db = tmp_path / "demo.sqlite"
    _home(command_line, db, demo=True)
    code, out, _ = command_line("--db", str(db), "overdue")
    assert code == 0 and "on Tue 01 Dec 2026" in out


def test_as_of_is_refused_on_real_records(command_line, tmp_path, monkeypatch):
    db = tmp_path / "real.sqlite"
    _home(command_line, db, demo=False)
    monkeypatch.setenv(cli.AS_OF_VARIABLE, "2020-01-01T09:00")
    for argv in (["overdue"], ["handover"], ["backup"], ["report", "summary"]):
        code, out, err = command_line("--db", str(db), *argv)
        assert code == 2 and out == ""
        assert err.startswith("keywork: KEYWORK_AS_OF is for the demo and tests only")
        assert err.count("\n") == 1


def test_as_of_cannot_make_a_home(command_line, tmp_path, monkeypatch):
    db = tmp_path / "new.sqlite"
    monkeypatch.setenv(cli.AS_OF_VARIABLE, "2020-01-01T09:00")
    code, _, err = command_line(
        "--db", str(db), "init", "--home", "Ash Lodge", "--manager", "Bea Moss"
    )
    assert code == 2 and "is for the demo and tests only" in err
    database.open_target(str(db), create=True)
    assert Home.select().count() == 0


def test_a_mistyped_as_of_is_one_line(command_line, tmp_path, monkeypatch):
    monkeypatch.setenv(cli.AS_OF_VARIABLE, "next tuesday")
    code, _, err = command_line("--db", str(tmp_path / "x.sqlite"), "check")
    assert code == 2
    assert err == (
        "keywork: KEYWORK_AS_OF 'next tuesday' is not a time in the form YYYY-MM-DDTHH:MM\n"
    )
