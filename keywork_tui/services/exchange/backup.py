"""Backups of a home's SQLite file, and restoring one into a new file.

A backup is a consistent copy taken while other terminals write, checked
before it counts; a restore never writes over an existing database and checks
the file first. Neither goes through peewee, so neither upgrades the schema
of the file it copies.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

import peewee as pw

from keywork_tui.services import clock
from keywork_tui.services.errors import ServiceError
from keywork_tui.services.policy import BACKUPS_KEPT
from models import ALL_MODELS, AuditEvent, AuditHead, db
from models.audit_chain import BoundReader, Verdict, verify
from models.schema import SchemaTooNewError, head_version, known_steps
from models.sqlite_file import FileHealth, FileProblem, copy, create_private, examine

NAME = re.compile(r"keywork-\d{8}-\d{6}\.sqlite")


__all__ = [
    "BackupError",
    "FileHealth",
    "FileProblem",
    "SchemaTooNewError",
    "backup",
    "head_version",
    "inspect",
    "newer_steps",
    "restore",
]


class BackupError(ServiceError):
    """A backup or restore could not be made; nothing half-made is left.
    `unhealthy`: the file opened but failed its check; `tampered`: it
    disagrees with its audit trail."""

    def __init__(self, message: str, *, unhealthy: bool = False, tampered: bool = False) -> None:
        super().__init__(message)
        self.unhealthy = unhealthy
        self.tampered = tampered


@dataclass(frozen=True)
class Copied:
    path: Path
    size: int
    removed: list[Path]


# The records checked against the audit trail: all but the trail itself.
_RECORDS: list[type[pw.Model]] = [m for m in ALL_MODELS if m not in (AuditEvent, AuditHead)]


def inspect(path: Path) -> FileHealth:
    """The file's health, read without opening it for the app (FileProblem if unreadable)."""
    return examine(path, _RECORDS)


def bound_history() -> Verdict:
    """The bound database's audit chain, and every record against it, read as
    they stand: how a PostgreSQL database is checked, as it has no file."""
    return verify(BoundReader(db.obj), _RECORDS)


def newer_steps(health: FileHealth) -> list[str]:
    """Schema steps in the file that this program does not know: a newer keywork's."""
    known = set(known_steps())
    return [m for m in health.migrations if m not in known]


def _verify(path: Path) -> None:
    health = inspect(path)
    if health.integrity != "ok" or health.foreign_key_problems:
        raise BackupError(
            f"{path} fails its check: integrity {health.integrity}, "
            f"{health.foreign_key_problems} foreign key problem(s)",
            unhealthy=True,
        )
    newer = newer_steps(health)
    if newer:
        raise SchemaTooNewError(
            f"{path} was written by a newer version of keywork "
            f"(schema step {newer[-1]}); upgrade keywork first"
        )
    if health.history is not None and health.history.finding is not None:
        raise BackupError(
            f"{path} does not agree with its audit trail: {health.history.finding.line()}",
            tampered=True,
        )


def _ours(folder: Path) -> list[Path]:
    """keywork's own backups in the folder, oldest first (the names sort by time)."""
    return sorted(p for p in folder.iterdir() if NAME.fullmatch(p.name))


def _new_name(folder: Path) -> Path:
    """Named by the time, and always after the newest backup there, so pruning
    by name never takes the copy just made."""
    stamp = clock.now()
    existing = _ours(folder)
    if existing:
        newest = dt.datetime.strptime(existing[-1].name, "keywork-%Y%m%d-%H%M%S.sqlite")
        stamp = max(stamp, newest + dt.timedelta(seconds=1))
    return folder / f"keywork-{stamp:%Y%m%d-%H%M%S}.sqlite"


def backup(database: Path, folder: Path, keep: int = BACKUPS_KEPT) -> Copied:
    """Copy `database` into `folder` (made 0700 if new), check the copy, then
    keep only the newest `keep` backups there."""
    if keep < 1:
        raise BackupError("keep at least one backup")
    _verify(database)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    target = _new_name(folder)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)  # left by a backup that was killed part way
    create_private(partial)
    _checked_copy(database, partial)
    os.replace(partial, target)
    return Copied(target, target.stat().st_size, _prune(folder, keep))


def _prune(folder: Path, keep: int) -> list[Path]:
    """Only keywork's own backups are counted and removed, oldest first."""
    old = _ours(folder)[:-keep]
    for path in old:
        path.unlink()
    return old


def restore(source: Path, target: Path) -> Copied:
    """Write a checked copy of the backup `source` to the new file `target`."""
    if target.exists():
        raise BackupError(f"{target} already exists; restore to a new file")
    _verify(source)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        create_private(target)
    except FileExistsError:
        raise BackupError(f"{target} already exists; restore to a new file") from None
    _checked_copy(source, target)
    return Copied(target, target.stat().st_size, [])


def _checked_copy(source: Path, target: Path) -> None:
    """Copy into the new, empty `target` and check it; a copy that fails is removed."""
    try:
        copy(source, target)
        _verify(target)
    except (FileProblem, BackupError, OSError):
        target.unlink(missing_ok=True)
        raise
