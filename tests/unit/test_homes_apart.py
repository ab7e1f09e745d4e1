"""Two homes in one database keep apart: nothing of one shows in the other's
lists, overdue work, handover, audit trail, reports, exports or searches,
and a command names the home it works in."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from dataclasses import dataclass

import pytest
from cli_pins import CLI_PIN
from engines import ON_POSTGRES, new_database

from keywork_tui.schemas import (
    AllocationIn,
    ChildIn,
    HandoverEntryIn,
    HomeIn,
    SessionIn,
    StaffIn,
)
from keywork_tui.services import (
    Actor,
    NotFoundError,
    ServiceError,
    audit,
    clock,
    database,
    demo,
    homes,
)
from keywork_tui.services.child_file import key_children, obligations, profile
from keywork_tui.services.exchange import child_export, reports
from keywork_tui.services.handover import board, shift
from keywork_tui.services.team import allocation, people, signin, staffing
from models import AuditEvent

NOW = dt.datetime(2026, 11, 22, 17, 30)  # the suite's own instant (conftest's TEST_NOW)
# Words only the second home's records hold.
ELM_WORDS = ("Zephyrine", "Quarrington", "Yellowhammer", "marmalade")


@dataclass(frozen=True)
class TwoHomes:
    target: str
    rowan: Actor  # the demo home's manager
    rowan_child: int
    rowan_children: tuple[str, ...]
    elm: Actor
    elm_child: int


def _elm_court() -> tuple[Actor, int]:
    """A small home beside the demo's, written in words of its own."""
    home, manager = homes.create_home(HomeIn(name="Elm Court"), StaffIn(name="Eve Elm"))
    boss = Actor(manager.id, manager.name, manager.role, home.id)
    signin.set_pin(boss, manager.id, CLI_PIN)
    worker = people.add_staff(
        boss, StaffIn(name="Xavier Yellowhammer", induction_done=True, level3=True)
    )
    child = people.add_child(
        boss,
        ChildIn(
            first_name="Zephyrine",
            last_name="Quarrington",
            date_of_birth=dt.date(2012, 3, 4),
            admitted_on=dt.date(2026, 1, 5),
            likes="marmalade",
        ),
    )
    allocation.allocate(
        boss, AllocationIn(child_id=child.id, staff_id=worker.id, starts_on=dt.date(2026, 1, 5))
    )
    kw = Actor(worker.id, worker.name, worker.role, home.id)
    from keywork_tui.services.child_file import sessions

    sessions.save_session(
        kw,
        SessionIn(
            child_id=child.id,
            staff_id=worker.id,
            held_at=NOW - dt.timedelta(days=2),
            purposes=["progress"],
            summary="Made marmalade together.",
            views="Wants more marmalade.",
        ),
        finalise=True,
    )
    handover_id = shift.open_handover(boss, shift.shift_now(home.id))
    shift.write_entry(boss, handover_id, HandoverEntryIn(child_id=child.id, mood="marmalade"))
    return boss, child.id


@pytest.fixture(scope="module")
def two_homes(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest):
    target = (
        new_database(request, None)
        if ON_POSTGRES
        else str(tmp_path_factory.mktemp("two") / "two.sqlite")
    )
    database.open_target(target, create=True)
    try:
        with clock.frozen(NOW):
            built = demo.build(NOW, seed=1)
            signin.set_pin(built.manager, built.manager.id, CLI_PIN)
            elm, elm_child = _elm_court()
    finally:
        database.close()
    rowan_names = tuple(built.children)
    return TwoHomes(
        target,
        built.manager,
        next(iter(built.children.values())),
        rowan_names,
        elm,
        elm_child,
    )


@pytest.fixture
def homes_open(two_homes: TwoHomes):
    database.open_target(two_homes.target)
    with clock.frozen(NOW):
        yield two_homes
    database.close()


def _text(value: object) -> str:
    return json.dumps(value, default=repr) if isinstance(value, dict | list) else repr(value)


def _none_of(words: tuple[str, ...], *outputs: object) -> None:
    for output in outputs:
        text = _text(output)
        found = [w for w in words if w.casefold() in text.casefold()]
        assert not found, f"{found} in {text[:300]}"


