"""A believable demo home, generated deterministically from a seed and a date.

Everything is written through the same service functions as real work, with
the service clock set to the moment each thing would have happened; the whole
build runs in one outer transaction so it takes seconds, not minutes.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta

from keywork_tui.calendar import ShiftRef, next_shift, previous_shift, shift_at, shift_starts
from keywork_tui.outputs import HomeOut
from keywork_tui.schemas import (
    AbsenceIn,
    ActionIn,
    AllocationIn,
    ChildIn,
    ContactIn,
    CoverIn,
    EventIn,
    HandoverEntryIn,
    HomeIn,
    ReviewIn,
    SessionIn,
    SignificantEventIn,
    SignOnIn,
    StaffIn,
    SupervisionIn,
    TargetIn,
)
from keywork_tui.services import audit, clock, homes
from keywork_tui.services.child_file import plans_and_events as records
from keywork_tui.services.child_file import sessions
from keywork_tui.services.handover import shift as handover
from keywork_tui.services.team import allocation, people, signin
from models import Staff
from models.base import write_transaction

from .actor import Actor
from .policy import CHILDRENS_HOME

HOME_NAME = "Rowan House"
# A provider's demo homes after the first (`keywork demo --homes N`).
OTHER_HOMES = (
    "Elm Court",
    "Birch Lodge",
    "Hazel Grove",
    "Willow Bank",
    "Oak View",
    "Maple Lodge",
    "Ash Cottage",
    "Cedar House",
    "Holly Mount",
    "Linden Court",
    "Alder Rise",
    "Beech House",
    "Larch Lodge",
    "Poplar Court",
    "Yew Tree House",
    "Juniper House",
    "Aspen Lodge",
    "Hawthorn House",
    "Sycamore Court",
)
# Six months of history by default; every shift of it has its handover.
HISTORY_DAYS = 182

# name, role, induction, level 3, interests
STAFF = [
    ("Helen Okafor", "manager", True, True, "gardening, netball"),
    ("Marcus Bell", "manager", True, True, "football, cooking"),
    ("Priya Nair", "shift_leader", True, True, "art, baking"),
    ("Tom Hughes", "shift_leader", True, True, "football, fishing"),
    ("Aisha Rahman", "shift_leader", True, True, "music, dance"),
    ("Dan Walsh", "care_staff", True, True, "gaming, football"),
    ("Sophie Clarke", "care_staff", True, True, "swimming, animals"),
    ("Kwame Mensah", "care_staff", True, True, "basketball, music"),
    ("Rachel Price", "care_staff", True, True, "reading, crafts"),
    ("Liam Foster", "care_staff", True, True, "climbing, cycling"),
    ("Nadia Kowalski", "care_staff", True, True, "cooking, drama"),
    ("Josh Turner", "care_staff", True, False, "gaming"),
    ("Emma Doyle", "care_staff", False, False, "horses"),
    ("Chris Adeyemi", "care_staff", True, True, "boxing, music"),
]

# first, last, preferred, age, days since admission, school, likes, fears, key worker
CHILDREN = [
    (
        "Jordan",
        "Reed",
        "Jo",
        14,
        400,
        "Hillside Academy",
        "drawing, dogs",
        "being shouted at",
        "Sophie Clarke",
    ),
    (
        "Tyler",
        "Marsh",
        "",
        15,
        250,
        "Hillside Academy",
        "football, grime music",
        "court, not seeing his mum",
        "Dan Walsh",
    ),
    (
        "Keira",
        "Lowe",
        "Kiki",
        12,
        140,
        "St Anne's Primary",
        "baking, slime",
        "the dark, thunderstorms",
        "Priya Nair",
    ),
    (
        "Mohammed",
        "Ali",
        "Mo",
        16,
        600,
        "Riverside College",
        "basketball, cars",
        "moving again",
        "Kwame Mensah",
    ),
    (
        "Chloe",
        "Barker",
        "",
        13,
        90,
        "Hillside Academy",
        "horses, make-up",
        "going to sleep on her own",
        "Rachel Price",
    ),
    (
        "Ethan",
        "Price-Hall",
        "",
        11,
        320,
        "St Anne's Primary",
        "Lego, swimming",
        "loud noises",
        "Liam Foster",
    ),
    (
        "Grace",
        "Nwosu",
        "Gracie",
        15,
        60,
        "Riverside College",
        "singing, netball",
        "contact being cancelled",
        "Nadia Kowalski",
    ),
    (
        "Kai",
        "Jennings",
        "",
        10,
        3,
        "St Anne's Primary",
        "dinosaurs, cycling",
        "new places",
        "Chris Adeyemi",
    ),
]

MOODS = [
    "Bright and chatty at tea.",
    "Quiet after school, ate well.",
    "Settled, played pool with staff.",
    "Tired, went to room early.",
    "Giggly with the others, needed reminders.",
    "Upset after a phone call, calmed with staff.",
    "Good day at school, proud of a merit.",
    "Irritable before contact, settled later.",
]
BEDTIME_WORRIES = {
    "Tyler": "Worried about court tomorrow; asked who will take him. Check on him at 23:00.",
    "Chloe": "Would not settle until staff sat outside her door; wants the landing light on.",
}
SUMMARIES = [
    "Walk to the park; talked about how school is going and the football trials.",
    "Baking session; talked about what makes a good weekend.",
    "Played a board game; reviewed the week and the target about asking for help.",
    "Car journey to the shops; talked about family time and plans for the holidays.",
    "Formal key-work meeting to prepare views for the review.",
    "Evening chat in the lounge; talked about friendships and a falling-out.",
]
VIEWS = [
    "Says they like living here but miss home.",
    "Wants more time on the Xbox at weekends.",
    "Wants their social worker to visit more often.",
    "Happy with school, worried about the new teacher.",
    "",
]


# first, last, preferred, age, days since admission, school, likes, fears, key worker
ChildRow = tuple[str, str, str, int, int, str, str, str, str]

# For a larger home than the eight above (`keywork demo --children N`).
MORE_FIRST = [
    "Amir",
    "Ava",
    "Ben",
    "Bella",
    "Caleb",
    "Daisy",
    "Eli",
    "Esme",
    "Finn",
    "Freya",
    "Harvey",
    "Holly",
    "Isaac",
    "Ivy",
    "Jake",
    "Jess",
    "Leo",
    "Lily",
    "Mason",
    "Maya",
    "Noah",
    "Nia",
    "Oscar",
    "Poppy",
    "Reece",
    "Rosie",
    "Sam",
    "Skye",
    "Theo",
    "Tia",
    "Zak",
    "Zara",
    "Alfie",
    "Amber",
    "Callum",
    "Demi",
    "Dylan",
    "Evie",
    "Harley",
    "Imogen",
    "Jayden",
    "Kayla",
    "Logan",
    "Megan",
    "Owen",
    "Paige",
    "Riley",
    "Ruby",
    "Tyrese",
    "Willow",
    "Zion",
    "Ellie",
]
MORE_LAST = [
    "Walker",
    "Shaw",
    "Hughes",
    "Begum",
    "Doyle",
    "Fraser",
    "Kaur",
    "Lynch",
    "Moss",
    "Okoro",
    "Pryce",
    "Quinn",
]
MORE_LIKES = ("gaming, football", "drawing, music", "cooking, animals", "bikes, swimming")
MORE_FEARS = ("being left out", "the dark", "moving again", "court")
MORE_SCHOOLS = ("Hillside Academy", "St Anne's Primary", "Riverside College")
# Only those trained and qualified may key-work (induction and level 3).
KEY_WORKERS = [
    name
    for name, role, induction, level3, _ in STAFF
    if role in ("care_staff", "shift_leader") and induction and level3
]


@dataclass
class DemoHome:
    home_id: int
    manager: Actor
    staff: dict[str, Actor] = field(default_factory=dict)
    children: dict[str, int] = field(default_factory=dict)
    history_days: int = HISTORY_DAYS


def roster(count: int | None, history_days: int, seed: int, home: int = 0) -> list[ChildRow]:
    """The eight children every demo has (fewer if asked), then as many more as
    `count` asks, made up from their own random stream so the eight stay the same.
    A provider's other homes (`home` > 0) have children of their own, all made up."""
    if home == 0 and (count is None or count <= len(CHILDREN)):
        return list(CHILDREN[: len(CHILDREN) if count is None else count])
    own = list(CHILDREN) if home == 0 else []
    wanted = (count or len(CHILDREN)) - len(own)
    rng = random.Random(f"roster-{seed}-{home}" if home else f"roster-{seed}")
    extra: list[ChildRow] = []
    for i in range(wanted):
        first = MORE_FIRST[(i + 7 * home) % len(MORE_FIRST)]
        last = MORE_LAST[(i // len(MORE_FIRST) + i) % len(MORE_LAST)]
        age, placed_for = rng.randint(9, 17), rng.randint(3, history_days + 400)
        extra.append(
            (
                first if i < len(MORE_FIRST) else f"{first}-{last}",
                last,
                "",
                age,
                # Over a long history, never placed before they were five.
                min(placed_for, (age - 5) * 365),
                rng.choice(MORE_SCHOOLS),
                rng.choice(MORE_LIKES),
                rng.choice(MORE_FEARS),
                KEY_WORKERS[i % len(KEY_WORKERS)],
            )
        )
    return own + extra


# Demo data only: a real home's PINs are each person's own.
DEMO_PIN = "2580"


def home_name(index: int) -> str:
    """The name of a provider's demo home: the first is the demo's own."""
    if index == 0:
        return HOME_NAME
    name = OTHER_HOMES[(index - 1) % len(OTHER_HOMES)]
    rounds = (index - 1) // len(OTHER_HOMES)
    return f"{name} {rounds + 1}" if rounds else name


# The provider's responsible individual, whose account the first demo home keeps.
PROVIDER_NAME = "Grace Whitfield"


def add_provider(home_id: int) -> Actor:
    """A made-up provider's account for a demo of several homes, so the
    overview across them (`keywork homes`) can be tried; its PIN is the demo's."""
    with write_transaction():
        row = Staff.create(home=home_id, name=PROVIDER_NAME, role="provider", induction_done=True)
        # Written by the demo itself: no one in a home may give the provider role but an admin.
        audit.record(None, "staff.add", row)
        provider = Actor(row.id, row.name, row.role, home_id)
        signin.set_pin(provider, row.id, DEMO_PIN)
    return provider


def build(
    now: dt.datetime,
    seed: int = 1,
    *,
    children: int | None = None,
    years: float | None = None,
    home: int = 0,
) -> DemoHome:
    """Write the whole demo home as of `now`; deterministic for (now, seed, size).
    `children` and `years` make a larger home (to measure keywork on one):
    by default the eight children and six months of history. `home` numbers a
    provider's homes: each has a name of its own, and only the first maps its
    staff to login names (a login is one person's, in every home)."""
    rng = random.Random(seed)
    today = now.date()
    history = HISTORY_DAYS if years is None else max(7, round(years * 365))
    kids = roster(children, history, seed, home)
    with write_transaction():
        demo = _people(now, today, kids, home)
        demo.history_days = history
        _allocations(demo, today, kids)
        _absences(demo, now)
        _calendar(demo, today, rng)
        _sessions(demo, now, rng)
        _reviews(demo, today, rng)
        _handovers(demo, now, rng)
    return demo


def _people(now: dt.datetime, today: dt.date, kids: list[ChildRow], index: int) -> DemoHome:
    start = dt.datetime.combine(today - dt.timedelta(days=700), dt.time(9))
    with clock.frozen(start):
        home, manager = homes.create_home(
            HomeIn(name=home_name(index)),
            StaffIn(name=STAFF[0][0], induction_done=True, level3=True, interests=STAFF[0][4]),
            demo=True,
        )
        boss = Actor(manager.id, manager.name, manager.role, home.id)
        # Opened from the demo file the manager needs no PIN; a copy of it
        # anywhere else asks for it like any home.
        signin.set_pin(boss, manager.id, DEMO_PIN)
        demo = DemoHome(home.id, boss, {manager.name: boss})
        for name, role, induction, level3, interests in STAFF[1:]:
            user = name.split()[0].lower()
            added = people.add_staff(
                boss,
                StaffIn(
                    name=name,
                    role=role,
                    induction_done=induction,
                    level3=level3,
                    level3_on=today - dt.timedelta(days=900) if level3 else None,
                    os_user=user if index == 0 else None,
                    interests=interests,
                ),
            )
            demo.staff[name] = Actor(added.id, added.name, added.role, home.id)
            # So switching user can be tried: everyone in the demo shares one PIN.
            signin.set_pin(boss, added.id, DEMO_PIN)
    for first, last, preferred, age, days, school, likes, fears, _ in kids:
        admitted = today - dt.timedelta(days=days)
        born = _birthday(today, age, first)
        with clock.frozen(dt.datetime.combine(admitted, dt.time(14))):
            child = people.add_child(
                boss,
                ChildIn(
                    first_name=first,
                    last_name=last,
                    preferred_name=preferred,
                    date_of_birth=born,
                    admitted_on=admitted,
                    school=school,
                    likes=likes,
                    interests=likes,
                    fears=fears,
                    dislikes="being rushed",
                ),
            )
            _contacts(boss, child.id, last)
        demo.children[first] = child.id
    return demo


def _birthday(today: dt.date, age: int, first: str) -> dt.date:
    # Keira's birthday is tomorrow, so the handover has something to plan.
    if first == "Keira":
        tomorrow = today + dt.timedelta(days=1)
        return _safe_date(tomorrow.year - age - 1, tomorrow.month, tomorrow.day)
    offset = (sum(map(ord, first)) * 7) % 330 + 20
    birthday = today + dt.timedelta(days=offset)
    return _safe_date(birthday.year - age - 1, birthday.month, birthday.day)


def _safe_date(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, min(day, 28) if month == 2 else day)


def _contacts(actor: Actor, child_id: int, family: str) -> None:
    people.add_contact(
        actor, child_id, ContactIn(kind="social_worker", name="Ruth Adams", phone="01632 960101")
    )
    people.add_contact(
        actor, child_id, ContactIn(kind="iro", name="Neil Chambers", phone="01632 960202")
    )
    people.add_contact(actor, child_id, ContactIn(kind="gp", name="Dr Patel, Park Surgery"))
    people.add_contact(
        actor,
        child_id,
        ContactIn(
            kind="family",
            name=f"Mum ({family})",
            relationship="mother",
            restrictions="Supervised contact only; no unplanned calls.",
        ),
    )


def _allocations(demo: DemoHome, today: dt.date, kids: list[ChildRow]) -> None:
    for first, *_, worker in kids:
        child_id = demo.children[first]
        admitted = people.get_child(demo.home_id, child_id).admitted_on
        with clock.frozen(dt.datetime.combine(admitted, dt.time(15))):
            if first == "Mohammed":
                # A change of key worker, kept in the history with its reason.
                allocation.allocate(
                    demo.manager,
                    AllocationIn(
                        child_id=child_id, staff_id=demo.staff["Tom Hughes"].id, starts_on=admitted
                    ),
                )
                changed = today - dt.timedelta(days=120)
                with clock.frozen(dt.datetime.combine(changed, dt.time(11))):
                    allocation.allocate(
                        demo.manager,
                        AllocationIn(
                            child_id=child_id,
                            staff_id=demo.staff[worker].id,
                            starts_on=changed,
                            reason="child_request",
                            reason_note="Mo asked for Kwame after football.",
                        ),
                    )
                continue
            allocation.allocate(
                demo.manager,
                AllocationIn(child_id=child_id, staff_id=demo.staff[worker].id, starts_on=admitted),
            )


def _absences(demo: DemoHome, now: dt.datetime) -> None:
    """Sophie on leave with cover arranged; Dan off sick with nobody covering."""
    today = now.date()
    with clock.frozen(dt.datetime.combine(today - dt.timedelta(days=20), dt.time(10))):
        leave = allocation.record_absence(
            demo.manager,
            AbsenceIn(
                staff_id=demo.staff["Sophie Clarke"].id,
                starts_on=today - dt.timedelta(days=3),
                ends_on=today + dt.timedelta(days=10),
                kind="leave",
                note="Annual leave",
            ),
        )
        if "Jordan" in demo.children:  # Sophie's key child, the first of every demo
            allocation.arrange_cover(
                demo.manager,
                CoverIn(
                    child_id=demo.children["Jordan"],
                    staff_id=demo.staff["Rachel Price"].id,
                    starts_on=leave.starts_on,
                    ends_on=leave.ends_on,
                    absence_id=leave.id,
                ),
            )
    # Rung in before the day shift, or as the demo is built, if that is sooner.
    with clock.frozen(min(dt.datetime.combine(today, dt.time(7, 5)), now)):
        allocation.record_absence(
            demo.manager,
            AbsenceIn(
                staff_id=demo.staff["Dan Walsh"].id,
                starts_on=today,
                ends_on=today + dt.timedelta(days=4),
                kind="sickness",
            ),
        )


# Dates in every demo home, for the children it holds: (child, kind, days
# from today, every year, note).
DATES = (
    ("Tyler", "court", 1, False, "Family court, 10:00. Dan was due to take him."),
    ("Grace", "contact", 1, False, "Contact with mum at the family centre, 16:00."),
    ("Mohammed", "review", 9, False, "CLA review with the IRO."),
    ("Jordan", "anniversary", 12, True, "Anniversary of nan's death: be gentle."),
)


def _calendar(demo: DemoHome, today: dt.date, rng: random.Random) -> None:
    boss = demo.manager
    with clock.frozen(dt.datetime.combine(today - dt.timedelta(days=30), dt.time(10))):
        for first, child_id in demo.children.items():
            child = people.get_child(demo.home_id, child_id)
            records.add_event(
                boss,
                EventIn(child_id=child_id, date=child.date_of_birth, kind="birthday", yearly=True),
            )
            records.add_target(
                boss,
                TargetIn(
                    child_id=child_id,
                    text=f"{first} will ask an adult for help when upset",
                    set_on=max(child.admitted_on, today - dt.timedelta(days=60)),
                    review_by=today + dt.timedelta(days=rng.randint(-5, 40)),
                ),
            )
        for first, kind, days, yearly, note in DATES:
            if first in demo.children:  # a smaller demo holds only the first few
                records.add_event(
                    boss,
                    EventIn(
                        child_id=demo.children[first],
                        date=today + dt.timedelta(days=days),
                        kind=kind,
                        yearly=yearly,
                        note=note,
                    ),
                )
    if "Tyler" not in demo.children:
        return
    with clock.frozen(dt.datetime.combine(today - dt.timedelta(days=2), dt.time(20))):
        records.record_significant_event(
            demo.staff["Aisha Rahman"],
            SignificantEventIn(
                child_id=demo.children["Tyler"],
                occurred_on=today - dt.timedelta(days=2),
                summary="Went missing for 2 hours after a phone call; returned by police.",
            ),
        )


def _key_worker(demo: DemoHome, child_id: int, day: dt.date) -> Actor:
    """Whoever was the child's key worker that day: only they hold the session."""
    return demo.staff[allocation.key_workers_on(demo.home_id, day)[child_id].name]


def _sessions(demo: DemoHome, now: dt.datetime, rng: random.Random) -> None:
    today = now.date()
    for first, child_id in demo.children.items():
        child = people.get_child(demo.home_id, child_id)
        earliest = today - dt.timedelta(days=demo.history_days)
        day = max(child.admitted_on, earliest) + dt.timedelta(days=2)
        # Some children have fallen behind: their last session is weeks old.
        stop = today - dt.timedelta(days={"Ethan": 20, "Mohammed": 12, "Jordan": 4}.get(first, 1))
        while day <= stop:
            if rng.random() > 0.12:  # a missed week now and then
                _one_session(_key_worker(demo, child_id, day), child_id, day, now, rng, first)
            day += dt.timedelta(days=rng.choice((6, 7, 7, 7, 8)))


def _one_session(
    actor: Actor, child_id: int, day: dt.date, now: dt.datetime, rng: random.Random, first: str
) -> None:
    held = dt.datetime.combine(day, dt.time(rng.choice((16, 17, 18, 19)), rng.choice((0, 30))))
    if held > now - dt.timedelta(hours=2):
        return
    concern = first == "Tyler" and (now - held).days < 8
    data = SessionIn(
        child_id=child_id,
        staff_id=actor.id,
        held_at=held,
        kind=rng.choice(("informal", "informal", "formal")),
        minutes=rng.choice((20, 30, 30, 45)),
        purposes=rng.sample(["progress", "problems", "achievements", "targets", "future"], 2),
        views=rng.choice(VIEWS),
        summary=rng.choice(SUMMARIES),
        actions=[
            ActionIn(
                text="Ring school about the trip form",
                who=actor.name,
                by=day + dt.timedelta(days=7),
            )
        ]
        if rng.random() < 0.2
        else [],
        concern=concern,
        concern_text="Says he will run off if court goes badly." if concern else "",
    )
    delay = dt.timedelta(days=rng.choice((0, 0, 1, 2, 3, 9)), hours=2)
    written = held + delay
    with clock.frozen(held + dt.timedelta(hours=1)):
        draft = sessions.save_session(actor, data)
    if written < now:
        with clock.frozen(written):
            sessions.save_session(actor, data, draft.id, finalise=True)


def _reviews(demo: DemoHome, today: dt.date, rng: random.Random) -> None:
    for child_id in demo.children.values():
        child = people.get_child(demo.home_id, child_id)
        for rule in CHILDRENS_HOME:
            every = rule.interval()
            if rule.completes == "review" and rule.enabled and every is not None:
                for day in _review_days(every, child.admitted_on, today, rng, demo.history_days):
                    with clock.frozen(dt.datetime.combine(day, dt.time(11))):
                        records.record_review(
                            _key_worker(demo, child_id, day),
                            ReviewIn(
                                child_id=child_id,
                                document=rule.slug,
                                reviewed_on=day,
                                outcome=rng.choice(("no_change", "no_change", "updated")),
                            ),
                        )
    for name in (
        "Sophie Clarke",
        "Dan Walsh",
        "Kwame Mensah",
        "Rachel Price",
        "Liam Foster",
        "Priya Nair",
        "Nadia Kowalski",
    ):
        held = today - dt.timedelta(days=rng.randint(10, 80))
        with clock.frozen(dt.datetime.combine(held, dt.time(14))):
            records.record_supervision(
                demo.manager,
                SupervisionIn(
                    staff_id=demo.staff[name].id, held_on=held, note="Termly supervision."
                ),
            )


def _review_days(
    every: relativedelta, admitted: dt.date, today: dt.date, rng: random.Random, history: int
) -> list[dt.date]:
    """Review dates back from a recent one; about one in eight has slipped."""
    span = ((today + every) - today).days
    slipped = rng.random() < 0.12
    last = today - dt.timedelta(
        days=span + rng.randint(1, 20) if slipped else rng.randint(1, max(1, span - 4))
    )
    days = []
    earliest = max(admitted, today - dt.timedelta(days=history))
    while last >= earliest:
        days.append(last)
        last -= every
    return sorted(days) or [admitted] if admitted < today else []


def _handovers(demo: DemoHome, now: dt.datetime, rng: random.Random) -> None:
    """Every shift's handover, day and night, each signed on and read by the
    shift that took over; the last one is still unread by one of today's team."""
    home = homes.get_home(demo.home_id)
    current = shift_at(now, home.day_shift_starts, home.night_shift_starts)
    shift = current
    for _ in range(2 * demo.history_days):
        shift = previous_shift(shift)
    day_team = [
        "Priya Nair",
        "Tom Hughes",
        "Kwame Mensah",
        "Rachel Price",
        "Liam Foster",
        "Nadia Kowalski",
        "Chris Adeyemi",
        "Josh Turner",
        "Emma Doyle",
    ]
    night_team = ["Aisha Rahman", "Josh Turner", "Chris Adeyemi", "Nadia Kowalski"]
    shifts, teams = [], []
    while True:
        team = day_team if shift.name == "day" else night_team
        teams.append(rng.sample(team, 3 if shift.name == "day" else 2))
        shifts.append(shift)
        if shift == current:
            break
        shift = next_shift(shift)
    # The shift now on duty has signed on; Priya leads it.
    teams[-1] = (
        ["Priya Nair", "Kwame Mensah", "Chris Adeyemi"]
        if current.name == "day"
        else ["Aisha Rahman", "Josh Turner"]
    )
    admitted = {c: people.get_child(demo.home_id, c).admitted_on for c in demo.children.values()}
    for i, shift in enumerate(shifts[:-1]):
        readers = teams[i + 1] if i + 2 < len(shifts) else teams[i + 1][:-1]
        here = {first: c for first, c in demo.children.items() if admitted[c] <= shift.date}
        _one_handover(demo, home, shift, (teams[i], teams[i + 1], readers), here, now, rng)
    with clock.frozen(_start(home, current)):
        lead = demo.staff[teams[-1][0]]
        handover.set_shift_staff(
            lead,
            current,
            SignOnIn(staff_ids=[demo.staff[n].id for n in teams[-1]], leader_id=lead.id),
        )


def _start(home: HomeOut, shift: ShiftRef) -> dt.datetime:
    return shift_starts(shift, home.day_shift_starts, home.night_shift_starts)


def _one_handover(
    demo: DemoHome,
    home: HomeOut,
    shift: ShiftRef,
    teams: tuple[list[str], list[str], list[str]],
    here: dict[str, int],
    now: dt.datetime,
    rng: random.Random,
) -> None:
    """One shift's handover about the children `here` then; `teams` are those
    on the shift, those taking over and those of them who read it."""
    on, incoming, readers = teams
    # A shift leader on the shift writes and submits it; otherwise the first
    # on, marked as leading the shift.
    lead = next((n for n in on if demo.staff[n].role == "shift_leader"), on[0])
    writer = demo.staff[lead]
    start = _start(home, shift)
    with clock.frozen(start + dt.timedelta(minutes=5)):
        handover.set_shift_staff(
            writer, shift, SignOnIn(staff_ids=[demo.staff[n].id for n in on], leader_id=writer.id)
        )
    end = _start(home, next_shift(shift))
    days_ago = (now.date() - shift.date).days
    with clock.frozen(end - dt.timedelta(minutes=20)):
        handover_id = handover.open_handover(writer, shift)
        for first, child_id in here.items():
            worry = BEDTIME_WORRIES.get(first, "") if days_ago <= 2 and shift.name == "day" else ""
            state = "watch" if worry else rng.choice(("settled", "settled", "settled", "watch"))
            handover.write_entry(
                writer,
                handover_id,
                HandoverEntryIn(
                    child_id=child_id,
                    state=state,
                    mood=rng.choice(MOODS),
                    bedtime_concern=worry,
                    actions="Remind about PE kit." if rng.random() < 0.15 else "",
                ),
            )
        handover.submit(writer, handover_id, "All medication given and signed for.")
    with clock.frozen(end):
        handover.sign_on(
            demo.staff[incoming[0]], next_shift(shift), [demo.staff[n].id for n in incoming]
        )
    # Read ten minutes into the next shift, or by now if it began just now.
    with clock.frozen(min(end + dt.timedelta(minutes=10), now)):
        for name in readers:
            handover.acknowledge(demo.staff[name], handover_id)
