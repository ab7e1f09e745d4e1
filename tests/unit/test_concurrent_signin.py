"""Sign-in counters under processes acting at once: each attempt reads and
writes the count inside one write transaction, so none is lost and the
lockout holds however many terminals try together."""

from __future__ import annotations

import datetime as dt
import multiprocessing
from contextlib import suppress
from pathlib import Path

from engines import audit_verdict

from keywork_tui.services import audit
from keywork_tui.services.actor import actor_for
from keywork_tui.services.team import signin
from models import Staff

PROCESSES = 12
TRIES = 2
AT = dt.datetime(2026, 11, 22, 17, 30)  # every attempt at one instant: the wait never ends


def _attacker(path: str, home_id: int, staff_id: int, barrier) -> None:
    from keywork_tui.services import SignInRefused, database

    database.open_target(path, create=True)
    barrier.wait(timeout=60)
    for _ in range(TRIES):
        with suppress(SignInRefused):
            signin.sign_in(home_id, staff_id, "0000", AT)
    database.close()


def test_twelve_processes_guessing_at_once_get_exactly_the_checks_the_lockout_allows(
    home, add_staff, database: Path
):
    kim = add_staff("Kim Key")
    signin.set_pin(actor_for(kim.id), kim.id, "3691")
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(PROCESSES)
    workers = [
        context.Process(target=_attacker, args=(str(database), home.id, kim.id, barrier))
        for _ in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [w.exitcode for w in workers] == [0] * PROCESSES
    actions = [e.action for e in audit.events(staff_id=kim.id, action_prefix="signin.")]
    # Two free attempts and the third that starts the wait are checked; the
    # other 21 are refused without looking at what was typed.
    assert actions.count("signin.fail") == signin.FREE_ATTEMPTS + 1
    assert actions.count("signin.wait") == PROCESSES * TRIES - signin.FREE_ATTEMPTS - 1
    assert Staff.get_by_id(kim.id).failed_signins == signin.FREE_ATTEMPTS + 1
    # Twelve writers at once and the audit chain is still one unbroken line.
    verdict = audit_verdict(database)
    assert verdict is not None and verdict.ok and verdict.events == len(audit.events())
