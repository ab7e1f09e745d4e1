"""`keywork import-csv staff|children FILE.csv`: people from a spreadsheet.

Problems print as `keywork: FILE: row 4, date_of_birth: ...` on stderr, one a
line, and the command exits 2 as every user mistake in cli.py does; nothing is
written unless every row is right.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .exit_codes import EXIT_USAGE
from .services import ServiceError
from .services.actor import Actor

if TYPE_CHECKING:
    from keywork_tui.services.exchange import csv_import as ci

# Enough to fix a file in one pass without burying the first problems (as `import`).
MAX_ERRORS = 50
# Thousands of times a home's staff or children list: anything bigger is not one.
MAX_BYTES = 50 * 1024 * 1024

# kind: (what reads the text, what writes the rows, one, many), named in
# csv_import, which loads only when the command runs.
KINDS = {
    "staff": ("read_staff", "import_staff", "staff", "staff"),
    "children": ("read_children", "import_children", "child", "children"),
}


class _FileError(Exception):
    """The file cannot be read as text; the message is one line for the user."""


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `import-csv` to the subcommands of cli.py's parser."""
    parser = commands.add_parser(
        "import-csv", help="add staff or children from a spreadsheet saved as CSV (all or none)"
    )
    parser.add_argument("kind", choices=sorted(KINDS), help="what the file lists")
    parser.add_argument(
        "file", metavar="FILE.csv", help="header row first; save from Excel as 'CSV UTF-8'"
    )


def run(args: argparse.Namespace, actor: Actor) -> int:
    from keywork_tui.services.exchange import csv_import as ci
    from keywork_tui.services.exchange.import_format import ImportFileError

    reader, writer, one, many = KINDS[args.kind]
    read: Callable[[str], Any] = getattr(ci, reader)
    write: Callable[[Actor, Any], Sequence[Any]] = getattr(ci, writer)
    path = Path(args.file)
    try:
        ci.may_import(actor, args.kind)
        written = write(actor, read(_text(path)))
    except ci.CsvImportError as exc:
        return _problems(path, exc.problems)
    except (_FileError, ImportFileError, ServiceError) as exc:
        return _fail(str(exc))
    print(f"Imported {len(written)} {one if len(written) == 1 else many}.")
    return 0


def _text(path: Path) -> str:
    try:
        size = path.stat().st_size
    except OSError:
        size = 0  # reading it says what is wrong
    if size > MAX_BYTES:
        raise _FileError(
            f"{path} is {size / 1024 / 1024:,.0f} MB; a spreadsheet of staff "
            f"or children is at most {MAX_BYTES // 1024 // 1024} MB"
        )
    from keywork_tui.services.exchange.import_format import read_text

    # Excel's plain "CSV" is Windows-1252: "CSV UTF-8" keeps accents and symbols.
    return read_text(path, encoding="utf-8", hint="; in Excel, save it as 'CSV UTF-8'")


def _problems(path: Path, problems: Sequence[ci.CsvProblem]) -> int:
    for problem in problems[:MAX_ERRORS]:
        print(f"keywork: {path}: {problem}", file=sys.stderr)
    if len(problems) > MAX_ERRORS:
        print(f"keywork: {path}: ... and {len(problems) - MAX_ERRORS} more", file=sys.stderr)
    return _fail(f"{len(problems)} problem(s) in {path}; nothing was imported")


def _fail(message: str) -> int:
    print(f"keywork: {message}", file=sys.stderr)
    return EXIT_USAGE
