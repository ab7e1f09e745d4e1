"""Every service call that names who is acting, walked for every kind of person.

One small home: a care worker and a shift leader with no link to Amy, Amy's
key worker, the care worker covering her today, the manager and an admin. Each
row says who may make the call; everyone else is refused in words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

import models
from keywork_tui.calendar import ShiftRef, next_shift
from keywork_tui.schemas import (
    AbsenceIn,
    ActionIn,
    AllocationIn,
    AmendmentIn,
    ChildAboutIn,
    ChildIn,
    ContactIn,
    CoverIn,
    EventIn,
    HandoverEntryIn,
    HomeSettingsIn,
    LanguageCheckIn,
    LanguageRemoveIn,
    LanguageWordIn,
    ReviewIn,
    SessionIn,
    SignificantEventIn,
    SignOnIn,
    StaffIn,
    SupervisionIn,
    TargetIn,
    TargetReviewIn,
    TermIn,
)
from keywork_tui.services import PermissionDeniedError, audit, clock, homes
from keywork_tui.services.actor import Actor, actor_for
from keywork_tui.services.child_file import key_children as children
from keywork_tui.services.child_file import language, profile, sessions
from keywork_tui.services.child_file import plans_and_events as records
from keywork_tui.services.exchange import child_export, csv_import, reports
from keywork_tui.services.handover import away
from keywork_tui.services.handover import shift as handover
from keywork_tui.services.team import allocation, people, signin, workspace
from keywork_tui.services.team import staffing as manager

NOW = dt.datetime(2026, 3, 10, 14, 0)
TODAY = NOW.date()
HELD = dt.datetime(2026, 3, 9, 16, 0)
LAST_NIGHT = ShiftRef(dt.date(2026, 3, 9), "night")
DAY_SHIFT = ShiftRef(TODAY, "day")
NIGHT_SHIFT = next_shift(DAY_SHIFT)

pytestmark = pytest.mark.now(NOW)

ROLES = ("care", "leader", "key", "cover", "manager", "admin", "provider")
EVERYONE = frozenset(ROLES)
# Everyone who works in the home: a provider reads every home and writes nothing.
STAFF = EVERYONE - {"provider"}
MANAGERS = frozenset({"manager", "admin"})
OVERSEE = MANAGERS | {"provider"}  # the audit trail, reports, the workspace's boards
LEADERS = MANAGERS | {"leader"}
AMY_TEAM = MANAGERS | {"key", "cover"}  # who works with Amy today
WRITER = MANAGERS | {"key"}  # Kim wrote the sessions on file


@dataclass
class World:
    amy: int
    actors: dict[str, Actor]
    draft_id: int
    final_id: int
    target_id: int
    submitted_id: int
    draft_handover_id: int
    absence_id: int
    allocation_id: int
    contact_id: int

    def __getitem__(self, role: str) -> Actor:
        return self.actors[role]


def _provider(home_id: int) -> Actor:
    """The provider's responsible individual, whose account is kept at this home."""
    row = models.Staff.create(home=home_id, name="Rae Provider", role="provider")
    return Actor(row.id, row.name, row.role, home_id)


def _session(child_id: int, staff_id: int, **fields: Any) -> SessionIn:
    values: dict[str, Any] = {"held_at": HELD, "summary": "Talked about school.", **fields}
    return SessionIn(child_id=child_id, staff_id=staff_id, **values)


