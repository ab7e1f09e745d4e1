"""The app over a real SSH connection: OpenSSH's sshd forces `keywork` on the
login, the real ssh client runs inside an 80x24 tmux pane with TERM=xterm,
and the test reads what the pane shows.

Both operator recipes are exercised: a per-key `command="..."` line in
authorized_keys, and `ForceCommand` under a `Match Group` block.

Skipped when sshd, ssh, ssh-keygen or tmux is missing, unless
KEYWORK_REQUIRE_SSH_TEST=1 (set by the CI script), which turns the skip
into a failure.
"""

from __future__ import annotations

import grp
import os
import pwd
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pytest

HOME_NAME = "Ash Lodge"
MANAGER = "Bea Moss"
PIN = "4071"
REQUIRED = os.environ.get("KEYWORK_REQUIRE_SSH_TEST") == "1"
SSHD_PLACES = ("/usr/sbin/sshd", "/usr/local/sbin/sshd", "/sbin/sshd")
DEADLINE = 30.0


def _unavailable(reason: str) -> NoReturn:
    if REQUIRED:
        pytest.fail(f"{reason} (KEYWORK_REQUIRE_SSH_TEST=1)")
    pytest.skip(reason)


def _find_sshd() -> str | None:
    found = shutil.which("sshd")
    if found:
        return found
    return next((p for p in SSHD_PLACES if os.access(p, os.X_OK)), None)


@dataclass(frozen=True)
class Programs:
    sshd: str
    ssh: str
    keygen: str
    tmux: str


@pytest.fixture
def programs() -> Programs:
    found = {
        "sshd": _find_sshd(),
        "ssh": shutil.which("ssh"),
        "ssh-keygen": shutil.which("ssh-keygen"),
        "tmux": shutil.which("tmux"),
    }
    missing = [name for name, path in found.items() if path is None]
    if missing:
        _unavailable(f"needs OpenSSH's sshd, ssh, ssh-keygen and tmux; missing: {missing}")
    sshd, ssh, keygen, tmux = found.values()
    return Programs(sshd, ssh, keygen, tmux)  # type: ignore[arg-type]


def _keywork() -> Path:
    """The keywork command of the environment running the tests."""
    return Path(sys.executable).absolute().parent / "keywork"


def _app_env(tmp_path: Path) -> dict[str, str]:
    return {
        var: str(tmp_path / var.lower())
        for var in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME")
    }


@pytest.fixture(scope="module")
def home_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real (not demo) home made by `keywork init`, its manager's PIN given on
    standard input as a script would, built once per module."""
    folder = tmp_path_factory.mktemp("ssh_home")
    db = folder / "home.sqlite"
    env = {k: v for k, v in os.environ.items() if k not in ("KEYWORK_DB", "KEYWORK_CONFIG")}
    result = subprocess.run(
        [str(_keywork()), "--db", str(db), "init", "--home", HOME_NAME, "--manager", MANAGER],
        input=f"{PIN}\n",
        env={**env, **_app_env(folder)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return db


@pytest.fixture
def home_db(home_template: Path, tmp_path: Path) -> Path:
    """A copy of the home for one test."""
    db = tmp_path / "home.sqlite"
    for suffix in ("", "-wal"):
        source = Path(f"{home_template}{suffix}")
        if source.exists():
            shutil.copyfile(source, f"{db}{suffix}")
    return db


def _forced_command(tmp_path: Path, db: Path, extra_env: dict[str, str]) -> str:
    env = {**_app_env(tmp_path), **extra_env}
    words = ["env", *(f"{k}={v}" for k, v in env.items()), str(_keywork()), "--db", str(db)]
    command = shlex.join(words)
    assert '"' not in command, 'the forced command must fit inside command="..."'
    return command


def _keygen(keygen: str, path: Path) -> str:
    subprocess.run(
        [keygen, "-q", "-t", "ed25519", "-N", "", "-C", "keywork-test", "-f", str(path)],
        check=True,
        capture_output=True,
        timeout=30,
    )
    return path.with_suffix(".pub").read_text().strip()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class Recipe:
    """How sshd forces keywork: on the key's line, or for a group in sshd_config."""

    name: str
    per_key: bool
    extra_env: dict[str, str]


RECIPES = [
    Recipe("per-key command, colour", per_key=True, extra_env={}),
    Recipe("ForceCommand for a group, NO_COLOR", per_key=False, extra_env={"NO_COLOR": "1"}),
]


