"""Shared fixtures: a fresh database file per test, a home with its manager,
and short builders that add staff and children through the services."""

from __future__ import annotations

import datetime as dt
import io
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cli_pins import cli_pin_ready
from engines import ON_POSTGRES, new_database, on_server, server_url

import models
from keywork_tui.outputs import ChildOut, HomeOut, StaffOut
from keywork_tui.schemas import ChildIn, HomeIn, StaffIn
from keywork_tui.services import clock
from keywork_tui.services.actor import Actor
from keywork_tui.services.homes import create_home
from keywork_tui.services.team import people
from models.schema import SchemaStatus, open_database

ADMITTED = dt.date(2026, 1, 5)
BORN = dt.date(2012, 3, 4)
# Every test runs at an instant it chose: this one unless it is marked with its own.
TEST_NOW = dt.datetime(2026, 11, 22, 17, 30)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "now(instant): freeze keywork's clock at this datetime instead of TEST_NOW"
    )


@pytest.fixture(autouse=True, scope="session")
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """keywork's cache folder for the whole run (and the programs it starts), so
    the suite never reads or leaves files in the user's own."""
    folder = tmp_path_factory.mktemp("cache")
    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(folder)
    yield folder
    if before is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = before


@pytest.fixture(autouse=True)
def frozen_clock(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[dt.datetime]:
    """Freeze the one clock at the test's instant (`pytest.mark.now(...)` on the test or
    its module, else TEST_NOW), and fail any test that reaches for the real time."""
    marker = request.node.get_closest_marker("now")
    instant: dt.datetime = marker.args[0] if marker else TEST_NOW

    def wall_clock() -> dt.datetime:
        raise AssertionError("a test read the wall clock; freeze keywork's clock instead")

    monkeypatch.setattr(clock, "wall", wall_clock)
    monkeypatch.delenv("KEYWORK_AS_OF", raising=False)
    clock.reset()
    with clock.frozen(instant):
        yield instant
    clock.reset()


def _close_bound_database() -> None:
    """Close whatever database the models are bound to, if any is open."""
    if models.db.obj is not None and not models.db.is_closed():
        models.db.close()


@pytest.fixture
def open_db() -> Iterator[Callable[..., SchemaStatus]]:
    """Open (or re-open) a database file; whatever is open is closed at the end."""

    def _open(path: Path | str, *, migrate: bool = True) -> SchemaStatus:
        _close_bound_database()
        return open_database(str(path), migrate=migrate)

    yield _open
    _close_bound_database()


@pytest.fixture(scope="session")
def postgres_template(worker_id: str) -> Iterator[str]:
    """A migrated database that each test's own is copied from (one per worker)."""
    name = f"kw_template_{worker_id}"
    on_server(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    on_server(f"CREATE DATABASE {name}")
    open_database(server_url(name), migrate=True)
    _close_bound_database()
    yield name
    on_server(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def new_target(tmp_path: Path, request: pytest.FixtureRequest) -> Path | str:
    """Where a new, empty database goes (nothing made yet on SQLite, an empty
    database on PostgreSQL), neither opened nor migrated."""
    if ON_POSTGRES:
        return new_database(request, None)
    return tmp_path / "kw.sqlite"


@pytest.fixture
def database(
    tmp_path: Path, open_db: Callable[..., SchemaStatus], request: pytest.FixtureRequest
) -> Path | str:
    """A new, migrated database bound to the models: a file, or on PostgreSQL a URL."""
    if ON_POSTGRES:
        url = new_database(request, request.getfixturevalue("postgres_template"))
        open_db(url)
        return url
    path = tmp_path / "kw.sqlite"
    open_db(path)
    return path


@dataclass(frozen=True)
class TestHome:
    __test__ = False  # not a test class, despite the name

    home: HomeOut
    manager: StaffOut
    actor: Actor

    @property
    def id(self) -> int:
        return self.home.id


@pytest.fixture
def home(database: Path) -> TestHome:
    made, manager = create_home(HomeIn(name="Test House"), StaffIn(name="Mo Manager"))
    actor = Actor(manager.id, manager.name, manager.role, made.id)
    return TestHome(made, manager, actor)


@pytest.fixture
def add_staff(home: TestHome) -> Callable[..., StaffOut]:
    """add_staff("Kim Key") adds an eligible care worker (induction and level 3)."""

    def _add(name: str, **fields: object) -> StaffOut:
        values: dict[str, object] = {"induction_done": True, "level3": True, **fields}
        return people.add_staff(home.actor, StaffIn(name=name, **values))

    return _add


@pytest.fixture
def add_child(home: TestHome) -> Callable[..., ChildOut]:
    """add_child("Amy") admits a child on ADMITTED, born on BORN."""

    def _add(first_name: str, last_name: str = "Child", **fields: object) -> ChildOut:
        values: dict[str, object] = {"date_of_birth": BORN, "admitted_on": ADMITTED, **fields}
        data = ChildIn(first_name=first_name, last_name=last_name, **values)
        return people.add_child(home.actor, data)

    return _add


@pytest.fixture
def admin(home: TestHome) -> Actor:
    """An admin of the test home: the home's policy is theirs to change. Written
    straight to the table, since only an admin may give the admin role."""
    row = models.Staff.create(
        home=home.id, name="Ada Admin", role="admin", induction_done=True, level3=True
    )
    return Actor(row.id, row.name, row.role, home.id)


@pytest.fixture
def cli_signs_in(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Call once the home is built: later commands are answered with its PIN."""

    def prepare() -> None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(cli_pin_ready()))

    return prepare
