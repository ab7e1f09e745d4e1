"""Staff or children from a spreadsheet saved as CSV, all or nothing.

Every row is checked with the same input models as everyday work before
anything is written, and every problem is reported with its place as the
spreadsheet shows it (the header is row 1), so a file is fixed in one pass.
The rows are then written in one transaction through people.add_staff and
people.add_child; a refusal of any row rolls the whole file back.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from dateutil import parser as dateparser
from pydantic import BaseModel, ValidationError

from keywork_tui.iso import NotInCalendarError, NotIsoError, iso_day
from keywork_tui.outputs import ChildOut, StaffOut
from keywork_tui.schemas import ChildIn, StaffIn
from keywork_tui.services.actor import MANAGERS, Actor, require
from keywork_tui.services.errors import FieldError, ServiceError
from keywork_tui.services.team import people
from keywork_tui.text import clean_text
from models import Child, Staff
from models.base import write_transaction

Model = TypeVar("Model", bound=BaseModel)
Cell = Callable[[str], Any]

_DAY_FIRST = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})", re.ASCII)
_NO_DEFAULT = dt.datetime(2000, 1, 1)
_BOOLEANS = {
    "yes": True,
    "y": True,
    "true": True,
    "1": True,
    "no": False,
    "n": False,
    "false": False,
    "0": False,
}


@dataclass(frozen=True, order=True)
class CsvProblem:
    """One problem, at its place in the spreadsheet."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, {self.column}: {self.message}"


