"""A provider's overview: every home side by side, what each needs now and
its key-working figures, read with the same queries for two homes as for
twenty; and a provider reads every home but writes nothing in one."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import pytest
from cli_pins import CLI_PIN
from statements import count_statements

import models
from keywork_tui.calendar import ShiftRef
from keywork_tui.schemas import (
    AbsenceIn,
    AllocationIn,
    ChildIn,
    HandoverEntryIn,
    HomeIn,
    SessionIn,
    StaffIn,
)
from keywork_tui.services import PermissionDeniedError, clock
from keywork_tui.services.actor import Actor, actor_for
from keywork_tui.services.child_file import sessions
from keywork_tui.services.handover import shift
from keywork_tui.services.homes import create_home
from keywork_tui.services.provider.key_working import Period
from keywork_tui.services.provider.overview import overview
from keywork_tui.services.team import allocation, people, signin
from models import HandoverEntry, KeySession

NOW = dt.datetime(2026, 3, 10, 14, 0)
TODAY = NOW.date()
ADMITTED = dt.date(2026, 1, 5)

pytestmark = pytest.mark.now(NOW)


@dataclass(frozen=True)
class Built:
    home_id: int
    manager: Actor
    children: list[int]


def _home(name: str, children: int = 3, *, away: bool = False) -> Built:
    """A home whose first child has a key worker (away today when `away`, with
    no cover) seen in a session with their views, whose second has a bedtime
    concern in the day's handover, and whose others have no key worker."""
    home, manager = create_home(HomeIn(name=name), StaffIn(name=f"{name} Manager"))
    boss = actor_for(manager.id)
    kim = people.add_staff(boss, StaffIn(name=f"Kim of {name}", induction_done=True, level3=True))
    ids = [
        people.add_child(
            boss,
            ChildIn(
                first_name=f"Child{n}",
                last_name=name.split()[0],
                date_of_birth=dt.date(2012, 1, 1),
                admitted_on=ADMITTED,
            ),
        ).id
        for n in range(children)
    ]
    allocation.allocate(
        boss, AllocationIn(child_id=ids[0], staff_id=kim.id, starts_on=dt.date(2026, 1, 15))
    )
    key = actor_for(kim.id)
    with clock.frozen(dt.datetime(2026, 3, 6, 17, 0)):
        seen = SessionIn(
            child_id=ids[0], staff_id=kim.id, held_at=dt.datetime(2026, 3, 6, 16), views="Likes it"
        )
        sessions.save_session(key, seen, finalise=True)
    if away:
        allocation.record_absence(
            boss, AbsenceIn(staff_id=kim.id, starts_on=TODAY, ends_on=TODAY, kind="sickness")
        )
    book = shift.open_handover(boss, ShiftRef(TODAY, "day"))
    shift.write_entry(
        boss, book, HandoverEntryIn(child_id=ids[1], bedtime_concern="Worried about tonight")
    )
    return Built(home.id, boss, ids)


def _provider(home: Built) -> Actor:
    """A provider's account, kept at one home; made as an admin would make it."""
    row = models.Staff.create(home=home.home_id, name="Rita Provider", role="provider")
    return Actor(row.id, row.name, row.role, home.home_id)


def test_each_home_at_a_glance(database) -> None:
    oak = _home("Oak House", away=True)
    _home("Ash Lodge", children=4)
    found = {h.name: h for h in overview(_provider(oak))}

    assert list(found) == ["Ash Lodge", "Oak House"]
    oak_now, ash_now = found["Oak House"], found["Ash Lodge"]
    assert (oak_now.children, oak_now.no_cover, oak_now.no_key_worker) == (3, 1, 2)
    assert (ash_now.children, ash_now.no_cover, ash_now.no_key_worker) == (4, 0, 3)
    assert oak_now.bedtime_tonight == 1 and ash_now.bedtime_tonight == 1
    assert oak_now.overdue["key_worker_allocation"] == 2
    assert ash_now.overdue["key_worker_allocation"] == 3
    assert oak_now.sessions_week == 1
    # Weekly sessions for the one child the rule counts for: a week is one session.
    assert oak_now.sessions_week_projected == pytest.approx(3.0)


