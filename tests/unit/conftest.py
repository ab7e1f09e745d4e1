"""The command line run in this process, as a shell would run it."""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from unittest.mock import patch

import pytest
from cli_pins import cli_pin_ready

from keywork_tui import cli
from keywork_tui.services import database
from keywork_tui.services.actor import Actor

# What a command gives back: its exit code, standard output and standard error.
CliResult = tuple[int, str, str]


@dataclass(frozen=True)
class CliRunner:
    """run_cli(*argv) runs `keywork *argv`; no command may end in a traceback."""

    capsys: pytest.CaptureFixture[str]

    def __call__(self, *argv: str, stdin: str | None = None) -> CliResult:
        """The whole command line; `stdin` answers its prompts (a PIN)."""
        return self.call(cli.main, list(argv), stdin=stdin)

    def as_manager(self, db: Path | str, *argv: str) -> CliResult:
        """A command on `db` signed in as its first manager. The database is closed
        first, so the command opens the file itself, as it would from a shell.
        A file that is not there has no manager to give a PIN."""
        answers = "" if isinstance(db, Path) and not db.exists() else cli_pin_ready()
        database.close()
        return self("--db", str(db), *argv, stdin=answers)

    def commands(self, commands: ModuleType, actor: Actor, *argv: str) -> CliResult:
        """One module's commands (it has `register` and `run`) for an actor already
        signed in."""
        return self.call(commands.run, self.parser(commands).parse_args(list(argv)), actor)

    @staticmethod
    def parser(commands: ModuleType) -> argparse.ArgumentParser:
        """keywork's parser knowing only one module's commands."""
        parser = argparse.ArgumentParser(prog="keywork")
        commands.register(parser.add_subparsers(dest="command"))
        return parser

    def call(
        self, command: Callable[..., int], *args: object, stdin: str | None = None
    ) -> CliResult:
        answers = nullcontext() if stdin is None else patch.object(sys, "stdin", io.StringIO(stdin))
        with answers:
            code = command(*args)
        out, err = self.capsys.readouterr()
        assert "Traceback" not in out + err
        return code, out, err


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> CliRunner:
    return CliRunner(capsys)
