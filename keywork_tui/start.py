"""Where `keywork` starts.

Python's garbage collector is held off while keywork loads (some 500 modules
and a hundred thousand objects, none of them garbage) and draws its first
screen, then switched on again with all that set aside from its later passes
(`gc.freeze`). Its passes over the growing heap while the modules load were
measured at about 30 ms (a hundred of them, none finding anything to free).
A command is run with it switched on; the app switches it on once its first
frame is drawn (`loaded`).
"""

from __future__ import annotations

import gc


def main() -> int:
    gc.disable()
    try:
        from keywork_tui.cli import main as run

        return run()
    finally:
        loaded()  # whatever happened on the way


def loaded() -> None:
    """keywork has loaded: collect garbage as usual from here on."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