@pytest.fixture
def world(home, admin, add_staff, add_child) -> World:
    boss = home.actor
    staff = {
        role: add_staff(name, role=kind)
        for role, name, kind in (
            ("care", "Cal Care", "care_staff"),
            ("leader", "Lee Lead", "shift_leader"),
            ("key", "Kim Key", "care_staff"),
            ("cover", "Cat Cover", "care_staff"),
        )
    }
    actors = {role: actor_for(s.id) for role, s in staff.items()}
    actors |= {"manager": boss, "admin": admin, "provider": _provider(home.id)}
    amy = add_child("Amy").id
    allocation_id = allocation.allocate(
        boss, AllocationIn(child_id=amy, staff_id=staff["key"].id, starts_on=dt.date(2026, 1, 5))
    )
    allocation.arrange_cover(
        boss, CoverIn(child_id=amy, staff_id=staff["cover"].id, starts_on=TODAY, ends_on=TODAY)
    )
    kim = actors["key"]
    draft = sessions.save_session(kim, _session(amy, kim.id))
    final = sessions.save_session(
        kim, _session(amy, kim.id, actions=[ActionIn(text="Ring school")]), finalise=True
    )
    target = records.add_target(
        boss, TargetIn(child_id=amy, text="Ask for help", set_on=dt.date(2026, 2, 2))
    )
    submitted = handover.open_handover(boss, LAST_NIGHT)
    handover.write_entry(boss, submitted, HandoverEntryIn(child_id=amy, mood="calm"))
    handover.submit(boss, submitted)
    draft_handover = handover.open_handover(boss, DAY_SHIFT)
    handover.write_entry(boss, draft_handover, HandoverEntryIn(child_id=amy, mood="calm"))
    handover.sign_on(boss, DAY_SHIFT, [staff["care"].id, staff["key"].id])
    absence = allocation.record_absence(
        boss,
        AbsenceIn(
            staff_id=staff["key"].id,
            starts_on=TODAY + dt.timedelta(days=3),
            ends_on=TODAY + dt.timedelta(days=5),
            kind="leave",
        ),
    )
    contact = people.add_contact(boss, amy, ContactIn(kind="gp", name="Dr Patel"))
    return World(
        amy,
        actors,
        draft.id,
        final.id,
        target,
        submitted,
        draft_handover,
        absence.id,
        allocation_id,
        contact,
    )


def _colleague(w: World, actor: Actor) -> int:
    """Someone on the day shift other than the actor."""
    return next(a.id for a in (w["care"], w["key"]) if a.id != actor.id)


def _acknowledge_own(w: World, a: Actor) -> None:
    handover.sign_on(w["manager"], DAY_SHIFT, [a.id])
    handover.acknowledge(a, w.submitted_id)


def _amy_in(**fields: Any) -> ChildIn:
    values: dict[str, Any] = {
        "first_name": "Amy",
        "last_name": "Child",
        "date_of_birth": dt.date(2012, 3, 4),
        "admitted_on": dt.date(2026, 1, 5),
        **fields,
    }
    return ChildIn(**values)


Call = Callable[[World, Actor], object]

