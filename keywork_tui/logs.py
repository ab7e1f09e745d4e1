"""Logging to a private file. Records name ids, never a child's name or notes."""

from __future__ import annotations

import logging
import os

from . import config


def setup_logging(level: int = logging.INFO) -> None:
    path = config.log_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Created 0600: even ids and actions are nobody else's business.
        os.close(os.open(path, os.O_CREAT | os.O_APPEND | os.O_WRONLY, 0o600))
        handler: logging.Handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()  # a read-only home folder must not stop the app
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger("keywork")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False
