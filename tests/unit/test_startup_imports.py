"""What loads with the app's module: Textual and the app's frame, not the
screens, the services or the libraries behind them, which load when first
used, so starting keywork waits for what its first screen needs alone."""

from __future__ import annotations

import json
import os
import subprocess
import sys

LATER = (
    "holidays",
    "jinja2",
    "models",
    "peewee",
    "pydantic",
    "keywork_tui.schemas",
    "keywork_tui.services.actor",
    "keywork_tui.services.team.signin",
    "screens.handover",
    "screens.manager",
    "screens.audit_view",
    "screens.palette",
)


def loaded_by(statement: str) -> set[str]:
    shown = "import json, sys; print(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", f"{statement}; {shown}"], capture_output=True, text=True, check=True
    )
    return set(json.loads(done.stdout))


def test_the_app_module_leaves_screens_services_and_their_libraries_for_later() -> None:
    loaded = loaded_by("import keywork_tui.app")
    assert "textual.app" in loaded
    assert sorted(m for m in LATER if m in loaded) == []


def test_a_service_loads_without_every_other() -> None:
    loaded = loaded_by("from keywork_tui.services import clock")
    assert "keywork_tui.services.team.signin" not in loaded
    assert "argon2" not in loaded


# Opens the demo as `keywork` does, headless, and says what the first screen
# loaded: the handover is read before the app runs and drawn as it mounts.
FIRST_SCREEN = """
import asyncio, gc, json, sys
from textual.app import App
from keywork_tui import start

async def first_screen(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        return type(app.screen).__name__, app.screen.query_one("DataTable").row_count

def run(self):
    collecting_before = gc.isenabled()
    screen, rows = asyncio.run(first_screen(self))
    print(json.dumps({"screen": screen, "rows": rows, "modules": sorted(sys.modules),
                      "collecting": [collecting_before, gc.isenabled()]}))

App.run = run
sys.argv[0] = "keywork"
sys.exit(start.main())
"""

# What only writing or another screen needs: none of it before the board shows.
NOT_FOR_THE_BOARD = (
    "pydantic",
    "keywork_tui.schemas",
    "jinja2",
    "screens.manager",
    "screens.audit_view",
    "screens.session_entry",
    "keywork_tui.services.exchange.reports",
    "screens.dialog",  # the board's dialogs load as they open
    "textual.widgets._text_area",
    "argon2",  # the demo's manager types no PIN
    "playhouse.migrations",  # the schema is at head: nothing to apply
)


def test_the_handover_opens_without_pydantic_or_the_other_screens(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "KEYWORK_"))}
    for part in ("data", "state", "config", "cache"):
        env[f"XDG_{part.upper()}_HOME"] = str(tmp_path / part)
    env["KEYWORK_AS_OF"] = "2026-12-02T08:15"  # a demo may be run at a chosen moment
    made = [sys.executable, "-m", "keywork_tui", "demo", "--children", "4", "--years", "0.2"]
    subprocess.run(made, env=env, capture_output=True, check=True)
    demo = tmp_path / "data" / "keywork" / "demo.sqlite"
    done = subprocess.run(
        [sys.executable, "-c", FIRST_SCREEN, "--db", str(demo)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    shown = json.loads(done.stdout.splitlines()[-1])
    assert shown["screen"] == "HandoverScreen" and shown["rows"] > 0
    assert sorted(m for m in NOT_FOR_THE_BOARD if m in shown["modules"]) == []
    # The collector is held off while keywork loads, and on once the board is drawn.
    assert shown["collecting"] == [False, True]
