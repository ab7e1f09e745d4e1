"""The child's profile: one read of the whole file, and About kept by the staff
who know the child."""

from __future__ import annotations

import datetime as dt

import pytest

import models
from keywork_tui.schemas import (
    AllocationIn,
    AmendmentIn,
    ChildAboutIn,
    ContactIn,
    CoverIn,
    EventIn,
    ProgressIn,
    ReviewIn,
    SessionIn,
    TargetIn,
    TargetReviewIn,
)
from keywork_tui.services import NotFoundError, PermissionDeniedError, audit, clock
from keywork_tui.services.actor import actor_for
from keywork_tui.services.child_file import plans_and_events as records
from keywork_tui.services.child_file import profile, sessions
from keywork_tui.services.team import allocation, people

D = dt.date
NOW = dt.datetime(2026, 3, 10, 12, 0)
TODAY = NOW.date()

pytestmark = pytest.mark.now(NOW)


@pytest.fixture
def team(add_staff):
    names = {
        "pat": "Pat Past",
        "kim": "Kim Key",
        "col": "Col Co",
        "cal": "Cal Cover",
        "una": "Una Other",
    }
    return {key: add_staff(name) for key, name in names.items()}


@pytest.fixture
def amy(home, add_child, team):
    """Amy: Pat was her key worker until he left, now Kim; Col co-works; Cal covers."""
    child = add_child(
        "Amy", "Ash", preferred_name="Ames", school="Oak School", likes="swimming", fears="the dark"
    )
    boss = home.actor
    allocation.allocate(
        boss, AllocationIn(child_id=child.id, staff_id=team["pat"].id, starts_on=D(2026, 1, 5))
    )
    allocation.allocate(
        boss,
        AllocationIn(
            child_id=child.id, staff_id=team["kim"].id, starts_on=D(2026, 2, 2), reason="staff_left"
        ),
    )
    allocation.allocate(
        boss,
        AllocationIn(
            child_id=child.id, staff_id=team["col"].id, role="co_worker", starts_on=D(2026, 2, 2)
        ),
    )
    allocation.arrange_cover(
        boss,
        CoverIn(
            child_id=child.id,
            staff_id=team["cal"].id,
            starts_on=D(2026, 3, 9),
            ends_on=D(2026, 3, 20),
        ),
    )
    people.add_contact(
        boss,
        child.id,
        ContactIn(kind="family", name="Dad", restrictions="Supervised contact only."),
    )
    people.add_contact(
        boss, child.id, ContactIn(kind="social_worker", name="Sam Social", phone="01632 960000")
    )
    return child


def _session(
    child, staff, held: dt.datetime, *, written: dt.datetime | None = None, **fields
) -> int:
    """A session held at `held`, written up at `written` (None leaves a draft)."""
    data = SessionIn(
        child_id=child.id,
        staff_id=staff.id,
        held_at=held,
        summary=fields.pop("summary", "Talked about school."),
        **fields,
    )
    me = actor_for(staff.id)
    with clock.frozen(held + dt.timedelta(hours=1)):
        saved = sessions.save_session(me, data)
    if written is not None:
        with clock.frozen(written):
            sessions.save_session(me, data, saved.id, finalise=True)
    return saved.id


def test_about_and_contacts(home, amy):
    found = profile.profile(home.actor, amy.id, TODAY)
    about = found.about
    assert (about.name, about.legal_name, about.age) == ("Ames Ash", "Amy Ash", 14)
    assert (about.school, about.likes, about.fears) == ("Oak School", "swimming", "the dark")
    assert (about.placement_words, about.admitted_on) == ("full time", D(2026, 1, 5))
    # The social worker before the family, and the restriction in words.
    assert [c.kind_words for c in found.contacts] == ["Social worker", "Family"]
    [restricted] = found.restrictions
    assert (restricted.name, restricted.restrictions) == ("Dad", "Supervised contact only.")


def test_key_worker_history_with_reasons_and_cover(home, amy):
    found = profile.profile(home.actor, amy.id, TODAY)
    history = [
        (a.staff_name, a.role_words, a.starts_on, a.ends_on, a.reason_words, a.current)
        for a in found.allocations
    ]
    assert history == [
        ("Col Co", "co-worker", D(2026, 2, 2), None, "first allocation", True),
        ("Kim Key", "key worker", D(2026, 2, 2), None, "the staff member left", True),
        ("Pat Past", "key worker", D(2026, 1, 5), D(2026, 2, 1), "first allocation", False),
    ]
    assert found.key_worker.staff_name == "Kim Key"
    assert (found.cover.staff_name, found.cover.ends_on) == ("Cal Cover", D(2026, 3, 20))


