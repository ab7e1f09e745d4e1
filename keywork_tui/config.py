"""Where keywork keeps its files, and the settings a home can change.

Precedence for the database: --db, then KEYWORK_DB, then `database` in the
config file (KEYWORK_CONFIG or the platform's config folder), then the default
file in the platform's user data folder.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, NamedTuple

import platformdirs

APP_NAME = "keywork"
# Runs a demo home "as of" a moment, to reproduce what someone saw then; the
# command line refuses it on real records.
AS_OF_VARIABLE = "KEYWORK_AS_OF"


class ConfigError(Exception):
    """A setting cannot be used; the message is for the user."""


def data_dir() -> Path:
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def reports_dir() -> Path:
    """Where reports made in the app are offered to go (the name can be changed)."""
    return platformdirs.user_documents_path() / APP_NAME


def cache_dir() -> Path:
    """Files keywork can always make again, kept only to start faster."""
    return platformdirs.user_cache_path(APP_NAME, appauthor=False)


def log_file() -> Path:
    return platformdirs.user_log_path(APP_NAME, appauthor=False) / "keywork.log"


def default_database() -> Path:
    return data_dir() / "keywork.sqlite"


def demo_database() -> Path:
    """The demo home lives apart from the real one, so it never replaces it."""
    return data_dir() / "demo.sqlite"


def config_file() -> Path:
    override = os.environ.get("KEYWORK_CONFIG")
    if override:
        return Path(override)
    return platformdirs.user_config_path(APP_NAME, appauthor=False) / "config.toml"


class Settings(NamedTuple):
    """The database and who opens it, as the file, environment and command line say."""

    database: str
    staff_name: str | None = None


def keys_table() -> object:
    """The config file's `[keys]` table as written (checked by keymap.checked_keymap)."""
    return _read_config(config_file()).get("keys")


def _read_config(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    import tomllib  # most terminals have no config file to read

    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from exc
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from exc


def load_settings(database: str | None = None, staff_name: str | None = None) -> Settings:
    config = _read_config(config_file())
    chosen = database or os.environ.get("KEYWORK_DB") or config.get("database")
    if chosen is not None and not isinstance(chosen, str):
        raise ConfigError("`database` in the config file must be a path or URL in quotes")
    return Settings(database=chosen or str(default_database()), staff_name=staff_name)
