"""`keywork import-csv`: a count on success, every problem on stderr with exit 2
otherwise, and nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from keywork_tui import cli_csv
from keywork_tui.schemas import StaffIn
from keywork_tui.services.actor import Actor
from keywork_tui.services.team import people
from models import Child, Staff

STAFF_CSV = "name,role,induction_done\nAmy Shah,care_staff,yes\nBen Cole,shift_leader,no\n"
CHILDREN_HEADER = "first_name,last_name,date_of_birth,admitted_on\n"


def write(tmp_path: Path, text: str, name: str = "people.csv", encoding: str = "utf-8") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def test_staff_imported(run_cli, home, tmp_path) -> None:
    code, out, err = run_cli.commands(
        cli_csv, home.actor, "import-csv", "staff", write(tmp_path, STAFF_CSV)
    )
    assert (code, out, err) == (0, "Imported 2 staff.\n", "")
    assert Staff.select().count() == 3


def test_children_imported_from_excel(run_cli, home, tmp_path) -> None:
    text = "\ufeff" + CHILDREN_HEADER + "Jordan,Reed,04/05/2012,10/01/2026\r\n"
    code, out, _ = run_cli.commands(
        cli_csv, home.actor, "import-csv", "children", write(tmp_path, text)
    )
    assert (code, out) == (0, "Imported 1 child.\n")
    assert Child.get().first_name == "Jordan"


def test_every_problem_printed_and_nothing_written(run_cli, home, tmp_path) -> None:
    text = (
        CHILDREN_HEADER
        + "Jordan,Reed,2012-05-04,2026-01-10\n"
        + "Sam,,2013-01-01,2026-01-10\n"
        + "Ada,Lane,32/01/2013,2026-01-10\n"
    )
    path = write(tmp_path, text)
    code, out, err = run_cli.commands(cli_csv, home.actor, "import-csv", "children", path)
    assert code == 2 and out == ""
    assert err.splitlines() == [
        f"keywork: {path}: row 3, last_name: this cannot be blank",
        f"keywork: {path}: row 4, date_of_birth: not a date in the calendar (got '32/01/2013')",
        f"keywork: 2 problem(s) in {path}; nothing was imported",
    ]
    assert Child.select().count() == 0


def test_a_clash_with_the_home_is_a_listed_problem(run_cli, home, tmp_path) -> None:
    code, _, err = run_cli.commands(
        cli_csv, home.actor, "import-csv", "staff", write(tmp_path, "name\nMo Manager\n")
    )
    assert code == 2
    assert "row 2, name: Mo Manager is already on the staff" in err


def test_a_long_list_is_cut_short(run_cli, home, tmp_path) -> None:
    text = "name,level3\n" + "".join(f"P{n},perhaps\n" for n in range(60))
    code, _, err = run_cli.commands(
        cli_csv, home.actor, "import-csv", "staff", write(tmp_path, text)
    )
    lines = err.splitlines()
    assert code == 2 and len(lines) == cli_csv.MAX_ERRORS + 2
    assert lines[-2].endswith("... and 10 more")
    assert lines[-1].endswith(
        "60 problem(s) in " + str(tmp_path / "people.csv") + "; nothing was imported"
    )


def test_unknown_column(run_cli, home, tmp_path) -> None:
    code, _, err = run_cli.commands(
        cli_csv, home.actor, "import-csv", "staff", write(tmp_path, "name,rolw\nAmy,manager\n")
    )
    assert code == 2
    assert "row 1, rolw: unknown column; did you mean role?" in err
    assert Staff.select().count() == 1


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: str(tmp / "missing.csv"), "no such file"),
        (lambda tmp: str(tmp), "is a folder, not a file"),
        (
            lambda tmp: write(tmp, "name\nZoë Hart\n", encoding="cp1252"),
            "is not UTF-8 text (byte 7); in Excel, save it as 'CSV UTF-8'",
        ),
    ],
)
def test_a_file_that_cannot_be_read(run_cli, home, tmp_path, make, message) -> None:
    code, out, err = run_cli.commands(cli_csv, home.actor, "import-csv", "staff", make(tmp_path))
    assert code == 2 and out == ""
    assert err.startswith("keywork: ") and message in err
    assert err.count("\n") == 1


def test_a_care_worker_is_refused_before_the_file_is_read(run_cli, home, tmp_path) -> None:
    staff = people.add_staff(home.actor, StaffIn(name="Kim Key"))
    worker = Actor(staff.id, staff.name, staff.role, home.id)
    code, _, err = run_cli.commands(
        cli_csv, worker, "import-csv", "children", str(tmp_path / "missing.csv")
    )
    assert (code, err) == (2, "keywork: only a manager or admin can import children\n")


def test_unknown_kind_is_a_usage_error(run_cli, capsys) -> None:
    with pytest.raises(SystemExit) as info:
        run_cli.parser(cli_csv).parse_args(["import-csv", "pets", "x.csv"])
    assert info.value.code == 2
    assert "invalid choice: 'pets'" in capsys.readouterr().err


def test_a_file_over_the_size_limit_is_not_read(run_cli, home, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(cli_csv, "MAX_BYTES", 1024)
    rows = "".join(f"Person {i},care_staff\n" for i in range(200))
    code, _, err = run_cli.commands(
        cli_csv, home.actor, "import-csv", "staff", write(tmp_path, "name,role\n" + rows)
    )
    assert code == 2 and "a spreadsheet of staff or children is at most" in err
    assert Staff.select().count() == 1