# (name, the call, who may make it)
MATRIX: list[tuple[str, Call, frozenset[str]]] = [
    # sessions
    (
        "sessions.save_session new",
        lambda w, a: sessions.save_session(a, _session(w.amy, a.id)),
        AMY_TEAM,
    ),
    (
        "sessions.save_session finalise",
        lambda w, a: sessions.save_session(
            a, _session(w.amy, w["key"].id), w.draft_id, finalise=True
        ),
        WRITER,
    ),
    ("sessions.complete_action", lambda w, a: sessions.complete_action(a, w.final_id, 0), AMY_TEAM),
    (
        "sessions.amend_session",
        lambda w, a: sessions.amend_session(
            a, w.final_id, AmendmentIn(field="summary", corrected="Fixed.", reason="typo")
        ),
        WRITER,
    ),
    ("sessions.discard_draft", lambda w, a: sessions.discard_draft(a, w.draft_id), WRITER),
    ("sessions.get_session", lambda w, a: sessions.get_session(a, w.final_id), EVERYONE),
    ("sessions.sessions_for_child", lambda w, a: sessions.sessions_for_child(a, w.amy), EVERYONE),
    ("sessions.amendments_of", lambda w, a: sessions.amendments_of(a, w.final_id), EVERYONE),
    ("sessions.open_targets", lambda w, a: sessions.open_targets(a, w.amy), EVERYONE),
    ("sessions.drafts_of", lambda w, a: sessions.drafts_of(a), EVERYONE),
    # the rest of the child's file
    (
        "records.record_review",
        lambda w, a: records.record_review(
            a,
            ReviewIn(
                child_id=w.amy, document="support_plan", reviewed_on=TODAY, outcome="no_change"
            ),
        ),
        AMY_TEAM,
    ),
    (
        "records.add_target",
        lambda w, a: records.add_target(
            a, TargetIn(child_id=w.amy, text="Tidy room", set_on=TODAY)
        ),
        AMY_TEAM,
    ),
    (
        "records.review_target",
        lambda w, a: records.review_target(
            a, w.target_id, TargetReviewIn(outcome="achieved", reviewed_on=TODAY)
        ),
        AMY_TEAM,
    ),
    (
        "records.add_event",
        lambda w, a: records.add_event(a, EventIn(child_id=w.amy, date=TODAY, kind="appointment")),
        AMY_TEAM,
    ),
    (
        "records.record_significant_event",
        lambda w, a: records.record_significant_event(
            a, SignificantEventIn(child_id=w.amy, occurred_on=TODAY, summary="Went missing.")
        ),
        STAFF,
    ),
    (
        "records.record_supervision",
        lambda w, a: records.record_supervision(
            a, SupervisionIn(staff_id=w["care"].id, held_on=TODAY)
        ),
        MANAGERS,
    ),
    # reading a child
    ("profile.profile", lambda w, a: profile.profile(a, w.amy, TODAY), EVERYONE),
    ("profile.session_detail", lambda w, a: profile.session_detail(a, w.final_id), EVERYONE),
    (
        "profile.update_about",
        lambda w, a: profile.update_about(a, w.amy, ChildAboutIn(likes="drawing")),
        AMY_TEAM,
    ),
    ("children.key_children", lambda w, a: children.key_children(a, TODAY), EVERYONE),
    ("children.overview", lambda w, a: children.overview(a, TODAY), EVERYONE),
    ("away.digest", lambda w, a: away.digest(a), EVERYONE),
    ("away.mark_read", lambda w, a: away.mark_read(a, NOW), STAFF),
    # handover
    ("handover.sign_on", lambda w, a: handover.sign_on(a, NIGHT_SHIFT, [a.id]), STAFF),
    (
        "handover.set_shift_staff taking a colleague off",
        lambda w, a: handover.set_shift_staff(a, DAY_SHIFT, SignOnIn(staff_ids=[a.id])),
        LEADERS,
    ),
    (
        "handover.set_shift_staff signing on",
        lambda w, a: handover.set_shift_staff(
            a, NIGHT_SHIFT, SignOnIn(staff_ids=[a.id, w["care"].id])
        ),
        STAFF,
    ),
    ("handover.open_handover", lambda w, a: handover.open_handover(a, NIGHT_SHIFT), STAFF),
    (
        "handover.write_entry",
        lambda w, a: handover.write_entry(
            a, w.draft_handover_id, HandoverEntryIn(child_id=w.amy, mood="cheerful")
        ),
        STAFF,
    ),
    (
        "handover.save_home_notes",
        lambda w, a: handover.save_home_notes(a, w.draft_handover_id, "Boiler serviced."),
        STAFF,
    ),
    (
        "handover.missing_entries",
        lambda w, a: handover.missing_entries(a, w.draft_handover_id),
        EVERYONE,
    ),
    ("handover.sheet", lambda w, a: handover.sheet(a, w.draft_handover_id), EVERYONE),
    ("handover.submit", lambda w, a: handover.submit(a, w.draft_handover_id), LEADERS),
    (
        "handover.amend_entry",
        lambda w, a: handover.amend_entry(
            a, w.submitted_id, w.amy, AmendmentIn(field="mood", corrected="low", reason="misread")
        ),
        STAFF,
    ),
    ("handover.acknowledge own", _acknowledge_own, STAFF),
    (
        "handover.acknowledge for a colleague",
        lambda w, a: handover.acknowledge(a, w.submitted_id, _colleague(w, a)),
        LEADERS,
    ),
    # allocation, people and the home
    (
        "allocation.allocate",
        lambda w, a: allocation.allocate(
            a,
            AllocationIn(child_id=w.amy, staff_id=w["care"].id, role="co_worker", starts_on=TODAY),
        ),
        MANAGERS,
    ),
    (
        "allocation.end_allocation",
        lambda w, a: allocation.end_allocation(a, w.allocation_id, TODAY),
        MANAGERS,
    ),
    (
        "allocation.record_absence",
        lambda w, a: allocation.record_absence(
            a, AbsenceIn(staff_id=w["care"].id, starts_on=TODAY, ends_on=TODAY, kind="training")
        ),
        MANAGERS,
    ),
    (
        "allocation.arrange_cover",
        lambda w, a: allocation.arrange_cover(
            a, CoverIn(child_id=w.amy, staff_id=w["care"].id, starts_on=TODAY, ends_on=TODAY)
        ),
        MANAGERS,
    ),
    ("people.add_staff", lambda w, a: people.add_staff(a, StaffIn(name="New Person")), MANAGERS),
    (
        "people.add_staff as admin",
        lambda w, a: people.add_staff(a, StaffIn(name="New Admin", role="admin")),
        frozenset({"admin"}),
    ),
    (
        "people.update_staff",
        lambda w, a: people.update_staff(
            a, w["care"].id, StaffIn(name="Cal Care", induction_done=True, level3=True)
        ),
        MANAGERS,
    ),
    ("people.deactivate_staff", lambda w, a: people.deactivate_staff(a, w["care"].id), MANAGERS),
    ("people.add_child", lambda w, a: people.add_child(a, _amy_in(first_name="Bea")), MANAGERS),
    (
        "people.update_child",
        lambda w, a: people.update_child(a, w.amy, _amy_in(school="Oak")),
        MANAGERS,
    ),
    ("people.child_leaves", lambda w, a: people.child_leaves(a, w.amy, TODAY), MANAGERS),
    (
        "people.add_contact",
        lambda w, a: people.add_contact(a, w.amy, ContactIn(kind="dentist", name="Ms Shah")),
        AMY_TEAM,
    ),
    (
        "people.update_contact",
        lambda w, a: people.update_contact(
            a, w.contact_id, ContactIn(kind="gp", name="Dr Patel", phone="0161 496 0000")
        ),
        AMY_TEAM,
    ),
    (
        "csv_import.import_staff",
        lambda w, a: csv_import.import_staff(a, csv_import.read_staff("name\nNew Person\n")),
        MANAGERS,
    ),
    (
        "homes.add_term",
        lambda w, a: homes.add_term(
            a, TermIn(starts_on=TODAY, ends_on=TODAY + dt.timedelta(days=40))
        ),
        MANAGERS,
    ),
    (
        "homes.set_policy",
        lambda w, a: homes.set_policy(a, {"due_soon_days": 5}),
        frozenset({"admin"}),
    ),
    ("homes.settings", lambda w, a: homes.settings(a), MANAGERS),
    (
        "homes.change_settings",
        lambda w, a: homes.change_settings(a, HomeSettingsIn(lock_minutes=10)),
        frozenset({"admin"}),
    ),
    # the language guide: everyone's notes are checked against it, managers edit it
    ("language.guide_for", lambda w, a: language.guide_for(a), EVERYONE),
    (
        "language.add_word",
        lambda w, a: language.add_word(
            a, LanguageWordIn(word="looked after", suggestion="living here")
        ),
        MANAGERS,
    ),
    (
        "language.remove_word",
        lambda w, a: language.remove_word(a, LanguageRemoveIn(word="unit")),
        MANAGERS,
    ),
    ("language.set_check", lambda w, a: language.set_check(a, LanguageCheckIn(on=False)), MANAGERS),
    (
        "manager.admit_child",
        lambda w, a: manager.admit_child(a, _amy_in(first_name="Cy")),
        MANAGERS,
    ),
    ("manager.eligible_key_workers", lambda w, a: manager.eligible_key_workers(a), MANAGERS),
    # the manager's workspace, the audit trail and reports
    (
        "manager.change_key_worker",
        lambda w, a: manager.change_key_worker(
            a, w.amy, w["care"].id, TODAY + dt.timedelta(days=1), "manager_decision"
        ),
        MANAGERS,
    ),
    (
        "manager.suggest_key_workers",
        lambda w, a: manager.suggest_key_workers(a, w.amy, TODAY),
        OVERSEE,
    ),
    ("manager.cover_warnings", lambda w, a: manager.cover_warnings(a, TODAY), OVERSEE),
    ("manager.staff_overview", lambda w, a: manager.staff_overview(a, TODAY), OVERSEE),
    ("manager.suggest_cover", lambda w, a: manager.suggest_cover(a, w.absence_id, w.amy), OVERSEE),
    ("workspace.allocation_board", lambda w, a: workspace.allocation_board(a, TODAY), OVERSEE),
    ("workspace.absences_ahead", lambda w, a: workspace.absences_ahead(a, TODAY), OVERSEE),
    (
        "workspace.supervision_overview",
        lambda w, a: workspace.supervision_overview(a, TODAY),
        OVERSEE,
    ),
    # a PIN: anyone their own, a manager anyone's in the home
    ("signin.set_pin", lambda w, a: signin.set_pin(a, w["care"].id, "4071"), MANAGERS | {"care"}),
    ("audit.trail", lambda w, a: audit.trail(a), OVERSEE),
    ("audit.kinds", lambda w, a: audit.kinds(a), OVERSEE),
    ("reports.child_month", lambda w, a: reports.child_month(a, w.amy, 2026, 2), OVERSEE),
    (
        "reports.review_report",
        lambda w, a: reports.review_report(a, w.amy, dt.date(2026, 2, 1), TODAY),
        OVERSEE,
    ),
    ("reports.home_summary", lambda w, a: reports.home_summary(a, TODAY), OVERSEE),
    ("child_export.export_child", lambda w, a: child_export.export_child(a, w.amy), MANAGERS),
]


