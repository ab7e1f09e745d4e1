"""The keywork-import/1 file: pydantic models for all of it, checked before
anything is written, and error lines that say where in the file each problem is.

Each record model knows the service input it becomes (`to_input`). Its rules,
and the service input's own rules, run when the file is validated, so a record
the services would refuse for its shape fails here, before the database is
touched. Rules that need the database (eligibility, "in the future") are the
services' and run inside the import's one transaction.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from array import array
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Annotated, Any, Literal, Protocol

from pydantic import (
    BaseModel,
    BeforeValidator,
    Field,
    ValidationError,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from keywork_tui.calendar import ShiftRef
from keywork_tui.schemas import (
    AbsenceIn,
    AllocationIn,
    ChildDetails,
    ChildIn,
    CoverIn,
    EventIn,
    HandoverEntryIn,
    HomeIn,
    In,
    IsoDay,
    IsoMoment,
    Minutes,
    Name,
    Problems,
    ReviewIn,
    SessionIn,
    ShortText,
    StaffIn,
    TargetIn,
    TargetReviewIn,
    TermIn,
    Text,
    born_before_admission,
    ends_after_start,
    in_order,
    night_after_day,
    other_explained,
    review_after_set,
)
from keywork_tui.services.actor import MANAGERS
from keywork_tui.services.exchange.held_records import HeldRecords
from keywork_tui.services.exchange.json_items import DuplicateKeyError, OnItem, read_object
from keywork_tui.text import clean_text
from keywork_tui.vocabulary import (
    AbsenceKind,
    ChangeReason,
    ChildState,
    Document,
    EventKind,
    ReviewOutcome,
    Role,
    SessionKind,
    Shift,
    TargetOutcome,
)

FORMAT = "keywork-import/1"

Ref = Annotated[str, Field(min_length=1, max_length=64)]


# --- errors --------------------------------------------------------------------


def _error(loc: tuple[str | int, ...], message: str, value: object) -> InitErrorDetails:
    # The message goes in as context so braces in it are never read as a template.
    return InitErrorDetails(
        type=PydanticCustomError("import_rule", "{message}", {"message": message}),
        loc=loc,
        input=value,
    )


def _raise(problems: list[InitErrorDetails]) -> None:
    """Raise every problem at once, each at its own place in the file."""
    if problems:
        raise ValidationError.from_exception_data("keywork-import", problems)


def where(list_name: str, index: int, ref: str | None = None) -> str:
    """How a record is named in messages: `children[2] (ref c3)`."""
    return f"{list_name}[{index}]" + (f" (ref {ref})" if ref else "")


# --- records -------------------------------------------------------------------


class RefIds(Protocol):
    """Database ids of the records the file's refs stand for."""

    def child(self, ref: str) -> int: ...

    def staff(self, ref: str) -> int: ...


class _NoIds:
    """Stand-in ids, for checking a record's service rules before anything exists."""

    def child(self, ref: str) -> int:
        return 0

    def staff(self, ref: str) -> int:
        return 0


NO_IDS = _NoIds()


@functools.cache
def _optional_texts(record: type[BaseModel]) -> frozenset[str]:
    """The record's text fields that may be left out (they default to text)."""
    return frozenset(n for n, f in record.model_fields.items() if isinstance(f.default, str))


class Record(In):
    """One record of the file (unknown keys are errors, as for every input)."""

    @model_validator(mode="before")
    @classmethod
    def _null_is_left_out(cls, data: Any) -> Any:
        """Spreadsheets and other programs write null for an optional text left
        empty (`"preferred_name": null`): it means the same as leaving it out."""
        if not isinstance(data, dict) or None not in data.values():
            return data
        texts = _optional_texts(cls)
        return {k: v for k, v in data.items() if not (v is None and k in texts)}

    def to_input(self, ids: RefIds = NO_IDS) -> BaseModel:
        raise NotImplementedError

    @model_validator(mode="after")
    def _check(self) -> Record:
        # In place of In's check: every problem at once, each at its field in the file.
        _raise(
            [
                _error((field,), message, getattr(self, field, None))
                for field, message in self.problems()
            ]
        )
        # The service input's own rules; a ValidationError keeps its place.
        self.to_input()
        return self


