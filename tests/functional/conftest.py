"""A demo home in a temporary file, opened for the app (workers use threads).

The home is built once per test run and copied for each test, so every test
starts from the same untouched records.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from keywork_tui import config
from keywork_tui.services import clock, database, demo

# A Sunday evening, before the night shift.
DEMO_NOW = dt.datetime(2026, 11, 22, 17, 30)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    database.open_target(str(path), create=True)
    with clock.frozen(DEMO_NOW):
        built = demo.build(DEMO_NOW, seed=1)
    database.close()
    return path, built


@pytest.fixture
def demo_db(demo_template, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    template, built = demo_template
    # Where `keywork demo` writes: only there does the demo manager skip the PIN.
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    path = config.demo_database()
    path.parent.mkdir(parents=True)
    shutil.copyfile(template, path)
    database.open_target(str(path), create=True)
    # The app reads the same clock, so screens agree with what was built.
    with clock.frozen(DEMO_NOW):
        yield path, built
    database.close()


@pytest.fixture
def make_app(demo_db):
    """An app on the demo home, signed in as `name` (default: the manager)."""
    from keywork_tui.app import KeyworkApp, resolve_staff

    def make(name: str | None = None) -> KeyworkApp:
        path, built = demo_db
        staff = resolve_staff(built.home_id, name)
        return KeyworkApp(home_id=built.home_id, staff_id=staff.id, database=str(path))

    return make