def _cases() -> list[Any]:
    return [
        pytest.param(
            call,
            role,
            role in allowed,
            id=f"{name} | {role} {'may' if role in allowed else 'refused'}",
        )
        for name, call, allowed in MATRIX
        for role in ROLES
    ]


@pytest.mark.parametrize(("call", "role", "may"), _cases())
def test_role_matrix(world: World, call: Call, role: str, may: bool) -> None:
    actor = world[role]
    if may:
        call(world, actor)
        return
    with pytest.raises(PermissionDeniedError) as refused:
        call(world, actor)
    assert str(refused.value).strip()


def test_the_matrix_names_every_role_and_no_call_twice() -> None:
    names = [name for name, _, _ in MATRIX]
    assert len(names) == len(set(names))
    assert all(allowed <= EVERYONE for _, _, allowed in MATRIX)


def test_the_refusal_to_record_a_session_is_in_plain_words(world: World) -> None:
    with pytest.raises(PermissionDeniedError) as refused:
        sessions.save_session(world["care"], _session(world.amy, world["care"].id))
    assert str(refused.value) == (
        "only Amy's key worker, co-worker, cover or a manager can record a session with them"
    )


def test_a_care_worker_marked_as_leading_a_shift_submits_its_handover(world: World) -> None:
    """A night shift may have no shift leader: whoever it marks as leading signs off."""
    cal = world["care"]
    handover.set_shift_staff(
        cal, NIGHT_SHIFT, SignOnIn(staff_ids=[cal.id, world["key"].id], leader_id=cal.id)
    )
    with clock.frozen(NOW + dt.timedelta(hours=10)):
        night = handover.open_handover(cal, NIGHT_SHIFT)
        handover.submit(cal, night, pass_missing=True)


def test_a_care_worker_cannot_lead_over_a_shift_leader_on_the_shift(world: World) -> None:
    cal, lee = world["care"], world["leader"]
    with pytest.raises(PermissionDeniedError, match="change who leads"):
        handover.set_shift_staff(
            cal, NIGHT_SHIFT, SignOnIn(staff_ids=[cal.id, lee.id], leader_id=cal.id)
        )