class FileTerm(Record):
    start: IsoDay
    end: IsoDay
    kind: Literal["term", "half_term"] = "term"

    def problems(self) -> Problems:
        return ends_after_start("a term", self.start, self.end, "end")

    def to_input(self, ids: RefIds = NO_IDS) -> TermIn:
        return TermIn(starts_on=self.start, ends_on=self.end, kind=self.kind)


class FileHome(Record, HomeIn):
    """The home's own fields as HomeIn has them, with its term dates."""

    term_dates: list[FileTerm] = []

    def problems(self) -> Problems:
        return night_after_day(self.day_shift_starts, self.night_shift_starts)

    def to_input(self, ids: RefIds = NO_IDS) -> HomeIn:
        return HomeIn(**self.model_dump(exclude={"term_dates"}))


class FileStaff(Record):
    ref: Ref
    name: Name
    role: Role = "care_staff"
    induction_done: bool = False
    level3: bool = False
    level3_on: IsoDay | None = None
    os_user: str | None = None
    interests: Text = ""

    def to_input(self, ids: RefIds = NO_IDS) -> StaffIn:
        return StaffIn(**self.model_dump(exclude={"ref"}))


class FileChild(Record, ChildDetails):
    ref: Ref
    date_of_birth: IsoDay
    admitted_on: IsoDay
    left_on: IsoDay | None = None

    def problems(self) -> Problems:
        yield from born_before_admission(self.date_of_birth, self.admitted_on)
        message = "a child cannot leave before they were admitted"
        yield from in_order(self.admitted_on, self.left_on, "left_on", message)

    def to_input(self, ids: RefIds = NO_IDS) -> ChildIn:
        return ChildIn(**self.model_dump(exclude={"ref", "left_on"}))


class FileAllocation(Record):
    child: Ref
    staff: Ref
    from_: IsoDay = Field(alias="from")
    to: IsoDay | None = None
    reason: ChangeReason | None = None
    reason_note: Text = ""
    role: Literal["key_worker", "co_worker"] = "key_worker"

    def problems(self) -> Problems:
        yield from ends_after_start("an allocation", self.from_, self.to, "to")
        yield from other_explained(self.reason, self.reason_note)

    def to_input(self, ids: RefIds = NO_IDS) -> AllocationIn:
        return AllocationIn(
            child_id=ids.child(self.child),
            staff_id=ids.staff(self.staff),
            role=self.role,
            starts_on=self.from_,
            reason=self.reason,
            reason_note=self.reason_note,
        )


class FileAbsence(Record):
    staff: Ref
    from_: IsoDay = Field(alias="from")
    to: IsoDay
    kind: AbsenceKind
    note: Text = ""

    def problems(self) -> Problems:
        return ends_after_start("an absence", self.from_, self.to, "to")

    def to_input(self, ids: RefIds = NO_IDS) -> AbsenceIn:
        return AbsenceIn(
            staff_id=ids.staff(self.staff),
            starts_on=self.from_,
            ends_on=self.to,
            kind=self.kind,
            note=self.note,
        )


class FileCover(Record):
    child: Ref
    staff: Ref
    from_: IsoDay = Field(alias="from")
    to: IsoDay

    def problems(self) -> Problems:
        return ends_after_start("cover", self.from_, self.to, "to")

    def to_input(self, ids: RefIds = NO_IDS) -> CoverIn:
        return CoverIn(
            child_id=ids.child(self.child),
            staff_id=ids.staff(self.staff),
            starts_on=self.from_,
            ends_on=self.to,
        )


class FileSession(Record):
    child: Ref
    staff: Ref
    held_at: IsoMoment
    kind: SessionKind = "informal"
    minutes: Minutes = 30
    activity: ShortText = ""
    summary: Text = ""
    views: Text = ""
    # The concern in words; null (or empty) when there is none.
    concern: Text | None = None
    # When it was written up; null for a draft.
    finalised_at: IsoMoment | None = None

    def problems(self) -> Problems:
        message = "a session is written up after it is held"
        return in_order(self.held_at, self.finalised_at, "finalised_at", message)

    def to_input(self, ids: RefIds = NO_IDS) -> SessionIn:
        return SessionIn(
            child_id=ids.child(self.child),
            staff_id=ids.staff(self.staff),
            held_at=self.held_at,
            kind=self.kind,
            minutes=self.minutes,
            activity=self.activity,
            summary=self.summary,
            views=self.views,
            concern=bool(self.concern),
            concern_text=self.concern or "",
        )