def test_every_change_reason_reads_in_words():
    line = profile.AllocationLine(1, "Kim", "key_worker", TODAY, None, "other", "moved house", True)
    assert line.reason_words == "other: moved house"
    assert set(profile.REASON_WORDS) == {
        "child_request",
        "staff_request",
        "staff_left",
        "long_absence",
        "relationship",
        "manager_decision",
        "other",
    }


def test_sessions_newest_first_with_a_late_write_up(home, amy, team):
    kim = team["kim"]
    # Held Tuesday 10 February; five working days is Tuesday 17th: written up late.
    late = _session(amy, kim, dt.datetime(2026, 2, 10, 16), written=dt.datetime(2026, 2, 25, 9))
    on_time = _session(
        amy,
        kim,
        dt.datetime(2026, 3, 3, 16),
        written=dt.datetime(2026, 3, 3, 18),
        concern=True,
        concern_text="Scared of the new bus route.",
    )
    draft = _session(amy, kim, dt.datetime(2026, 3, 9, 16), activity="baking")

    found = profile.profile(home.actor, amy.id, TODAY).sessions.lines

    assert [s.id for s in found] == [draft, on_time, late]
    assert [s.status_words for s in found] == ["draft", "final", "final, written up late"]
    assert [s.concern for s in found] == [False, True, False]
    assert found[0].staff_name == "Kim Key"


def test_session_search_matches_words_in_any_case(home, amy, team):
    _session(amy, team["kim"], dt.datetime(2026, 3, 3, 16), summary="Went swimming.")
    _session(
        amy,
        team["kim"],
        dt.datetime(2026, 3, 4, 16),
        activity="Baking",
        concern=True,
        concern_text="Worried about Dad's visit.",
    )

    def found(search: str) -> list[str]:
        page = profile.session_page(home.actor, amy.id, search=search)
        assert page.matching == len(page.lines) and page.total == 2
        return [s.activity for s in page.lines]

    assert found("BAKING") == ["Baking"]
    assert found("dad visit") == ["Baking"]
    assert len(found("kim swim")) == 1
    assert len(found("")) == 2
    assert found("swim baking") == []


def test_targets_open_first_with_the_default_review_date(home, amy):
    reviewed = records.add_target(
        home.actor,
        TargetIn(
            child_id=amy.id, text="Walk to school.", set_on=D(2026, 1, 12), review_by=D(2026, 2, 20)
        ),
    )
    records.review_target(
        home.actor, reviewed, TargetReviewIn(outcome="partly", reviewed_on=D(2026, 2, 20))
    )
    records.add_target(home.actor, TargetIn(child_id=amy.id, text="Ask for help.", set_on=TODAY))

    found = profile.profile(home.actor, amy.id, TODAY)

    assert [(t.text, t.outcome_words) for t in found.targets] == [
        ("Ask for help.", "open"),
        ("Walk to school.", "partly"),
    ]
    assert found.targets[0].review_by == found.default_review_by
    assert found.default_review_by == records.default_review_by(home.id, TODAY)


def test_document_reviews_newest_first(home, amy, team):
    kim = actor_for(team["kim"].id)
    for day, outcome in ((D(2026, 2, 20), "updated"), (D(2026, 3, 5), "no_change")):
        records.record_review(
            kim,
            ReviewIn(child_id=amy.id, document="support_plan", reviewed_on=day, outcome=outcome),
        )
    found = profile.profile(home.actor, amy.id, TODAY).reviews.lines
    assert [(r.reviewed_on, r.document_words, r.outcome_words, r.by_name) for r in found] == [
        (D(2026, 3, 5), "Support Plan", "no change", "Kim Key"),
        (D(2026, 2, 20), "Support Plan", "updated", "Kim Key"),
    ]