def _reads(actor: Actor, child_id: int) -> list[object]:
    """Everything a manager reads of their home, and of one of its children."""
    today = NOW.date()
    home_id = actor.home_id
    return [
        people.list_staff(home_id, active_only=False),
        people.all_children(home_id),
        key_children.overview(actor, today),
        obligations.obligations(home_id, today),
        board.board(home_id, NOW),
        audit.trail(actor),
        reports.home_summary(actor, today),
        staffing.staff_overview(actor, today),
        staffing.cover_warnings(actor, today),
        profile.profile(actor, child_id, today),
        profile.session_page(actor, child_id),
        child_export.export_child(actor, child_id),
    ]


def test_nothing_of_the_other_home_shows_in_a_homes_reads(homes_open: TwoHomes) -> None:
    _none_of(ELM_WORDS, *_reads(homes_open.rowan, homes_open.rowan_child))
    _none_of(homes_open.rowan_children, *_reads(homes_open.elm, homes_open.elm_child))


def test_each_homes_own_records_do_show(homes_open: TwoHomes) -> None:
    """The check above can fail: the second home's words are in its own reads."""
    text = " ".join(_text(r) for r in _reads(homes_open.elm, homes_open.elm_child))
    assert all(w.casefold() in text.casefold() for w in ELM_WORDS)


def test_every_audit_event_a_manager_reads_is_of_their_home(homes_open: TwoHomes) -> None:
    for actor in (homes_open.rowan, homes_open.elm):
        ids = [e.id for e in audit.trail(actor, limit=100_000)]
        homes_of = AuditEvent.select(AuditEvent.home_id).where(AuditEvent.id.in_(ids))
        assert ids and {e.home_id for e in homes_of} == {actor.home_id}


def test_a_child_of_the_other_home_is_not_found(homes_open: TwoHomes) -> None:
    rowan, elm_child = homes_open.rowan, homes_open.elm_child
    today = NOW.date()
    for read in (
        lambda: profile.profile(rowan, elm_child, today),
        lambda: profile.session_page(rowan, elm_child),
        lambda: child_export.export_child(rowan, elm_child),
        lambda: reports.child_month(rowan, elm_child, 2026, 11),
    ):
        with pytest.raises(NotFoundError):
            read()


def test_a_search_finds_nothing_of_the_other_home(homes_open: TwoHomes) -> None:
    page = profile.session_page(homes_open.rowan, homes_open.rowan_child, search="marmalade")
    assert page.matching == 0
    own = profile.session_page(homes_open.elm, homes_open.elm_child, search="marmalade")
    assert own.matching == 1


def _cli(monkeypatch: pytest.MonkeyPatch, capsys, *argv: str) -> tuple[int, str, str]:
    from keywork_tui import cli

    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{CLI_PIN}\n" * 3))
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_command_works_in_the_home_named(
    two_homes: TwoHomes, monkeypatch, capsys, tmp_path
) -> None:
    for var in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.setenv(var, str(tmp_path / var.lower()))
    monkeypatch.delenv("KEYWORK_HOME", raising=False)
    db = ["--db", two_homes.target]
    code, _, err = _cli(monkeypatch, capsys, *db, "overdue", "--json")
    assert code == 2
    assert "holds 2 homes (Rowan House, Elm Court): choose one with --home NAME" in err
    code, _, err = _cli(monkeypatch, capsys, *db, "--home", "Oak Lodge", "overdue")
    assert code == 2 and "no home named 'Oak Lodge'" in err
    for words in (["overdue", "--json"], ["handover", "--json"]):
        code, out, _ = _cli(monkeypatch, capsys, *db, "--home", "elm court", *words)
        assert code == 0
        _none_of(two_homes.rowan_children, json.loads(out))
        code, out, _ = _cli(monkeypatch, capsys, *db, "--home", "Rowan House", *words)
        assert code == 0
        _none_of(ELM_WORDS, json.loads(out))
    code, out, _ = _cli(monkeypatch, capsys, *db, "--home", "Elm Court", "handover", "--json")
    assert "Zephyrine" in out  # the home's own child is on its board


def test_the_app_signs_in_only_the_home_named(two_homes: TwoHomes) -> None:
    database.open_target(two_homes.target)
    try:
        elm = homes.home_named("Elm Court")
        names = {s.name for s in people.list_staff(elm.id)}
        assert names == {"Eve Elm", "Xavier Yellowhammer"}
        with pytest.raises(ServiceError, match="no active staff member called"):
            people.resolve_staff(elm.id, two_homes.rowan.name)
    finally:
        database.close()
