"""keywork's benchmark: each figure beside its baseline, measured in the same run
on the same machine, and given as a ratio, so a busy or slow machine moves both
sides alike. It is a benchmark, not a test: it asserts nothing, it reports.

    make bench                       # the demo and a 60-child, 10-year home
    .venv/bin/python bench/run.py --large 20:2 --runs 3

The homes are built by `keywork demo` (deterministic for their size and seed)
and kept in bench/.cache, so only the first run pays for building them.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import fcntl
import json
import os
import re
import shutil
import sqlite3
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
PY = sys.executable
KEYWORK = [PY, "-m", "keywork_tui"]
SIZE = (80, 24)
# What each program shows once its first screen holds data.
KEYWORK_MARK = "Key worker"  # the handover board's column heading, drawn with its rows
EMPTY_MARK = "Row 8 name"
# Control sequences (CSI, OSC, DCS, charset and one-letter escapes), not text.
ANSI = re.compile(
    rb"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|P[^\x1b]*\x1b\\"
    rb"|[()][0-9A-Za-z]|[=>78MDEHc])"
)


@dataclass
class Row:
    figure: str
    value: float | None
    baseline: float | None
    unit: str
    target: float | None = None  # the highest ratio (or value, for counts) allowed
    at_least: bool = False  # the target is a floor (a rate), not a ceiling

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.baseline:
            return None
        return self.value / self.baseline

    @property
    def met(self) -> bool | None:
        measure = self.ratio if self.baseline is not None else self.value
        if self.target is None or measure is None:
            return None
        return measure >= self.target if self.at_least else measure <= self.target


# --- the homes ------------------------------------------------------------------


def schema_steps() -> int:
    return len(list((ROOT / "models" / "migrations").glob("[0-9]*.py")))


def home_file(children: int | None, years: float | None, seed: int = 1) -> Path:
    """A demo home of this size, built once and kept for later runs."""
    name = f"home-c{children or 8}-y{years or 0.5}-s{seed}-v{schema_steps()}.sqlite"
    path = CACHE / name
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        made = Path(tmp) / "home.sqlite"
        args = ["--db", str(made), "demo", "--seed", str(seed)]
        args += ["--children", str(children)] if children else []
        args += ["--years", str(years)] if years else []
        print(f"building {name} (once; later runs reuse it)…", file=sys.stderr, flush=True)
        env = private_env(Path(tmp))
        subprocess.run(KEYWORK + args, check=True, env=env, stdout=subprocess.DEVNULL)
        shutil.move(made, path)
    return path


def private_env(folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "KEYWORK_"))}
    for part in ("data", "config", "state", "cache"):
        env[f"XDG_{part.upper()}_HOME"] = str(folder / part)
    env.update(TERM="xterm-256color", COLUMNS=str(SIZE[0]), LINES=str(SIZE[1]))
    env.pop("NO_COLOR", None)
    return env


@contextmanager
def opened_as_demo(home: Path) -> Iterator[tuple[Path, dict[str, str]]]:
    """A copy of the home where `keywork demo` would have written it, so its
    manager opens it without a PIN, as anyone trying the demo does."""
    with tempfile.TemporaryDirectory() as tmp:
        env = private_env(Path(tmp))
        target = Path(env["XDG_DATA_HOME"]) / "keywork" / "demo.sqlite"
        target.parent.mkdir(parents=True)
        shutil.copyfile(home, target)
        yield target, env


# --- first paint in a pseudo-terminal ---------------------------------------------------


@dataclass
class Paint:
    seconds: float
    bytes: int
    peak_kb: int


# A terminal that draws a frame at once (tmux, and most of today's) says so when
# asked; each frame then comes between these two, and the first screen is
# counted to the end of the frame that shows it.
SYNC_ASKED = b"\x1b[?2026$p"
SYNC_SUPPORTED = b"\x1b[?2026;2$y"
FRAME_START, FRAME_END = b"\x1b[?2026h", b"\x1b[?2026l"


def first_paint(command: list[str], env: dict[str, str], mark: str, timeout: float = 60) -> Paint:
    """Start `command` on an 80x24 pseudo-terminal answering as a terminal with
    synchronized output; the time until `mark` is on the screen, and the bytes
    and peak memory until the frame showing it has been written whole."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    text, answered = b"", False
    try:
        while mark.encode() not in ANSI.sub(b"", text):
            if time.perf_counter() - started > timeout:
                raise TimeoutError(f"{mark!r} never showed: {ANSI.sub(b'', text)[-400:]!r}")
            text += _read(master)
            if not answered and SYNC_ASKED in text:
                os.write(master, SYNC_SUPPORTED)
                answered = True
        seconds = time.perf_counter() - started
        seen = _frame_end(master, text, mark.encode(), started + timeout)
        return Paint(seconds, seen, _peak_kb(process.pid))
    finally:
        process.kill()
        process.wait()
        os.close(master)


