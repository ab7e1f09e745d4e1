"""How a terminal hears another's writes: SQLite's marker read once a poll,
PostgreSQL's notifications naming the home, waited on without a query."""

from __future__ import annotations

import threading

import pytest
from engines import ON_POSTGRES

import models
from keywork_tui.schemas import HomeIn, StaffIn, TermIn
from keywork_tui.services import database, homes
from keywork_tui.services.database import ChangeFeed

POLL = 0.3
WAIT = 0.1


def _elsewhere(write) -> None:
    """A write on a connection of its own, as another terminal's would be."""

    def run() -> None:
        try:
            write()
        finally:
            database.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)


def _term(actor) -> None:
    import datetime as dt

    homes.add_term(actor, TermIn(starts_on=dt.date(2027, 1, 4), ends_on=dt.date(2027, 2, 12)))


def _heard(feed: ChangeFeed, seconds: float = 2 * POLL) -> bool:
    return any(feed.changed(WAIT) for _ in range(round(seconds / WAIT) + 1))


def test_a_write_in_the_home_is_heard_once(home):
    feed = ChangeFeed(home.id, POLL)
    try:
        assert not _heard(feed)
        _elsewhere(lambda: _term(home.actor))
        assert _heard(feed)
        assert not _heard(feed)  # heard once, not again and again
    finally:
        feed.close()


@pytest.mark.skipif(
    not ON_POSTGRES, reason="a SQLite file's marker moves for any write: a file is one home's"
)
def test_a_write_in_another_home_is_not_heard(home):
    other, manager = homes.create_home(HomeIn(name="Elm Court"), StaffIn(name="Eve Elm"))
    from keywork_tui.services.actor import Actor

    elm = Actor(manager.id, manager.name, manager.role, other.id)
    feed = ChangeFeed(home.id, POLL)
    try:
        _elsewhere(lambda: _term(elm))
        assert not _heard(feed)
        _elsewhere(lambda: _term(home.actor))
        assert _heard(feed)
    finally:
        feed.close()


def test_a_providers_feed_hears_every_home(home):
    other, manager = homes.create_home(HomeIn(name="Elm Court"), StaffIn(name="Eve Elm"))
    from keywork_tui.services.actor import Actor

    elm = Actor(manager.id, manager.name, manager.role, other.id)
    feed = ChangeFeed(None, POLL)
    try:
        _elsewhere(lambda: _term(elm))
        assert _heard(feed)
        _elsewhere(lambda: _term(home.actor))
        assert _heard(feed)
    finally:
        feed.close()


def test_waiting_asks_the_database_little_or_nothing(home, monkeypatch):
    feed = ChangeFeed(home.id, POLL)
    asked = []
    real = type(models.db.obj).execute_sql

    def counting(self, *args, **kwargs):
        asked.append(args[0])
        return real(self, *args, **kwargs)

    monkeypatch.setattr(type(models.db.obj), "execute_sql", counting)
    try:
        for _ in range(round(3 * POLL / WAIT)):
            feed.changed(WAIT)
    finally:
        feed.close()
    # A server's notifications need no query; a file's marker is read once a poll.
    assert len(asked) == (0 if ON_POSTGRES else 3)


def test_a_write_between_the_first_read_and_the_feed_is_heard_at_once(home):
    """The app reads its first screen before its feed starts: a write by another
    terminal in between is heard at the first ask, not at the next write."""
    seen = database.newest_audit_id()
    _elsewhere(lambda: _term(home.actor))
    feed = ChangeFeed(home.id, POLL, seen_up_to=seen)
    try:
        assert feed.changed(0)
        assert not _heard(feed)  # once
    finally:
        feed.close()


def test_nothing_written_since_the_first_read_is_nothing_heard(home):
    feed = ChangeFeed(home.id, POLL, seen_up_to=database.newest_audit_id())
    try:
        assert not _heard(feed)
    finally:
        feed.close()
