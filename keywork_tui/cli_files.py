"""`keywork check`, `keywork backup` and `keywork restore`: the database file
itself, looked at and copied without opening it for the app, so a damaged
file is described in one line (with its own exit code) and never upgraded.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

import apsw

from keywork_tui.services import clock

from . import config
from .exit_codes import (
    EXIT_CORRUPT,
    EXIT_INCOMPLETE,
    EXIT_LOCKED,
    EXIT_NOT_A_DATABASE,
    EXIT_SCHEMA_TOO_NEW,
    EXIT_TAMPERED,
    EXIT_TRUNCATED,
    EXIT_UNHEALTHY,
    EXIT_USAGE,
)
from .services.database import sqlite_path
from .services.policy import BACKUPS_KEPT

if TYPE_CHECKING:
    from keywork_tui.services.exchange import backup
    from models.audit_chain import Verdict

EXIT_FOR = {
    "missing": EXIT_USAGE,
    "not_a_database": EXIT_NOT_A_DATABASE,
    "truncated": EXIT_TRUNCATED,
    "corrupt": EXIT_CORRUPT,
    "incomplete": EXIT_INCOMPLETE,
    "locked": EXIT_LOCKED,
}


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `backup` and `restore` to cli.py's parser (`check` is declared there)."""
    made = commands.add_parser(
        "backup", help="write a checked copy of the database, keeping the newest copies"
    )
    made.add_argument(
        "folder",
        nargs="?",
        metavar="DIR",
        help="where backups go (default: backups/ in the user data folder)",
    )
    made.add_argument(
        "--keep",
        type=int,
        default=BACKUPS_KEPT,
        metavar="N",
        help=f"how many backups to keep there (default: {BACKUPS_KEPT})",
    )
    back = commands.add_parser(
        "restore", help="write a checked backup to a new database file (--db names it)"
    )
    back.add_argument("file", metavar="BACKUP.sqlite", help="the backup to restore")


def _file(args: argparse.Namespace) -> Path:
    from keywork_tui.services.exchange import backup

    target = config.load_settings(args.db).database
    path = sqlite_path(target)
    if path is None:
        raise backup.BackupError(
            "this command works on a SQLite file; for PostgreSQL use pg_dump and pg_restore"
        )
    return path


def _fail(message: str, code: int) -> int:
    print(f"keywork: {message}", file=sys.stderr)
    return code


def run(args: argparse.Namespace) -> int:
    from keywork_tui.services.exchange import backup

    try:
        return {"check": run_check, "backup": run_backup, "restore": run_restore}[args.command](
            args
        )
    except backup.FileProblem as exc:
        return _fail(str(exc), EXIT_FOR[exc.kind])
    except backup.SchemaTooNewError as exc:
        return _fail(str(exc), EXIT_SCHEMA_TOO_NEW)
    except backup.BackupError as exc:
        code = EXIT_TAMPERED if exc.tampered else EXIT_UNHEALTHY if exc.unhealthy else EXIT_USAGE
        return _fail(str(exc), code)
    except OSError as exc:
        return _fail(f"{exc.filename or 'file'}: {exc.strerror}", EXIT_USAGE)


def run_check(args: argparse.Namespace) -> int:
    from keywork_tui.services.exchange import backup

    target = config.load_settings(args.db).database
    if sqlite_path(target) is None:
        return _check_server(target)
    path = _file(args)
    health = backup.inspect(path)
    newer = backup.newer_steps(health)
    if newer:
        raise backup.SchemaTooNewError(
            f"this database was written by a newer version of keywork (schema step "
            f"{newer[-1]}); upgrade keywork before opening it"
        )
    print(f"database:        {path}")
    print("engine:          sqlite (apsw)")
    print(f"SQLite version:  {apsw.sqlite_lib_version()}")
    print(f"schema version:  {len(health.migrations)} (this program: {backup.head_version()})")
    print(f"integrity:       {health.integrity}")
    print(f"foreign keys:    {health.foreign_key_problems} problem(s)")
    print(f"audit trail:     {_history(health)}")
    if health.integrity != "ok" or health.foreign_key_problems:
        return EXIT_UNHEALTHY
    if health.history is not None and not health.history.ok:
        return EXIT_TAMPERED
    return 0


def _check_server(target: str) -> int:
    """A PostgreSQL database, opened without upgrading it: its schema steps and
    its audit chain, every record against it. Its pages and its foreign keys
    are the server's to keep: every key is checked as it is written."""
    from keywork_tui.services import database
    from keywork_tui.services.exchange import backup

    steps = database.open_without_upgrade(target)
    if steps.unknown:
        raise backup.SchemaTooNewError(
            f"this database was written by a newer version of keywork (schema step "
            f"{steps.unknown[-1]}); upgrade keywork before opening it"
        )
    verdict = backup.bound_history()
    print(f"database:        {_without_password(target)}")
    print(f"engine:          postgresql {database.server_version()}")
    print(f"schema version:  {steps.version} (this program: {backup.head_version()})")
    print("integrity:       not checked here: the server keeps its own pages (pg_amcheck)")
    print("foreign keys:    enforced by the server as each row is written")
    print(f"audit trail:     {_verdict_line(verdict)}")
    return 0 if verdict.ok else EXIT_TAMPERED


def _without_password(url: str) -> str:
    parsed = urlparse(url)
    if parsed.password is None:
        return url
    return parsed._replace(netloc=parsed.netloc.replace(f":{parsed.password}@", ":***@")).geturl()


def _verdict_line(verdict: Verdict) -> str:
    if verdict.finding is not None:
        return f"DOES NOT AGREE after {verdict.events} good event(s): {verdict.finding.line()}"
    return f"ok, {verdict.events} event(s) chained, head {verdict.head[:16]}; every record agrees"


def _history(health: backup.FileHealth) -> str:
    verdict = health.history
    if verdict is None:
        return (
            "not checked: the file is damaged"
            if health.integrity != "ok" or health.foreign_key_problems
            else "not checked: open it once with this keywork to add the chain"
        )
    return _verdict_line(verdict)


def run_backup(args: argparse.Namespace) -> int:
    from keywork_tui.services.exchange import backup

    if clock.as_of():
        # Backups are named and pruned by the time: only the real one will do.
        raise backup.BackupError(
            f"{config.AS_OF_VARIABLE} is for the demo and tests only; unset it to make a backup"
        )
    folder = Path(args.folder) if args.folder else config.data_dir() / "backups"
    made = backup.backup(_file(args), folder, args.keep)
    print(f"Backed up to {made.path} ({made.size:,} bytes), checked: integrity and audit trail ok")
    if made.removed:
        print(f"Removed {len(made.removed)} older backup(s), keeping the newest {args.keep}")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from keywork_tui.services.exchange import backup

    if not args.db:
        raise backup.BackupError(
            "name the new database with --db; restore never writes over the one in use"
        )
    made = backup.restore(Path(args.file), _file(args))
    print(f"Restored {args.file} to {made.path}, checked: integrity and audit trail ok")
    return 0
