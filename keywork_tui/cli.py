"""The `keywork` command: open the app, make a home, build the demo, check health,
list overdue work, print the handover, set a PIN.

User mistakes print one line on stderr and exit non-zero; a bug is logged in
full to the log file and the user is told where, never shown a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import apsw

from keywork_tui.services import Actor, ServiceError, actor_for, clock, database, homes
from keywork_tui.services.child_file import obligations as compliance
from keywork_tui.services.handover import board as handover_board
from keywork_tui.services.team import people, setup_codes, signin

from . import cli_csv, cli_files, cli_homes, cli_reports, config, handover_sheet, start
from .exit_codes import (
    EXIT_BUG,
    EXIT_CORRUPT,
    EXIT_NOT_A_DATABASE,
    EXIT_SCHEMA_TOO_NEW,
    EXIT_USAGE,
)
from .iso import iso_day, iso_moment
from .logs import setup_logging
from .services.database import DatabaseOpenError, SchemaTooNewError

log = logging.getLogger("keywork.cli")


class UserError(Exception):
    """A mistake the user can fix; printed as one line."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="keywork",
        description="Key working and shift handover for residential children's homes.",
    )
    parser.add_argument("--version", action=_Version, help="show keywork's version and exit")
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        help="database file or URL (default: KEYWORK_DB, then the config file)",
    )
    parser.add_argument(
        "--as",
        dest="staff_name",
        metavar="NAME",
        help="staff member to sign in as (default: the first manager)",
    )
    parser.add_argument(
        "--home",
        dest="home_name",
        metavar="NAME",
        default=os.environ.get("KEYWORK_HOME") or None,
        help="the home to work in, where the database holds several (default: KEYWORK_HOME)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    init = commands.add_parser(
        "init", help="make a new, empty home with its first manager (beside any others)"
    )
    init.add_argument("--home", required=True, metavar="NAME", help="the home's name")
    init.add_argument("--manager", required=True, metavar="NAME", help="the first manager")
    init.add_argument(
        "--nation",
        default="england",
        choices=["england", "wales", "scotland", "northern_ireland"],
        help="whose bank holidays count (default: england)",
    )
    init.add_argument(
        "--profile",
        default="childrens_home",
        choices=["childrens_home", "residential_school"],
        help="which rules apply by default (default: childrens_home)",
    )

    set_pin = commands.add_parser(
        "set-pin", help="set a staff member's PIN or passphrase (asks for the current one)"
    )
    # SUPPRESS: without --as here, the global --as given before the command stands.
    set_pin.add_argument(
        "--as",
        dest="staff_name",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="whose PIN to set (default: the first manager)",
    )

    invite = commands.add_parser(
        "invite", help="give a colleague with no PIN a one-time code to set their own"
    )
    invite.add_argument("name", metavar="NAME", help="whose code it is")
    invite.add_argument(
        "--as",
        dest="staff_name",
        metavar="MANAGER",
        default=argparse.SUPPRESS,
        help="the manager issuing it (default: the first manager)",
    )
    invite.add_argument(
        "--hours",
        type=int,
        default=setup_codes.VALID_HOURS,
        help=f"how long it works (default: {setup_codes.VALID_HOURS})",
    )

    demo = commands.add_parser("demo", help="build a believable demo home (never over real data)")
    demo.add_argument("--seed", type=int, default=1, help="vary the generated home")
    demo.add_argument(
        "--children",
        type=_whole_number(1, 500),
        help="children in placement (default the demo's 8; more are made up)",
    )
    demo.add_argument(
        "--years",
        type=_years,
        help="years of history (default half a year): a larger home to try or measure",
    )
    demo.add_argument(
        "--homes",
        type=_whole_number(1, 200),
        default=1,
        help="a provider's homes in one database, each a demo home of its own (default 1)",
    )
    demo.add_argument("--open", action="store_true", help="open the app on it afterwards")

    commands.add_parser("check", help="schema version, SQLite version, integrity and foreign keys")

    overdue = commands.add_parser("overdue", help="list due-soon, due-today and overdue work")
    overdue.add_argument(
        "--on", type=_iso_date, metavar="YYYY-MM-DD", help="as of this day (default: today)"
    )
    overdue.add_argument("--json", action="store_true", help="print JSON for scripts")

    handover = commands.add_parser(
        "handover", help="the handover for the incoming shift, as a plain-text sheet or JSON"
    )
    handover.add_argument(
        "--at", metavar="YYYY-MM-DDTHH:MM", help="the handover in focus at this time (default: now)"
    )
    output = handover.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print JSON for scripts")
    output.add_argument(
        "--print",
        dest="sheet",
        action="store_true",
        help="print a plain-text sheet, 80 columns wide (the default)",
    )

    imports = commands.add_parser(
        "import", help="load a home from a keywork-import/1 JSON file, beside any others"
    )
    imports.add_argument("file", metavar="FILE.json", help="the file to import")
    copy = commands.add_parser(
        "copy",
        help="copy one home's whole SQLite file, its history with it, into another database",
    )
    copy.add_argument("--from", dest="source", required=True, metavar="FILE.sqlite")
    copy.add_argument("--to", dest="target", required=True, metavar="PATH_OR_URL")
    cli_csv.register(commands)
    cli_reports.register(commands)
    cli_homes.register(commands)
    cli_files.register(commands)
    return parser


