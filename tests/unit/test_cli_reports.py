"""`keywork export` and `keywork report`: files 0600, refusals one line on stderr."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat

import pytest

from keywork_tui import cli_reports
from keywork_tui.schemas import AllocationIn, SessionIn
from keywork_tui.services import ServiceError, clock
from keywork_tui.services.actor import actor_for
from keywork_tui.services.child_file import sessions
from keywork_tui.services.team import allocation

NOW = dt.datetime(2026, 4, 20, 10, 0)

pytestmark = pytest.mark.now(NOW)


@pytest.fixture
def amy(home, add_staff, add_child):
    """Amy, key worker Kim, with one session in March 2026 that names a script."""
    kim, amy = add_staff("Kim Key"), add_child("Amy")
    allocation.allocate(
        home.actor, AllocationIn(child_id=amy.id, staff_id=kim.id, starts_on=dt.date(2026, 1, 5))
    )
    held = dt.datetime(2026, 3, 4, 16)
    with clock.frozen(held):
        sessions.save_session(
            home.actor,
            SessionIn(
                child_id=amy.id,
                staff_id=kim.id,
                held_at=held,
                concern=True,
                concern_text="<script>x</script>",
            ),
            finalise=True,
        )
    return amy


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_export_child_writes_private_json(run_cli, home, amy, tmp_path) -> None:
    out = tmp_path / "amy.json"
    code, said, _ = run_cli.commands(
        cli_reports, home.actor, "export", "child", str(amy.id), "--out", str(out)
    )
    assert code == 0 and str(out) in said
    assert _mode(out) == 0o600
    data = json.loads(out.read_text())
    assert data["child"]["id"] == amy.id and len(data["sessions"]) == 1


def test_an_existing_file_is_kept_unless_overwrite(run_cli, home, amy, tmp_path) -> None:
    out = tmp_path / "amy.json"
    out.write_text("earlier")
    argv = ("export", "child", str(amy.id), "--out", str(out))
    code, _, err = run_cli.commands(cli_reports, home.actor, *argv)
    assert code == 2 and "already exists" in err and err.count("\n") == 1
    assert out.read_text() == "earlier"
    code, _, _ = run_cli.commands(cli_reports, home.actor, *argv, "--overwrite")
    assert code == 0 and _mode(out) == 0o600 and json.loads(out.read_text())["child"]


@pytest.mark.parametrize(
    ("name", "concern"),
    [("march.html", "&lt;script&gt;x&lt;/script&gt;"), ("march.md", "\\<script>x\\</script>")],
)
def test_report_child_month(run_cli, home, amy, tmp_path, name, concern) -> None:
    out = tmp_path / name
    code, said, _ = run_cli.commands(
        cli_reports,
        home.actor,
        "report",
        "child",
        str(amy.id),
        "--month",
        "2026-03",
        "--out",
        str(out),
    )
    assert code == 0 and "Amy Child" in said
    assert _mode(out) == 0o600
    text = out.read_text()
    assert "Sessions held (1)" in text
    assert concern in text  # the format follows the suffix, user text kept inert


def test_report_review_period(run_cli, home, amy, tmp_path) -> None:
    out = tmp_path / "cla.md"
    code, _, _ = run_cli.commands(
        cli_reports,
        home.actor,
        "report",
        "review",
        str(amy.id),
        "--from",
        "2026-02-01",
        "--to",
        "2026-03-31",
        "--out",
        str(out),
    )
    assert code == 0 and "01 Feb 2026 to 31 Mar 2026" in out.read_text()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ("report", "child", "{id}", "--month", "2026-03", "--out", "{tmp}/r.txt"),
            "must end in .md or .html",
        ),
        (
            ("report", "child", "{id}", "--month", "2026-13", "--out", "{tmp}/r.md"),
            "--month '2026-13' is not a month in the form YYYY-MM",
        ),
        (
            (
                "report",
                "review",
                "{id}",
                "--from",
                "1 March",
                "--to",
                "2026-03-31",
                "--out",
                "{tmp}/r.md",
            ),
            "--from '1 March' is not a date",
        ),
        (
            (
                "report",
                "review",
                "{id}",
                "--from",
                "2026-03-31",
                "--to",
                "2026-03-01",
                "--out",
                "{tmp}/r.md",
            ),
            "the period ends before it begins",
        ),
        (
            ("report", "child", "999", "--month", "2026-03", "--out", "{tmp}/r.md"),
            "no child with id 999",
        ),
        (("export", "child", "{id}", "--out", "{tmp}/missing/r.json"), "cannot write"),
    ],
)
def test_mistakes_are_one_line(run_cli, home, amy, tmp_path, argv, message) -> None:
    filled = [a.format(id=amy.id, tmp=tmp_path) for a in argv]
    code, out, err = run_cli.commands(cli_reports, home.actor, *filled)
    assert code == 2 and out == ""
    assert err.startswith("keywork: ") and message in err and err.count("\n") == 1
    assert not (tmp_path / "r.md").exists()


def test_summary_to_stdout_and_to_file(run_cli, home, amy, tmp_path) -> None:
    code, out, _ = run_cli.commands(
        cli_reports, home.actor, "report", "summary", "--on", "2026-03-31"
    )
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("staff_id,key_worker,")
    assert lines[1].split(",")[1:4] == ["Kim Key", "1", "1"]
    path = tmp_path / "summary.csv"
    code, said, _ = run_cli.commands(
        cli_reports, home.actor, "report", "summary", "--out", str(path)
    )
    assert code == 0 and str(path) in said
    assert _mode(path) == 0o600 and path.read_text().startswith("staff_id,")


def test_a_care_worker_is_refused(run_cli, home, amy, add_staff, tmp_path) -> None:
    worker = actor_for(add_staff("Cal Care").id)
    out = tmp_path / "amy.json"
    code, _, err = run_cli.commands(
        cli_reports, worker, "export", "child", str(amy.id), "--out", str(out)
    )
    assert code == 2 and "only a manager or admin can export" in err
    assert not out.exists()


def test_out_is_required_for_a_child_report(run_cli, capsys, home, amy) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run_cli.parser(cli_reports).parse_args(
            ["report", "child", str(amy.id), "--month", "2026-03"]
        )
    assert exit_info.value.code == 2
    assert "--out" in capsys.readouterr().err


def test_the_acting_staff_member_follows_as(home, add_staff) -> None:
    from keywork_tui.services.team import people

    kim = add_staff("Kim Key")
    assert people.resolve_staff(home.id, None).id == home.manager.id
    assert people.resolve_staff(home.id, "kim").id == kim.id
    with pytest.raises(ServiceError, match="no active staff member called 'Nobody'"):
        people.resolve_staff(home.id, "Nobody")


def test_a_child_is_named_by_name_as_well_as_id(run_cli, home, amy, add_child, tmp_path) -> None:
    out = tmp_path / "march.md"
    code, said, _ = run_cli.commands(
        cli_reports,
        home.actor,
        "report",
        "child",
        "amy",
        "--month",
        "2026-03",
        "--out",
        str(out),
    )
    assert code == 0 and out.exists()
    add_child("Amir", "Khan")
    code, _, err = run_cli.commands(
        cli_reports,
        home.actor,
        "report",
        "child",
        "am",
        "--month",
        "2026-03",
        "--out",
        str(tmp_path / "x.md"),
    )
    assert code == 2 and "could be Amir Khan (id" in err and "Amy Child (id" in err
    code, _, err = run_cli.commands(
        cli_reports, home.actor, "export", "child", "Tyler", "--out", str(tmp_path / "t.json")
    )
    assert code == 2 and "no child of this home is called 'Tyler'" in err
    code, said, _ = run_cli.commands(
        cli_reports,
        home.actor,
        "export",
        "child",
        "Amy Child",
        "--out",
        str(tmp_path / "a.json"),
    )
    assert code == 0 and f"Amy Child (id {amy.id})" in said
