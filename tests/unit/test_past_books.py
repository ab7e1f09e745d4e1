"""Past handover books written whole (the import's path) leave exactly what the
shift writing them one call at a time would have: the same rows, the same audit
events, the same chain."""

from __future__ import annotations

import datetime as dt
from itertools import groupby
from typing import Any

import pytest
from engines import audit_verdict
from playhouse.shortcuts import model_to_dict

from keywork_tui.calendar import ShiftRef
from keywork_tui.schemas import HandoverEntryIn, HomeIn, SignOnIn, StaffIn
from keywork_tui.services import ConflictError, NotFoundError, clock
from keywork_tui.services.actor import actor_for
from keywork_tui.services.handover import past_books
from keywork_tui.services.handover import shift as handover
from keywork_tui.services.handover.past_books import PastBook, PastEntry
from keywork_tui.services.homes import create_home
from keywork_tui.services.team import people
from models import AuditEvent, AuditHead, Handover, HandoverEntry, ShiftSignOn, db

pytestmark = pytest.mark.now(dt.datetime(2026, 3, 12, 15, 0))


def _at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute)


@pytest.fixture
def books(home, add_staff, add_child):
    """Three shifts: a day whose book a care worker submits (and so leads), a
    night a shift leader submits, a child admitted between them, another who
    has left by the night, and a shift still under way."""
    amy = add_child("Amy", "Ash", admitted_on=dt.date(2026, 1, 5))
    bea = add_child("Bea", "Brook", admitted_on=dt.date(2026, 1, 5))
    cal = add_child("Cal", "Cole", admitted_on=dt.date(2026, 3, 10))
    kim = actor_for(add_staff("Kim Key").id)
    lou = actor_for(add_staff("Lou Lane").id)
    pat = actor_for(add_staff("Pat Pool", role="shift_leader").id)
    with clock.frozen(_at(10, 18)):
        people.child_leaves(home.actor, bea.id, dt.date(2026, 3, 10))

    def entry(writer, child, **text: Any) -> PastEntry:
        return PastEntry(writer, HandoverEntryIn(child_id=child.id, **text))

    return [
        PastBook(
            ShiftRef(dt.date(2026, 3, 9), "day"),
            [entry(kim, amy, mood="Bright", state="watch"), entry(lou, bea, events="Swimming")],
            _at(9, 21, 40),
            submitted_by=lou,
            submitted_at=_at(9, 21, 50),
        ),
        PastBook(
            ShiftRef(dt.date(2026, 3, 10), "night"),
            [entry(pat, cal, bedtime_concern="Could not settle"), entry(pat, amy)],
            _at(11, 7, 40),
            submitted_by=pat,
            submitted_at=_at(11, 7, 50),
        ),
        PastBook(ShiftRef(dt.date(2026, 3, 12), "day"), [entry(kim, amy)], _at(12, 14)),
    ]


def _one_call_at_a_time(book: PastBook) -> None:
    """The book as the shift would have written it through the everyday services."""
    with clock.frozen(book.written_at):
        handover_id = handover.open_handover(book.entries[0].writer, book.shift)
        for writer, entries in groupby(book.entries, key=lambda e: e.writer):
            handover.write_entries(writer, handover_id, [e.data for e in entries])
    writer = book.submitted_by
    if writer is None or book.submitted_at is None:
        return
    with clock.frozen(book.submitted_at):
        if not writer.is_leader:
            team = SignOnIn(staff_ids=[writer.id], leader_id=writer.id)
            handover.set_shift_staff(writer, book.shift, team)
        handover.submit(writer, handover_id, pass_missing=True, not_mentioned=True)


def _written(after_event: int) -> dict[str, Any]:
    tables = {
        model.__name__: [model_to_dict(r) for r in model.select().order_by(model.id)]
        for model in (Handover, HandoverEntry, ShiftSignOn)
    }
    events = AuditEvent.select().where(AuditEvent.id > after_event).order_by(AuditEvent.id)
    # An event's own id is the database's: PostgreSQL does not hand back the
    # numbers a rolled-back transaction used. The chain's hashes say the rest.
    tables["events"] = [model_to_dict(e, recurse=False, exclude=[AuditEvent.id]) for e in events]
    tables["head"] = [model_to_dict(h) for h in AuditHead.select()]
    return tables


def _last_event() -> int:
    return AuditEvent.select(AuditEvent.id).order_by(AuditEvent.id.desc()).scalar() or 0


def test_written_whole_is_what_one_call_at_a_time_writes(database, home, books) -> None:
    start = _last_event()
    with db.atomic() as attempt:
        for book in books:
            _one_call_at_a_time(book)
        expected = _written(start)
        attempt.rollback()
    assert _written(start)["Handover"] == []

    past_books.write_books(home.id, books)

    got = _written(start)
    assert got == expected
    # What the books hold: Bea had left by the night, Cal came in between.
    night = [e for e in got["HandoverEntry"] if e["handover"]["shift"] == "night"]
    assert {(e["child"]["first_name"], e["not_mentioned"]) for e in night} == {
        ("Cal", False),
        ("Amy", False),
    }
    day = [e for e in got["HandoverEntry"] if e["handover"]["shift_date"] == dt.date(2026, 3, 9)]
    assert {(e["child"]["first_name"], e["not_mentioned"]) for e in day} == {
        ("Amy", False),
        ("Bea", False),
    }
    assert [s["staff"]["name"] for s in got["ShiftSignOn"]] == ["Lou Lane"]
    assert got["Handover"][-1]["status"] == "draft"
    history = audit_verdict(database)
    assert history is not None and history.ok, history


def test_a_child_left_out_is_passed_as_not_mentioned(home, books) -> None:
    day = books[0]
    past_books.write_books(
        home.id,
        [PastBook(day.shift, day.entries[:1], day.written_at, day.submitted_by, day.submitted_at)],
    )
    entries = {e.child.first_name: e for e in HandoverEntry.select()}
    assert not entries["Amy"].not_mentioned
    assert entries["Bea"].not_mentioned and entries["Bea"].nothing_to_add
    assert "Cal" not in entries  # not yet admitted that day


def _nothing_written() -> bool:
    return not Handover.select().exists() and not HandoverEntry.select().exists()


def test_a_child_of_another_home_writes_nothing(home, books) -> None:
    other, _ = create_home(HomeIn(name="Other House"), StaffIn(name="Oz Other"))
    with pytest.raises(NotFoundError):
        past_books.write_books(other.id, books)
    assert _nothing_written()


def test_a_shift_with_a_handover_already_writes_nothing(home, books) -> None:
    past_books.write_books(home.id, books[:1])
    with pytest.raises(ConflictError, match="already has a handover"):
        past_books.write_books(home.id, books)
    assert Handover.select().count() == 1


def test_two_entries_for_one_child_write_nothing(home, books) -> None:
    day = books[0]
    twice = PastBook(day.shift, [day.entries[0], day.entries[0]], day.written_at)
    with pytest.raises(ConflictError, match="two entries for one child"):
        past_books.write_books(home.id, [twice])
    assert _nothing_written()


def test_a_writer_of_another_home_writes_nothing(home, books) -> None:
    _, manager = create_home(HomeIn(name="Other House"), StaffIn(name="Oz Other"))
    day = books[0]
    stranger = PastEntry(actor_for(manager.id), day.entries[0].data)
    with pytest.raises(NotFoundError, match="not of this home"):
        past_books.write_books(home.id, [PastBook(day.shift, [stranger], day.written_at)])
    assert _nothing_written()
