"""What loads with the app's module: Textual and the app's frame, not the
screens, the services or the libraries behind them, which load when first
used, so starting keywork waits for what its first screen needs alone."""

from __future__ import annotations

import json
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
