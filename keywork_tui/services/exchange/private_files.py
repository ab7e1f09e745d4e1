"""Files that hold a child's records: made readable by their owner only (0600)
from the moment they exist, never through a symbolic link, and never left
half written."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from keywork_tui.services.errors import ServiceError


def write_private(path: Path | str, text: str, *, overwrite: bool = False) -> Path:
    """Write `text` to a file only its owner can read."""
    with private_file(path, overwrite=overwrite) as out:
        out.write(text)
    return Path(path)


@contextmanager
def private_file(path: Path | str, *, overwrite: bool = False) -> Iterator[TextIO]:
    """A file to write bit by bit, only its owner can read it.

    A new file is created 0600 from the start; an existing one is refused
    unless `overwrite`, and then made 0600 before it is written. If the writing
    fails part way, the part written is removed, so nobody takes it for whole."""
    path = Path(path)
    nofollow = getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | nofollow, 0o600)
    except FileExistsError:
        if not overwrite:
            raise ServiceError(
                f"{path} already exists; choose another name or overwrite it"
            ) from None
        fd = _open_existing(path, nofollow)
    except OSError as exc:
        raise ServiceError(f"cannot write {path}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            yield out
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def _open_existing(path: Path, nofollow: int) -> int:
    if path.is_symlink() or not path.is_file():
        raise ServiceError(f"cannot write {path}: it is not a regular file")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_TRUNC | nofollow)
    except OSError as exc:
        raise ServiceError(f"cannot write {path}: {exc.strerror}") from None
    os.fchmod(fd, 0o600)
    return fd
