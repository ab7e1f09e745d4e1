"""The keywork command: every user error is one line on stderr, never a traceback."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from keywork_tui import cli
from keywork_tui.schemas import HomeIn, StaffIn
from keywork_tui.services import actor_for, audit, database, homes
from keywork_tui.services.team import people, signin


@pytest.fixture(autouse=True)
def private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep config, data and logs of every test inside its own folder."""
    for var in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.setenv(var, str(tmp_path / var.lower()))
    monkeypatch.delenv("KEYWORK_DB", raising=False)
    monkeypatch.delenv("KEYWORK_CONFIG", raising=False)
    yield tmp_path
    database.close()


@pytest.fixture(autouse=True)
def manager_pin(monkeypatch: pytest.MonkeyPatch) -> None:
    """`keywork init` asks for the manager's PIN: standard input answers with one."""
    feed(monkeypatch, "2580")


def feed(monkeypatch: pytest.MonkeyPatch, *lines: str) -> None:
    """What a script pipes in: one line for each question asked."""
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(f"{line}\n" for line in lines)))


def test_version(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.startswith("keywork ")


def test_bad_arguments_exit_2_with_usage(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["frobnicate"])
    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_init_then_check(run_cli, tmp_path) -> None:
    db = str(tmp_path / "home.sqlite")
    code, out, _ = run_cli("--db", db, "init", "--home", "Ash Lodge", "--manager", "Bea Moss")
    assert code == 0 and "Ash Lodge" in out
    assert (os.stat(db).st_mode & 0o777) == 0o600
    code, out, _ = run_cli("--db", db, "check")
    assert code == 0
    assert "integrity:       ok" in out
    version = out.split("SQLite version:")[1].split()[0]
    assert tuple(int(p) for p in version.split(".")) >= (3, 51, 3)


def _init(run_cli, db: str) -> None:
    code, _, _ = run_cli("--db", db, "init", "--home", "Ash Lodge", "--manager", "Bea Moss")
    assert code == 0


def _sign_in(db: str, name: str, secret: str) -> None:
    """Sign in through the services, as the sign-in screen will."""
    database.open_target(db, create=True)
    try:
        home = homes.only_home()
        signin.sign_in(home.id, people.resolve_staff(home.id, name).id, secret)
    finally:
        database.close()


def test_init_leaves_a_manager_who_can_sign_in(run_cli, tmp_path) -> None:
    db = str(tmp_path / "home.sqlite")
    code, out, _ = run_cli("--db", db, "init", "--home", "Ash Lodge", "--manager", "Bea Moss")
    assert code == 0 and "signs in with the PIN just set" in out
    _sign_in(db, "Bea Moss", "2580")


def test_init_refuses_a_weak_pin_and_writes_no_home(run_cli, tmp_path, monkeypatch) -> None:
    db = str(tmp_path / "home.sqlite")
    feed(monkeypatch, "1111")
    code, _, err = run_cli("--db", db, "init", "--home", "Ash Lodge", "--manager", "Bea Moss")
    assert code == 2 and "one digit repeated" in err and err.count("\n") == 1
    assert not Path(db).exists()  # the file made for the home is taken away again
    feed(monkeypatch, "2580")
    _init(run_cli, db)  # nothing was written the first time


def test_a_refused_pin_leaves_a_database_that_was_there_as_it_was(
    run_cli, tmp_path, monkeypatch
) -> None:
    db = str(tmp_path / "home.sqlite")
    _init(run_cli, db)
    feed(monkeypatch, "1111")
    code, _, err = run_cli("--db", db, "init", "--home", "Elm Court", "--manager", "Eve Elm")
    assert code == 2 and "one digit repeated" in err
    assert [h.name for h in homes.homes()] == ["Ash Lodge"]


def test_init_without_a_pin_on_stdin_says_so(run_cli, tmp_path, monkeypatch) -> None:
    feed(monkeypatch)
    db = str(tmp_path / "home.sqlite")
    code, _, err = run_cli("--db", db, "init", "--home", "Ash Lodge", "--manager", "Bea Moss")
    assert code == 2 and "no PIN given" in err


def test_init_at_a_terminal_asks_twice(run_cli, tmp_path, monkeypatch) -> None:
    answers = iter(["2580", "2581"])
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(cli.getpass, "getpass", lambda _prompt="": next(answers))
    db = str(tmp_path / "home.sqlite")
    code, _, err = run_cli("--db", db, "init", "--home", "Ash Lodge", "--manager", "Bea Moss")
    assert code == 2 and "the two entries differ" in err


def test_set_pin_asks_for_the_current_pin_first(run_cli, tmp_path, monkeypatch) -> None:
    db = str(tmp_path / "home.sqlite")
    _init(run_cli, db)
    feed(monkeypatch, "2580", "a quiet passphrase")
    code, out, _ = run_cli("--db", db, "set-pin")
    assert code == 0 and "PIN set for Bea Moss" in out
    _sign_in(db, "Bea Moss", "a quiet passphrase")


def test_set_pin_with_a_wrong_current_pin_is_refused_and_counted(
    run_cli, tmp_path, monkeypatch
) -> None:
    db = str(tmp_path / "home.sqlite")
    _init(run_cli, db)
    feed(monkeypatch, "9753", "3691")
    code, _, err = run_cli("--db", db, "set-pin", "--as", "Bea")
    assert code == 2 and err == "keywork: wrong PIN\n"
    _sign_in(db, "Bea Moss", "2580")  # unchanged
    database.open_target(db, create=True)
    actions = [e.action for e in audit.events(action_prefix="signin.")]
    database.close()
    assert actions == ["signin.ok", "signin.fail"]  # newest first


def _add_kim(db: str) -> None:
    database.open_target(db, create=True)
    home = homes.only_home()
    people.add_staff(actor_for(people.first_manager(home.id).id), StaffIn(name="Kim Key"))
    database.close()


def test_a_first_pin_cannot_be_taken_from_a_shell(run_cli, tmp_path, monkeypatch) -> None:
    db = str(tmp_path / "home.sqlite")
    _init(run_cli, db)
    _add_kim(db)
    feed(monkeypatch, "8642", "8642")
    code, _, err = run_cli("--db", db, "set-pin", "--as", "Kim Key")
    assert code == 2 and err == "keywork: that set-up code is wrong, used or out of date\n"
    database.open_target(db, create=True)
    assert not signin.has_pin(people.find_staff(homes.only_home().id, "Kim Key").id)
    database.close()


def test_a_manager_invites_and_the_colleague_sets_their_own_pin(
    run_cli, tmp_path, monkeypatch
) -> None:
    db = str(tmp_path / "home.sqlite")
    _init(run_cli, db)
    _add_kim(db)
    feed(monkeypatch, "2580")  # the manager's PIN
    code, out, _ = run_cli("--db", db, "invite", "Kim Key", "--as", "Bea Moss")
    assert code == 0 and out.startswith("Set-up code for Kim Key: ")
    code_given = out.splitlines()[0].rsplit(" ", 1)[1]
    assert "works once, until Wed 25 Nov 2026 17:30" in out  # 72 hours on
    feed(monkeypatch, code_given.lower().replace("-", ""), "3691")
    code, out, _ = run_cli("--db", db, "set-pin", "--as", "Kim Key")
    assert code == 0 and "PIN set for Kim Key" in out
    _sign_in(db, "Kim Key", "3691")


def test_only_a_manager_invites(run_cli, tmp_path, monkeypatch) -> None:
    db = str(tmp_path / "home.sqlite")
    _init(run_cli, db)
    _add_kim(db)
    database.open_target(db, create=True)
    kim = people.find_staff(homes.only_home().id, "Kim Key")
    signin.set_pin(actor_for(people.first_manager(kim.home_id).id), kim.id, "3691")
    database.close()
    feed(monkeypatch, "3691")
    code, _, err = run_cli("--db", db, "--as", "Kim Key", "invite", "Kim Key")
    assert code == 2 and "issue a set-up code" in err


def test_global_as_names_whose_pin_is_set(run_cli, tmp_path, monkeypatch) -> None:
    db = str(tmp_path / "home.sqlite")
    _init(run_cli, db)
    feed(monkeypatch, "2580", "3691")
    code, out, _ = run_cli("--db", db, "--as", "Bea Moss", "set-pin")
    assert code == 0 and "PIN set for Bea Moss" in out


def test_init_adds_a_home_beside_others_but_not_one_of_the_same_name(
    run_cli, tmp_path, monkeypatch
) -> None:
    db = str(tmp_path / "home.sqlite")
    feed(monkeypatch, "2580", "2580", "3691", "3691")
    run_cli("--db", db, "init", "--home", "Ash Lodge", "--manager", "Bea Moss")
    code, _, err = run_cli("--db", db, "init", "--home", " ash lodge", "--manager", "X Y")
    assert code == 2 and "already holds a home named ' ash lodge'" in err
    code, out, _ = run_cli("--db", db, "init", "--home", "Elm Court", "--manager", "Eve Elm")
    assert code == 0 and "Created Elm Court" in out
    assert [h.name for h in homes.homes()] == ["Ash Lodge", "Elm Court"]


def test_unknown_url_scheme(run_cli) -> None:
    code, _, err = run_cli("--db", "mysql://somewhere/db", "check")
    assert code == 2
    assert err.startswith("keywork: unknown database URL scheme 'mysql'")
    assert err.count("\n") == 1


def test_uncreatable_file(run_cli, tmp_path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code, _, err = run_cli(
        "--db",
        str(blocker / "x.sqlite"),
        "init",
        "--home",
        "Ash Lodge",
        "--manager",
        "Bea Moss",
    )
    assert code == 2 and "cannot create database" in err


def test_file_that_is_not_a_database(run_cli, tmp_path) -> None:
    bogus = tmp_path / "notes.sqlite"
    bogus.write_text("Dear diary, " * 500)
    code, _, err = run_cli("--db", str(bogus), "overdue")
    assert code == cli.EXIT_NOT_A_DATABASE and "cannot open database" in err


def test_newer_schema_is_refused_with_its_own_exit_code(run_cli, tmp_path) -> None:
    db = str(tmp_path / "home.sqlite")
    run_cli("--db", db, "init", "--home", "Ash Lodge", "--manager", "Bea Moss")
    database.open_target(db, create=True)
    from models import db as peewee_db

    peewee_db.execute_sql(
        "insert into schema_migration (name, applied) values ('9999_future', '2030-01-01')"
    )
    database.close()
    code, _, err = run_cli("--db", db, "check")
    assert code == cli.EXIT_SCHEMA_TOO_NEW
    assert "newer version of keywork" in err


def test_app_on_an_empty_database_says_what_to_do(run_cli, tmp_path) -> None:
    code, _, err = run_cli("--db", str(tmp_path / "empty.sqlite"))
    assert code == 2 and "keywork init" in err


def test_unknown_staff_name(run_cli, tmp_path) -> None:
    db = str(tmp_path / "home.sqlite")
    run_cli("--db", db, "init", "--home", "Ash Lodge", "--manager", "Bea Moss")
    code, _, err = run_cli("--db", db, "--as", "Nobody Here")
    assert code == 2 and "no active staff member called 'Nobody Here'" in err


def test_bad_config_file(run_cli, tmp_path, monkeypatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text("database = [unclosed")
    monkeypatch.setenv("KEYWORK_CONFIG", str(config))
    code, _, err = run_cli("check")
    assert code == 2 and "not valid TOML" in err


def test_keywork_db_environment_variable(run_cli, tmp_path, monkeypatch) -> None:
    db = tmp_path / "from-env.sqlite"
    monkeypatch.setenv("KEYWORK_DB", str(db))
    code, _, _ = run_cli("init", "--home", "Ash Lodge", "--manager", "Bea Moss")
    assert code == 0 and db.exists()
    code, out, _ = run_cli("check")
    assert code == 0 and str(db) in out


@pytest.fixture
def small_demo(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A one-person demo home in place of the full one: these tests are about
    where the command writes, and the full demo is built by the Pilot tests."""
    from keywork_tui.services import demo

    seeds: list[int] = []

    def build(now, seed=1, children=None, years=None, home=0):
        seeds.append(seed)
        made, _ = homes.create_home(
            HomeIn(name=f"Demo {seed}"), StaffIn(name="Dee Demo", role="manager"), demo=True
        )
        return SimpleNamespace(home_id=made.id)

    monkeypatch.setattr(demo, "build", build)
    return seeds


def test_demo_goes_to_its_own_file_and_replaces_only_a_demo(
    run_cli, private_dirs, small_demo
) -> None:
    code, out, _ = run_cli("demo")
    demo_file = private_dirs / "xdg_data_home" / "keywork" / "demo.sqlite"
    assert code == 0 and str(demo_file) in out
    assert (demo_file.stat().st_mode & 0o777) == 0o600
    code, out, _ = run_cli("demo", "--seed", "2")
    assert code == 0 and "Demo home Demo 2 written" in out
    assert small_demo == [1, 2]
    database.open_target(str(demo_file), create=True)
    assert [h.name for h in homes.homes()] == ["Demo 2"]  # the first demo was replaced
    assert not (private_dirs / "xdg_data_home" / "keywork" / "keywork.sqlite").exists()


def test_demo_never_writes_over_real_records(run_cli, tmp_path) -> None:
    db = tmp_path / "real.sqlite"
    run_cli("--db", str(db), "init", "--home", "Ash Lodge", "--manager", "Bea Moss")
    before = db.read_bytes()
    code, _, err = run_cli("--db", str(db), "demo")
    assert code == 2 and "holds real records" in err
    assert db.read_bytes() == before


def test_a_bug_is_logged_not_shown(run_cli, monkeypatch, private_dirs) -> None:
    def explode(_args):
        raise RuntimeError("internal detail")

    monkeypatch.setitem(cli.COMMANDS, "check", explode)
    code, _, err = run_cli("check")
    assert code == cli.EXIT_BUG
    assert "internal detail" not in err and "details are in" in err
    log = (private_dirs / "xdg_state_home" / "keywork" / "log" / "keywork.log").read_text()
    assert "RuntimeError: internal detail" in log


def test_console_script_runs(tmp_path) -> None:
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "keywork_tui", "--db", "nope://x", "check"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("keywork: ") and "Traceback" not in result.stderr


def _opened_app(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    """Keep the app from running; record how it was asked to open."""
    from keywork_tui import app as app_module

    opened: list[dict] = []

    def fake_init(
        self,
        home_id,
        staff_id,
        database,
        *,
        signed_in=True,
        over_ssh=False,
        keymap=None,
        overdue=None,
        first_handover=None,
        seen_up_to=None,
    ):
        opened.append({"staff_id": staff_id, "signed_in": signed_in, "over_ssh": over_ssh})
        self.first = first_handover
        self._return_code = None

    monkeypatch.setattr(app_module.KeyworkApp, "__init__", fake_init)
    monkeypatch.setattr(app_module.KeyworkApp, "run", lambda self: None)
    return opened


def test_the_demo_opens_on_a_handover_read_before_the_app_runs(
    run_cli, monkeypatch, private_dirs
) -> None:
    from keywork_tui import app as app_module

    demo_file = private_dirs / "xdg_data_home" / "keywork" / "demo.sqlite"
    assert run_cli("demo")[0] == 0
    made: list[object] = []
    opened = _opened_app(monkeypatch)
    monkeypatch.setattr(app_module.KeyworkApp, "run", lambda self: made.append(self.first))
    code, _, err = run_cli("--db", str(demo_file))
    assert code == 0, err
    assert opened[0]["signed_in"]  # the demo's own file opens without a PIN
    [first] = made
    assert first is not None and first.board.rows and first.overdue > 0


def test_as_name_only_preselects_on_a_real_home(run_cli, tmp_path, monkeypatch) -> None:
    for name in ("SSH_CONNECTION", "SSH_TTY"):
        monkeypatch.delenv(name, raising=False)
    db = str(tmp_path / "real.sqlite")
    assert run_cli("--db", db, "init", "--home", "Ash Lodge", "--manager", "Bea Moss")[0] == 0
    opened = _opened_app(monkeypatch)
    assert run_cli("--db", db, "--as", "Bea Moss")[0] == 0
    assert opened == [{"staff_id": 1, "signed_in": False, "over_ssh": False}]


@pytest.mark.parametrize(
    ("command", "shows"),
    [
        (("report", "summary"), "staff_id,key_worker"),
        (("overdue",), "Ash Lodge: 0 item(s)"),
        (("handover",), "Ash Lodge"),
    ],
)
def test_a_command_reading_or_acting_asks_the_pin(
    run_cli, tmp_path, monkeypatch, command, shows
) -> None:
    db = str(tmp_path / "real.sqlite")
    assert run_cli("--db", db, "init", "--home", "Ash Lodge", "--manager", "Bea Moss")[0] == 0
    feed(monkeypatch, "9999")
    code, out, err = run_cli("--db", db, *command)
    assert code != 0 and "wrong PIN" in err and out == ""
    feed(monkeypatch)  # nothing typed at all
    code, out, err = run_cli("--db", db, *command)
    assert code != 0 and "no PIN given" in err and out == ""
    feed(monkeypatch, "2580")
    code, out, _ = run_cli("--db", db, *command)
    assert code == 0 and shows in out


# --- commands that only read make nothing ------------------------------------------

READING = [
    [],
    ["overdue"],
    ["handover"],
    ["check"],
    ["backup"],
    ["set-pin"],
    ["invite", "Kim Key"],
    ["export", "child", "1", "--out", "x.json"],
    ["report", "summary"],
    ["import-csv", "staff", "staff.csv"],
]


def _files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.name != "staff.csv")


@pytest.mark.parametrize("argv", READING, ids=lambda a: " ".join(a) or "the app")
def test_a_mistyped_database_path_is_named_and_nothing_is_made(run_cli, tmp_path, argv) -> None:
    (tmp_path / "staff.csv").write_text("name\nKim Key\n", encoding="utf-8")
    before = _files_under(tmp_path)
    code, out, err = run_cli("--db", str(tmp_path / "nosuchdir" / "x.db"), *argv)
    assert code == 2 and err.count("\n") == 1
    assert "no database at" in err and "nor a folder" in err and "mistyped" in err
    assert _files_under(tmp_path) == before


@pytest.mark.parametrize("argv", READING, ids=lambda a: " ".join(a) or "the app")
def test_no_database_yet_at_the_default_place_makes_none(run_cli, tmp_path, argv) -> None:
    (tmp_path / "staff.csv").write_text("name\nKim Key\n", encoding="utf-8")
    code, _, err = run_cli(*argv)
    assert code == 2 and "no database at" in err and "keywork init" in err
    assert _files_under(tmp_path) == []