def _sshd_config(tmp_path: Path, port: int, forced: str | None) -> str:
    lines = [
        "ListenAddress 127.0.0.1",
        f"Port {port}",
        f"HostKey {tmp_path / 'host_key'}",
        f"PidFile {tmp_path / 'sshd.pid'}",
        f"AuthorizedKeysFile {tmp_path / 'authorized_keys'}",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "PubkeyAuthentication yes",
        "UsePAM no",
        # CI runs as root; the login still needs a key.
        "PermitRootLogin prohibit-password",
        # The temporary folder's permissions are not the point here.
        "StrictModes no",
        "DisableForwarding yes",
        "PermitUserEnvironment no",
        "PermitTTY yes",
        "LogLevel VERBOSE",
    ]
    if forced is not None:
        group = grp.getgrgid(os.getegid()).gr_name
        lines += [f"Match Group {group}", f"    ForceCommand {forced}"]
    return "\n".join(lines) + "\n"


@dataclass
class Sshd:
    process: subprocess.Popen
    port: int
    log: Path

    def stderr(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def _wait_listening(sshd: Sshd, deadline: float) -> bool:
    while time.monotonic() < deadline and sshd.process.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", sshd.port), timeout=1):
                return True
        except OSError:
            time.sleep(0.1)
    return False


def _launch_sshd(sshd_path: str, tmp_path: Path, forced: str | None, attempt: int) -> Sshd:
    port = _free_port()
    config = tmp_path / f"sshd_config.{attempt}"
    config.write_text(_sshd_config(tmp_path, port, forced))
    log = tmp_path / f"sshd.{attempt}.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sshd_path, "-D", "-e", "-f", str(config)],
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=sink,
        )
    return Sshd(process, port, log)


def _start_sshd(sshd_path: str, tmp_path: Path, forced: str | None) -> Sshd:
    """sshd on a free port; a port taken in the meantime gets another try."""
    if os.geteuid() == 0:
        # sshd's privilege separation needs this folder when started as root.
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
    for attempt in range(3):
        sshd = _launch_sshd(sshd_path, tmp_path, forced, attempt)
        if _wait_listening(sshd, time.monotonic() + 10):
            return sshd
        sshd.stop()
    _unavailable(f"sshd did not start:\n{sshd.stderr()}")


@dataclass
class Pane:
    """A detached tmux session on a private server, holding one ssh client."""

    tmux: str
    socket: Path
    status_file: Path

    def run(self, *args: str) -> str:
        result = subprocess.run(
            [self.tmux, "-u", "-S", str(self.socket), *args],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        return result.stdout

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "keywork")

    def styled(self) -> str:
        return self.run("capture-pane", "-p", "-e", "-t", "keywork")

    def dead_status(self) -> str | None:
        """The ssh client's exit status once it has ended, else None.

        The pane's shell writes it to a file: tmux's own `pane_dead_status` is
        sometimes never filled in when the process ends as its terminal closes.
        """
        text = self.status_file.read_text() if self.status_file.exists() else ""
        return text.strip() or None

    def stop(self) -> None:
        self.run("kill-server")


def _start_pane(programs: Programs, tmp_path: Path, ssh_command: list[str]) -> Pane:
    conf = tmp_path / "tmux.conf"
    # Keep the pane after ssh ends, to read its last screen; no status line, so 80x24.
    conf.write_text("set -g remain-on-exit on\nset -g status off\nset -g default-terminal xterm\n")
    # The server's own socket in the test's folder: the user's tmux is never touched.
    pane = Pane(programs.tmux, tmp_path / "tmux.sock", tmp_path / "ssh.status")
    shell = f'"$@"; echo $? > {shlex.quote(str(pane.status_file))}'
    env = {**os.environ, "TERM": "xterm", "LANG": "C.UTF-8"}
    env.pop("TMUX", None)
    subprocess.run(
        [
            programs.tmux,
            "-u",
            "-S",
            str(pane.socket),
            "-f",
            str(conf),
            "new-session",
            "-d",
            "-s",
            "keywork",
            "-x",
            "80",
            "-y",
            "24",
            shlex.join(["sh", "-c", shell, "sh", *ssh_command]),
        ],
        env=env,
        check=True,
        capture_output=True,
        timeout=10,
    )
    return pane


def _ssh_command(programs: Programs, port: int, key: Path) -> list[str]:
    user = pwd.getpwuid(os.geteuid()).pw_name
    return [
        programs.ssh,
        "-F",
        "/dev/null",
        "-tt",
        "-p",
        str(port),
        "-i",
        str(key),
        "-o",
        "StrictHostKeyChecking=no",
        "-o",
        "UserKnownHostsFile=/dev/null",
        "-o",
        "GlobalKnownHostsFile=/dev/null",
        "-o",
        "IdentitiesOnly=yes",
        "-o",
        "BatchMode=yes",
        "-o",
        "LogLevel=ERROR",
        f"{user}@127.0.0.1",
    ]


