"""Logging to a private file. Records name ids, never a child's name or notes."""

from __future__ import annotations

import logging
import os
from io import TextIOWrapper
from pathlib import Path

from . import config


class PrivateLogFile(logging.FileHandler):
    """The log file, made only when the first line is written (a command that
    has nothing to log leaves nothing behind), and made 0600: even ids and
    actions are nobody else's business."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, encoding="utf-8", delay=True)

    def _open(self) -> TextIOWrapper:
        path = Path(self.baseFilename)
        path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(path, os.O_CREAT | os.O_APPEND | os.O_WRONLY, 0o600))
        return super()._open()

    def handleError(self, record: logging.LogRecord) -> None:
        """A read-only home folder must not stop the app or print a traceback."""


def setup_logging(level: int = logging.INFO) -> None:
    handler = PrivateLogFile(config.log_file())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger("keywork")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False
