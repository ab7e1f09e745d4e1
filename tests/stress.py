"""Proof under load and under faults, run by `make stress` (shortened in CI).

Two trials on a fresh database in a temporary folder:

* **load**: several writer processes each save final key-work sessions through
  the services at once, while a reader works out the handover board and the
  overdue list in a loop. Each writer logs a write as acknowledged (with
  fsync) only after the service call has returned.
* **kill**: cycle after cycle, writers are started and killed with SIGKILL at
  a random moment while they write; after each kill the file must pass
  SQLite's integrity check and keywork's audit chain, and every write a writer
  had acknowledged must be there with the words it was saved with.

It prints written, acknowledged, present, lost and errors for each trial and
exits 1 when anything was lost, any error happened or any check failed.

    python tests/stress.py [--writers 4] [--writes 500] [--cycles 50] [--seed N]
                           [--server postgresql://...]

With --server (a PostgreSQL server's URL, any database on it) the trials run
on a new database there, dropped at the end: the audit chain and every
acknowledged write are checked as on SQLite, and the server keeps its pages.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import apsw

HERE = Path(__file__).resolve()
ADMITTED = dt.date(2026, 1, 5)
# Errors a writer or reader may meet at most this often before the trial fails:
# none. A busy database must wait (the busy timeout), never fail a save.
READER_PAUSE = 0.02


# --- the home they write to ---------------------------------------------------


def make_home(target: str, writers: int) -> list[tuple[int, int]]:
    """A home with one care worker and one key child per writer: (staff, child) ids."""
    from keywork_tui.schemas import AllocationIn, ChildIn, HomeIn, StaffIn
    from keywork_tui.services.actor import Actor
    from keywork_tui.services.homes import create_home
    from keywork_tui.services.team import allocation, people
    from models.schema import open_database

    open_database(target)
    home, manager = create_home(HomeIn(name="Stress House"), StaffIn(name="Mo Manager"))
    boss = Actor(manager.id, manager.name, manager.role, home.id)
    pairs = []
    for n in range(writers):
        staff = people.add_staff(
            boss, StaffIn(name=f"Writer {n}", induction_done=True, level3=True)
        )
        child = people.add_child(
            boss,
            ChildIn(
                first_name=f"Child{n}",
                last_name="Stress",
                date_of_birth=dt.date(2012, 3, 4),
                admitted_on=ADMITTED,
            ),
        )
        allocation.allocate(
            boss, AllocationIn(child_id=child.id, staff_id=staff.id, starts_on=ADMITTED)
        )
        pairs.append((staff.id, child.id))
    return pairs


# --- the processes --------------------------------------------------------------


def writer(db: str, staff_id: int, child_id: int, acks: str, count: int, tag: str) -> int:
    """Save `count` final sessions (0: until killed), logging each acknowledgement."""
    from keywork_tui.schemas import SessionIn
    from keywork_tui.services import clock
    from keywork_tui.services.actor import Actor
    from keywork_tui.services.child_file import sessions
    from models import Staff
    from models.schema import open_database

    open_database(db, migrate=False)
    row = Staff.get_by_id(staff_id)
    actor = Actor(row.id, row.name, row.role, row.home_id)
    errors = 0
    with open(acks, "a", encoding="utf-8") as log:
        print("ready", flush=True)
        n = 0
        while count == 0 or n < count:
            n += 1
            words = f"{tag} write {n}"
            data = SessionIn(
                child_id=child_id,
                staff_id=staff_id,
                summary=words,
                held_at=clock.now() - dt.timedelta(hours=1),
            )
            try:
                saved = sessions.save_session(actor, data, finalise=True)
            except Exception as exc:  # counted and reported, never hidden
                errors += 1
                print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
                continue
            log.write(f"{saved.id}\t{words}\n")
            log.flush()
            os.fsync(log.fileno())
    print(f"errors {errors}", flush=True)
    return 0


def reader(db: str, home_id: int, stop: str) -> int:
    """Read what a handover terminal reads, in a loop, until `stop` exists."""
    from keywork_tui.services import clock
    from keywork_tui.services.child_file import obligations as compliance
    from keywork_tui.services.handover import board as handover_board
    from models.schema import open_database

    open_database(db, migrate=False)
    reads = errors = 0
    while not os.path.exists(stop):
        try:
            handover_board.board(home_id)
            compliance.obligations(home_id, clock.today())
            reads += 1
        except Exception as exc:
            errors += 1
            print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
        time.sleep(READER_PAUSE)
    print(f"reads {reads} errors {errors}", flush=True)
    return 0


def _spawn(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(HERE), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _counted(out: str, word: str) -> int:
    for line in out.splitlines():
        parts = line.split()
        if parts and parts[0] == word:
            return int(parts[parts.index("errors") + 1]) if word == "reads" else int(parts[1])
    return -1  # the process never reported: counted as an error by the caller


# --- the checks -----------------------------------------------------------------


@dataclass
class Tally:
    written: int = 0
    acknowledged: int = 0
    present: int = 0
    errors: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def lost(self) -> int:
        return self.acknowledged - self.present

    def line(self, name: str) -> str:
        return (
            f"{name}: written {self.written}, acknowledged {self.acknowledged}, "
            f"present {self.present}, lost {self.lost}, errors {self.errors}"
        )


def _acknowledged(acks: Path) -> dict[int, str]:
    """What the writers logged; a line cut short by a kill was never acknowledged."""
    found = {}
    for line in acks.read_text(encoding="utf-8").split("\n"):
        parts = line.split("\t")
        if len(parts) == 2 and parts[0].isdigit():
            found[int(parts[0])] = parts[1]
    return found


def _on_server(target: str) -> bool:
    return target.startswith(("postgres://", "postgresql://"))


def _stored(target: str) -> dict[int, str]:
    """Every session's words, read on a connection of its own."""
    if _on_server(target):
        import psycopg

        with psycopg.connect(target) as server:
            return dict(server.execute("select id, summary from key_session").fetchall())
    connection = apsw.Connection(target, flags=apsw.SQLITE_OPEN_READONLY)
    try:
        return dict(connection.execute("select id, summary from key_session"))
    finally:
        connection.close()