def test_key_working_figures_over_a_period_and_the_one_before(database) -> None:
    oak = _home("Oak House")
    now = {h.name: h for h in overview(_provider(oak), days=56)}["Oak House"]
    period, before = now.period, now.before
    assert period.period == Period(dt.date(2026, 1, 14), TODAY)
    assert before.period == Period(dt.date(2025, 11, 19), dt.date(2026, 1, 13))
    assert (period.children, period.allocated) == (3, 1)
    assert period.allocated_share == pytest.approx(1 / 3)
    assert period.days_to_allocation == 10  # admitted 5 Jan, allocated 15 Jan
    assert period.days_to_first_session == 60  # first seen 6 Mar
    assert period.sessions == 1 and period.views_share == 1.0
    # Three children placed all 56 days, a session a week each.
    assert period.projected == pytest.approx(24.0)
    assert period.delivery == pytest.approx(1 / 24)
    # Before, the children were placed for its last 9 days, none allocated.
    assert (before.children, before.allocated, before.sessions) == (3, 0, 0)
    assert before.allocated_share == 0
    assert before.projected == pytest.approx(3 * 9 / 7)
    assert before.days_to_allocation is None and before.delivery == 0


def test_the_same_queries_for_two_homes_as_for_twenty(database, monkeypatch) -> None:
    first = _home("Home 00", away=True)
    _home("Home 01")
    provider = _provider(first)
    two = count_statements(monkeypatch, lambda: overview(provider))
    for n in range(2, 20):
        _home(f"Home {n:02d}", away=n % 3 == 0)
    assert len(overview(provider)) == 20
    assert count_statements(monkeypatch, lambda: overview(provider)) == two
    assert two <= 30, two


def test_only_a_provider_sees_every_home(database) -> None:
    oak = _home("Oak House")
    with pytest.raises(PermissionDeniedError, match="see every home"):
        overview(oak.manager)


def test_a_provider_writes_nothing_in_a_home(database) -> None:
    oak = _home("Oak House")
    provider = _provider(oak)
    book = shift.find_handover(oak.home_id, ShiftRef(TODAY, "day"))
    assert book is not None
    before = HandoverEntry.select().count(), KeySession.select().count()
    with pytest.raises(PermissionDeniedError, match="writes nothing"):
        shift.write_entry(provider, book, HandoverEntryIn(child_id=oak.children[2], mood="ok"))
    with pytest.raises(PermissionDeniedError):
        sessions.save_session(
            provider, SessionIn(child_id=oak.children[0], staff_id=provider.id, held_at=NOW)
        )
    assert (HandoverEntry.select().count(), KeySession.select().count()) == before


def test_only_an_admin_gives_the_provider_role(database) -> None:
    oak = _home("Oak House")
    with pytest.raises(PermissionDeniedError, match="provider role"):
        people.add_staff(oak.manager, StaffIn(name="Pat Provider", role="provider"))


def test_a_provider_is_never_a_key_worker(database) -> None:
    oak = _home("Oak House")
    provider = _provider(oak)
    models.Staff.update(induction_done=True, level3=True).where(
        models.Staff.id == provider.id
    ).execute()
    with pytest.raises(Exception, match="does not key-work"):
        allocation.allocate(
            oak.manager,
            AllocationIn(child_id=oak.children[1], staff_id=provider.id, starts_on=TODAY),
        )


def test_keywork_homes_lists_every_home_for_the_provider(database, run_cli) -> None:
    oak = _home("Oak House", away=True)
    _home("Ash Lodge")
    provider = _provider(oak)
    signin.set_pin(provider, provider.id, CLI_PIN)
    db = str(database)
    base = ["--db", db, "--home", "Oak House"]
    code, out, err = run_cli(*base, "homes", "--json", stdin=f"{CLI_PIN}\n")
    assert code == 0, err
    listed = json.loads(out)
    assert [h["name"] for h in listed["homes"]] == ["Ash Lodge", "Oak House"]
    oak_now = listed["homes"][1]
    assert (oak_now["children"], oak_now["no_cover"], oak_now["no_key_worker"]) == (3, 1, 2)
    assert oak_now["period"]["allocated_share"] == 0.333 and "delivery" in listed["how"]
    code, out, _ = run_cli(*base, "homes", "--days", "7", stdin=f"{CLI_PIN}\n")
    assert code == 0 and out.splitlines()[0].startswith("Home")
    assert "Oak House" in out and "Key working 04 Mar 2026 – 10 Mar 2026" in out


def test_keywork_homes_is_refused_to_a_home_manager(database, run_cli) -> None:
    oak = _home("Oak House")
    signin.set_pin(oak.manager, oak.manager.id, CLI_PIN)
    db = str(database)
    code, out, err = run_cli("--db", db, "--as", "Oak House Manager", "homes", stdin=f"{CLI_PIN}\n")
    assert code == 2 and out == ""
    assert "only a provider can see every home side by side" in err
