"""Text that reached the database without the services (a hand edit, an older
version, a bad import) is inert at every door out: the screens, the printed
sheet, the JSON, the reports and the exports."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pilot_tools import screen_lines, settle

import models
from keywork_tui import cli, handover_sheet
from keywork_tui.services import clock
from keywork_tui.services.child_file import obligations as compliance
from keywork_tui.services.handover import board as handover_board
from models.base import Line, Prose

# A terminal title change around a word, a screen clear, a colour, a C1 escape,
# a bell, a backspace, a right-to-left override, and (for one-line names) a tab
# and a line break.
HOSTILE = "\x1b]0;PWNED\x07\x1b[2J\x1b[31m\x9b1m\x07\x08\u202eX\tY\nZ"
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Free text and names: code columns (roles, kinds, states) are checked by their
# own validation, not here.
LINES = {
    ("home", "name"),
    ("staff", "name"),
    ("child", "first_name"),
    ("child", "last_name"),
    ("child", "preferred_name"),
    ("child", "school"),
    ("contact", "name"),
    ("contact", "relationship"),
    ("key_session", "activity"),
    ("audit_event", "staff_name"),
}


def _poison() -> int:
    """Append the hostile text to every free-text column of every row, directly."""
    changed = 0
    for model in models.ALL_MODELS:
        table = model._meta.table_name
        for field in model._meta.sorted_fields:
            if isinstance(field, Prose) or (
                isinstance(field, Line) and (table, field.name) in LINES
            ):
                column, mark = field.column_name, models.db.obj.param
                cursor = models.db.execute_sql(
                    f'update "{table}" set "{column}" = "{column}" || {mark}', (HOSTILE,)
                )
                changed += models.db.obj.rows_affected(cursor)
    return changed


def _inert(text: str) -> None:
    found = UNSAFE.search(text.replace("\n", " ").replace("\t", " "))
    assert found is None, f"unsafe {found.group()!r} in {text[max(found.start() - 40, 0) :]!r}"
    assert "PWNED" not in text  # the title change went, with what it carried


@pytest.fixture
def poisoned(demo_db):
    assert _poison() > 100
    return demo_db


def test_names_read_back_on_one_line_and_inert(poisoned):
    path, built = poisoned
    board = handover_board.board(built.home_id)
    assert board.home.startswith("Rowan House") and "X Y Z" in board.home
    for row in board.rows:
        _inert(row.child)
        assert "\n" not in row.child and "\t" not in row.child


def test_the_sheet_and_its_json_are_inert(poisoned):
    path, built = poisoned
    board = handover_board.board(built.home_id)
    _inert(handover_sheet.sheet(board))
    _inert(json.dumps(handover_sheet.board_json(board), ensure_ascii=False))


def test_the_overdue_list_is_inert(poisoned):
    path, built = poisoned
    for o in compliance.obligations(built.home_id, clock.today()):
        _inert(f"{o.title} {o.subject} {o.responsible}")


@pytest.mark.parametrize(
    "argv", [["handover", "--print"], ["handover", "--json"], ["overdue", "--json"], ["overdue"]]
)
def test_commands_print_inert_text(poisoned, capsys, argv):
    path, _ = poisoned
    assert cli.main(["--db", str(path), *argv]) == 0
    out, err = capsys.readouterr()
    _inert(out + err)


def test_a_childs_export_and_report_are_inert(poisoned, capsys, tmp_path: Path):
    path, built = poisoned
    child = str(built.children["Tyler"])
    exported, report = tmp_path / "tyler.json", tmp_path / "tyler.html"
    assert cli.main(["--db", str(path), "export", "child", child, "--out", str(exported)]) == 0
    assert (
        cli.main(
            [
                "--db",
                str(path),
                "report",
                "child",
                child,
                "--month",
                "2026-11",
                "--out",
                str(report),
            ]
        )
        == 0
    )
    capsys.readouterr()
    _inert(exported.read_text(encoding="utf-8"))
    _inert(report.read_text(encoding="utf-8"))


@pytest.mark.parametrize("key", ["f2", "f3", "f4", "f6", "f7"])
async def test_every_screen_shows_inert_text(poisoned, make_app, key):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press(key)
        await settle(app, pilot)
        lines = screen_lines(app)
    _inert("\n".join(lines))
    assert any("Rowan House" in line for line in lines) or key != "f2"