def _frame_end(fd: int, text: bytes, mark: bytes, deadline: float) -> int:
    """How many bytes were written up to the end of the frame that first shows
    `mark`: to the end of that synchronized frame, read on if it is not yet
    whole; frames not marked as such (before the answer came, or ever) end
    where the first marked one starts, else where the output pauses."""
    first = text.find(FRAME_START)
    if first < 0:
        # Drawn before the terminal's answer was read (keywork's first frame
        # is): it is read whole, up to a pause or a marked frame.
        text = _until_quiet(fd, text, deadline)
        first = text.find(FRAME_START)
        if first < 0:
            return len(text)
    if mark in ANSI.sub(b"", text[:first]):
        return first
    while True:
        end = text.find(FRAME_END, first)
        while end >= 0:
            end += len(FRAME_END)
            if mark in ANSI.sub(b"", text[:end]):
                return end
            end = text.find(FRAME_END, end)
        if time.perf_counter() > deadline:
            return len(text)
        text += _read(fd)


def _until_quiet(fd: int, text: bytes, deadline: float, quiet: float = 0.05) -> bytes:
    """`text` and what follows it until nothing comes for `quiet` seconds."""
    import select

    while time.perf_counter() < deadline and select.select([fd], [], [], quiet)[0]:
        try:
            more = os.read(fd, 65536)
        except OSError:
            break
        if not more:
            break
        text += more
    return text


def _read(fd: int) -> bytes:
    import select

    ready, _, _ = select.select([fd], [], [], 0.5)
    if not ready:
        return b""
    try:
        return os.read(fd, 65536)
    except OSError:
        return b""


def _peak_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def paired(runs: int, *jobs: Callable[[], Any]) -> list[list[Any]]:
    """Each job `runs` times, taking turns, so a burst of load falls on both."""
    results: list[list[Any]] = [[] for _ in jobs]
    for _ in range(runs):
        for i, job in enumerate(jobs):
            results[i].append(job())
    return results


def median(values: list[float]) -> float:
    return statistics.median(values)


def paint_rows(homes: dict[str, Path], runs: int) -> list[Row]:
    empty_cmd = [PY, str(ROOT / "bench" / "empty_app.py")]
    rows: list[Row] = []
    for label, home in homes.items():
        with opened_as_demo(home) as (path, env):
            ours = KEYWORK + ["--db", str(path)]
            empty, keywork = paired(
                runs,
                lambda env=env: first_paint(empty_cmd, env, EMPTY_MARK),
                lambda env=env, ours=ours: first_paint(ours, env, KEYWORK_MARK),
            )
        paint_target = 1.5 if label == "demo" else 1.6
        for figure, unit, target, read in (
            ("first paint", "s", paint_target, lambda p: p.seconds),
            ("bytes to first screen", "B", 2.0, lambda p: p.bytes),
            ("peak RSS at first screen", "MB", None, lambda p: p.peak_kb / 1024),
        ):
            ours = median([read(p) for p in keywork])
            baseline = median([read(p) for p in empty])
            rows.append(Row(f"{figure}, {label}", ours, baseline, unit, target))
    return rows


