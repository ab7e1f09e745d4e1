"""compliance.obligations() on a home built through the services; the query
count that stays the same for 5 and 50 children; `keywork overdue --json`.

The pure, rule-by-rule tests are in test_compliance_rules.py.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from statements import count_statements

import models
from keywork_tui import cli
from keywork_tui.schemas import (
    AbsenceIn,
    AllocationIn,
    ChildIn,
    CoverIn,
    HomeIn,
    ReviewIn,
    SessionIn,
    SignificantEventIn,
    StaffIn,
    SupervisionIn,
    TargetIn,
    TermIn,
)
from keywork_tui.services import clock, database, homes
from keywork_tui.services.actor import Actor
from keywork_tui.services.child_file import obligations as compliance
from keywork_tui.services.child_file import plans_and_events as records
from keywork_tui.services.child_file import sessions as key_sessions
from keywork_tui.services.child_file.obligations import Obligation
from keywork_tui.services.errors import ServiceError
from keywork_tui.services.team import allocation, people
from models import Child
from models.base import write_transaction

D = dt.date
NOW = dt.datetime(2026, 11, 30, 12, 0)
ON = NOW.date()
ADMITTED = D(2026, 1, 5)  # as in conftest
# Slugs of `keywork overdue --json`, as listed in /work/shared/IMPORT_FORMAT.md.
SLUGS = {
    "support_plan",
    "safety_plan",
    "positive_handling_plan",
    "risk_assessment",
    "medical_summary",
    "consent_forms",
    "audit_actions",
    "monthly_report",
    "formal_consultation",
    "school_visit",
    "belongings_inventory",
    "likes_dislikes",
    "dental_check",
    "health_assessment",
    "consent_parent_social_worker",
    "key_session",
    "first_session",
    "session_write_up",
    "target_review",
    "supervision",
    "good_news_contact",
    "handover_acknowledgement",
    "key_worker_allocation",
}

pytestmark = pytest.mark.now(NOW)


@pytest.fixture
def kim(add_staff):
    return add_staff("Kim Key")


@pytest.fixture
def lee(add_staff):
    return add_staff("Lee Cover")


@pytest.fixture
def amy(home, add_child, kim):
    child = add_child("Amy")
    _allocate(home.actor, child.id, kim.id)
    return child


# --- builders -----------------------------------------------------------------


def _allocate(actor: Actor, child_id: int, staff_id: int, starts_on: dt.date = ADMITTED) -> None:
    allocation.allocate(
        actor, AllocationIn(child_id=child_id, staff_id=staff_id, starts_on=starts_on)
    )


def _session(actor: Actor, child_id: int, staff_id: int, held: dt.date, *, final: bool = True):
    data = SessionIn(
        child_id=child_id,
        staff_id=staff_id,
        held_at=dt.datetime.combine(held, dt.time(16, 0)),
        summary="Chatted.",
    )
    return key_sessions.save_session(actor, data, finalise=final)


def _review(actor: Actor, child_id: int, document: str, on: dt.date) -> None:
    data = ReviewIn(child_id=child_id, document=document, reviewed_on=on, outcome="no_change")
    records.record_review(actor, data)


def _event(actor: Actor, child_id: int, on: dt.date) -> None:
    data = SignificantEventIn(child_id=child_id, occurred_on=on, summary="Went missing.")
    records.record_significant_event(actor, data)


def _absent(actor: Actor, staff_id: int, start: dt.date, end: dt.date) -> None:
    data = AbsenceIn(staff_id=staff_id, starts_on=start, ends_on=end, kind="leave")
    allocation.record_absence(actor, data)


def _cover(actor: Actor, child_id: int, staff_id: int, start: dt.date, end: dt.date) -> None:
    data = CoverIn(child_id=child_id, staff_id=staff_id, starts_on=start, ends_on=end)
    allocation.arrange_cover(actor, data)


def _term(actor: Actor, start: dt.date, end: dt.date) -> None:
    homes.add_term(actor, TermIn(starts_on=start, ends_on=end))


def _supervise(actor: Actor, staff_id: int, on: dt.date) -> None:
    records.record_supervision(actor, SupervisionIn(staff_id=staff_id, held_on=on))


def _find(home, on: dt.date = ON, **match: object) -> list[Obligation]:
    found = compliance.obligations(home.id, on)
    return [o for o in found if all(getattr(o, k) == v for k, v in match.items())]


def _one(home, slug: str, on: dt.date = ON, **match: object) -> Obligation | None:
    found = _find(home, on, obligation=slug, **match)
    assert len(found) <= 1, found
    return found[0] if found else None


# --- who is responsible -------------------------------------------------------


def test_never_reviewed_support_plan_is_overdue_for_the_key_worker(home, amy, kim):
    item = _one(home, "support_plan", child_id=amy.id)
    assert (item.due, item.status, item.days_overdue) == (D(2026, 2, 5), "overdue", 298)
    assert (item.subject, item.title) == ("Amy Child", "Support Plan review")
    assert (item.responsible, item.responsible_id, item.falls_to) == (
        "Kim Key",
        kim.id,
        "key_worker",
    )


def test_cover_is_responsible_while_the_key_worker_is_absent(home, amy, kim, lee):
    _absent(home.actor, kim.id, D(2026, 11, 20), D(2026, 12, 5))
    _cover(home.actor, amy.id, lee.id, D(2026, 11, 20), D(2026, 12, 5))
    item = _one(home, "support_plan", child_id=amy.id)
    assert (item.responsible, item.responsible_id) == ("Lee Cover (cover)", lee.id)
    after = _one(home, "support_plan", D(2026, 12, 6), child_id=amy.id)
    assert (after.responsible, after.responsible_id) == ("Kim Key", kim.id)


def test_absent_without_cover_says_no_cover(home, amy, kim):
    _absent(home.actor, kim.id, D(2026, 11, 20), D(2026, 12, 5))
    item = _one(home, "support_plan", child_id=amy.id)
    assert (item.responsible, item.responsible_id) == ("Kim Key (absent, NO COVER)", kim.id)


def test_child_without_key_worker_falls_to_managers(home, add_child):
    ben = add_child("Ben")
    item = _one(home, "support_plan", child_id=ben.id)
    assert (item.responsible, item.responsible_id) == ("no key worker (managers)", None)


def test_child_who_has_left_is_not_listed(home, amy, add_child):
    ben = add_child("Ben")
    people.child_leaves(home.actor, amy.id, D(2026, 10, 1))
    assert _find(home, child_id=amy.id) == []
    assert _find(home, child_id=ben.id) != []
    assert _find(home, D(2026, 9, 30), child_id=amy.id) != []


# --- order and the day asked ---------------------------------------------------


def test_sorted_most_overdue_first(home, amy, add_child, kim):
    _allocate(home.actor, add_child("Ben", admitted_on=D(2026, 6, 1)).id, kim.id)
    _session(home.actor, amy.id, kim.id, D(2026, 11, 27))
    lateness = [o.days_overdue for o in compliance.obligations(home.id, ON)]
    assert len(set(lateness)) > 3
    assert lateness == sorted(lateness, reverse=True)


def test_ties_are_sorted_by_name_then_obligation(home, amy, add_child):
    add_child("Ben")
    overdue = [(o.days_overdue, o.subject, o.obligation) for o in _find(home)]
    assert overdue == sorted(overdue, key=lambda t: (-t[0], t[1], t[2]))
    assert [s for d, s, _ in overdue if d == 298][:2] == ["Amy Child", "Amy Child"]


def test_earlier_day_gives_fewer_overdue_items(home, amy):
    march = _find(home, D(2026, 3, 1), status="overdue")
    november = _find(home, ON, status="overdue")
    assert 0 < len(march) < len(november)
    assert all(o.days_overdue == (D(2026, 3, 1) - o.due).days for o in march)


def test_result_depends_on_the_day_asked_not_the_clock(home, amy, kim):
    _session(home.actor, amy.id, kim.id, D(2026, 6, 10), final=False)
    asked = D(2026, 6, 20)
    results = []
    for now in (dt.datetime(2026, 6, 20, 9, 0), dt.datetime(2027, 3, 1, 9, 0), NOW):
        with clock.frozen(now):
            results.append(compliance.obligations(home.id, asked))
    assert results[0] == results[1] == results[2]
    assert results[0] != compliance.obligations(home.id, asked + dt.timedelta(days=1))


def test_records_after_the_day_asked_are_ignored(home, amy, kim):
    _review(home.actor, amy.id, "support_plan", D(2026, 11, 10))
    _session(home.actor, amy.id, kim.id, D(2026, 11, 10))
    assert _one(home, "support_plan", D(2026, 10, 15), child_id=amy.id).status == "overdue"
    assert _one(home, "first_session", D(2026, 10, 15), child_id=amy.id) is not None
    assert _one(home, "support_plan", child_id=amy.id) is None
    assert _one(home, "first_session", child_id=amy.id) is None


# --- the rules, read from the database ----------------------------------------


def test_review_moves_the_document_on_a_month(home, amy):
    _review(home.actor, amy.id, "support_plan", D(2026, 11, 20))
    assert _one(home, "support_plan", child_id=amy.id) is None
    soon = _one(home, "support_plan", D(2026, 12, 18), child_id=amy.id)
    assert (soon.due, soon.status, soon.days_overdue) == (D(2026, 12, 20), "due_soon", -2)


def test_significant_event_makes_the_plans_due_that_day(home, amy):
    for document in ("support_plan", "safety_plan", "risk_assessment"):
        _review(home.actor, amy.id, document, D(2026, 11, 10))
    _event(home.actor, amy.id, D(2026, 11, 20))
    for document in ("support_plan", "safety_plan"):
        item = _one(home, document, child_id=amy.id)
        assert (item.due, item.days_overdue) == (D(2026, 11, 20), 10)
    assert _one(home, "risk_assessment", child_id=amy.id) is None
    _review(home.actor, amy.id, "support_plan", D(2026, 11, 20))
    assert _one(home, "support_plan", child_id=amy.id) is None


def test_draft_session_needs_writing_up(home, amy, kim):
    draft = _session(home.actor, amy.id, kim.id, D(2026, 11, 20), final=False)
    _session(home.actor, amy.id, kim.id, D(2026, 11, 19))
    [item] = _find(home, obligation="session_write_up")
    assert (item.due, item.days_overdue, item.record_id) == (D(2026, 11, 27), 3, draft.id)


def test_key_session_weekly_or_at_the_child_rhythm(home, add_child, kim):
    amy = add_child("Amy")
    ben = add_child("Ben", session_every_days=14)
    for child in (amy, ben):
        _allocate(home.actor, child.id, kim.id)
        _session(home.actor, child.id, kim.id, D(2026, 11, 18))
    weekly = _one(home, "key_session", child_id=amy.id)
    assert (weekly.due, weekly.status, weekly.days_overdue) == (D(2026, 11, 25), "overdue", 5)
    fortnightly = _one(home, "key_session", child_id=ben.id)
    assert (fortnightly.due, fortnightly.status) == (D(2026, 12, 2), "due_soon")


def test_first_session_after_admission(home, add_child):
    new = add_child("Cal", admitted_on=D(2026, 11, 27))
    item = _one(home, "first_session", child_id=new.id)
    assert (item.due, item.status, item.days_overdue) == (D(2026, 11, 29), "overdue", 1)
    assert _one(home, "key_session", child_id=new.id) is None


def test_open_target_is_due_on_review_by(home, amy):
    data = TargetIn(
        child_id=amy.id,
        text="Ask for help at break.",
        set_on=D(2026, 9, 7),
        review_by=D(2026, 11, 28),
    )
    target_id = records.add_target(home.actor, data)
    item = _one(home, "target_review", child_id=amy.id)
    assert (item.due, item.days_overdue, item.record_id) == (D(2026, 11, 28), 2, target_id)


def test_rule_switched_off_in_the_child_plan(home, amy, add_child):
    Child.update(policy={"off": ["support_plan", "dental_check"]}).where(
        Child.id == amy.id
    ).execute()
    ben = add_child("Ben")
    assert _one(home, "support_plan", child_id=amy.id) is None
    assert _one(home, "dental_check", child_id=amy.id) is None
    assert _one(home, "support_plan", child_id=ben.id) is not None


def test_home_policy_overrides(home, amy, admin):
    _review(home.actor, amy.id, "dental_check", D(2026, 6, 2))
    _review(home.actor, amy.id, "risk_assessment", D(2026, 11, 5))
    assert _one(home, "risk_assessment", child_id=amy.id) is None
    assert _one(home, "dental_check", child_id=amy.id).status == "due_soon"
    assert _one(home, "school_visit", child_id=amy.id).status == "overdue"
    homes.set_policy(
        admin,
        {
            "due_soon_days": 5,
            "rules": {"dental_check": {"every": "12 months"}, "school_visit": {"enabled": False}},
        },
    )
    assert _one(home, "dental_check", child_id=amy.id) is None
    assert _one(home, "school_visit", child_id=amy.id) is None
    wider = _one(home, "risk_assessment", child_id=amy.id)
    assert (wider.due, wider.status, wider.days_overdue) == (D(2026, 12, 5), "due_soon", -5)


def test_home_policy_naming_an_unknown_rule_is_an_error(home, amy, admin):
    before = compliance.obligations(home.id, ON)
    with pytest.raises(ServiceError, match="unknown rule 'dentist'"):
        homes.set_policy(admin, {"rules": {"dentist": {"every": "6 months"}}})
    assert compliance.obligations(home.id, ON) == before


# --- supervision of key workers, per term ------------------------------------


def test_supervision_without_term_dates_every_four_months(home, amy, kim):
    _supervise(home.actor, kim.id, D(2026, 6, 1))
    item = _one(home, "supervision", D(2026, 10, 3))
    assert (item.due, item.status, item.days_overdue) == (D(2026, 10, 1), "overdue", 2)
    assert (item.subject, item.staff_id, item.child_id) == ("Kim Key", kim.id, None)
    assert (item.responsible, item.falls_to) == ("Mo Manager", "managers")
    assert _one(home, "supervision", D(2026, 9, 27)) is None


def test_supervision_due_at_the_end_of_term(home, amy, kim):
    _term(home.actor, D(2026, 9, 2), D(2026, 12, 18))
    _supervise(home.actor, kim.id, D(2026, 7, 1))
    item = _one(home, "supervision", D(2026, 12, 16))
    assert (item.due, item.status, item.days_overdue) == (D(2026, 12, 18), "due_soon", -2)
    _supervise(home.actor, kim.id, D(2026, 9, 10))
    assert _one(home, "supervision", D(2026, 12, 16)) is None


def test_supervision_missed_last_term_is_overdue(home, amy, kim):
    _term(home.actor, D(2026, 4, 13), D(2026, 7, 17))
    _term(home.actor, D(2026, 9, 2), D(2026, 12, 18))
    _supervise(home.actor, kim.id, D(2026, 3, 1))
    item = _one(home, "supervision", D(2026, 9, 10))
    assert item is not None and item.status == "overdue"


def test_key_worker_never_supervised_becomes_overdue(home, amy, kim):
    item = _one(home, "supervision")
    assert item is not None and item.status == "overdue"


def test_only_key_workers_need_supervision(home, amy, kim, lee):
    assert [o.staff_id for o in _find(home, obligation="supervision")] == [kim.id]


# --- the number of queries does not grow with the home -------------------------


def _populate_child(actor: Actor, index: int, worker_id: int) -> None:
    admitted = ADMITTED + dt.timedelta(days=index % 40)
    child = people.add_child(
        actor,
        ChildIn(
            first_name=f"Child{index:02d}",
            last_name="Test",
            date_of_birth=D(2011, 5, 1),
            admitted_on=admitted,
        ),
    )
    _allocate(actor, child.id, worker_id, admitted)
    for weeks_ago, final in ((6, True), (3, True), (1, False)):
        _session(actor, child.id, worker_id, ON - dt.timedelta(weeks=weeks_ago), final=final)
    _review(actor, child.id, "support_plan", D(2026, 10, 1 + index % 28))
    _review(actor, child.id, "dental_check", D(2026, 6, 1 + index % 28))
    records.add_target(
        actor,
        TargetIn(
            child_id=child.id, text="Read daily.", set_on=D(2026, 9, 7), review_by=D(2026, 11, 20)
        ),
    )
    if index % 3 == 0:
        _event(actor, child.id, D(2026, 11, 1 + index % 28))


def _build_home(name: str, children: int) -> int:
    made, manager = homes.create_home(HomeIn(name=name), StaffIn(name=f"{name} Manager"))
    actor = Actor(manager.id, manager.name, manager.role, made.id)
    with write_transaction():
        workers = [
            people.add_staff(
                actor, StaffIn(name=f"{name} Worker {i}", induction_done=True, level3=True)
            ).id
            for i in range(max(2, children // 4))
        ]
        for index in range(children):
            _populate_child(actor, index, workers[index % len(workers)])
        _term(actor, D(2026, 9, 2), D(2026, 12, 18))
        _supervise(actor, workers[0], D(2026, 9, 20))
        _absent(actor, workers[1], D(2026, 11, 25), D(2026, 12, 4))
        _cover(
            actor, _first_child_of(made.id, workers[1]), workers[0], D(2026, 11, 25), D(2026, 12, 4)
        )
    return made.id


def _first_child_of(home_id: int, staff_id: int) -> int:
    workers = allocation.key_workers_on(home_id, ON)
    return min(child_id for child_id, staff in workers.items() if staff.id == staff_id)


def test_query_count_does_not_grow_with_children(database, monkeypatch):
    small, large = _build_home("Small", 5), _build_home("Large", 50)
    counts = {}
    for size, home_id in ((5, small), (50, large)):
        found = compliance.obligations(home_id, ON)
        assert len({o.child_id for o in found if o.child_id}) == size
        compliance.forget_worked_out()  # count a pass of the rules, not a kept answer
        counts[size] = count_statements(
            monkeypatch, lambda h=home_id: compliance.obligations(h, ON)
        )
    print(f"queries run by obligations(): {counts}")
    assert 0 < counts[5] == counts[50] <= 20


def test_the_rules_pass_once_until_something_is_written(home, amy, kim, monkeypatch):
    """The header's count, the board and the lists of one refresh share a pass."""
    first = compliance.obligations(home.home.id, ON)
    again = count_statements(monkeypatch, lambda: compliance.obligations(home.home.id, ON))
    assert again == 1  # the newest audit event, to know nothing was written
    assert compliance.obligations(home.home.id, ON) == first
    assert "first_session" in {o.obligation for o in first if o.child_id == amy.id}
    _session(home.actor, amy.id, kim.id, ON - dt.timedelta(days=1))
    after = compliance.obligations(home.home.id, ON)
    assert "first_session" not in {o.obligation for o in after if o.child_id == amy.id}


