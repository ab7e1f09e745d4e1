"""A demo home in a temporary file, opened for the app (workers use threads).

The home is built once per test run and copied for each test, so every test
starts from the same untouched records.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from engines import ON_POSTGRES, new_database, on_server, server_url
from pilot_tools import screen_lines, settle, steady_cursors
from textual.app import App
from textual.pilot import Pilot

from keywork_tui import config
from keywork_tui.services import clock, database, demo


@pytest.fixture(autouse=True)
def no_query_on_the_ui_thread(monkeypatch: pytest.MonkeyPatch):
    """Every app a test runs raises on a query from its UI thread (see
    keywork_tui.app): the whole Pilot suite shows that none is made there."""
    from keywork_tui.app import CHECK_UI_THREAD

    monkeypatch.setenv(CHECK_UI_THREAD, "1")
    yield
    database.guard_queries(None)


# A Sunday evening, before the night shift.
DEMO_NOW = dt.datetime(2026, 11, 22, 17, 30)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory, worker_id: str):
    """The demo home, built once: a file, or on PostgreSQL a database to copy."""
    if ON_POSTGRES:
        name = f"kw_demo_{worker_id}"
        on_server(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        on_server(f"CREATE DATABASE {name}")
        target: Path | str = server_url(name)
    else:
        target = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    database.open_target(str(target), create=True)
    with clock.frozen(DEMO_NOW):
        built = demo.build(DEMO_NOW, seed=1)
    database.close()
    yield (name if ON_POSTGRES else target), built
    if ON_POSTGRES:
        on_server(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def demo_db(
    demo_template, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
):
    template, built = demo_template
    # Where `keywork demo` writes: only there does the demo manager skip the PIN.
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    if ON_POSTGRES:
        path: Path | str = new_database(request, template)
        # Only the demo's own file opens without its manager's PIN: on a server
        # the demo home asks for it as any home does, and a command reads it here.
        monkeypatch.setattr(sys, "stdin", io.StringIO(f"{demo.DEMO_PIN}\n" * 50))
    else:
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
    from keywork_tui.app import KeyworkApp
    from keywork_tui.services.team.people import resolve_staff

    def make(name: str | None = None) -> KeyworkApp:
        path, built = demo_db
        staff = resolve_staff(built.home_id, name)
        return KeyworkApp(home_id=built.home_id, staff_id=staff.id, database=str(path))

    return make


@pytest.fixture(params=["no_color", "colour"])
def colour(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each screen is kept twice: with NO_COLOR=1, where words and symbols must
    carry every highlight, and in colour. Set before the app is made: it reads
    NO_COLOR once, as it starts. A test keeps one of them alone with
    `@pytest.mark.parametrize("colour", ["no_color"], indirect=True)`."""
    if request.param == "no_color":
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    return request.param


Steps = Callable[[Pilot], Awaitable[object]]
Check = Callable[[list[str]], object]


@pytest.fixture
def screen_matches(
    snap_compare, colour: str, request: pytest.FixtureRequest
) -> Callable[..., bool]:
    """screen_matches(app, steps, check) runs the app at 80x24, takes `steps`
    (pilot presses, and any checks made on the way) once it has settled, hands
    the settled screen's lines to `check`, and compares the screen with its SVG
    snapshot in tests/functional/__snapshots__/<module>/<test>[<params>].svg.
    The app runs once: the checks are made in the run that is kept. The steps
    run inside the app, so a query they make raises as on the UI thread: they
    ask the services through asyncio.to_thread.

    A missing snapshot fails like a changed one; `pytest --snapshot-update`
    writes both (read them, or the snapshot_report.html a failed run leaves,
    before committing)."""

    def compare(app: App, steps: Steps | None = None, check: Check | None = None) -> bool:
        async def run_before(pilot: Pilot) -> None:
            await settle(app, pilot)
            if steps is not None:
                await steps(pilot)
                await settle(app, pilot)
            steady_cursors(app)
            if check is not None:
                check(screen_lines(app))

        matched = snap_compare(app, terminal_size=(80, 24), run_before=run_before)
        assert matched, (
            f"{request.node.name}: the screen differs from its snapshot, or has none; "
            "`pytest --snapshot-update` writes it, to be read before it is committed"
        )
        return matched

    return compare
