"""`keywork homes`: a provider's homes side by side, as a table or as JSON.

`register` adds the command to cli.py's subparsers; `run` carries it out for a
provider who has signed in (`--as NAME`, in the home their account is kept at).
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from .services.actor import Actor

if TYPE_CHECKING:  # the figures load with the command, not with every start
    from keywork_tui.services.provider.key_working import Figures
    from keywork_tui.services.provider.overview import HomeNow

DEFAULT_DAYS = 28


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    homes = commands.add_parser(
        "homes", help="every home side by side, for a provider (--as the provider's name)"
    )
    homes.add_argument(
        "--days",
        type=_days,
        default=DEFAULT_DAYS,
        metavar="N",
        help=f"the key-working period: the last N days beside the N before ({DEFAULT_DAYS})",
    )
    homes.add_argument("--json", action="store_true", help="print JSON for scripts")


def _days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of days") from None
    if not 1 <= days <= 3660:
        raise argparse.ArgumentTypeError("the period is from 1 to 3660 days")
    return days


def run(args: argparse.Namespace, actor: Actor) -> int:
    from keywork_tui.services.provider.key_working import HOW
    from keywork_tui.services.provider.overview import overview

    found = overview(actor, args.days)
    if args.json:
        print(json.dumps({"homes": [_json(h) for h in found], "how": HOW}, indent=2))
        return 0
    for line in table(found):
        print(line)
    return 0


def _json(home: HomeNow) -> dict[str, Any]:
    data = asdict(home)
    for name in ("period", "before"):
        figures: Figures = getattr(home, name)
        data[name] = _figures_json(figures)
    data["overdue_total"] = home.overdue_total
    return data


def _figures_json(f: Figures) -> dict[str, Any]:
    return {
        "first": f.period.first.isoformat(),
        "last": f.period.last.isoformat(),
        "children": f.children,
        "allocated": f.allocated,
        "allocated_share": _round(f.allocated_share),
        "days_to_allocation": _round(f.days_to_allocation),
        "days_to_first_session": _round(f.days_to_first_session),
        "sessions": f.sessions,
        "projected": _round(f.projected),
        "delivery": _round(f.delivery),
        "views_share": _round(f.views_share),
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _days_text(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}d"


def table(found: list[HomeNow]) -> list[str]:
    """The homes as lines of text: what each needs now, then the period's
    key-working figures beside the period before."""
    from keywork_tui.services.provider.key_working import HOW

    if not found:
        return ["No homes in this database yet."]
    width = max(12, *(len(h.name) for h in found))
    lines = [
        f"{'Home':<{width}} Children NoCover NoKW Unread Overdue Bedtime Sessions(7d) Views",
    ]
    for h in found:
        week = f"{h.sessions_week}/{h.sessions_week_projected:.0f}"
        lines.append(
            f"{h.name:<{width}} {h.children:>8} {h.no_cover:>7} {h.no_key_worker:>4} "
            f"{h.unread_handovers:>6} {h.overdue_total:>7} {h.bedtime_tonight:>7} "
            f"{week:>12} {_share(h.period.views_share):>5}"
        )
    first, last = found[0].period.period, found[0].before.period
    lines += [
        "",
        f"Key working {first.first:%d %b %Y} – {first.last:%d %b %Y} "
        f"(before: {last.first:%d %b} – {last.last:%d %b %Y})",
        f"{'Home':<{width}} {'Allocated':>15} {'To allocation':>15} "
        f"{'To 1st session':>15} {'Delivery':>15}",
    ]
    for h in found:
        now, before = h.period, h.before
        pairs = (
            (_share(now.allocated_share), _share(before.allocated_share)),
            (_days_text(now.days_to_allocation), _days_text(before.days_to_allocation)),
            (_days_text(now.days_to_first_session), _days_text(before.days_to_first_session)),
            (_share(now.delivery), _share(before.delivery)),
        )
        cells = " ".join(f"{f'{a} ({b})':>15}" for a, b in pairs)
        lines.append(f"{h.name:<{width}} {cells}")
    lines += ["", f"How: {HOW}."]
    return lines