def _chain_problems(target: str) -> list[str]:
    """What `keywork check` finds: of the file, or of the server's database."""
    from keywork_tui.services import database
    from keywork_tui.services.exchange import backup

    if _on_server(target):
        database.open_without_upgrade(target)
        try:
            verdict = backup.bound_history()
        finally:
            database.close()
        return [] if verdict.ok else [f"audit chain: {verdict.finding.line()}"]  # type: ignore[union-attr]
    health = backup.inspect(Path(target))
    problems = []
    if health.integrity != "ok":
        problems.append(f"integrity: {health.integrity}")
    if health.foreign_key_problems:
        problems.append(f"{health.foreign_key_problems} foreign key problem(s)")
    if health.history is None or health.history.finding is not None:
        finding = health.history.finding.line() if health.history else "no audit chain"
        problems.append(f"audit chain: {finding}")
    return problems


def check_file(db: str, acks: Path, tally: Tally, trial: str) -> None:
    """Integrity, the audit chain, and every acknowledged write present as saved;
    `written` counts the trial's sessions in the database, acknowledged or not."""
    tally.problems += _chain_problems(db)
    acked, stored = _acknowledged(acks), _stored(db)
    tally.acknowledged = len(acked)
    tally.present = sum(1 for i, words in acked.items() if stored.get(i) == words)
    tally.written = sum(1 for words in stored.values() if words.startswith(trial))


# --- the trials -----------------------------------------------------------------


def load_trial(
    db: str, folder: Path, pairs: list[tuple[int, int]], home_id: int, writes: int
) -> Tally:
    acks, stop = folder / "load.acks", folder / "load.stop"
    acks.touch()
    read = _spawn("reader", db, str(home_id), str(stop))
    procs = [
        _spawn("writer", db, str(s), str(c), str(acks), str(writes), f"load {s}") for s, c in pairs
    ]
    tally = Tally()
    for proc in procs:
        out, err = proc.communicate()
        errors = _counted(out, "errors")
        tally.errors += errors if errors >= 0 and proc.returncode == 0 else max(errors, 1)
        _echo_errors(err)
    stop.touch()
    out, err = read.communicate()
    reader_errors = _counted(out, "reads")
    tally.errors += reader_errors if reader_errors >= 0 and read.returncode == 0 else 1
    _echo_errors(err)
    check_file(db, acks, tally, "load ")
    reads = out.split()[1] if out.startswith("reads") else "?"
    print(f"  the reader read the board and the overdue list {reads} times meanwhile")
    return tally