class FileReview(Record):
    child: Ref
    document: Document
    reviewed_on: IsoDay
    outcome: ReviewOutcome
    by: Ref
    note: Text = ""

    def to_input(self, ids: RefIds = NO_IDS) -> ReviewIn:
        return ReviewIn(
            child_id=ids.child(self.child),
            document=self.document,
            reviewed_on=self.reviewed_on,
            outcome=self.outcome,
            note=self.note,
        )


class FileTarget(Record):
    child: Ref
    text: Annotated[Text, Field(min_length=1, max_length=1000)]
    set_on: IsoDay
    review_by: IsoDay
    outcome: TargetOutcome | None = None
    # When the outcome was decided; the review-by date when not given.
    reviewed_on: IsoDay | None = None

    def problems(self) -> Problems:
        yield from review_after_set(self.set_on, self.review_by)
        if self.reviewed_on is not None and self.outcome is None:
            yield "reviewed_on", "a reviewed target needs its outcome"
        if self.outcome is not None:
            message = "a target is reviewed on or after the day it is set"
            yield from in_order(self.set_on, self.review_day, "reviewed_on", message)

    @property
    def review_day(self) -> dt.date:
        return self.reviewed_on or self.review_by

    def to_input(self, ids: RefIds = NO_IDS) -> TargetIn:
        return TargetIn(
            child_id=ids.child(self.child),
            text=self.text,
            set_on=self.set_on,
            review_by=self.review_by,
        )

    def review_input(self) -> TargetReviewIn | None:
        if self.outcome is None:
            return None
        return TargetReviewIn(outcome=self.outcome, reviewed_on=self.review_day)


class FileEvent(Record):
    child: Ref
    date: IsoDay
    kind: EventKind
    yearly: bool = False
    note: Text = ""

    def to_input(self, ids: RefIds = NO_IDS) -> EventIn:
        return EventIn(
            child_id=ids.child(self.child),
            date=self.date,
            kind=self.kind,
            yearly=self.yearly,
            note=self.note,
        )


class FileHandoverEntry(Record):
    child: Ref
    shift_date: IsoDay
    shift: Shift
    by: Ref
    state: ChildState = "settled"
    mood: Text = ""
    events: Text = ""
    bedtime_concern: Text = ""
    actions: Text = ""

    @property
    def shift_ref(self) -> ShiftRef:
        return ShiftRef(self.shift_date, self.shift)

    def to_input(self, ids: RefIds = NO_IDS) -> HandoverEntryIn:
        return entry_input(self, ids)


class EntryValues(Protocol):
    """What a handover entry's service input is made from: the record, or its
    values as an import holds them (`HeldRecords.values`)."""

    child: str
    state: ChildState
    mood: str
    events: str
    bedtime_concern: str
    actions: str


def entry_input(entry: EntryValues, ids: RefIds = NO_IDS) -> HandoverEntryIn:
    return HandoverEntryIn(
        child_id=ids.child(entry.child),
        state=entry.state,
        mood=entry.mood,
        events=entry.events,
        bedtime_concern=entry.bedtime_concern,
        actions=entry.actions,
    )


# --- the whole file ------------------------------------------------------------

# (list, field, what the ref names) for every link from a record to a person.
LINKS = (
    ("allocations", "child", "children"),
    ("allocations", "staff", "staff"),
    ("absences", "staff", "staff"),
    ("covers", "child", "children"),
    ("covers", "staff", "staff"),
    ("sessions", "child", "children"),
    ("sessions", "staff", "staff"),
    ("reviews", "child", "children"),
    ("reviews", "by", "staff"),
    ("targets", "child", "children"),
    ("events", "child", "children"),
    ("handover_entries", "child", "children"),
    ("handover_entries", "by", "staff"),
)
_NOUN = {"children": "child", "staff": "staff member"}