def test_dates_with_the_birthday_soonest_first(home, amy):
    for day, kind, yearly in (
        (D(2026, 3, 20), "court", False),
        (D(2025, 6, 1), "anniversary", True),
        (D(2026, 2, 1), "appointment", False),
        (D(2012, 3, 4), "birthday", True),
    ):
        records.add_event(home.actor, EventIn(child_id=amy.id, date=day, kind=kind, yearly=yearly))
    found = profile.profile(home.actor, amy.id, TODAY).dates
    # Born 4 March 2012: the birthday typed in by hand is shown once, with the age.
    assert [(d.kind, d.next_on, d.note) for d in found] == [
        ("court", D(2026, 3, 20), ""),
        ("anniversary", D(2026, 6, 1), ""),
        ("birthday", D(2027, 3, 4), "turns 15"),
        ("appointment", None, ""),
    ]


def test_a_child_of_another_home_is_not_found(home, amy):
    with pytest.raises(NotFoundError):
        profile.profile(home.actor, amy.id + 100, TODAY)


def test_a_whole_session_with_progress_and_corrections(home, amy, team):
    target = records.add_target(
        home.actor, TargetIn(child_id=amy.id, text="Ask for help.", set_on=D(2026, 3, 1))
    )
    session_id = _session(
        amy,
        team["kim"],
        dt.datetime(2026, 3, 3, 16),
        written=dt.datetime(2026, 3, 3, 18),
        progress=[ProgressIn(target_id=target, note="Asked twice.")],
    )
    sessions.amend_session(
        home.actor,
        session_id,
        AmendmentIn(field="summary", corrected="Talked about college.", reason="wrong word"),
    )

    detail = profile.session_detail(home.actor, session_id)

    assert (detail.staff_name, detail.late) == ("Kim Key", False)
    assert [(p.target_text, p.note) for p in detail.progress] == [("Ask for help.", "Asked twice.")]
    [fix] = detail.amendments
    assert (fix.field_words, fix.original, fix.corrected, fix.reason, fix.by_name) == (
        "summary",
        "Talked about school.",
        "Talked about college.",
        "wrong word",
        "Mo Manager",
    )
    assert detail.current("held_at") == "2026-03-03 16:00"


# --- editing About ------------------------------------------------------------


ABOUT = ChildAboutIn(
    preferred_name="Ames", school="Oak School", likes="swimming, drawing", fears="the dark"
)


@pytest.mark.parametrize("who", ["kim", "col", "cal", "manager"])
def test_key_worker_co_worker_cover_and_manager_may_edit_about(home, amy, team, who):
    actor = home.actor if who == "manager" else actor_for(team[who].id)
    assert profile.profile(actor, amy.id, TODAY).about_refusal == ""
    saved = profile.update_about(actor, amy.id, ABOUT)
    assert saved.likes == "swimming, drawing"
    assert profile.profile(home.actor, amy.id, TODAY).about.likes == "swimming, drawing"


@pytest.mark.parametrize("who", ["una", "pat"])
def test_other_care_staff_may_not_edit_about(home, amy, team, who):
    actor = actor_for(team[who].id)
    assert profile.profile(actor, amy.id, TODAY).about_refusal
    with pytest.raises(PermissionDeniedError, match="key worker or co-worker"):
        profile.update_about(actor, amy.id, ABOUT)
    assert profile.profile(home.actor, amy.id, TODAY).about.likes == "swimming"
    assert not audit.events(child_id=amy.id, action_prefix="child.about")


def test_cover_that_has_ended_no_longer_edits(home, amy, team):
    with clock.frozen(dt.datetime(2026, 3, 21, 9)), pytest.raises(PermissionDeniedError):
        profile.update_about(actor_for(team["cal"].id), amy.id, ABOUT)


def test_about_change_is_audited_with_before_and_after(home, amy, team):
    profile.update_about(actor_for(team["kim"].id), amy.id, ABOUT)
    [event] = audit.events(child_id=amy.id, action_prefix="child.about")
    assert (event.staff_name, event.table, event.record_id) == ("Kim Key", "child", amy.id)
    assert event.before == {"likes": "swimming"}
    assert event.after == {"likes": "swimming, drawing"}


def test_a_save_that_changes_nothing_writes_nothing(home, amy, team):
    unchanged = ChildAboutIn(
        preferred_name="Ames", school="Oak School", likes="swimming", fears="the dark"
    )
    before = audit.events(child_id=amy.id)
    profile.update_about(actor_for(team["kim"].id), amy.id, unchanged)
    assert audit.events(child_id=amy.id) == before


# --- cost ----------------------------------------------------------------------


