"""The checks `make stress` relies on catch what they are there to catch: a
write acknowledged but missing, and a record changed behind the services."""

from __future__ import annotations

import apsw
import stress
from engines import ON_POSTGRES

from keywork_tui.schemas import SessionIn
from keywork_tui.services import clock
from keywork_tui.services.actor import Actor
from keywork_tui.services.child_file import sessions
from models import Staff


def _save(staff_id: int, child_id: int, words: str) -> int:
    row = Staff.get_by_id(staff_id)
    actor = Actor(row.id, row.name, row.role, row.home_id)
    data = SessionIn(child_id=child_id, staff_id=staff_id, summary=words, held_at=clock.now())
    return sessions.save_session(actor, data, finalise=True).id


def _edit_by_hand(db: str, session_id: int) -> None:
    sql = f"update key_session set summary = 'EDITED' where id = {session_id}"
    if ON_POSTGRES:
        import psycopg

        with psycopg.connect(db) as server:
            server.execute(sql)
        return
    connection = apsw.Connection(db)
    connection.execute(sql)
    connection.close()


def test_a_lost_write_and_a_hand_edit_are_both_reported(tmp_path, new_target, open_db) -> None:
    db, acks = str(new_target), tmp_path / "kill.acks"
    (staff_id, child_id), _ = stress.make_home(db, 2)
    kept = _save(staff_id, child_id, "kill 0 write 1")
    _save(staff_id, child_id, "kill 0 write 2")  # saved, killed before it was logged
    acks.write_text(f"{kept}\tkill 0 write 1\n9999\tkill 0 write 3\n12")  # last line cut short
    tally = stress.Tally()
    stress.check_file(db, acks, tally, "kill ")
    assert (tally.written, tally.acknowledged, tally.present, tally.lost) == (2, 2, 1, 1)
    assert tally.problems == []

    _edit_by_hand(db, kept)
    tally = stress.Tally()
    stress.check_file(db, acks, tally, "kill ")
    assert tally.present == 0
    assert any("audit chain" in p and "key_session" in p for p in tally.problems)
