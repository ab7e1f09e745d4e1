"""A dropped SSH session (SIGHUP) and a shutdown (SIGTERM) keep what is typed:
the real app runs in a pseudo-terminal, a sentence is typed, the signal comes
before the autosave could, and the sentence is found in the database."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import signal
import struct
import sys
import termios
import threading
import time
from pathlib import Path

import apsw
import pytest
from engines import ON_POSTGRES

from keywork_tui.services import clock
from screens.session_entry import AUTOSAVE_SECONDS

WORDS = "Talked about the football"
ANSI = re.compile(r"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")


class Terminal:
    """keywork in an 80x24 pseudo-terminal, its output read as plain text."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        pid, fd = pty.fork()
        if pid == 0:  # the child: becomes keywork
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
            os.execve(argv[0], argv, env)
        self.pid, self.fd, self.text, self.seen = pid, fd, "", 0
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.text += ANSI.sub("", chunk.decode("utf-8", "replace"))

    def wait_for(self, words: str, seconds: float = 20.0) -> None:
        """Until `words` show in what was drawn since the last wait."""
        deadline = time.monotonic() + seconds
        while words not in self.text[self.seen :]:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"{words!r} never showed; the screen said: {self.text[-1500:]!r}"
                )
            time.sleep(0.05)
        self.seen = self.text.index(words, self.seen) + len(words)

    def type(self, *keys: str) -> None:
        for key in keys:
            os.write(self.fd, key.encode())
            time.sleep(0.05)

    def exit_code(self, seconds: float = 20.0) -> int:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return os.waitstatus_to_exitcode(status)
            time.sleep(0.05)
        os.kill(self.pid, signal.SIGKILL)
        raise AssertionError("keywork did not leave after the signal")


def _drafts_with(path: Path | str, words: str) -> int:
    """Drafts holding the words, read on a connection of its own."""
    sql = (
        "select count(*) from key_session where status = 'draft' and "
        "(summary like {0} or activity like {0} or views like {0})"
    )
    if ON_POSTGRES:
        import psycopg

        with psycopg.connect(str(path)) as server:
            found = server.execute(sql.format("%s"), (f"%{words}%",) * 3).fetchone()
            return int(found[0])
    connection = apsw.Connection(str(path), flags=apsw.SQLITE_OPEN_READONLY)
    try:
        return int(next(connection.execute(sql.format("?"), (f"%{words}%",) * 3))[0])
    finally:
        connection.close()


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_signal_keeps_the_sentence_just_typed(demo_db, number) -> None:
    path, _ = demo_db
    keywork = str(Path(sys.executable).absolute().parent / "keywork")
    # The app runs at the instant the suite chose too (the demo file allows it).
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "KEYWORK_DB": str(path),
        "KEYWORK_AS_OF": f"{clock.now():%Y-%m-%dT%H:%M}",
    }
    terminal = Terminal([keywork, "--as", "Rachel Price"], env)
    terminal.wait_for("Sign in to")
    terminal.wait_for("Aisha Rahman")  # the names are read: Enter picks the one chosen
    terminal.type("\r")
    terminal.wait_for("PIN or passphrase for")
    terminal.type(*"2580", "\r")
    terminal.wait_for("Rachel Price · Handover")
    terminal.type("\x1bOR")  # F3
    terminal.wait_for("your key child")
    terminal.type("s")
    terminal.wait_for("Summary")
    started = time.monotonic()
    os.write(terminal.fd, WORDS.encode())
    terminal.wait_for("football")
    assert _drafts_with(path, WORDS) == 0  # not yet autosaved: the signal must keep it
    os.kill(terminal.pid, number)
    assert time.monotonic() - started < AUTOSAVE_SECONDS
    assert terminal.exit_code() == 128 + number
    assert _drafts_with(path, WORDS) == 1