def _a_list(value: Any) -> Any:
    # A Sequence would take a string, or any other sequence: the file's lists
    # are JSON arrays, refused as a list field refuses anything else.
    if not isinstance(value, list):
        raise PydanticCustomError("list_type", "Input should be a valid list")
    return value


_A_LIST = BeforeValidator(_a_list)


class ImportFile(In):
    format: Literal["keywork-import/1"]
    home: FileHome
    staff: list[FileStaff]
    children: list[FileChild] = []
    # A home's history: each record checked by itself (`validate`), held compactly.
    allocations: Annotated[Sequence[FileAllocation], _A_LIST] = []
    absences: Annotated[Sequence[FileAbsence], _A_LIST] = []
    covers: Annotated[Sequence[FileCover], _A_LIST] = []
    sessions: Annotated[Sequence[FileSession], _A_LIST] = []
    reviews: Annotated[Sequence[FileReview], _A_LIST] = []
    targets: Annotated[Sequence[FileTarget], _A_LIST] = []
    events: Annotated[Sequence[FileEvent], _A_LIST] = []
    handover_entries: Annotated[Sequence[FileHandoverEntry], _A_LIST] = []

    def records(self) -> int:
        """How many records the file holds, its home aside."""
        people = len(self.staff) + len(self.children) + len(self.home.term_dates)
        return people + sum(len(getattr(self, name)) for name in HISTORY)

    def set_up_manager(self) -> tuple[int, FileStaff] | None:
        """The first manager (or admin) of the file: they set the home up."""
        return next(((i, s) for i, s in enumerate(self.staff) if s.role in MANAGERS), None)

    def set_up_by(self) -> FileStaff:
        """Who writes the home: the first admin (who alone may add another admin),
        or else the first manager. The person importing sets their PIN."""
        found = self.set_up_manager()
        assert found is not None  # a file without a manager is refused
        return next((s for s in self.staff if s.role == "admin"), found[1])


def _details(exc: ValidationError, at: tuple[str | int, ...] = ()) -> list[InitErrorDetails]:
    """The errors of `exc` as they were (each place after `at`), to raise again
    together with others."""
    return [
        InitErrorDetails(
            type=PydanticCustomError(
                err["type"], "{message}", {**err.get("ctx", {}), "message": err["msg"]}
            ),
            loc=(*at, *err["loc"]),
            input=err["input"],
        )
        for err in exc.errors()
    ]


def _rows(raw: Any, list_name: str) -> list[tuple[int, dict[str, Any]]]:
    """The records of one list that are objects; anything else is pydantic's to report."""
    items = raw.get(list_name) if isinstance(raw, dict) else None
    if not isinstance(items, list):
        return []
    return [(i, item) for i, item in enumerate(items) if isinstance(item, dict)]


def _text(row: dict[str, Any], key: str) -> str | None:
    """A value as the records will hold it (stripped), dates as in the file."""
    value = row.get(key)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value.strip() if isinstance(value, str) else None


def _head_problems(raw: Any) -> Iterator[InitErrorDetails]:
    yield from _unique(raw, "staff", "ref")
    yield from _unique(raw, "children", "ref")
    yield from _unique(raw, "staff", "os_user")
    yield from _no_manager(raw)


def _unique(raw: Any, list_name: str, key: str) -> Iterator[InitErrorDetails]:
    first: dict[str, int] = {}
    for index, row in _rows(raw, list_name):
        value = _text(row, key)
        if value is None:
            continue
        if value in first:
            yield _error(
                (list_name, index, key),
                f"{value!r} is already used by {list_name}[{first[value]}]",
                value,
            )
        first.setdefault(value, index)


def _no_manager(raw: Any) -> Iterator[InitErrorDetails]:
    if not isinstance(raw, dict) or not isinstance(raw.get("staff"), list):
        return
    if not any(_text(row, "role") in MANAGERS for _, row in _rows(raw, "staff")):
        yield _error(
            ("staff",),
            "no one has the role manager or admin: the home needs one to be set up",
            None,
        )


# What each list of the history is made of.
HISTORY: dict[str, type[Record]] = {
    "allocations": FileAllocation,
    "absences": FileAbsence,
    "covers": FileCover,
    "sessions": FileSession,
    "reviews": FileReview,
    "targets": FileTarget,
    "events": FileEvent,
    "handover_entries": FileHandoverEntry,
}