# --- starting Python ---------------------------------------------------------------


def import_row(runs: int) -> Row:
    def timed(module: str) -> Callable[[], float]:
        def run() -> float:
            started = time.perf_counter()
            subprocess.run([PY, "-c", f"import {module}"], check=True)
            return time.perf_counter() - started

        return run

    ours, textual = paired(runs, timed("keywork_tui.app"), timed("textual.app"))
    return Row("import keywork_tui.app (vs textual.app)", median(ours), median(textual), "s", 1.5)


# --- statements per screen ---------------------------------------------------------


def statement_rows(homes: dict[str, Path]) -> list[Row]:
    rows = []
    for label, home in homes.items():
        with opened_as_demo(home) as (path, env):
            counts = _in_child(["statements", str(path)], env)
        for screen, count in counts.items():
            target = 30 if screen == "first paint (F2)" else None
            rows.append(Row(f"SQL statements, {screen}, {label}", count, None, "", target))
    return rows


def _in_child(argv: list[str], env: dict[str, str]) -> Any:
    """Run a measure in a fresh process (its own database, clock and imports)."""
    done = subprocess.run(
        [PY, __file__, "--inner", *argv], env=env, check=True, capture_output=True, text=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


SCREENS = (("f3", "F3"), ("f4", "F4"), ("f7", "F7"), ("f6", "F6"), ("f2", "F2 again"))


async def _count_statements(path: str) -> dict[str, int]:
    import models.base as base
    from keywork_tui.app import KeyworkApp
    from keywork_tui.services import database, homes
    from keywork_tui.services.team import people
    from keywork_tui.services.team.people import resolve_staff

    database.open_target(path)
    home = homes.only_home()
    manager = resolve_staff(home.id, None)
    child = people.children_in_placement(home.id, _today())[0]
    count = [0]
    original = base.KeyworkSqliteDatabase.execute_sql
    lock = threading.Lock()

    def counting(self: Any, *args: Any, **kwargs: Any) -> Any:
        # The change watch's once-a-second marker is not a screen's load.
        if threading.current_thread().name != "keywork-change-watch":
            with lock:
                count[0] += 1
        return original(self, *args, **kwargs)

    base.KeyworkSqliteDatabase.execute_sql = counting  # type: ignore[method-assign]
    app = KeyworkApp(home_id=home.id, staff_id=manager.id, database=path)
    found: dict[str, int] = {}

    def take(name: str) -> None:
        found[name], count[0] = count[0], 0

    async with app.run_test(size=SIZE) as pilot:

        async def settle() -> None:
            for _ in range(4):
                await pilot.pause(0.05)
                await app.workers.wait_for_complete()

        await settle()
        take("first paint (F2)")
        for key, name in SCREENS:
            await pilot.press(key)
            await settle()
            take(name)
        app.open_profile(child.id)
        await settle()
        take("a profile")
    return found


def _today() -> Any:
    from keywork_tui.services import clock

    return clock.today()


# --- writing a session ---------------------------------------------------------------


def save_row(homes: dict[str, Path]) -> Row:
    with opened_as_demo(homes["demo"]) as (path, env):
        ours, raw = _in_child(["save", str(path)], env)
    return Row("save a final session (vs a raw insert)", ours, raw, "ms", 3.0)


def _time_saves(path: str, count: int = 200) -> tuple[float, float]:
    import datetime as dt

    from keywork_tui.schemas import SessionIn
    from keywork_tui.services import clock, database, homes
    from keywork_tui.services.actor import actor_for
    from keywork_tui.services.child_file import sessions
    from keywork_tui.services.team import allocation

    database.open_target(path)
    home = homes.only_home()
    workers = allocation.key_workers_on(home.id, clock.today())
    child_id, worker = sorted(workers.items())[0]
    actor = actor_for(worker.id)
    start = clock.now() - dt.timedelta(days=1)

    def session(n: int) -> SessionIn:
        return SessionIn(
            child_id=child_id,
            staff_id=actor.id,
            held_at=start + dt.timedelta(minutes=n),
            minutes=30,
            purposes=["progress"],
            summary="A walk to the park; talked about school.",
            views="Wants more time with friends.",
        )

    ours, last = [], 0
    for n in range(count):
        data = session(n)
        began = time.perf_counter()
        last = sessions.save_session(actor, data, finalise=True).id
        ours.append(time.perf_counter() - began)
    database.close()
    return median(ours) * 1000, _raw_inserts(path, last, count) * 1000


def _raw_inserts(path: str, model_id: int, count: int) -> float:
    """The same row written by hand, one transaction each, as durable as keywork's
    (WAL, synchronous FULL): the floor a save cannot go below."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("pragma journal_mode=wal")
    db.execute("pragma synchronous=full")
    names = [r[1] for r in db.execute("pragma table_info(key_session)") if r[1] != "id"]
    columns = ", ".join(names)
    row = db.execute(f"select {columns} from key_session where id=?", (model_id,)).fetchone()
    insert = f"insert into key_session ({columns}) values ({', '.join('?' * len(names))})"
    times = []
    for _ in range(count):
        began = time.perf_counter()
        db.execute("begin immediate")
        db.execute(insert, row)
        db.execute("commit")
        times.append(time.perf_counter() - began)
    db.close()
    return median(times)


# --- commands ------------------------------------------------------------------------------


def command_rows(homes: dict[str, Path], runs: int) -> list[Row]:
    rows = []
    for words in (["overdue", "--json"], ["handover", "--json"]):
        timed: dict[str, float] = {}
        for label, home in homes.items():
            with opened_as_demo(home) as (path, env):
                command = KEYWORK + ["--db", str(path), *words]

                def run(command: list[str] = command, env: dict[str, str] = env) -> float:
                    began = time.perf_counter()
                    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
                    return time.perf_counter() - began

                timed[label] = median(paired(runs, run)[0])
        small = timed.get("demo")
        for label, seconds in timed.items():
            if label != "demo":
                figure = f"keywork {' '.join(words)}, {label} (vs demo)"
                rows.append(Row(figure, seconds, small, "s"))
    return rows


# --- moving a home in, and a child's file out ------------------------------------------


# The records a home's history is made of: the lists a file grows by, year on year.
HISTORY = ("sessions", "reviews", "targets", "events", "handover_entries")


def import_rows(homes: dict[str, Path]) -> list[Row]:
    """`keywork import` of a file made from each home, into an empty database:
    the whole command, and the rate at which it brings in the history, against
    the same file without its history in the same run (that import is Python
    starting, the PIN hashed, the home and its people set up: what a file of
    any size pays once)."""
    sys.path.insert(0, str(ROOT / "bench"))
    from import_file import import_file

    rows = []
    for label, home in homes.items():
        data = import_file(home)
        bare = {k: ([] if k in HISTORY else v) for k, v in data.items()}
        (whole, peak_kb), (fixed, _) = (_import_once(data), _import_once(bare))
        records, history = _records(data), _records(data) - _records(bare)
        rows.append(Row(f"import, {label} ({records} records)", records / whole, None, "/s"))
        rows.append(
            Row(
                f"  of which the history ({history} records)",
                history / max(whole - fixed, 1e-9),
                None,
                "/s",
                10_000,
                at_least=True,
            )
        )
        rows.append(Row(f"import, peak RSS, {label}", peak_kb / 1024, None, "MB", 400))
    return rows


def _records(data: dict[str, Any]) -> int:
    return sum(len(v) for v in data.values() if isinstance(v, list))


def _import_once(data: dict[str, Any]) -> tuple[float, int]:
    """Seconds and peak KB of `keywork import` of `data` into a new database."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "home.json"
        source.write_text(json.dumps(data))
        command = KEYWORK + ["--db", str(Path(tmp) / "new.sqlite"), "import", str(source)]
        return _run_measured(command, private_env(Path(tmp)), b"2580\n2580\n")


def export_rows(homes: dict[str, Path]) -> list[Row]:
    """`keywork export child` of the first child, large home against the demo."""
    found: dict[str, tuple[float, int]] = {}
    for label, home in homes.items():
        with opened_as_demo(home) as (path, env):
            out = path.parent / "child.json"
            command = KEYWORK + ["--db", str(path), "export", "child", "1", "--out", str(out)]
            found[label] = _run_measured(command, env, b"")
    (small_s, small_kb) = found.pop("demo")
    rows = []
    for label, (seconds, peak_kb) in found.items():
        rows.append(Row(f"export child, {label} (vs demo)", seconds, small_s, "s"))
        rows.append(
            Row(
                f"export child, peak RSS, {label} (vs demo)",
                peak_kb / 1024,
                small_kb / 1024,
                "MB",
            )
        )
    return rows


def _run_measured(command: list[str], env: dict[str, str], given: bytes) -> tuple[float, int]:
    """Wall time and peak resident memory (KB) of one run of `command`."""
    began = time.perf_counter()
    process = subprocess.Popen(
        command,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert process.stdin is not None and process.stderr is not None
    process.stdin.write(given)
    process.stdin.close()
    problems = process.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - began
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(command[2:])} failed: {problems[-400:]}")
    return seconds, usage.ru_maxrss


# --- the report ------------------------------------------------------------------------------


def table(rows: list[Row]) -> str:
    lines = [f"{'figure':<52} {'keywork':>9} {'baseline':>9} {'ratio':>6} {'target':>7}  met"]
    for r in rows:
        value = "—" if r.value is None else f"{r.value:.3g}{r.unit}"
        base = "" if r.baseline is None else f"{r.baseline:.3g}{r.unit}"
        ratio = "" if r.ratio is None else f"{r.ratio:.2f}×"
        times = "×" if r.baseline is not None else ""
        floor = "≥" if r.at_least else "≤"
        target = "" if r.target is None else f"{floor}{r.target:g}{times}"
        met = {True: "yes", False: "NO", None: ""}[r.met]
        lines.append(f"{r.figure:<52} {value:>9} {base:>9} {ratio:>6} {target:>7}  {met}")
    return "\n".join(lines)


def size(text: str) -> tuple[int, float]:
    children, years = text.split(":")
    return int(children), float(years)


def compiled() -> None:
    """keywork's bytecode written before anything is timed, as installing it
    writes it (and as Textual's already is): a checkout run with
    PYTHONDONTWRITEBYTECODE, or edited since, would otherwise compile every
    module it loads, every run, and time that."""
    for package in ("keywork_tui", "screens", "models"):
        compileall.compile_dir(ROOT / package, quiet=1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", type=size, default=(60, 10.0), help="CHILDREN:YEARS")
    parser.add_argument("--runs", type=int, default=5, help="paired runs per timing")
    parser.add_argument("--json", type=Path, default=CACHE / "results.json")
    parser.add_argument("--inner", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.inner:
        return _inner(args.inner)
    children, years = args.large
    compiled()
    homes = {
        "demo": home_file(None, None),
        f"{children} children, {years:g} years": home_file(children, years),
    }
    rows = [import_row(args.runs)]
    rows += paint_rows(homes, args.runs)
    rows += statement_rows(homes)
    rows.append(save_row(homes))
    rows += command_rows(homes, max(3, args.runs // 2))
    rows += export_rows(homes)
    rows += import_rows(homes)
    print(table(rows))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps([asdict(r) | {"ratio": r.ratio, "met": r.met} for r in rows], indent=2)
    )
    print(f"\nwritten to {args.json}")
    return 0


def _inner(argv: list[str]) -> int:
    what, path = argv
    if what == "statements":
        print(json.dumps(asyncio.run(_count_statements(path))))
    elif what == "save":
        print(json.dumps(_time_saves(path)))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
