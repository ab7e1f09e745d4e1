"""`keywork export` and `keywork report`: a manager's reports and exports.

`register` adds the commands to cli.py's subparsers; `run` carries one out for
a signed-in staff member. Every file is written 0600. A refused request is one
line on stderr and exit code 2, like the rest of the `keywork` command.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from keywork_tui.services import ServiceError, clock
from keywork_tui.services.team import people

from .exit_codes import EXIT_USAGE
from .iso import iso_day
from .services.actor import Actor

if TYPE_CHECKING:
    from keywork_tui.services.exchange import reports

# The same code cli.py gives a mistake the user can fix.

CHILD_HELP = "the child's name (preferred or legal, or enough of it) or id"


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `export` and `report` to the `keywork` command's subcommands."""
    export = commands.add_parser("export", help="export records for a subject access request")
    exports = export.add_subparsers(dest="export_what", metavar="WHAT", required=True)
    child = exports.add_parser("child", help="everything held about one child, as JSON")
    child.add_argument("child", metavar="CHILD", help=CHILD_HELP)
    _out(child, "FILE.json", required=True)

    report = commands.add_parser("report", help="reports for managers")
    kinds = report.add_subparsers(dest="report_what", metavar="WHAT", required=True)
    month = kinds.add_parser("child", help="one child's month, as Markdown or HTML")
    month.add_argument("child", metavar="CHILD", help=CHILD_HELP)
    month.add_argument("--month", required=True, metavar="YYYY-MM", help="the month to report")
    _out(month, "FILE.md|FILE.html", required=True)

    review = kinds.add_parser("review", help="one child over a period, e.g. for a CLA review")
    review.add_argument("child", metavar="CHILD", help=CHILD_HELP)
    review.add_argument(
        "--from", dest="first", required=True, metavar="YYYY-MM-DD", help="first day of the period"
    )
    review.add_argument(
        "--to", dest="last", required=True, metavar="YYYY-MM-DD", help="last day of the period"
    )
    _out(review, "FILE.md|FILE.html", required=True)

    summary = kinds.add_parser("summary", help="sessions, write-ups and reviews per key worker")
    summary.add_argument(
        "--on", dest="today", metavar="YYYY-MM-DD", help="as of this day (default: today)"
    )
    _out(summary, "FILE.csv", required=False, extra=" (default: print CSV)")


def _out(parser: argparse.ArgumentParser, metavar: str, *, required: bool, extra: str = "") -> None:
    parser.add_argument(
        "--out",
        required=required,
        metavar=metavar,
        help=f"the file to write, readable by you only{extra}",
    )
    parser.add_argument(
        "--overwrite", action="store_true", help="replace the file if it already exists"
    )


def run(args: argparse.Namespace, actor: Actor) -> int:
    """Carry out `export ...` or `report ...`; a refusal is one line on stderr."""
    command = RUNNERS[(args.command, getattr(args, f"{args.command}_what"))]
    try:
        return command(args, actor)
    except ServiceError as exc:
        print(f"keywork: {exc}", file=sys.stderr)
        return EXIT_USAGE


def _export_child(args: argparse.Namespace, actor: Actor) -> int:
    from keywork_tui.services.exchange import child_export

    child = people.resolve_child(actor.home_id, args.child)
    path = child_export.write_child_export(actor, child.id, args.out, overwrite=args.overwrite)
    print(f"Wrote everything held about {child.short_name} (id {child.id}) to {path}")
    return 0


def _report_child(args: argparse.Namespace, actor: Actor) -> int:
    from keywork_tui.services.exchange import reports

    render = _renderer(args.out)
    year, month = _month(args.month)
    child_id = people.resolve_child(actor.home_id, args.child).id
    return _write_report(args, reports.child_month(actor, child_id, year, month), render)


def _report_review(args: argparse.Namespace, actor: Actor) -> int:
    from keywork_tui.services.exchange import reports

    render = _renderer(args.out)
    first, last = _day(args.first, "--from"), _day(args.last, "--to")
    child_id = people.resolve_child(actor.home_id, args.child).id
    return _write_report(args, reports.review_report(actor, child_id, first, last), render)


def _write_report(
    args: argparse.Namespace,
    report: reports.ChildReport,
    render: Callable[[reports.ChildReport], str],
) -> int:
    from keywork_tui.services.exchange.private_files import write_private

    path = write_private(args.out, render(report), overwrite=args.overwrite)
    print(f"Wrote the report on {report.child_name} ({report.first} to {report.last}) to {path}")
    return 0


def _report_summary(args: argparse.Namespace, actor: Actor) -> int:
    from keywork_tui.services.exchange import reports
    from keywork_tui.services.exchange.private_files import write_private

    today = _day(args.today, "--on") if args.today else clock.today()
    text = reports.summary_csv(reports.home_summary(actor, today))
    if args.out is None:
        sys.stdout.write(text)
        return 0
    path = write_private(args.out, text, overwrite=args.overwrite)
    print(f"Wrote the key-work summary to {path}")
    return 0


def _renderer(out: str) -> Callable[[reports.ChildReport], str]:
    from keywork_tui.services.exchange import reports

    try:
        return reports.renderer_for(out)
    except ServiceError:
        raise ServiceError(f"--out {out!r} must end in .md or .html") from None


def _month(text: str) -> tuple[int, int]:
    try:
        day = dt.datetime.strptime(text, "%Y-%m")
    except ValueError:
        raise ServiceError(f"--month {text!r} is not a month in the form YYYY-MM") from None
    return day.year, day.month


def _day(text: str, option: str) -> dt.date:
    try:
        return iso_day(text)
    except ValueError:
        raise ServiceError(f"{option} {text!r} is not a date in the form YYYY-MM-DD") from None


RUNNERS: dict[tuple[str, str], Callable[[argparse.Namespace, Actor], int]] = {
    ("export", "child"): _export_child,
    ("report", "child"): _report_child,
    ("report", "review"): _report_review,
    ("report", "summary"): _report_summary,
}