@pytest.fixture
def count_queries(monkeypatch):
    """Run a call and return how many SQL statements it sent."""
    database = models.db.obj
    sent: list[str] = []
    original = database.execute_sql

    def counting(sql, *args, **kwargs):
        sent.append(sql)
        return original(sql, *args, **kwargs)

    monkeypatch.setattr(database, "execute_sql", counting)

    def count(call, *args) -> int:
        sent.clear()
        call(*args)
        return len(sent)

    return count


def test_the_number_of_queries_does_not_grow_with_the_history(home, amy, team, count_queries):
    held = dt.datetime(2026, 2, 2, 16)
    _session(amy, team["kim"], held, written=held + dt.timedelta(hours=2))
    records.add_target(home.actor, TargetIn(child_id=amy.id, text="One.", set_on=TODAY))
    few = count_queries(profile.profile, home.actor, amy.id, TODAY)

    for week in range(1, 8):
        day = held + dt.timedelta(weeks=week / 2)
        _session(
            amy,
            team["kim"],
            day,
            written=day + dt.timedelta(days=week),
            concern=week % 2 == 0,
            concern_text="A worry." if week % 2 == 0 else "",
        )
        records.add_target(
            home.actor, TargetIn(child_id=amy.id, text=f"Target {week}.", set_on=TODAY)
        )
        records.add_event(home.actor, EventIn(child_id=amy.id, date=TODAY, kind="meeting"))
    many = count_queries(profile.profile, home.actor, amy.id, TODAY)

    assert many == few
    assert few <= 12


def test_a_long_history_is_read_a_page_at_a_time_newest_first(home, amy, team):
    kim = team["kim"]
    start = dt.datetime(2026, 2, 3, 9)
    held = [start + dt.timedelta(hours=8 * n) for n in range(110)]
    held[60:63] = [held[60]] * 3  # three at one moment, across the page's edge
    for n, moment in enumerate(held):
        _session(amy, kim, moment, written=moment + dt.timedelta(hours=2), summary=f"Walk {n}.")

    first = profile.profile(home.actor, amy.id, TODAY).sessions
    assert (len(first.lines), first.matching, first.total, first.more) == (
        profile.PAGE,
        110,
        110,
        True,
    )
    pages = [first]
    while pages[-1].more:
        pages.append(profile.session_page(home.actor, amy.id, after=pages[-1].lines[-1]))
    read = [line for page in pages for line in page.lines]
    assert [len(page.lines) for page in pages] == [50, 50, 10]
    assert len({line.id for line in read}) == 110
    assert read == sorted(read, key=lambda s: (s.held_at, s.id), reverse=True)

    # A search reads in pages too, and counts what it finds.
    found = profile.session_page(home.actor, amy.id, search="walk 1")
    assert (found.matching, found.total) == (29, 110)  # 1, 10-19, 21, 31 … 91, 100-109
    assert [s.summary for s in found.lines][:2] == ["Walk 109.", "Walk 108."]


def test_reviews_are_read_a_page_at_a_time(home, amy, team):
    kim = actor_for(team["kim"].id)
    days = [D(2026, 1, 6) + dt.timedelta(days=n) for n in range(61)]
    for day in days:
        records.record_review(
            kim,
            ReviewIn(
                child_id=amy.id, document="support_plan", reviewed_on=day, outcome="no_change"
            ),
        )
    first = profile.profile(home.actor, amy.id, TODAY).reviews
    assert (len(first.lines), first.total, first.more) == (50, 61, True)
    rest = profile.review_page(home.actor, amy.id, after=first.lines[-1])
    assert (len(rest.lines), rest.more) == (11, False)
    assert [r.reviewed_on for r in first.lines + rest.lines] == sorted(days, reverse=True)


@pytest.mark.parametrize(
    ("search", "found"),
    [("ÉLODIE", ["Élodie's visit."]), ("50%", ["Half, 50% of it."]), ("a_b", ["a_b test."])],
)
def test_the_search_folds_case_in_any_script_and_takes_wildcards_literally(
    home, amy, team, search, found
):
    for n, words in enumerate(["Élodie's visit.", "Half, 50% of it.", "a_b test.", "aXb 5000"]):
        _session(amy, team["kim"], dt.datetime(2026, 3, 2 + n, 16), summary=words)
    page = profile.session_page(home.actor, amy.id, search=search)
    assert [s.summary for s in page.lines] == found
