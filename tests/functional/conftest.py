"""A demo home in a temporary file, opened for the app (workers use threads)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from keywork_tui.services import clock, database, demo

DEMO_NOW = dt.datetime(2026, 11, 22, 17, 30)


@pytest.fixture
def demo_db(tmp_path: Path):
    path = tmp_path / "demo.sqlite"
    database.open_target(str(path))
    with clock.frozen(DEMO_NOW):
        built = demo.build(DEMO_NOW, seed=1)
    # The app reads the same clock, so screens agree with what was built.
    with clock.frozen(DEMO_NOW):
        yield path, built
    database.close()
