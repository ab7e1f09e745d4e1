"""The config file's [keys]: every binding has an id, the README lists them
all, and a typo is refused in one line."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.binding import Binding
from textual.dom import DOMNode

from keywork_tui import cli
from keywork_tui.config import ConfigError
from keywork_tui.keymap import _subclasses, binding_ids, checked_keymap

README = Path(__file__).parents[2] / "README.md"


def test_every_binding_of_keywork_has_an_id_and_the_readme_lists_it() -> None:
    ids = binding_ids()  # loads every screen
    missing = [
        f"{cls.__qualname__}: {b.key}"
        for cls in _subclasses(DOMNode)
        if cls.__module__.startswith(("screens", "keywork_tui"))
        for b in cls.__dict__.get("BINDINGS", [])
        if isinstance(b, Binding) and not b.id
    ]
    assert missing == []
    readme = README.read_text(encoding="utf-8")
    assert [i for i in ids if f"`{i}`" not in readme] == []


def test_a_keymap_is_checked_before_use() -> None:
    assert checked_keymap({"app.lock": "ctrl+k", "handover.write": "w, f8"}) == {
        "app.lock": "ctrl+k",
        "handover.write": "w,f8",
    }
    assert checked_keymap(None) == {}
    with pytest.raises(ConfigError, match="names no binding app.lok"):
        checked_keymap({"app.lok": "ctrl+k"})
    with pytest.raises(ConfigError, match="give the keys in quotes"):
        checked_keymap({"app.lock": 5})
    with pytest.raises(ConfigError, match="must be a table"):
        checked_keymap(["app.lock"])


def test_a_typo_in_the_keys_table_stops_the_app_in_one_line(tmp_path, monkeypatch, capsys) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[keys]\n"app.lok" = "ctrl+k"\n', encoding="utf-8")
    monkeypatch.setenv("KEYWORK_CONFIG", str(config))
    for var in ("XDG_DATA_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(var, str(tmp_path / var.lower()))
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("2580\n2580\n"))
    db = str(tmp_path / "home.sqlite")
    assert cli.main(["--db", db, "init", "--home", "Ash Lodge", "--manager", "Bea Moss"]) == 0
    code = cli.main(["--db", db])
    err = capsys.readouterr().err
    assert code == 2 and "[keys] names no binding app.lok" in err and err.count("\n") == 1
