"""The compliance rules one by one, on hand-built facts: no database, no clock.

Each row of DOMAIN.md's "Rules a program can keep" that policy.py implements
is checked through the pure functions of services.compliance, around
weekends, bank holidays, month ends and leap years.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from keywork_tui.outputs import ChildOut
from keywork_tui.services.child_file.obligations import (
    ChildFacts,
    Terms,
    child_due_dates,
    document_due,
    status_on,
)
from keywork_tui.services.policy import (
    AFTER_SIGNIFICANT_EVENT,
    CHILDRENS_HOME,
    MONTHLY_DOCUMENTS,
    Policy,
    parse_interval,
    policy_for,
)

D = dt.date
ADMITTED = D(2026, 1, 5)  # a Monday
BORN = D(2012, 3, 4)  # sixteen on 4 March 2028
NO_TERMS = Terms([])
HOME = policy_for("childrens_home", None)
SCHOOL = policy_for("residential_school", None)
AUTUMN = (D(2026, 9, 2), D(2026, 10, 23))
LATE_AUTUMN = (D(2026, 11, 2), D(2026, 12, 18))
SCHOOL_YEAR = Terms([AUTUMN, LATE_AUTUMN])


def _child(admitted: dt.date = ADMITTED, born: dt.date = BORN, **extra: object) -> ChildOut:
    values = {"preferred_name": "", "left_on": None, "placement": "full_time", "school": ""}
    values.update(extra)
    return ChildOut(
        id=1,
        home_id=1,
        first_name="Amy",
        last_name="Child",
        date_of_birth=born,
        admitted_on=admitted,
        **values,
    )


def _facts(admitted: dt.date = ADMITTED, born: dt.date = BORN, **fields: object) -> ChildFacts:
    return ChildFacts(_child(admitted, born), **fields)


def _dues(
    facts: ChildFacts,
    on: dt.date = ADMITTED,
    policy: Policy = HOME,
    terms: Terms = NO_TERMS,
    nation: str = "england",
) -> dict[str, list[dt.date]]:
    found: dict[str, list[dt.date]] = {}
    for slug, due, _record in child_due_dates(policy, facts, on, terms, nation):
        found.setdefault(slug, []).append(due)
    return found


def _due(slug: str, facts: ChildFacts, **kwargs: object) -> dt.date | None:
    """The one due date of `slug`, or None when the rule does not apply."""
    dates = _dues(facts, **kwargs).get(slug, [])
    assert len(dates) <= 1, dates
    return dates[0] if dates else None


def _reviewed(slug: str, on: dt.date, **fields: object) -> ChildFacts:
    return _facts(last_review={slug: on}, **fields)


# --- key-work sessions --------------------------------------------------------


@pytest.mark.parametrize(
    ("last", "expected"),
    [
        (D(2026, 12, 23), D(2026, 12, 30)),  # over Christmas: calendar days, not working days
        (D(2026, 12, 31), D(2027, 1, 7)),
        (D(2028, 2, 26), D(2028, 3, 4)),  # across 29 February
        (D(2027, 2, 26), D(2027, 3, 5)),
    ],
)
def test_key_session_is_weekly(last, expected):
    assert _due("key_session", _facts(last_session=last), on=last) == expected


def test_child_session_rhythm_replaces_the_week():
    facts = _facts(last_session=D(2026, 12, 23), session_every_days=14)
    assert _due("key_session", facts, on=D(2026, 12, 23)) == D(2027, 1, 6)


def test_key_session_waits_for_the_first_session():
    assert _due("key_session", _facts()) is None


@pytest.mark.parametrize(
    ("admitted", "expected"),
    [
        (D(2026, 1, 5), D(2026, 1, 7)),
        (D(2026, 12, 31), D(2027, 1, 2)),  # a Saturday: calendar days
        (D(2028, 2, 28), D(2028, 3, 1)),  # leap year
        (D(2027, 2, 28), D(2027, 3, 2)),
    ],
)
def test_first_session_within_two_days_of_admission(admitted, expected):
    assert _due("first_session", _facts(admitted), on=admitted) == expected


def test_first_session_done_once_any_session_is_held():
    facts = _facts(last_session=D(2026, 1, 6))
    assert _due("first_session", facts) is None
    assert _due("key_session", facts) == D(2026, 1, 13)


# --- session write-up: 5 working days, bank holidays of the home's nation -----


@pytest.mark.parametrize(
    ("held", "nation", "expected"),
    [
        # The brief's case: Wednesday 23 December 2026 in England.
        (D(2026, 12, 23), "england", D(2027, 1, 4)),
        (D(2026, 12, 23), "wales", D(2027, 1, 4)),
        (D(2026, 12, 23), "northern_ireland", D(2027, 1, 4)),
        # Scotland: 2 January (a Saturday in 2027) moves to Monday 4 January.
        (D(2026, 12, 23), "scotland", D(2027, 1, 5)),
        (D(2026, 12, 31), "england", D(2027, 1, 8)),
        (D(2026, 12, 31), "scotland", D(2027, 1, 11)),
        # 2 January 2026 is a Friday: a working day in England, not in Scotland.
        (D(2025, 12, 29), "england", D(2026, 1, 6)),
        (D(2025, 12, 29), "scotland", D(2026, 1, 7)),
        (D(2025, 12, 29), "northern_ireland", D(2026, 1, 6)),
        # St Patrick's Day (Tue 17 March 2026) is a holiday only in Northern Ireland.
        (D(2026, 3, 13), "northern_ireland", D(2026, 3, 23)),
        (D(2026, 3, 13), "england", D(2026, 3, 20)),
        # 12 July 2026 is a Sunday: Northern Ireland takes Monday 13 July.
        (D(2026, 7, 10), "northern_ireland", D(2026, 7, 20)),
        (D(2026, 7, 10), "scotland", D(2026, 7, 17)),
        # A session on Saturday: the week starts counting on Monday.
        (D(2026, 3, 7), "england", D(2026, 3, 13)),
        (D(2028, 2, 25), "england", D(2028, 3, 3)),  # leap year, Friday
    ],
)
def test_session_write_up_within_five_working_days(held, nation, expected):
    facts = _facts(last_session=held, drafts=[(41, held)])
    found = child_due_dates(HOME, facts, held, NO_TERMS, nation)
    assert [(s, d, r) for s, d, r in found if s == "session_write_up"] == [
        ("session_write_up", expected, 41)
    ]


def test_each_draft_has_its_own_write_up():
    facts = _facts(last_session=D(2026, 3, 9), drafts=[(1, D(2026, 3, 2)), (2, D(2026, 3, 9))])
    assert _dues(facts)["session_write_up"] == [D(2026, 3, 9), D(2026, 3, 16)]


def test_no_draft_no_write_up():
    assert "session_write_up" not in _dues(_facts(last_session=D(2026, 3, 9)))


# --- documents reviewed every month -----------------------------------------

MONTHLY = (*MONTHLY_DOCUMENTS, "monthly_report")


@pytest.mark.parametrize("slug", MONTHLY)
@pytest.mark.parametrize(
    ("last", "expected"),
    [
        (D(2026, 1, 31), D(2026, 2, 28)),
        (D(2028, 1, 31), D(2028, 2, 29)),  # leap year
        (D(2026, 3, 15), D(2026, 4, 15)),
        (D(2026, 12, 31), D(2027, 1, 31)),
        (D(2026, 5, 31), D(2026, 6, 30)),
    ],
)
def test_monthly_documents(slug, last, expected):
    assert _due(slug, _reviewed(slug, last)) == expected


@pytest.mark.parametrize("slug", MONTHLY)
def test_monthly_documents_first_due_a_month_after_admission(slug):
    assert _due(slug, _facts(D(2026, 1, 31))) == D(2026, 2, 28)


# --- six-monthly, yearly and two-yearly documents ---------------------------

SIX_MONTHLY = (
    "formal_consultation",
    "school_visit",
    "belongings_inventory",
    "likes_dislikes",
    "dental_check",
)


@pytest.mark.parametrize("slug", SIX_MONTHLY)
@pytest.mark.parametrize(
    ("last", "expected"),
    [
        (D(2026, 3, 10), D(2026, 9, 10)),
        (D(2026, 8, 31), D(2027, 2, 28)),
        (D(2027, 8, 31), D(2028, 2, 29)),  # leap year
        (D(2028, 2, 29), D(2028, 8, 29)),
    ],
)
def test_six_monthly_documents(slug, last, expected):
    assert _due(slug, _reviewed(slug, last)) == expected


@pytest.mark.parametrize("slug", [s for s in SIX_MONTHLY if s != "likes_dislikes"])
def test_six_monthly_documents_first_due_six_months_after_admission(slug):
    assert _due(slug, _facts()) == D(2026, 7, 5)


def test_likes_and_dislikes_first_due_on_the_admission_day():
    assert _due("likes_dislikes", _facts()) == ADMITTED


@pytest.mark.parametrize(
    ("last", "expected"),
    [(D(2026, 5, 1), D(2027, 5, 1)), (D(2028, 2, 29), D(2029, 2, 28))],
)
def test_health_assessment_yearly(last, expected):
    assert _due("health_assessment", _reviewed("health_assessment", last)) == expected


def test_health_assessment_first_due_a_year_after_admission():
    assert _due("health_assessment", _facts()) == D(2027, 1, 5)


CONSENT = "consent_parent_social_worker"


@pytest.mark.parametrize(
    ("born", "signed", "expected"),
    [
        (D(2012, 3, 4), D(2026, 6, 1), D(2028, 3, 4)),  # turns 16 first
        (D(2012, 9, 1), D(2026, 6, 1), D(2028, 6, 1)),  # two years come first
        (D(2010, 1, 1), D(2026, 6, 1), D(2028, 6, 1)),  # already 16 when signed
        (D(2010, 6, 1), D(2026, 6, 1), D(2028, 6, 1)),  # signed on the 16th birthday
        (D(2012, 2, 29), D(2027, 1, 1), D(2028, 2, 29)),  # a leap-day birthday
    ],
)
def test_consent_every_two_years_or_at_sixteen(born, signed, expected):
    facts = _facts(born=born, last_review={CONSENT: signed})
    assert _due(CONSENT, facts, on=signed) == expected


def test_consent_never_signed_is_due_at_sixteen_if_sooner():
    assert _due(CONSENT, _facts(born=D(2011, 6, 30))) == D(2027, 6, 30)
    assert _due(CONSENT, _facts(born=D(2013, 6, 30))) == D(2028, 1, 5)


# --- targets ------------------------------------------------------------------


def test_open_targets_fall_due_on_their_review_by_date():
    facts = _facts(open_targets=[(7, D(2026, 12, 18)), (8, D(2027, 2, 12))])
    found = [
        (d, r)
        for s, d, r in child_due_dates(HOME, facts, ADMITTED, NO_TERMS, "england")
        if s == "target_review"
    ]
    assert found == [(D(2026, 12, 18), 7), (D(2027, 2, 12), 8)]


# --- residential school: one key-work session per term ----------------------


@pytest.mark.parametrize(
    ("last", "on", "expected"),
    [
        (D(2026, 10, 20), D(2026, 11, 10), LATE_AUTUMN[1]),  # not yet this term
        (D(2026, 11, 2), D(2026, 11, 10), dt.date.max),  # done this term
        (D(2026, 10, 20), D(2026, 10, 28), dt.date.max),  # between terms
        (D(2026, 6, 1), D(2026, 9, 2), AUTUMN[1]),  # first day of term
    ],
)
def test_residential_school_session_once_per_term(last, on, expected):
    facts = _facts(last_session=last)
    assert _due("key_session", facts, on=on, policy=SCHOOL, terms=SCHOOL_YEAR) == expected


def test_residential_school_without_term_dates_uses_four_months():
    facts = _facts(last_session=D(2026, 10, 31))
    assert _due("key_session", facts, on=D(2026, 11, 1), policy=SCHOOL) == D(2027, 2, 28)


def test_residential_school_child_with_own_rhythm_counts_days():
    facts = _facts(last_session=D(2026, 11, 2), session_every_days=14)
    due = _due("key_session", facts, on=D(2026, 11, 3), policy=SCHOOL, terms=SCHOOL_YEAR)
    assert due == D(2026, 11, 16)


def test_childrens_home_ignores_term_dates_for_sessions():
    facts = _facts(last_session=D(2026, 11, 2))
    due = _due("key_session", facts, on=D(2026, 11, 3), terms=SCHOOL_YEAR)
    assert due == D(2026, 11, 9)


def test_residential_school_session_missed_last_term_is_overdue():
    """A term that ended without a session leaves the session overdue."""
    facts = _facts(last_session=D(2026, 6, 1))
    due = _due("key_session", facts, on=D(2026, 10, 28), policy=SCHOOL, terms=SCHOOL_YEAR)
    assert due == AUTUMN[1]


# --- significant events -------------------------------------------------------


@pytest.mark.parametrize("slug", AFTER_SIGNIFICANT_EVENT)
def test_significant_event_makes_plan_due_that_day(slug):
    facts = _facts(last_review={slug: D(2026, 3, 1)}, last_significant=D(2026, 3, 10))
    assert document_due(HOME.rules[slug], facts) == D(2026, 3, 10)


@pytest.mark.parametrize("slug", AFTER_SIGNIFICANT_EVENT)
@pytest.mark.parametrize("reviewed", [D(2026, 3, 10), D(2026, 3, 12)])
def test_review_on_or_after_the_event_clears_it(slug, reviewed):
    facts = _facts(last_review={slug: reviewed}, last_significant=D(2026, 3, 10))
    assert document_due(HOME.rules[slug], facts) == reviewed.replace(month=4)


def test_significant_event_leaves_other_documents_alone():
    slug = "positive_handling_plan"
    facts = _facts(last_review={slug: D(2026, 3, 1)}, last_significant=D(2026, 3, 10))
    assert document_due(HOME.rules[slug], facts) == D(2026, 4, 1)


def test_significant_event_never_delays_an_earlier_due_date():
    facts = _facts(last_review={"support_plan": D(2026, 1, 1)}, last_significant=D(2026, 3, 10))
    assert document_due(HOME.rules["support_plan"], facts) == D(2026, 2, 1)


def test_significant_event_before_any_review():
    facts = _facts(last_significant=D(2026, 1, 20))
    assert document_due(HOME.rules["safety_plan"], facts) == D(2026, 1, 20)


# --- status on a day ----------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "window", "expected"),
    [
        (D(2026, 11, 25), 3, ("overdue", 5)),
        (D(2026, 11, 29), 3, ("overdue", 1)),
        (D(2026, 11, 30), 3, ("due_today", 0)),
        (D(2026, 12, 1), 3, ("due_soon", -1)),
        (D(2026, 12, 3), 3, ("due_soon", -3)),
        (D(2026, 12, 4), 3, None),
        (D(2026, 12, 5), 5, ("due_soon", -5)),
        (D(2026, 12, 6), 5, None),
        (D(2027, 3, 1), 0, None),
        (dt.date.max, 10_000, None),
    ],
)
def test_status_on(due, window, expected):
    assert status_on(due, D(2026, 11, 30), window) == expected


def test_default_window_is_three_days():
    assert HOME.due_soon_days == 3


# --- home overrides and the child's own plan --------------------------------

OVERRIDES = {
    "due_soon_days": 5,
    "rules": {"dental_check": {"every": "12 months"}, "school_visit": {"enabled": False}},
}


def test_overrides_change_interval_window_and_switch_rules_off():
    policy = policy_for("childrens_home", OVERRIDES)
    facts = _facts(last_review={"dental_check": D(2026, 2, 10), "school_visit": D(2026, 2, 10)})
    assert policy.due_soon_days == 5
    assert _due("dental_check", facts, policy=policy) == D(2027, 2, 10)
    assert _due("school_visit", facts, policy=policy) is None
    assert _due("school_visit", facts) == D(2026, 8, 10)


def test_wider_window_shows_more():
    policy = policy_for("childrens_home", OVERRIDES)
    due = D(2026, 12, 5)
    assert status_on(due, D(2026, 11, 30), HOME.due_soon_days) is None
    assert status_on(due, D(2026, 11, 30), policy.due_soon_days) == ("due_soon", -5)


@pytest.mark.parametrize(
    "overrides",
    [
        {"rules": {"dentist": {"every": "6 months"}}},
        {"rules": {"dental_check": {"every": "fortnightly"}}},
        {"rules": {"dental_check": {"every": "6 monthz"}}},
        {"rules": {"dental_check": {"first_due": "soon"}}},
    ],
)
def test_bad_overrides_are_refused(overrides):
    with pytest.raises(ValueError):
        policy_for("childrens_home", overrides)


def test_good_news_contact_is_off_until_a_home_turns_it_on():
    assert _due("good_news_contact", _facts()) is None
    policy = policy_for("childrens_home", {"rules": {"good_news_contact": {"enabled": True}}})
    assert _due("good_news_contact", _facts(), policy=policy) == D(2026, 1, 12)


def test_rule_switched_off_in_the_child_plan_does_not_apply():
    facts = _facts(rules_off=frozenset({"dental_check", "key_session"}), last_session=ADMITTED)
    found = _dues(facts)
    assert "dental_check" not in found and "key_session" not in found
    assert "support_plan" in found


def test_rule_limited_to_other_placements_does_not_apply():
    dental = HOME.rules["dental_check"]._replace(placements=("short_break",))
    policy = Policy({**HOME.rules, "dental_check": dental}, 3)
    assert _due("dental_check", _facts(), policy=policy) is None
    short_break = ChildFacts(_child(placement="short_break"))
    assert _due("dental_check", short_break, policy=policy) == D(2026, 7, 5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1 week", (0, 0, 7)), ("6 Months", (0, 6, 0)), ("2 years", (2, 0, 0)), ("3 days", (0, 0, 3))],
)
def test_parse_interval(text, expected):
    parsed = parse_interval(text)
    assert (parsed.years, parsed.months, parsed.days) == expected


# --- properties ---------------------------------------------------------------

GOOD_NEWS_ON = {"rules": {"good_news_contact": {"enabled": True}}}
EVERYTHING_ON = policy_for("childrens_home", GOOD_NEWS_ON)
SCHOOL_EVERYTHING_ON = policy_for("residential_school", GOOD_NEWS_ON)
INTERVAL_RULES = sorted(
    r.slug for r in CHILDRENS_HOME if r.interval() is not None or r.working_days
)
DOCUMENT_RULES = sorted(r.slug for r in CHILDRENS_HOME if r.completes == "review")
EARLY = D(2000, 1, 1)
LATE = D(2100, 12, 31)


def _all_done_on(day: dt.date, born: dt.date) -> ChildFacts:
    return ChildFacts(
        _child(EARLY, born),
        last_session=day,
        drafts=[(1, day)],
        last_review={slug: day for slug in DOCUMENT_RULES},
    )


@pytest.mark.parametrize("policy", [EVERYTHING_ON, SCHOOL_EVERYTHING_ON], ids=["home", "school"])
@settings(deadline=None, max_examples=150)
@given(done=st.dates(EARLY, LATE), born=st.dates(D(1985, 1, 1), EARLY))
def test_due_date_never_before_completion(policy, done, born):
    found = child_due_dates(policy, _all_done_on(done, born), done, NO_TERMS, "scotland")
    assert {slug for slug, _, _ in found} >= set(INTERVAL_RULES)
    assert all(due >= done for _, due, _ in found)


ADMITTED_FOR_PROPERTY = D(2020, 1, 31)


@st.composite
def _completion(draw: st.DrawFn) -> tuple[dt.date, dt.date | None, dt.date, dt.date | None]:
    on = draw(st.dates(D(2020, 2, 1), D(2032, 12, 31)))
    earlier = draw(st.none() | st.dates(ADMITTED_FOR_PROPERTY, on))
    later = draw(st.dates(earlier or ADMITTED_FOR_PROPERTY, on))
    event = draw(st.none() | st.dates(ADMITTED_FOR_PROPERTY, on))
    return on, earlier, later, event


def _overdue(slug: str, facts: ChildFacts, on: dt.date) -> int | None:
    dates = _dues(facts, on=on, policy=EVERYTHING_ON).get(slug, [])
    states = [status_on(due, on, EVERYTHING_ON.due_soon_days) for due in dates]
    return states[0][1] if states and states[0] else None


def _facts_with(slug: str, done: dt.date | None, event: dt.date | None) -> ChildFacts:
    facts = _facts(ADMITTED_FOR_PROPERTY, D(2008, 5, 17), last_significant=event)
    if slug == "key_session":
        facts.last_session = done
    elif done is not None:
        facts.last_review[slug] = done
    return facts


@settings(deadline=None, max_examples=300)
@given(slug=st.sampled_from([*DOCUMENT_RULES, "key_session"]), story=_completion())
def test_completing_never_makes_it_more_overdue(slug, story):
    on, earlier, later, event = story
    assume(slug != "key_session" or earlier is not None)
    before = _overdue(slug, _facts_with(slug, earlier, event), on)
    after = _overdue(slug, _facts_with(slug, later, event), on)
    assert after is None or (before is not None and after <= before)
