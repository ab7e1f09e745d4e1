"""Bank holidays come from the holidays package once, then from the cache."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from keywork_tui import bank_holidays


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "keywork" / bank_holidays.CACHE_NAME


@pytest.mark.parametrize("subdivision", ["ENG", "WLS", "SCT", "NIR"])
@pytest.mark.parametrize("year", [2026, 2027, 2031])
def test_the_cache_gives_what_the_package_gives(cache: Path, subdivision: str, year: int):
    first = bank_holidays.dates(subdivision, year)
    again = bank_holidays.dates(subdivision, year)
    assert first == again == bank_holidays.from_package(subdivision, year)
    assert cache.exists()


def test_a_kept_year_is_read_without_the_package(cache: Path):
    bank_holidays.dates("ENG", 2026)
    program = (
        "import sys, datetime as dt; from keywork_tui import bank_holidays; "
        "days = bank_holidays.dates('ENG', 2026); "
        "assert dt.date(2026, 12, 28) in days, days; "  # Boxing Day's Monday
        "print('holidays' in sys.modules)"
    )
    ran = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        check=True,
        env={"XDG_CACHE_HOME": str(cache.parent.parent), "PATH": "/usr/bin:/bin"},
    )
    assert ran.stdout.strip() == "False", ran.stderr


def test_a_new_package_version_is_asked_again(cache: Path, monkeypatch: pytest.MonkeyPatch):
    bank_holidays.dates("ENG", 2026)
    kept = json.loads(cache.read_text())
    kept["years"]["GB-ENG-2026"] = ["2026-06-01"]  # what an older package said
    cache.write_text(json.dumps(kept))
    assert bank_holidays.dates("ENG", 2026) == {dt.date(2026, 6, 1)}
    monkeypatch.setattr(bank_holidays, "package_stamp", lambda: "upgraded")
    assert dt.date(2026, 12, 25) in bank_holidays.dates("ENG", 2026)
    assert json.loads(cache.read_text())["stamp"] == "upgraded"


@pytest.mark.parametrize(
    "damage",
    ["{not json", "[]", '{"stamp": 1}', None],
    ids=["not json", "a list", "no years", "damaged entry"],
)
def test_a_damaged_cache_is_worked_out_again(cache: Path, damage: str | None):
    bank_holidays.dates("SCT", 2026)
    if damage is None:
        kept = json.loads(cache.read_text())
        kept["years"]["GB-SCT-2026"] = ["the second of January"]
        damage = json.dumps(kept)
    cache.write_text(damage)
    assert dt.date(2026, 1, 2) in bank_holidays.dates("SCT", 2026)
    assert json.loads(cache.read_text())["years"]["GB-SCT-2026"][:2] == [
        "2026-01-01",
        "2026-01-02",
    ]


def test_a_cache_that_cannot_be_written_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert dt.date(2026, 12, 25) in bank_holidays.dates("NIR", 2026)
    assert dt.date(2026, 7, 13) in bank_holidays.dates("NIR", 2026)  # the Twelfth's Monday