class CsvImportError(ServiceError):
    """The file has problems; nothing was written."""

    def __init__(self, problems: Sequence[CsvProblem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the file; nothing was imported")
        self.problems = sorted(problems)


@dataclass(frozen=True)
class CsvRow(Generic[Model]):
    """A checked row and the spreadsheet row it came from."""

    row: int
    data: Model


# --- cells -------------------------------------------------------------------


def _text(value: str) -> str:
    return value


def _choice(value: str) -> str:
    # "Care staff" or "Full-time" in a spreadsheet mean care_staff and full_time.
    return "_".join(value.replace("-", " ").split()).casefold()


def _boolean(value: str) -> bool:
    try:
        return _BOOLEANS[value.casefold()]
    except KeyError:
        raise ValueError("write yes or no") from None


def _date(value: str) -> dt.date:
    try:
        return iso_day(value)
    except NotInCalendarError:
        raise ValueError("not a date in the calendar") from None
    except NotIsoError:
        pass  # perhaps the day first, as a UK spreadsheet writes it
    found = _DAY_FIRST.fullmatch(value)
    if found is None:
        raise ValueError("write the date as YYYY-MM-DD or DD/MM/YYYY")
    try:
        # Every part is given; the default only stops dateutil reading the real clock.
        day = dateparser.parse(value, dayfirst=True, default=_NO_DEFAULT).date()
    except (ValueError, OverflowError):
        raise ValueError("not a date in the calendar") from None
    # dateutil quietly reads 05/13/2012 month-first; a UK sheet never means that.
    if (day.day, day.month) != (int(found[1]), int(found[2])):
        raise ValueError("not a date in the calendar (the day comes first: DD/MM/YYYY)")
    return day


@dataclass(frozen=True)
class _Kind(Generic[Model]):
    """What one kind of file holds: its columns, how cells read, and its model."""

    noun: str
    model: type[Model]
    columns: dict[str, Cell]
    required: tuple[str, ...]
    # Where a problem with the row as a whole (not one cell) is shown.
    row_column: str


STAFF = _Kind(
    noun="staff",
    model=StaffIn,
    columns={
        "name": _text,
        "role": _choice,
        "induction_done": _boolean,
        "level3": _boolean,
        "level3_on": _date,
        "os_user": _text,
        "interests": _text,
    },
    required=("name",),
    row_column="name",
)

CHILDREN = _Kind(
    noun="children",
    model=ChildIn,
    columns={
        "first_name": _text,
        "last_name": _text,
        "preferred_name": _text,
        "date_of_birth": _date,
        "admitted_on": _date,
        "placement": _choice,
        "school": _text,
        "likes": _text,
        "dislikes": _text,
        "interests": _text,
        "fears": _text,
    },
    required=("first_name", "last_name", "date_of_birth", "admitted_on"),
    # The only row-wide rules of ChildIn are about the date of birth.
    row_column="date_of_birth",
)


# --- the header ------------------------------------------------------------------


def _folded(header: str) -> str:
    """Date of birth, DATE_OF_BIRTH and date_of_birth name one column."""
    return "".join(header.replace("_", " ").split()).casefold()


def _letter(index: int) -> str:
    """The spreadsheet's name for a column: A, B, ... Z, AA, ..."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


def _plain(value: str, limit: int = 40) -> str:
    """A cell, short and safe to print on a terminal."""
    text = " ".join(clean_text(value).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _shown(value: str) -> str:
    return repr(_plain(value))


def _header(kind: _Kind[Any], cells: list[str]) -> tuple[list[str | None], list[CsvProblem]]:
    """Each cell's column name (None for an unnamed, ignored column) and any problems."""
    known = {_folded(name): name for name in kind.columns}
    names: list[str | None] = []
    problems: list[CsvProblem] = []
    seen: dict[str, int] = {}
    for index, cell in enumerate(cells):
        if not cell.strip():
            names.append(None)
            continue
        column = known.get(_folded(cell))
        if column is None:
            label = _plain(cell) or f"column {_letter(index)}"
            problems.append(CsvProblem(1, label, _unknown(kind, cell)))
        elif column in seen:
            problems.append(
                CsvProblem(
                    1,
                    column,
                    f"the column appears twice (columns {_letter(seen[column])} and "
                    f"{_letter(index)})",
                )
            )
        else:
            seen[column] = index
        names.append(column)
    problems += [
        CsvProblem(1, column, "required column is missing")
        for column in kind.required
        if column not in seen
    ]
    return names, problems


def _unknown(kind: _Kind[Any], cell: str) -> str:
    folded = {_folded(c): c for c in kind.columns}
    close = difflib.get_close_matches(_folded(cell), list(folded), n=1)
    if close:
        return f"unknown column; did you mean {folded[close[0]]}?"
    return f"unknown column (the columns are {', '.join(kind.columns)})"


# --- rows -------------------------------------------------------------------------


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """(spreadsheet row, cells) for every record; a blank line is a row too.

    csv.reader rather than DictReader: DictReader skips blank lines and so
    would number the rows after one differently from the spreadsheet.
    """
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    row = 0
    while True:
        row += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise CsvImportError(
                [CsvProblem(row, "file", f"cannot read this row: {exc}")]
            ) from None
        yield row, cells


def _values(
    row: int, names: list[str | None], cells: list[str], kind: _Kind[Any]
) -> tuple[dict[str, Any], list[CsvProblem]]:
    """The row's non-blank cells read into values; blank cells take the default."""
    values: dict[str, Any] = {}
    problems: list[CsvProblem] = []
    for index, cell in enumerate(cells):
        column = names[index] if index < len(names) else None
        if not cell.strip():
            continue
        if column is None:
            problems.append(
                CsvProblem(
                    row, f"column {_letter(index)}", "a value in a column with no name in row 1"
                )
            )
            continue
        try:
            values[column] = kind.columns[column](cell.strip())
        except ValueError as exc:
            problems.append(CsvProblem(row, column, f"{exc} (got {_shown(cell)})"))
    return values, problems


def _message(err: Any) -> str:
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind == "missing":
        return "this cannot be blank"
    if kind in ("too_long", "string_too_long"):
        message = f"too long: at most {ctx.get('max_length')} characters"
    elif kind == "literal_error":
        message = f"should be {ctx.get('expected')}"
    elif kind == "string_pattern_mismatch":
        # Only os_user has a pattern among the columns read here.
        message = (
            "an OS username is lower-case letters, digits, '_', '.' or '-', "
            "starting with a letter or '_'"
        )
    else:
        message = err["msg"].removeprefix("Value error, ")
    value = err.get("input")
    return f"{message} (got {_shown(value)})" if isinstance(value, str) else message


def _checked(
    kind: _Kind[Model], row: int, values: dict[str, Any], failed: set[str]
) -> tuple[Model | None, list[CsvProblem]]:
    try:
        return kind.model.model_validate(values), []
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            column = str(err["loc"][0]) if err["loc"] else kind.row_column
            # A cell that could not be read is reported once, as unreadable.
            if column not in failed:
                problems.append(CsvProblem(row, column, _message(err)))
        return None, problems


@dataclass
class _Sheet(Generic[Model]):
    """The rows that are right, the problems of those that are not, and what
    every row's readable cells hold (for finding repeats among all rows)."""

    rows: list[CsvRow[Model]]
    problems: list[CsvProblem]
    values: list[tuple[int, dict[str, Any]]]

    def repeats(self, column: str, same_as: str, key: Callable[[dict[str, Any]], object]) -> None:
        first: dict[object, int] = {}
        for row, values in self.values:
            value = key(values)
            if value is None:
                continue
            if value in first:
                self.problems.append(CsvProblem(row, column, f"{same_as} {first[value]}"))
            first.setdefault(value, row)


def _read(kind: _Kind[Model], text: str) -> _Sheet[Model]:
    records = _records(text)
    first = next(records, None)
    if first is None or not any(cell.strip() for cell in first[1]):
        raise CsvImportError([CsvProblem(1, "file", "the first row must name the columns")])
    names, problems = _header(kind, first[1])
    if problems:
        # Rows are read against the header, so a wrong header is fixed first.
        raise CsvImportError(problems)
    sheet: _Sheet[Model] = _Sheet([], [], [])
    for row, cells in records:
        if not any(cell.strip() for cell in cells):
            continue  # spreadsheets often save empty rows at the end
        values, found = _values(row, names, cells, kind)
        data, invalid = _checked(kind, row, values, {p.column for p in found})
        sheet.problems += found + invalid
        sheet.values.append((row, values))
        if data is not None and not found:
            sheet.rows.append(CsvRow(row, data))
    if not sheet.problems and not sheet.rows:
        sheet.problems.append(CsvProblem(2, "file", f"no {kind.noun} below the header"))
    return sheet


def read_staff(text: str) -> list[CsvRow[StaffIn]]:
    """Every row of a staff file, checked; CsvImportError lists all problems."""
    sheet = _read(STAFF, text)
    sheet.repeats("name", "the same name as row", lambda v: _same(v.get("name", "")) or None)
    sheet.repeats("os_user", "the same OS username as row", lambda v: v.get("os_user"))
    _raise(sheet.problems)
    return sheet.rows


def read_children(text: str) -> list[CsvRow[ChildIn]]:
    """Every row of a children file, checked; CsvImportError lists all problems."""
    sheet = _read(CHILDREN, text)
    sheet.repeats("first_name", "the same child (names and date of birth) as row", _child_cells)
    _raise(sheet.problems)
    return sheet.rows


# --- duplicates ----------------------------------------------------------------------


def _same(name: str) -> str:
    """Names as the records will hold them, compared without regard to case."""
    return " ".join(clean_text(name).split()).casefold()


def _child_cells(values: dict[str, Any]) -> tuple[str, str, dt.date] | None:
    first, last = _same(values.get("first_name", "")), _same(values.get("last_name", ""))
    born = values.get("date_of_birth")
    return (first, last, born) if first and last and born else None


def _child_key(child: ChildIn | Child) -> tuple[str, str, dt.date]:
    return _same(child.first_name), _same(child.last_name), child.date_of_birth


def _raise(problems: list[CsvProblem]) -> None:
    if problems:
        raise CsvImportError(problems)


def _staff_already_here(actor: Actor, rows: list[CsvRow[StaffIn]]) -> Iterator[CsvProblem]:
    names = {_same(s.name) for s in Staff.select(Staff.name).where(Staff.home == actor.home_id)}
    # OS usernames sign people in, so they are unique across every home.
    users = {s.os_user for s in Staff.select(Staff.os_user).where(Staff.os_user.is_null(False))}
    for entry in rows:
        if _same(entry.data.name) in names:
            yield CsvProblem(entry.row, "name", f"{entry.data.name} is already on the staff")
        if entry.data.os_user in users:
            yield CsvProblem(
                entry.row, "os_user", f"the OS username {entry.data.os_user!r} is already in use"
            )


def _children_already_here(actor: Actor, rows: list[CsvRow[ChildIn]]) -> Iterator[CsvProblem]:
    query = Child.select().where(Child.home == actor.home_id)
    known = {_child_key(child) for child in query}
    for entry in rows:
        if _child_key(entry.data) in known:
            child = entry.data
            yield CsvProblem(
                entry.row,
                "first_name",
                f"{child.first_name} {child.last_name}, born "
                f"{child.date_of_birth:%d/%m/%Y}, is already in this home",
            )


# --- writing -------------------------------------------------------------------------


def may_import(actor: Actor, noun: str) -> None:
    """Refuse anyone but a manager before a file is even read."""
    require(actor, *MANAGERS, doing=f"import {noun}")


def _write(
    actor: Actor,
    kind: _Kind[Model],
    rows: list[CsvRow[Model]],
    already: Callable[[Actor, list[CsvRow[Model]]], Iterator[CsvProblem]],
    add: Callable[[Actor, Model], Any],
) -> list[Any]:
    may_import(actor, kind.noun)
    written: list[Any] = []
    problems: list[CsvProblem] = []
    with write_transaction():
        # Checked inside the transaction, so no other terminal adds the same person meanwhile.
        _raise(list(already(actor, rows)))
        for entry in rows:
            try:
                # Each add is its own savepoint: a refused row is undone alone and
                # the rest are still tried, so every refusal is reported at once.
                written.append(add(actor, entry.data))
            except FieldError as exc:
                problems.append(CsvProblem(entry.row, exc.field, str(exc)))
            except ServiceError as exc:
                problems.append(CsvProblem(entry.row, kind.row_column, str(exc)))
        # Raised inside the transaction, so every row written is rolled back.
        _raise(problems)
    return written


def import_staff(actor: Actor, rows: list[CsvRow[StaffIn]]) -> list[StaffOut]:
    """Add every staff member of a checked file, or none."""
    return _write(actor, STAFF, rows, _staff_already_here, people.add_staff)


def import_children(actor: Actor, rows: list[CsvRow[ChildIn]]) -> list[ChildOut]:
    """Admit every child of a checked file, or none."""
    return _write(actor, CHILDREN, rows, _children_already_here, people.add_child)