def kill_trial(
    db: str, folder: Path, pairs: list[tuple[int, int]], cycles: int, rng: random.Random
) -> Tally:
    acks = folder / "kill.acks"
    acks.touch()
    tally = Tally()
    for cycle in range(cycles):
        procs = [
            _spawn("writer", db, str(s), str(c), str(acks), "0", f"kill {cycle}")
            for s, c in pairs[:2]
        ]
        for proc in procs:
            if proc.stdout is None or proc.stdout.readline().strip() != "ready":
                tally.errors += 1
        time.sleep(rng.uniform(0.01, 0.4))  # somewhere in the middle of a save
        for proc in procs:
            proc.send_signal(signal.SIGKILL)
        for proc in procs:
            _, err = proc.communicate()
            tally.errors += err.count("error: ")
            _echo_errors(err)
        check_file(db, acks, tally, "kill ")
        if tally.problems or tally.lost:
            print(f"  cycle {cycle + 1}: {'; '.join(tally.problems) or 'writes lost'}")
            break
    return tally


def _echo_errors(err: str) -> None:
    for line in err.splitlines()[:5]:
        print(f"  {line}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--writes", type=int, default=500, help="per writer, in the load trial")
    parser.add_argument("--cycles", type=int, default=50, help="kill -9 cycles")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--server", help="a PostgreSQL server's URL: run the trials there")
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(10**6)
    print(
        f"stress: {args.writers} writers × {args.writes} writes, {args.cycles} kill cycles, "
        f"seed {seed}, on {'PostgreSQL' if args.server else 'SQLite'}"
    )
    with tempfile.TemporaryDirectory(prefix="keywork-stress-") as folder:
        if not args.server:
            return _trials(str(Path(folder) / "stress.sqlite"), Path(folder), args, seed)
        name = f"keywork_stress_{os.getpid()}"
        _on(args.server, f"CREATE DATABASE {name}")
        try:
            return _trials(args.server.rsplit("/", 1)[0] + "/" + name, Path(folder), args, seed)
        finally:
            from keywork_tui.services import database

            database.close()
            _on(args.server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _on(server: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(sql)


def _trials(db: str, folder: Path, args: argparse.Namespace, seed: int) -> int:
    failed = False
    pairs = make_home(db, max(args.writers, 2))
    from models import Staff

    home_id = Staff.get_by_id(pairs[0][0]).home_id
    started = time.monotonic()
    for name, tally in (
        ("load", load_trial(db, folder, pairs[: args.writers], home_id, args.writes)),
        ("kill -9", kill_trial(db, folder, pairs, args.cycles, random.Random(seed))),
    ):
        print(tally.line(name))
        for problem in tally.problems:
            print(f"  ✗ {problem}")
        failed |= bool(tally.problems or tally.lost or tally.errors)
    print(f"took {time.monotonic() - started:.0f} s; {'FAILED' if failed else _passed(db)}")
    return 1 if failed else 0


def _passed(db: str) -> str:
    checked = "audit chain ok" if _on_server(db) else "integrity ok, audit chain ok"
    return f"{checked}, 0 lost, 0 errors"


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "writer":
        _, _, db_arg, staff_arg, child_arg, acks_arg, count_arg, tag_arg = sys.argv
        sys.exit(writer(db_arg, int(staff_arg), int(child_arg), acks_arg, int(count_arg), tag_arg))
    if len(sys.argv) > 1 and sys.argv[1] == "reader":
        sys.exit(reader(sys.argv[2], int(sys.argv[3]), sys.argv[4]))
    sys.exit(main())
