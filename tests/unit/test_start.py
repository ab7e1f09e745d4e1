"""`keywork` loads with the garbage collector held off, and collects as usual
once a command runs or the app's first frame is drawn."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from keywork_tui import cli, start


@pytest.fixture(autouse=True)
def collector_on_after() -> Iterator[None]:
    yield
    gc.enable()
    gc.unfreeze()


def test_loading_runs_with_the_collector_off_and_a_command_with_it_on(monkeypatch) -> None:
    seen: list[tuple[str, bool]] = []

    def command(args: object) -> int:
        seen.append(("command", gc.isenabled()))
        return 0

    def loading_main(argv: object = None) -> int:
        seen.append(("loading", gc.isenabled()))
        return real_main(["check"])

    real_main = cli.main
    monkeypatch.setitem(cli.COMMANDS, "check", command)
    monkeypatch.setattr(cli, "main", loading_main)
    assert start.main() == 0
    assert seen == [("loading", False), ("command", True)]
    assert gc.isenabled()


def test_the_collector_is_on_again_whatever_happens(monkeypatch) -> None:
    def broken(argv: object = None) -> int:
        raise SystemExit(2)

    monkeypatch.setattr(cli, "main", broken)
    with pytest.raises(SystemExit):
        start.main()
    assert gc.isenabled()


def test_loaded_sets_what_was_loaded_aside_and_switches_the_collector_on() -> None:
    gc.disable()
    before = gc.get_freeze_count()
    kept = [object() for _ in range(10)]
    start.loaded()
    assert gc.isenabled() and gc.get_freeze_count() >= before + len(kept)
    start.loaded()  # once on, left as it is
    assert gc.isenabled()