class _Version(argparse.Action):
    """--version: the installed version is looked up only when asked for."""

    def __init__(self, option_strings: Sequence[str], dest: str, help: str) -> None:
        super().__init__(option_strings, dest, nargs=0, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        from importlib.metadata import version

        print(f"keywork {version('keywork')}")
        parser.exit()


def _whole_number(least: int, most: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        if not text.isdigit() or not least <= int(text) <= most:
            why = f"{text!r} is not a whole number from {least} to {most}"
            raise argparse.ArgumentTypeError(why)
        return int(text)

    return parse


def _years(text: str) -> float:
    try:
        years = float(text)
    except ValueError:
        years = -1.0
    if not 0.05 <= years <= 20:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of years from 0.05 to 20")
    return years


def _iso_date(text: str) -> dt.date:
    try:
        return iso_day(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD") from None


def _iso_minute(text: str, name: str = "--at") -> dt.datetime:
    """--at: parsed here, not by argparse, so a mistake is one line on stderr."""
    try:
        return iso_moment(text)
    except ValueError:
        raise UserError(f"{name} {text!r} is not a time in the form YYYY-MM-DDTHH:MM") from None


DAMAGED = "the database is damaged; run `keywork check`, and restore it from a backup"

AS_OF_VARIABLE = config.AS_OF_VARIABLE


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command not in (None, "app"):
        start.loaded()  # the app switches the collector on after its first frame
    try:
        setup_logging()
        _start_clock()
        return COMMANDS[args.command or "app"](args)
    except SchemaTooNewError as exc:
        return _fail(str(exc), EXIT_SCHEMA_TOO_NEW)
    except (UserError, config.ConfigError, DatabaseOpenError, ServiceError) as exc:
        found = _sqlite_error(exc)
        if isinstance(found, apsw.CorruptError):
            return _fail(DAMAGED, EXIT_CORRUPT)
        return _fail(str(exc), EXIT_NOT_A_DATABASE if found else EXIT_USAGE)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `keywork overdue | head`: the reader left early, which is fine.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - stops a second error at exit
        return 0
    except Exception as exc:
        if (problems := _input_problems(exc)) is not None:
            return _fail(problems, EXIT_USAGE)
        if isinstance(_sqlite_error(exc), apsw.CorruptError):
            # Found part way through a command: `check` says where and what.
            log.warning("damaged database running %s", args.command or "app", exc_info=True)
            return _fail(DAMAGED, EXIT_CORRUPT)
        log.exception("unexpected error running %s", args.command or "app")
        return _fail(f"unexpected error; details are in {config.log_file()}", EXIT_BUG)
    finally:
        database.close()
        clock.reset()


def _start_clock() -> None:
    """KEYWORK_AS_OF=2026-11-22T17:30 starts the clock at that moment. Only a
    demo may be run so: `_open` refuses it on a database with real records."""
    text = os.environ.get(AS_OF_VARIABLE, "").strip()
    if text:
        clock.start_at(_iso_minute(text, AS_OF_VARIABLE))


def _refuse_as_of_on_real_records(target: str) -> None:
    """A real home's records are never written or read at a time of the user's choosing."""
    if not clock.as_of():
        return
    held = homes.homes()
    if not held or any(not h.is_demo for h in held):
        raise UserError(
            f"{AS_OF_VARIABLE} is for the demo and tests only; {target} is not "
            f"a demo home. Unset {AS_OF_VARIABLE} and try again"
        )


def _input_problems(exc: Exception) -> str | None:
    """What pydantic found wrong with the input, in words; None for any other
    error. Opening the app validates nothing, so pydantic is only looked up
    here if a command has loaded it."""
    pydantic = sys.modules.get("pydantic")
    if pydantic is None or not isinstance(exc, pydantic.ValidationError):
        return None
    from .schemas import field_errors

    return "; ".join(f"{k}: {v}" for k, v in field_errors(exc).items())


def _sqlite_error(exc: BaseException | None) -> apsw.Error | None:
    """SQLite's finding that the file is damaged or not a database, however
    peewee wrapped what it raised."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, apsw.CorruptError | apsw.NotADBError):
            return exc
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return None


def _fail(message: str, code: int) -> int:
    print(f"keywork: {message}", file=sys.stderr)
    return code


def _open(args: argparse.Namespace, *, create: bool = False) -> config.Settings:
    """Open the database the arguments name; only `init` and `import` make one."""
    settings = config.load_settings(args.db, args.staff_name)
    _bind(settings, create=create)
    return settings


def _bind(settings: config.Settings, *, create: bool) -> None:
    database.open_target(settings.database, create=create)
    _refuse_as_of_on_real_records(settings.database)


@contextmanager
def _opened_to_make_a_home(args: argparse.Namespace) -> Iterator[config.Settings]:
    """Open the database the arguments name, making the file if there is none.
    A file made here is taken away again when the command stops before a home
    is written into it (a PIN refused, Ctrl+C, a record refused), so no empty
    database is left behind to be opened by mistake later."""
    settings = config.load_settings(args.db, args.staff_name)
    path = database.sqlite_path(settings.database)
    made = path is not None and not path.exists()
    try:
        _bind(settings, create=True)
        yield settings
    except BaseException:
        if made and path is not None and _holds_no_home():
            database.close()
            for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                leftover.unlink(missing_ok=True)
        raise


def _holds_no_home() -> bool:
    try:
        return not homes.homes()
    except Exception:  # unreadable: not for this command to take away
        return False


def run_app(args: argparse.Namespace) -> int:
    settings = _open(args)
    home = homes.home_named(args.home_name)
    from .app import KeyworkApp  # Textual loads only when needed

    ssh = signin.over_ssh()
    # --as only chooses whose name is highlighted; over SSH, the account's own.
    mapped = signin.mapped_staff(home.id) if ssh and settings.staff_name is None else None
    staff = mapped or people.resolve_staff(home.id, settings.staff_name)
    step = signin.pin_step_needed(home.id, staff.id, over_ssh=ssh)
    if not step:
        signin.sign_in_without_pin(home.id, staff.id, step.why)
    from .keymap import checked_keymap

    keys = checked_keymap(config.keys_table())  # a typo is one line, before the app opens
    # Read before the first frame, so the header and the handover are drawn
    # once, with their figures and rows; signed out, only the count is.
    actor = Actor(staff.id, staff.name, staff.role, home.id)
    # Before the reads: another terminal's write while they run is shown at once.
    seen_up_to = database.newest_audit_id()
    if step or actor.is_provider:  # the sign-in screen, or every home side by side
        overdue, first = compliance.overdue_count(home.id, clock.today()), None
    else:
        from screens import handover

        first = handover.read(home.id, actor)
        overdue = first.overdue
    app = KeyworkApp(
        home_id=home.id,
        staff_id=staff.id,
        database=settings.database,
        signed_in=not step,
        over_ssh=ssh,
        keymap=keys,
        overdue=overdue,
        first_handover=first,
        seen_up_to=seen_up_to,
    )
    app.run()
    return app.return_code or 0  # 128 + the signal's number when one closed it


def run_init(args: argparse.Namespace) -> int:
    with _opened_to_make_a_home(args) as settings:
        if homes.name_taken(args.home):  # before the PIN is asked for
            raise UserError(f"{settings.database} already holds a home named {args.home!r}")
        from .schemas import HomeIn, StaffIn

        home_in = HomeIn(name=args.home, nation=args.nation, profile=args.profile)
        manager_in = StaffIn(name=args.manager, role="manager", induction_done=True)
        # Asked before anything is written, so a refused PIN leaves no home without one.
        secret = _new_secret(manager_in.name)
        home, manager = homes.create_home(home_in, manager_in)
        signin.set_pin(actor_for(manager.id), manager.id, secret)
    print(f"Created {home.name} with manager {manager.name} in {settings.database}")
    print(f"{manager.name} signs in with the PIN just set")
    return 0


def run_set_pin(args: argparse.Namespace) -> int:
    """Set the named staff member's PIN; the current one is asked for first, and
    checked as a sign-in so wrong attempts count and are audited."""
    settings = _open(args)
    home = homes.home_named(args.home_name)
    staff = people.resolve_staff(home.id, settings.staff_name)
    if not signin.has_pin(staff.id):
        # A first PIN needs the one-time code a manager gave this person.
        code = _read_secret(f"Set-up code from a manager for {staff.name}: ")
        setup_codes.set_first_pin(home.id, staff.id, code, _new_secret(staff.name))
        print(f"PIN set for {staff.name}")
        return 0
    current = _read_secret(f"Current PIN or passphrase for {staff.name}: ")
    actor = signin.sign_in(home.id, staff.id, current)
    signin.set_pin(actor, staff.id, _new_secret(staff.name))
    print(f"PIN set for {staff.name}")
    return 0


def run_invite(args: argparse.Namespace) -> int:
    """A manager (signed in with their PIN) issues a colleague's set-up code."""
    actor = _acting(args)
    staff = people.resolve_staff(actor.home_id, args.name)
    issued = setup_codes.issue(actor, staff.id, args.hours)
    print(f"Set-up code for {issued.staff_name}: {issued.code}")
    until = f"{issued.expires_at:%a %d %b %Y %H:%M}"
    print(
        f"Give it to them in person. It works once, until {until}, and is not shown "
        "again: they choose their name at the sign-in screen and type it there (or at "
        f'`keywork set-pin --as "{issued.staff_name}"`) to set their own PIN.'
    )
    return 0


def _read_secret(prompt: str) -> str:
    """Typed unseen at a terminal; one line of standard input for scripts."""
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    line = sys.stdin.readline()
    if not line:
        raise UserError("no PIN given: standard input ended")
    return line.rstrip("\r\n")


def _new_secret(name: str) -> str:
    """A new PIN or passphrase, checked, and typed twice at a terminal."""
    secret = signin.validate_secret(_read_secret(f"New PIN or passphrase for {name}: "))
    if sys.stdin.isatty() and getpass.getpass("Type it again: ") != secret:
        raise UserError("the two entries differ; nothing was changed")
    return secret


def run_demo(args: argparse.Namespace) -> int:
    target = args.db or str(config.demo_database())
    _make_room_for_demo(target)
    database.open_target(target, create=True)
    from .services import demo

    made = [
        homes.get_home(
            demo.build(
                clock.now(), args.seed + k, children=args.children, years=args.years, home=k
            ).home_id
        )
        for k in range(args.homes)
    ]
    names = ", ".join(h.name for h in made)
    print(f"Demo home{'s' if len(made) > 1 else ''} {names} written to {target}")
    if len(made) > 1:
        provider = demo.add_provider(made[0].id)
        print(f"{provider.name} oversees them all: keywork homes (--home {made[0].name!r})")
    if database.sqlite_path(target) is None:
        # Only the demo's own file opens without a PIN.
        print(f"Every demo account's PIN is {demo.DEMO_PIN}")
    if args.open:
        database.close()
        args.db, args.home_name = target, made[0].name
        return run_app(args)
    return 0


def _make_room_for_demo(target: str) -> None:
    """Replace an earlier demo; refuse anything that might be real records."""
    path = database.sqlite_path(target)
    if path is None:
        # A server's database is never emptied by keywork: the demo needs an empty one.
        database.open_target(target, create=True)
        held = homes.homes()
        database.close()
        if held:
            raise UserError(
                f"{target} already holds homes; the demo is written to an empty database "
                "(CREATE DATABASE a new one)"
            )
        return
    if not path.exists():
        return
    database.open_target(target)
    existing = homes.homes()
    database.close()
    if any(not h.is_demo for h in existing):
        raise UserError(f"{path} holds real records; the demo will not write over it")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def run_check(args: argparse.Namespace) -> int:
    # A file is read from outside, so a damaged one is described; a server's
    # database is opened as it stands, never upgraded.
    return cli_files.run(args)


def run_overdue(args: argparse.Namespace) -> int:
    _acting(args)  # the home's records are for its signed-in staff only
    home = homes.home_named(args.home_name)
    on = args.on or clock.today()
    found = compliance.obligations(home.id, on)
    if args.json:
        print(json.dumps([_obligation_json(o) for o in found], indent=2))
        return 0
    print(f"{home.name}: {len(found)} item(s) due or overdue on {on:%a %d %b %Y}")
    for o in found:
        print(f"{o.lateness:>12}  {o.due}  {o.subject:<22} {o.title:<30} {o.responsible}")
    return 0


def _obligation_json(o: compliance.Obligation) -> dict[str, str | int | None]:
    return {
        "child": o.subject if o.child_id is not None else None,
        "child_id": o.child_id,
        "staff": o.subject if o.staff_id is not None else None,
        "staff_id": o.staff_id,
        "obligation": o.obligation,
        "title": o.title,
        "due": o.due.isoformat(),
        "days_overdue": o.days_overdue,
        "status": o.status,
        "responsible": o.responsible,
        "responsible_id": o.responsible_id,
    }


def run_handover(args: argparse.Namespace) -> int:
    at = _iso_minute(args.at) if args.at else clock.now()
    _acting(args)  # the home's records are for its signed-in staff only
    home = homes.home_named(args.home_name)
    board = handover_board.board(home.id, at=at)
    if args.json:
        print(json.dumps(handover_sheet.board_json(board), indent=2))
    else:
        print(handover_sheet.sheet(board))
    return 0


# Enough to fix a file in one pass without burying the first problems.
MAX_IMPORT_ERRORS = 50


def run_import(args: argparse.Namespace) -> int:
    # Loaded only for this command.
    from keywork_tui.services.exchange import home_import as importing
    from keywork_tui.services.exchange import import_format

    path = Path(args.file)
    _progress(f"checking {path}...")
    try:
        # The whole file is checked before the database is even opened.
        data = import_format.load(path)
    except import_format.ImportFileError as exc:
        raise UserError(str(exc)) from None
    except import_format.InvalidImportError as exc:
        for line in exc.lines[:MAX_IMPORT_ERRORS]:
            print(f"keywork: {path}: {line}", file=sys.stderr)
        if len(exc.lines) > MAX_IMPORT_ERRORS:
            print(
                f"keywork: {path}: ... and {len(exc.lines) - MAX_IMPORT_ERRORS} more",
                file=sys.stderr,
            )
        return _fail(f"{len(exc.lines)} problem(s) in {path}; nothing was imported", EXIT_USAGE)
    with _opened_to_make_a_home(args) as settings:
        if homes.name_taken(data.home.name):  # before the PIN is asked for
            raise UserError(f"{settings.database} already holds a home named {data.home.name!r}")
        # Asked before anything is written, as `init` does: the one who sets the
        # home up is the only person a file's import gives a PIN.
        boss = data.set_up_by()
        _progress(f"{path}: {data.records():,} records, all in order")
        secret = _new_secret(boss.name)
        _progress("writing them in one transaction: all of them, or none if one is refused...")
        summary = importing.import_home(data, first_pin=secret)
    print(f"{summary.line()} into {settings.database}")
    print(
        f"{boss.name} signs in with the PIN just set; a manager gives everyone else a "
        "set-up code (F6, or `keywork invite NAME`)"
    )
    return 0


def _progress(line: str) -> None:
    """Where a long command has got to, for someone watching it at a terminal
    (a script reading its output sees only the result)."""
    if sys.stderr.isatty():
        print(f"keywork: {line}", file=sys.stderr, flush=True)


def _acting(args: argparse.Namespace, usually: str = "manager") -> Actor:
    """Open the database and sign in who acts (--as NAME, or the home's first
    manager, or first `usually`) with their PIN, as the app would: the audit
    names them."""
    settings = _open(args)
    home = homes.home_named(args.home_name)
    staff = people.resolve_staff(home.id, settings.staff_name, usually=usually)
    step = signin.pin_step_needed(home.id, staff.id, over_ssh=signin.over_ssh())
    if not step:
        return signin.sign_in_without_pin(home.id, staff.id, step.why)
    return signin.sign_in(home.id, staff.id, _read_secret(f"PIN or passphrase for {staff.name}: "))


def run_import_csv(args: argparse.Namespace) -> int:
    return cli_csv.run(args, _acting(args))


def run_copy(args: argparse.Namespace) -> int:
    """A manager of the file's home signs in against the file (--as, or its
    first manager), then the whole home is copied into the database named."""
    from keywork_tui.services.exchange import home_copy

    source = Path(args.source)
    if database.sqlite_path(str(source)) is None or not source.is_file():
        raise UserError(f"--from {args.source!r}: name a keywork SQLite file that exists")
    args.db = str(source)
    copier = _acting(args)
    database.close()
    database.open_target(args.target, create=True)
    summary = home_copy.copy_home(source, copier.id)
    print(
        f"Copied {summary.home} ({summary.rows} records, {summary.events} audit events) "
        f"into {args.target}; `keywork --db URL check` walks its chain"
    )
    return 0


def run_reports(args: argparse.Namespace) -> int:
    return cli_reports.run(args, _acting(args))


def run_homes(args: argparse.Namespace) -> int:
    return cli_homes.run(args, _acting(args, usually="provider"))


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "import-csv": run_import_csv,
    "export": run_reports,
    "report": run_reports,
    "homes": run_homes,
    "app": run_app,
    "init": run_init,
    "set-pin": run_set_pin,
    "invite": run_invite,
    "demo": run_demo,
    "check": run_check,
    "overdue": run_overdue,
    "handover": run_handover,
    "import": run_import,
    "copy": run_copy,
    "backup": cli_files.run,
    "restore": cli_files.run,
}
