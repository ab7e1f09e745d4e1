"""Staff and children from a spreadsheet's CSV: every row checked first, every
problem listed with its row and column, then all written or none."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keywork_tui.schemas import ChildIn, StaffIn
from keywork_tui.services import PermissionDeniedError, audit
from keywork_tui.services.actor import Actor
from keywork_tui.services.exchange.csv_import import (
    CsvImportError,
    CsvProblem,
    CsvRow,
    import_children,
    import_staff,
    read_children,
    read_staff,
)
from keywork_tui.services.team import people
from models import Child, Staff

STAFF_CSV = """\
name,role,induction_done,level3,level3_on,os_user,interests
Amy Shah,care_staff,yes,yes,2024-09-01,amy,Climbing
Ben Cole,shift_leader,Y,1,,ben,
Cat Dunn,,no,false,,,"Baking, and ""proper"" football"
"""

CHILDREN_CSV = """\
first_name,last_name,preferred_name,date_of_birth,admitted_on,placement,school,likes,dislikes,interests,fears
Jordan,Reed,Jo,2012-05-04,2026-01-10,full_time,Oak Academy,"Pizza
and films",Mushrooms,Football,The dark
Sam,Hill,,2013-11-30,2026-02-01,short_break,,,,,
"""


def problems_of(call, *args) -> list[str]:
    with pytest.raises(CsvImportError) as info:
        call(*args)
    return [str(p) for p in info.value.problems]


def a_care_worker(home) -> Actor:
    staff = people.add_staff(home.actor, StaffIn(name="Kim Key", induction_done=True))
    return Actor(staff.id, staff.name, staff.role, home.id)


# --- good files ----------------------------------------------------------------


def test_a_staff_file_is_imported_and_audited(home) -> None:
    added = import_staff(home.actor, read_staff(STAFF_CSV))
    assert [s.name for s in added] == ["Amy Shah", "Ben Cole", "Cat Dunn"]
    amy = Staff.get(Staff.name == "Amy Shah")
    assert (amy.role, amy.induction_done, amy.level3, amy.os_user) == (
        "care_staff",
        True,
        True,
        "amy",
    )
    assert amy.level3_on == dt.date(2024, 9, 1)
    cat = Staff.get(Staff.name == "Cat Dunn")
    # A blank cell takes the default; quoted commas and quotes survive.
    assert (cat.role, cat.os_user) == ("care_staff", None)
    assert cat.interests == 'Baking, and "proper" football'
    events = audit.events(home_id=home.id, action_prefix="staff.add")
    ids = {s.id for s in added}
    assert len([e for e in events if e.record_id in ids]) == 3
    assert {e.staff_id for e in events} == {home.manager.id}


def test_a_children_file_is_imported_and_audited(home) -> None:
    added = import_children(home.actor, read_children(CHILDREN_CSV))
    assert [c.first_name for c in added] == ["Jordan", "Sam"]
    jordan = Child.get(Child.first_name == "Jordan")
    assert jordan.likes == "Pizza\nand films"
    assert (jordan.preferred_name, jordan.school) == ("Jo", "Oak Academy")
    assert Child.get(Child.first_name == "Sam").placement == "short_break"
    events = audit.events(home_id=home.id, action_prefix="child.admit")
    assert sorted(e.child_id for e in events) == sorted(c.id for c in added)


def test_excel_bom_day_first_dates_and_friendly_headers(home) -> None:
    text = (
        "\ufeffFirst Name,LAST_NAME,Date of birth,admitted on,Placement\r\n"
        "Jordan,Reed,04/05/2012,10/1/2026,Full time\r\n"
        ",,,,\r\n"
    )  # Excel saves empty rows at the end
    [row] = read_children(text)
    assert row.row == 2
    assert (row.data.date_of_birth, row.data.admitted_on) == (
        dt.date(2012, 5, 4),
        dt.date(2026, 1, 10),
    )
    assert row.data.placement == "full_time"
    import_children(home.actor, [row])
    assert Child.get().date_of_birth == dt.date(2012, 5, 4)


def test_a_month_first_date_is_refused_not_swapped() -> None:
    # dateutil would read 05/13/2012 as 13 May: a UK sheet never means that.
    text = "first_name,last_name,date_of_birth,admitted_on\nJo,Reed,05/13/2012,2026-01-10\n"
    [line] = problems_of(read_children, text)
    assert line.startswith("row 2, date_of_birth: not a date in the calendar")


@pytest.mark.parametrize(
    "cell", ["2012-5-4", "4 May 2012", "04/05/12", "2012-02-30", "31/02/2012", "tomorrow"]
)
def test_dates_that_are_not_clear_are_refused(cell: str) -> None:
    text = f"name,level3_on\nAmy,{cell}\n"
    [problem] = problems_of(read_staff, text)
    assert problem.startswith("row 2, level3_on: ")


# --- problems, all at once ------------------------------------------------------


def test_every_problem_is_listed_with_its_row_and_column() -> None:
    text = (
        "first_name,last_name,date_of_birth,admitted_on,placement\n"
        "Jordan,Reed,2012-05-04,2026-01-10,full_time\n"
        "\n"  # a blank line is still a row of the spreadsheet
        ",Hill,30/11/2013,01/02/2026,\n"
        "Ada,Lane,31/31/2013,2026-02-01,holiday\n"
        "Max,Ray,2026-03-01,2026-02-01,\n"
    )
    assert problems_of(read_children, text) == [
        "row 4, first_name: this cannot be blank",
        "row 5, date_of_birth: not a date in the calendar (got '31/31/2013')",
        "row 5, placement: should be 'full_time', 'residential_school' or 'short_break' "
        "(got 'holiday')",
        "row 6, date_of_birth: date of birth must be before admission",
    ]


def test_staff_cells_that_cannot_be_read() -> None:
    text = f"name,role,induction_done,os_user\nAmy,chef,maybe,Amy Shah\n{'x' * 121},,,\n"
    assert problems_of(read_staff, text) == [
        "row 2, induction_done: write yes or no (got 'maybe')",
        "row 2, os_user: an OS username is lower-case letters, digits, '_', '.' or '-', "
        "starting with a letter or '_' (got 'Amy Shah')",
        "row 2, role: should be 'care_staff', 'shift_leader', 'manager', 'admin' or "
        "'provider' (got 'chef')",
        f"row 3, name: too long: at most 100 characters (got '{'x' * 37}...')",
    ]


def test_a_value_beyond_the_header_is_not_dropped() -> None:
    assert problems_of(read_staff, "name,role\nAmy,care_staff,oops\n") == [
        "row 2, column C: a value in a column with no name in row 1"
    ]


def test_nothing_is_written_when_one_row_is_wrong(home) -> None:
    bad = STAFF_CSV + "Dee Fox,care_staff,perhaps,,,,\n"
    assert problems_of(read_staff, bad) == [
        "row 5, induction_done: write yes or no (got 'perhaps')"
    ]
    assert Staff.select().count() == 1  # only the home's manager


def test_a_refusal_while_writing_rolls_back_every_row(home, monkeypatch) -> None:
    rows = read_staff(STAFF_CSV)
    real_add = people.add_staff

    def refuse_ben(actor, data):
        if data.name == "Ben Cole":
            raise PermissionDeniedError("refused for the test")
        return real_add(actor, data)

    monkeypatch.setattr(people, "add_staff", refuse_ben)
    assert problems_of(import_staff, home.actor, rows) == ["row 3, name: refused for the test"]
    assert [s.name for s in Staff.select()] == ["Mo Manager"]
    assert [e.record_id for e in audit.events(action_prefix="staff.add")] == [home.manager.id]


# --- columns ----------------------------------------------------------------------


def test_unknown_and_missing_columns() -> None:
    text = "First name,Keyworker,Dat of birth,admitted_on\nJo,Reed,2012-05-04,2026-01-10\n"
    assert problems_of(read_children, text) == [
        "row 1, Dat of birth: unknown column; did you mean date_of_birth?",
        "row 1, Keyworker: unknown column (the columns are first_name, last_name, "
        "preferred_name, date_of_birth, admitted_on, placement, school, likes, dislikes, "
        "interests, fears)",
        "row 1, date_of_birth: required column is missing",
        "row 1, last_name: required column is missing",
    ]


def test_a_column_named_twice_is_refused() -> None:
    assert problems_of(read_staff, "name,Role,role\nAmy,care_staff,manager\n") == [
        "row 1, role: the column appears twice (columns B and C)"
    ]


def test_only_the_name_column_is_required_for_staff() -> None:
    [row] = read_staff("Name\nAmy Shah\n")
    assert row == CsvRow(2, StaffIn(name="Amy Shah"))


@pytest.mark.parametrize("text", ["", "\ufeff", ",,\n", "name\n", "name\n,\n\n"])
def test_an_empty_file_or_one_without_rows(text: str) -> None:
    [line] = problems_of(read_staff, text)
    assert line in (
        "row 1, file: the first row must name the columns",
        "row 2, file: no staff below the header",
    )


# --- duplicates -----------------------------------------------------------------


def test_repeats_within_the_file() -> None:
    text = "name,os_user\nAmy Shah,amy\nBen Cole,amy\n amy  SHAH ,\n"
    assert problems_of(read_staff, text) == [
        "row 3, os_user: the same OS username as row 2",
        "row 4, name: the same name as row 2",
    ]
    text = (
        "first_name,last_name,date_of_birth,admitted_on\n"
        "Jo,Reed,2012-05-04,2026-01-10\n"
        "Jo,Reed,2013-05-04,2026-01-10\n"  # another child of the same name
        "jo,REED,04/05/2012,2026-02-01\n"
    )
    assert problems_of(read_children, text) == [
        "row 4, first_name: the same child (names and date of birth) as row 2"
    ]


def test_people_already_in_the_home(home, add_staff, add_child) -> None:
    add_staff("Amy Shah", os_user="amy")
    add_child("Jordan", "Reed", date_of_birth=dt.date(2012, 5, 4))
    assert problems_of(import_staff, home.actor, read_staff(STAFF_CSV)) == [
        "row 2, name: Amy Shah is already on the staff",
        "row 2, os_user: the OS username 'amy' is already in use",
    ]
    assert problems_of(import_children, home.actor, read_children(CHILDREN_CSV)) == [
        "row 2, first_name: Jordan Reed, born 04/05/2012, is already in this home"
    ]
    assert Staff.select().count() == 2 and Child.select().count() == 1


# --- who may ----------------------------------------------------------------------


def test_only_a_manager_may_import(home) -> None:
    worker = a_care_worker(home)
    with pytest.raises(PermissionDeniedError, match="only a manager or admin can import staff"):
        import_staff(worker, read_staff(STAFF_CSV))
    with pytest.raises(PermissionDeniedError, match="import children"):
        import_children(worker, read_children(CHILDREN_CSV))
    assert Staff.select().count() == 2 and Child.select().count() == 0


# --- any cell -------------------------------------------------------------------


def _sheet(*rows: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.text(max_size=150))
def test_any_name_is_imported_or_a_listed_problem(home, name: str) -> None:
    """Whatever a name cell holds, the only failure is a listed problem."""
    text = _sheet(["name", "role"], [name, "care_staff"])
    try:
        import_staff(home.actor, read_staff(text))
    except CsvImportError as exc:
        assert exc.problems and all(isinstance(p, CsvProblem) for p in exc.problems)
        assert all(p.row == 2 and p.column == "name" for p in exc.problems)


@settings(max_examples=150, deadline=None)
@given(cell=st.text(max_size=60))
def test_any_raw_text_in_a_children_file_is_read_or_a_listed_problem(cell: str) -> None:
    # Not quoted: the text may break the row's shape or add cells of its own.
    text = f"first_name,last_name,date_of_birth,admitted_on\n{cell},Reed,2012-05-04,2026-01-10\n"
    try:
        rows = read_children(text)
    except CsvImportError as exc:
        assert exc.problems
    else:
        assert all(isinstance(r.data, ChildIn) for r in rows)
