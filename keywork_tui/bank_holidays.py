"""The UK's bank holidays, worked out by the holidays package and kept on disk.

Importing the package and building one nation's year takes about a fifth of a
second, more than the rest of keywork's start, for a dozen dates. So each
(nation, year) is worked out once and kept in the user's cache folder, under
a stamp of the installed package: an upgrade that adds a one-off holiday is
seen at once. The cache is only a copy; if it cannot be read or written the
package is asked again, and nothing else changes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import json
import os
import tempfile
from pathlib import Path

from keywork_tui import config

CACHE_NAME = "bank-holidays.json"


def dates(subdivision: str, year: int) -> frozenset[dt.date]:
    """The bank holidays of one UK nation (ENG, WLS, SCT, NIR) in one year."""
    stamp = package_stamp()
    key = f"GB-{subdivision}-{year}"
    kept = _read(stamp)
    if key in kept:
        try:
            return frozenset(dt.date.fromisoformat(day) for day in kept[key])
        except (TypeError, ValueError):
            pass  # a damaged entry is worked out again below
    found = from_package(subdivision, year)
    kept[key] = sorted(day.isoformat() for day in found)
    _write(stamp, kept)
    return found


def from_package(subdivision: str, year: int) -> frozenset[dt.date]:
    import holidays  # slow to import: only when the cache has no answer

    return frozenset(holidays.country_holidays("GB", subdiv=subdivision, years=year))


def package_stamp() -> str:
    """Names the installed holidays package without importing it."""
    spec = importlib.util.find_spec("holidays")
    folders = spec.submodule_search_locations if spec else None
    if not folders:
        return "missing"
    try:
        return hashlib.sha256((Path(folders[0]) / "version.py").read_bytes()).hexdigest()[:16]
    except OSError:
        return "unknown"


def _path() -> Path:
    return config.cache_dir() / CACHE_NAME


def _read(stamp: str) -> dict[str, list[str]]:
    try:
        kept = json.loads(_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(kept, dict) or kept.get("stamp") != stamp:
        return {}
    years = kept.get("years")
    return years if isinstance(years, dict) else {}


def _write(stamp: str, years: dict[str, list[str]]) -> None:
    folder = _path().parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # Another terminal may write at the same time: each writes its own file
        # and renames it into place, so a reader never sees half of one.
        with tempfile.NamedTemporaryFile(
            "w", dir=folder, prefix=".bank-holidays.", delete=False, encoding="utf-8"
        ) as out:
            json.dump({"stamp": stamp, "years": years}, out)
        os.replace(out.name, _path())
    except OSError:
        return  # a read-only home folder only means the package is asked next time