@dataclass
class Session:
    pane: Pane
    sshd: Sshd
    colour: bool

    def report(self, what: str) -> str:
        return (
            f"{what}\n--- last screen ---\n{self.pane.screen()}"
            f"\n--- sshd stderr ---\n{self.sshd.stderr()}"
        )

    def wait_for(self, what: str, seen: Callable[[str], bool]) -> str:
        deadline = time.monotonic() + DEADLINE
        while time.monotonic() < deadline:
            screen = self.pane.screen()
            if seen(screen):
                return screen
            if self.pane.dead_status() is not None:
                break
            time.sleep(0.2)
        raise AssertionError(self.report(f"never saw {what}"))

    def wait_exit(self) -> str:
        deadline = time.monotonic() + DEADLINE
        while time.monotonic() < deadline:
            status = self.pane.dead_status()
            if status is not None:
                return status
            time.sleep(0.2)
        raise AssertionError(self.report("ssh did not end after ctrl+q"))


@pytest.fixture(params=RECIPES, ids=lambda r: r.name)
def session(
    request: pytest.FixtureRequest, programs: Programs, home_db: Path, tmp_path: Path
) -> Iterator[Session]:
    recipe: Recipe = request.param
    _keygen(programs.keygen, tmp_path / "host_key")
    public = _keygen(programs.keygen, tmp_path / "user_key")
    forced = _forced_command(tmp_path, home_db, recipe.extra_env)
    line = f'command="{forced}",restrict,pty {public}' if recipe.per_key else public
    (tmp_path / "authorized_keys").write_text(line + "\n")
    sshd = _start_sshd(programs.sshd, tmp_path, None if recipe.per_key else forced)
    pane = None
    try:
        pane = _start_pane(
            programs, tmp_path, _ssh_command(programs, sshd.port, tmp_path / "user_key")
        )
        yield Session(pane, sshd, colour="NO_COLOR" not in recipe.extra_env)
    finally:
        if pane is not None:
            pane.stop()
        sshd.stop()


SGR = re.compile(r"\x1b\[([0-9;]*)m")
# Foreground and background red to cyan, normal and bright; 38 and 48 are any other colour.
HUES = {*range(31, 37), *range(41, 47), *range(91, 97), *range(101, 107), 38, 48}


def _hues(styled: str) -> bool:
    """Whether the pane shows any colour other than black, white and greys."""
    codes = {int(p) for params in SGR.findall(styled) for p in params.split(";") if p}
    return bool(codes & HUES)


def _header(screen: str) -> str:
    return next((line.strip() for line in screen.splitlines() if HOME_NAME in line), "")


def _keys(session: Session, *keys: str, literal: bool = False) -> None:
    session.pane.run("send-keys", "-t", "keywork", *(["-l"] if literal else []), *keys)


def test_the_app_runs_over_ssh_at_80x24(session: Session) -> None:
    # A real home opens on the sign-in screen: nothing of it shows before the PIN.
    first = session.wait_for("the sign-in screen", lambda s: f"Sign in to {HOME_NAME}" in s)
    assert len(first.splitlines()) <= 24
    assert all(len(line) <= 80 for line in first.splitlines())
    # The names are read in the background: Enter picks one only once they show.
    session.wait_for("the names", lambda s: MANAGER in s)
    _keys(session, "Enter")  # the first manager's name is highlighted
    session.wait_for("the PIN field", lambda s: f"PIN or passphrase for {MANAGER}" in s)
    _keys(session, PIN, literal=True)
    _keys(session, "Enter")
    handover = session.wait_for("the handover", lambda s: _header(s).endswith("Handover"))
    assert MANAGER in _header(handover) and HOME_NAME in _header(handover)
    assert PIN not in handover, session.report("the PIN was left on the screen")
    _keys(session, "F3")
    # A long overdue count can cut the title short: "My key chi…".
    session.wait_for("the key children screen", lambda s: "My key" in _header(s))
    _keys(session, "F2")
    handover = session.wait_for("the handover again", lambda s: _header(s).endswith("Handover"))
    assert "w Write" in handover, session.report("the handover's keys are missing")
    coloured = _hues(session.pane.styled())
    assert coloured == session.colour, session.report(f"colour {session.colour}: {coloured}")
    _keys(session, "C-q")
    status = session.wait_exit()
    assert status == "0", session.report(f"ssh ended with status {status}")