def test_the_rules_pass_again_a_minute_on_and_inside_a_transaction(home, amy, monkeypatch):
    compliance.obligations(home.home.id, ON)
    with clock.frozen(clock.now() + dt.timedelta(minutes=1)):
        later = count_statements(monkeypatch, lambda: compliance.obligations(home.home.id, ON))
    with models.db.atomic():
        inside = count_statements(monkeypatch, lambda: compliance.obligations(home.home.id, ON))
    assert later > 1 and inside > 1


# --- keywork overdue --json ----------------------------------------------------


@pytest.fixture
def private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Keep config, data and logs of the command inside the test's folder."""
    for var in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.setenv(var, str(tmp_path / var.lower()))
    monkeypatch.delenv("KEYWORK_DB", raising=False)
    monkeypatch.delenv("KEYWORK_CONFIG", raising=False)
    yield tmp_path
    database.close()


FIELD_TYPES = {
    "child": (str, type(None)),
    "child_id": (int, type(None)),
    "obligation": str,
    "due": str,
    "days_overdue": int,
    "status": str,
    "responsible": str,
}


def _check_row(row: dict) -> None:
    for key, kinds in FIELD_TYPES.items():
        assert isinstance(row[key], kinds), (key, row)
    assert not isinstance(row["days_overdue"], bool)
    assert row["obligation"] in SLUGS
    assert row["status"] in ("overdue", "due_today", "due_soon")
    assert (row["child"] is None) == (row["child_id"] is None)
    assert (D.fromisoformat("2026-11-30") - D.fromisoformat(row["due"])).days == row["days_overdue"]


def test_overdue_json(home, amy, kim, database, private_dirs, capsys, cli_signs_in):
    _session(home.actor, amy.id, kim.id, D(2026, 11, 26), final=False)
    _supervise(home.actor, kim.id, D(2026, 7, 1))
    cli_signs_in()
    database_file = str(database)
    models.db.close()
    assert cli.main(["--db", database_file, "overdue", "--json", "--on", "2026-11-30"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {"support_plan", "session_write_up", "supervision"} <= {r["obligation"] for r in rows}
    for row in rows:
        _check_row(row)
    amy_rows = [r for r in rows if r["child_id"] == amy.id]
    assert {(r["child"], r["responsible"]) for r in amy_rows} == {("Amy Child", "Kim Key")}


def test_overdue_with_a_bad_date_exits_2(home, database, private_dirs, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--db", str(database), "overdue", "--json", "--on", "30/11/2026"])
    assert exit_info.value.code == 2
    assert "is not a date in the form YYYY-MM-DD" in capsys.readouterr().err


def test_every_rule_slug_is_in_the_interchange_list():
    from keywork_tui.services.policy import PROFILES

    assert {r.slug for rules in PROFILES.values() for r in rules} <= SLUGS
