"""Restricted sessions: the key worker, co-worker, cover and managers read them;
everyone else sees that one exists, and nothing of what it says."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from keywork_tui.calendar import ShiftRef
from keywork_tui.schemas import (
    ActionIn,
    AllocationIn,
    AmendmentIn,
    CoverIn,
    ProgressIn,
    SessionIn,
    TargetIn,
)
from keywork_tui.services import clock
from keywork_tui.services.actor import actor_for
from keywork_tui.services.child_file import plans_and_events as records
from keywork_tui.services.child_file import profile, sessions
from keywork_tui.services.child_file.restricted import RESTRICTED_TEXT
from keywork_tui.services.handover import away
from keywork_tui.services.handover import board as handover_board
from keywork_tui.services.handover import shift as handover
from keywork_tui.services.team import allocation

NOW = dt.datetime(2026, 3, 10, 15, 0)
HELD = dt.datetime(2026, 3, 10, 11, 0)
SECRET = "disclosed something about home"

pytestmark = pytest.mark.now(NOW)


@pytest.fixture
def team(home, add_staff, add_child):
    """Kim is Amy's key worker, Coe her co-worker, Cat covers her today; Cal
    and Lee (a shift leader) work in the home but not with Amy."""
    amy = add_child("Amy")
    kim, coe, cat = add_staff("Kim Key"), add_staff("Coe Worker"), add_staff("Cat Cover")
    cal, lee = add_staff("Cal Care"), add_staff("Lee Lead", role="shift_leader")
    start = dt.date(2026, 1, 5)
    for staff, role in ((kim, "key_worker"), (coe, "co_worker")):
        allocation.allocate(
            home.actor, AllocationIn(child_id=amy.id, staff_id=staff.id, role=role, starts_on=start)
        )
    allocation.arrange_cover(
        home.actor,
        CoverIn(child_id=amy.id, staff_id=cat.id, starts_on=NOW.date(), ends_on=NOW.date()),
    )
    people = {"kim": kim, "coe": coe, "cat": cat, "cal": cal, "lee": lee}
    return SimpleNamespace(
        amy=amy, home=home, **{k: actor_for(v.id) for k, v in people.items()}, manager=home.actor
    )


def _record(team, *, restricted: bool = True, **fields) -> int:
    target = records.add_target(
        team.kim,
        TargetIn(child_id=team.amy.id, text="Talk to an adult", set_on=dt.date(2026, 2, 2)),
    )
    values = {
        "summary": f"She {SECRET}.",
        "views": "Wants it kept private.",
        "activity": "Walk to the park",
        "concern": True,
        "concern_text": SECRET,
        "actions": [ActionIn(text="Tell the social worker")],
        "progress": [ProgressIn(target_id=target, note="Asked for help")],
        **fields,
    }
    data = SessionIn(
        child_id=team.amy.id, staff_id=team.kim.id, held_at=HELD, restricted=restricted, **values
    )
    return sessions.save_session(team.kim, data, finalise=True).id


READERS = ("kim", "coe", "cat", "manager")
OTHERS = ("cal", "lee")


@pytest.mark.parametrize("who", READERS)
def test_those_who_work_with_the_child_read_it_whole(team, who):
    session = sessions.get_session(getattr(team, who), _record(team))
    assert (session.summary, session.concern_text) == (f"She {SECRET}.", SECRET)
    assert session.actions and session.views


@pytest.mark.parametrize("who", OTHERS)
def test_others_see_only_that_a_restricted_entry_exists(team, who):
    session = sessions.get_session(getattr(team, who), _record(team))
    assert session.summary == RESTRICTED_TEXT
    assert (session.views, session.activity, session.concern_text, session.actions) == (
        "",
        "",
        "",
        [],
    )
    # When, how long and by whom stay visible, so it never reads as a missed week.
    assert (session.held_at, session.staff_id, session.restricted) == (HELD, team.kim.id, True)


@pytest.mark.parametrize("who", OTHERS)
def test_an_unrestricted_session_is_read_by_anyone_in_the_home(team, who):
    session = sessions.get_session(getattr(team, who), _record(team, restricted=False))
    assert session.concern_text == SECRET


def test_the_list_of_a_childs_sessions_hides_only_the_restricted_ones(team):
    _record(team)
    _record(team, restricted=False, summary="Played football.", concern=False, concern_text="")
    shown = {s.summary for s in sessions.sessions_for_child(team.cal, team.amy.id)}
    assert shown == {RESTRICTED_TEXT, "Played football."}


def test_the_profile_hides_it_and_a_search_cannot_find_its_words(team):
    _record(team)
    [line] = profile.profile(team.cal, team.amy.id, NOW.date()).sessions.lines
    assert (line.summary, line.concern_text, line.views, line.activity) == (
        RESTRICTED_TEXT,
        "",
        "",
        "",
    )
    assert profile.session_page(team.cal, team.amy.id, search="home").lines == []
    # The notice it shows instead, and its writer's name, are what a search finds.
    assert len(profile.session_page(team.cal, team.amy.id, search="restricted").lines) == 1
    [readable] = profile.session_page(team.kim, team.amy.id, search="disclosed HOME").lines
    assert readable.id == line.id


def test_the_session_detail_hides_progress_and_corrections(team):
    session_id = _record(team)
    sessions.amend_session(
        team.kim,
        session_id,
        AmendmentIn(field="concern_text", corrected=f"{SECRET}, again", reason="said more"),
    )
    hidden = profile.session_detail(team.cal, session_id)
    assert hidden.progress == []
    [amendment] = hidden.amendments
    assert (amendment.original, amendment.corrected) == ("", RESTRICTED_TEXT)
    whole = profile.session_detail(team.manager, session_id)
    assert [p.note for p in whole.progress] == ["Asked for help"]
    assert whole.amendments[0].original == SECRET


def test_a_cover_that_has_ended_no_longer_reads_it(team):
    session_id = _record(team)
    with clock.frozen(NOW + dt.timedelta(days=1)):
        assert sessions.get_session(team.cat, session_id).summary == RESTRICTED_TEXT
        assert sessions.get_session(team.kim, session_id).concern_text == SECRET


def test_the_handover_board_says_a_concern_exists_without_its_words(team):
    _record(team, bedtime=True)
    board = handover_board.board(team.home.id, NOW, ShiftRef(NOW.date(), "day"))
    [row] = board.rows
    assert [n.text for n in row.bedtime] == [RESTRICTED_TEXT]
    assert all(SECRET not in n.text for _, notes in board.for_cover for n in notes)


def test_the_key_workers_digest_reads_what_the_cover_recorded_whole(team):
    handover.sign_on(team.manager, ShiftRef(dt.date(2026, 3, 8), "day"), [team.kim.id])
    handover.sign_on(team.manager, ShiftRef(NOW.date(), "day"), [team.kim.id])
    data = SessionIn(
        child_id=team.amy.id,
        staff_id=team.cat.id,
        held_at=HELD,
        restricted=True,
        summary=f"She {SECRET}.",
        concern=True,
        concern_text=SECRET,
    )
    sessions.save_session(team.cat, data)
    texts = [n.text for n in away.digest(team.kim).notes]
    assert SECRET in texts and RESTRICTED_TEXT not in " ".join(texts)


def test_progress_notes_of_a_restricted_session_stay_with_its_readers(home, add_staff, add_child):
    kim, lee = add_staff("Kim Keen"), add_staff("Lee Other")
    amy = add_child("Amy")
    allocation.allocate(
        home.actor, AllocationIn(child_id=amy.id, staff_id=kim.id, starts_on=amy.admitted_on)
    )
    target = records.add_target(
        home.actor, TargetIn(child_id=amy.id, text="Walk to school", set_on=amy.admitted_on)
    )
    saved = sessions.save_session(
        actor_for(kim.id),
        SessionIn(
            child_id=amy.id,
            staff_id=kim.id,
            held_at=dt.datetime(2026, 2, 2, 16, 0),
            minutes=30,
            summary="Private",
            restricted=True,
            progress=[ProgressIn(target_id=target, note="Walked with mum")],
        ),
    )
    assert [p.note for p in sessions.progress_of(actor_for(kim.id), saved.id)] == [
        "Walked with mum"
    ]
    assert [p.note for p in sessions.progress_of(home.actor, saved.id)] == ["Walked with mum"]
    assert sessions.progress_of(actor_for(lee.id), saved.id) == []