def _link(record: Record, key: str) -> str | None:
    """A checked record's value as `_text` reads it from the file."""
    value = getattr(record, key)
    return value.isoformat() if isinstance(value, dt.date) else value


class _History:
    """The history's records as they are read, one at a time: each validated by
    itself and held compactly (`HeldRecords`), its problems kept, and for the
    links between records only each ref's number. Nothing else of a record is
    kept, so memory follows the records' values, not the parsed file."""

    def __init__(self) -> None:
        self.records = {name: HeldRecords(model) for name, model in HISTORY.items()}
        self.problems: dict[str, list[InitErrorDetails]] = {name: [] for name in HISTORY}
        # The records with a problem, as given: their place is named from them.
        self.kept: dict[str, dict[int, Any]] = {name: {} for name in HISTORY}
        self._numbers: dict[str, int] = {}
        self._refs: dict[tuple[str, str], array[int]] = {
            (name, key): array("l") for name, key, _ in LINKS
        }
        self._refs_of = {name: [key for n, key, _ in LINKS if n == name] for name in HISTORY}
        # What is read of each record for the links: its refs, and for a
        # handover entry the child, day and shift that may be given twice.
        self._keys = {name: list(keys) for name, keys in self._refs_of.items()}
        self._keys["handover_entries"] += ["child", "shift_date", "shift"]
        self._repeats: list[InitErrorDetails] = []
        self._shifts: dict[tuple[str, str], dict[str, int]] = {}

    def add(self, list_name: str, index: int, raw: Any) -> None:
        try:
            record = HISTORY[list_name].model_validate(raw)
        except ValidationError as exc:
            self.problems[list_name] += _details(exc, (list_name, index))
            self.kept[list_name][index] = raw
            # Its links are still checked, from the values as given.
            given = raw if isinstance(raw, dict) else {}
            self._links_of(list_name, index, [_text(given, key) for key in self._keys[list_name]])
            return
        self.records[list_name].append(record)
        # A record that passed holds its links as the file gives them, stripped.
        self._links_of(list_name, index, [_link(record, key) for key in self._keys[list_name]])

    def _links_of(self, list_name: str, index: int, values: list[str | None]) -> None:
        """The record's refs (then, for a handover entry, its day and shift)."""
        for key, ref in zip(self._refs_of[list_name], values, strict=False):
            number = -1 if ref is None else self._numbers.setdefault(ref, len(self._numbers))
            self._refs[list_name, key].append(number)
        if list_name == "handover_entries":
            self._repeated(index, *values[-3:])

    def _repeated(self, index: int, child: str | None, day: str | None, shift: str | None) -> None:
        # A second entry would silently replace the first: a shift keeps one per child.
        if child is None or day is None or shift is None:
            return
        first = self._shifts.setdefault((day, shift), {})
        if child in first:
            self._repeats.append(
                _error(
                    ("handover_entries", index, "child"),
                    f"child {child!r} already has an entry for this shift at "
                    f"handover_entries[{first[child]}]",
                    child,
                )
            )
        first.setdefault(child, index)

    def link_problems(self, head: Any) -> Iterator[InitErrorDetails]:
        """Refs to no one in the file's staff or children, then repeated entries."""
        known = {
            name: {self._numbers.get(_text(row, "ref") or "", -1) for _, row in _rows(head, name)}
            for name in ("children", "staff")
        }
        refs = list(self._numbers)
        for list_name, key, target in LINKS:
            for index, number in enumerate(self._refs[list_name, key]):
                if number >= 0 and number not in known[target]:
                    ref = refs[number]
                    yield _error(
                        (list_name, index, key),
                        f"no {_NOUN[target]} with ref {ref!r} in the file",
                        ref,
                    )
        yield from self._repeats


# --- reading a file and describing its problems ----------------------------------


class ImportFileError(Exception):
    """The file cannot be read as JSON; the message is one line for the user."""


class InvalidImportError(Exception):
    """The file is JSON but not a valid keywork-import/1 file."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__(f"{len(lines)} problem(s) in the import file")
        self.lines = lines


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json would keep the last of two equal keys: a typo must not drop data unseen.
    found = dict(pairs)
    if len(found) < len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise DuplicateKeyError(key)
            seen.add(key)
    return found


# Twice ten years of a sixty-child home (about 100 MB of JSON); nesting deeper
# than this is never a home's record.
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_DEPTH = 32
# No count, id or minutes in a home's file runs to more digits than this.
MAX_DIGITS = 18


class _LongNumberError(ValueError):
    pass


def _bounded_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_DIGITS:
        raise _LongNumberError(len(digits.lstrip("-")))
    return int(digits)


def check_size(path: Path) -> None:
    """Refuse a file too big to be an import before reading any of it."""
    limit = MAX_FILE_BYTES
    try:
        size = path.stat().st_size
    except OSError:
        return  # reading it says what is wrong
    if size > limit:
        raise ImportFileError(
            f"{path} is {size / 1024 / 1024:,.0f} MB; keywork imports at "
            f"most {limit / 1024 / 1024:,.0f} MB at once"
        )


def _depth(value: Any) -> int:
    """How deeply lists and objects nest, counted without recursion."""
    if not isinstance(value, dict | list):
        return 0
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth <= MAX_DEPTH:
            # Only lists and objects go on the stack: a file is mostly plain values.
            children = node.values() if isinstance(node, dict) else node
            stack.extend((v, depth + 1) for v in children if isinstance(v, dict | list))
    return deepest


def read_text(path: Path, *, encoding: str = "utf-8-sig", hint: str = "") -> str:
    """The words of a file given to import, or an ImportFileError saying in one
    line why not (`hint` follows the words for text that is not UTF-8)."""
    try:
        return path.read_bytes().decode(encoding)
    except FileNotFoundError:
        raise ImportFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ImportFileError(f"{path} is a folder, not a file") from None
    except OSError as exc:
        raise ImportFileError(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"{path} is not UTF-8 text (byte {exc.start}){hint}") from None


# The decoder of every import: a key given twice in one object, or a number of
# more digits than a home's file has, is refused rather than read.
_DECODER = json.JSONDecoder(object_pairs_hook=_no_duplicate_keys, parse_int=_bounded_int)


class _TooDeepError(ValueError):
    pass


def _too_deep(path: Path) -> ImportFileError:
    return ImportFileError(
        f"{path} nests lists or objects deeper than an import file does (at most {MAX_DEPTH})"
    )


def _read(path: Path, on_item: OnItem) -> Any:
    """The file parsed, the history's lists given to `on_item` an item at a
    time (they stand empty in what is returned)."""
    check_size(path)
    text = read_text(path)
    try:
        raw = read_object(text, _DECODER, HISTORY, on_item)
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            f"{path} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None
    except DuplicateKeyError as exc:
        raise ImportFileError(
            f"{path}: the key {exc.args[0]!r} appears twice in one object"
        ) from None
    except _LongNumberError as exc:
        raise ImportFileError(
            f"{path} holds a number of {exc.args[0]:,} digits; no number "
            f"in an import file has more than {MAX_DIGITS}"
        ) from None
    except (RecursionError, _TooDeepError):
        raise _too_deep(path) from None
    except ValueError as exc:  # a number of thousands of digits, say
        raise ImportFileError(f"{path} holds a value that cannot be read: {exc}") from None
    return raw


def validate(raw: Any) -> ImportFile:
    """The file as parsed, checked whole: every problem at once."""
    history = _History()
    if isinstance(raw, dict):
        head = dict(raw)
        for name in HISTORY:
            if isinstance(raw.get(name), list):
                for index, item in enumerate(head.pop(name)):
                    history.add(name, index, item)
                head[name] = []
    else:
        head = raw
    return _checked(head, history)


def load(path: Path) -> ImportFile:
    """Read and validate a whole file; nothing is written. The history's
    records are checked as they are read, so the parsed file is never whole
    in memory."""
    history = _History()
    head = _read(path, lambda name, index, item: _add(history, name, index, item))
    if _depth(head) > MAX_DEPTH:
        raise _too_deep(path)
    return _checked(head, history)


_NESTING = frozenset({dict, list})


def _add(history: _History, name: str, index: int, item: Any) -> None:
    # A record is an object of plain values: only one holding lists or objects is walked.
    nested = not isinstance(item, dict) or not _NESTING.isdisjoint(map(type, item.values()))
    if nested and _depth(item) + 2 > MAX_DEPTH:  # inside the file's object and its list
        raise _TooDeepError
    history.add(name, index, item)


def _checked(head: Any, history: _History) -> ImportFile:
    """The file from its head (all but the history's lists) and the history's
    records checked one by one; the problems in the order of the file's keys,
    then the links that go nowhere, as one ValidationError would give them."""
    problems = list(_head_problems(head))
    try:
        found = ImportFile.model_validate(head)
        errors: list[InitErrorDetails] = []
    except ValidationError as exc:
        found, errors = None, _details(exc)
    ordered = []
    for name in ImportFile.model_fields:
        ordered += [e for e in errors if e["loc"][:1] == (name,)]
        ordered += history.problems.get(name, [])
    ordered += [e for e in errors if e["loc"][:1] not in [(n,) for n in ImportFile.model_fields]]
    ordered += [*problems, *history.link_problems(head)]
    if ordered:
        every = ValidationError.from_exception_data("keywork-import", ordered)
        raise InvalidImportError(error_lines(every, _placed(head, history))) from None
    assert found is not None
    for name, records in history.records.items():
        setattr(found, name, records)
    return found


def _placed(head: Any, history: _History) -> Any:
    """The file as far as naming a problem's place needs it: the head, and of
    the history only the records with a problem."""
    if not isinstance(head, dict):
        return head
    return head | {name: _Kept(history.kept[name]) for name in HISTORY if head.get(name) == []}


class _Kept(dict[int, Any]):
    """Some records of a list, by their index in it."""


def error_lines(exc: ValidationError, raw: Any) -> list[str]:
    """One line per problem: `children[2] (ref c3).date_of_birth: ...`."""
    return [f"{_place(err['loc'], raw)}: {_message(err)}" for err in exc.errors()]


def _place(loc: tuple[str | int, ...], raw: Any) -> str:
    text, node = "", raw
    for part in loc:
        if isinstance(part, int):
            if isinstance(node, _Kept):
                node = node.get(part)
            else:
                node = node[part] if isinstance(node, list) and part < len(node) else None
            ref = node.get("ref") if isinstance(node, dict) else None
            text += f"[{part}]" + (f" (ref {_shown(ref, quote=False)})" if ref else "")
        else:
            node = node.get(part) if isinstance(node, dict) else None
            text += ("." if text else "") + _shown(part, quote=False)
    return text or "file"


# Plain words for the patterns of schemas.py, in place of the regular expression.
_PATTERN_HINTS = {
    "day_shift_starts": "write the time as HH:MM, 24-hour",
    "night_shift_starts": "write the time as HH:MM, 24-hour",
    "os_user": "an OS username is lower-case letters, digits, '_', '.' or '-', "
    "starting with a letter or '_'",
}


def _message(err: Any) -> str:
    kind, ctx, field = err["type"], err.get("ctx") or {}, err["loc"][-1] if err["loc"] else ""
    if kind == "extra_forbidden":
        return f"unknown key (not part of {FORMAT})"
    if kind == "missing":
        return "missing (required)"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return "should be an object {...}"
    if kind in ("too_short", "string_too_short") and ctx.get("min_length") == 1:
        message = "must not be empty"
    elif kind in ("too_long", "string_too_long"):
        message = f"too long: at most {ctx.get('max_length')} characters"
    elif kind == "string_pattern_mismatch" and field in _PATTERN_HINTS:
        message = _PATTERN_HINTS[str(field)]
    else:
        message = err["msg"].removeprefix("Value error, ")
    if kind == "import_rule" or isinstance(err["input"], dict | list):
        return message
    return f"{message} (got {_shown(err['input'])})"


def _shown(value: Any, *, quote: bool = True, limit: int = 40) -> str:
    """A value from the file, short and safe to print on a terminal."""
    text = json.dumps(value, ensure_ascii=False) if quote else str(value)
    text = clean_text(text).replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 3] + "..."
