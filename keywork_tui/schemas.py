"""Pydantic models at every boundary: what screens, the CLI and import may send
to the services. What the services send back is in `keywork_tui.outputs`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import cache
from typing import Annotated, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from keywork_tui.iso import iso_day, iso_moment
from keywork_tui.text import clean_text, one_line
from keywork_tui.vocabulary import (
    AbsenceKind,
    ChangeReason,
    ChildState,
    ContactKind,
    Document,
    EventKind,
    Nation,
    Placement,
    Profile,
    Purpose,
    ReviewOutcome,
    Role,
    SessionKind,
    TargetOutcome,
)


def _inert(value: str) -> str:
    # Stripped again once cleaned: whitespace that a control character kept
    # from either end goes too, so text checked twice is the text checked once.
    return clean_text(value).strip()


def _required(value: str) -> str:
    if not value:
        raise ValueError("this cannot be blank")
    return value


# Longer than any note or summary a person writes (about eight pages), so a
# paste of a whole document is refused rather than stored.
TEXT_MAX = 20_000
Text = Annotated[str, Field(max_length=TEXT_MAX), AfterValidator(_inert)]
Name = Annotated[str, AfterValidator(one_line), AfterValidator(_required), Field(max_length=100)]
ShortText = Annotated[str, AfterValidator(one_line), Field(max_length=200)]
HHMM = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]


@cache
def _text_adapter() -> TypeAdapter[str]:
    return TypeAdapter(Text)


def checked_text(value: object) -> str:
    """A free-text note as it is stored, cleaned; a ValidationError when too long."""
    return _text_adapter().validate_python(value)


IsoDay = Annotated[dt.date, BeforeValidator(iso_day)]
IsoMoment = Annotated[dt.datetime, BeforeValidator(iso_moment)]


# --- rules across fields -----------------------------------------------------------
# Each rule yields (field, message) where an input breaks it: the input models
# raise the message for the form as a whole, the import names the field in the file.

Problems = Iterator[tuple[str, str]]


def in_order(first: dt.date | None, last: dt.date | None, field: str, message: str) -> Problems:
    """`last` falls on or after `first` (days or moments); an open end (None) keeps the rule."""
    if first is not None and last is not None and last < first:
        yield field, message


def ends_after_start(what: str, start: dt.date, end: dt.date | None, field: str) -> Problems:
    """Terms, absences, cover and allocations end on or after the day they start."""
    return in_order(start, end, field, f"{what} must end on or after the day it starts")


def review_after_set(set_on: dt.date, review_by: dt.date | None) -> Problems:
    message = "review by must be on or after the day the target is set"
    return in_order(set_on, review_by, "review_by", message)


def night_after_day(day_starts: str, night_starts: str) -> Problems:
    # Shifts are worked out on the day shift starting first (calendar.shift_at).
    if night_starts <= day_starts:
        yield "night_shift_starts", "the night shift must start later than the day shift"


def born_before_admission(date_of_birth: dt.date, admitted_on: dt.date) -> Problems:
    if date_of_birth > admitted_on:
        yield "date_of_birth", "date of birth must be before admission"


def other_explained(reason: str | None, note: str) -> Problems:
    """A change of key worker for 'other' reasons says what they are."""
    if reason == "other" and not note:
        yield "reason_note", "say why when the reason is 'other'"


MIN_MINUTES, MAX_MINUTES = 5, 240


def session_minutes(minutes: int) -> int:
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise ValueError(f"duration must be between {MIN_MINUTES} and {MAX_MINUTES} minutes")
    return minutes


# How long a key-work session lasts.
Minutes = Annotated[int, AfterValidator(session_minutes)]


class In(BaseModel):
    """Input: unknown fields are errors, so a typo is never silently dropped."""

    # defer_build: each model is built the first time it is used, not at import.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)

    def problems(self) -> Problems:
        """(field, message) for each rule across fields the input breaks."""
        return iter(())

    @model_validator(mode="after")
    def _check(self) -> Self:
        # The form as a whole is at fault: the first rule broken says why.
        for _field, message in self.problems():
            raise ValueError(message)
        return self


def field_errors(exc: ValidationError) -> dict[str, str]:
    """One plain-words message per field, for showing beside the field."""
    errors: dict[str, str] = {}
    for err in exc.errors():
        field = ".".join(str(p) for p in err["loc"]) or "form"
        message = err["msg"].removeprefix("Value error, ")
        if err["type"] == "string_too_long":
            message = f"too long: at most {err['ctx']['max_length']:,} characters"
        errors.setdefault(field, message)
    return errors


# --- homes -----------------------------------------------------------------


class HomeIn(In):
    name: Name
    nation: Nation = "england"
    profile: Profile = "childrens_home"
    day_shift_starts: HHMM = "07:30"
    night_shift_starts: HHMM = "22:00"


class RuleSettingIn(In):
    """One rule as a home runs it: how often ("1 week", "6 months", "term"), and whether."""

    every: Annotated[str, Field(max_length=30)] = ""
    enabled: bool = True


class HomeSettingsIn(In):
    """The home's own settings: shift times, the terminal lock, and its rules."""

    day_shift_starts: HHMM = "07:30"
    night_shift_starts: HHMM = "22:00"
    lock_minutes: Annotated[int, Field(ge=1, le=120)] = 5
    due_soon_days: Annotated[int, Field(ge=0, le=60)] = 3
    handover_reading_hours: Annotated[int, Field(ge=0, le=12)] = 2
    ssh_skip_pin: bool = False
    rules: dict[str, RuleSettingIn] = Field(default_factory=dict)

    def problems(self) -> Problems:
        return night_after_day(self.day_shift_starts, self.night_shift_starts)


class TermIn(In):
    starts_on: dt.date
    ends_on: dt.date
    kind: Literal["term", "half_term"] = "term"

    def problems(self) -> Problems:
        return ends_after_start("a term", self.starts_on, self.ends_on, "ends_on")


# --- the language guide (writing for the child) -------------------------------


def _has_letter(value: str) -> str:
    if not any(c.isalnum() for c in value):
        raise ValueError("a word or phrase needs at least one letter in it")
    return value


GuideWord = Annotated[
    str,
    Field(max_length=60),
    AfterValidator(one_line),
    AfterValidator(_required),
    AfterValidator(_has_letter),
]


class LanguageWordIn(In):
    """A word or phrase for the home's guide, with what to write instead."""

    word: GuideWord
    suggestion: Annotated[
        str, Field(max_length=120), AfterValidator(one_line), AfterValidator(_required)
    ]


class LanguageRemoveIn(In):
    word: GuideWord


class LanguageCheckIn(In):
    """Whether the home's notes are checked against its guide at all."""

    on: bool


# --- people ----------------------------------------------------------------


class StaffIn(In):
    name: Name
    role: Role = "care_staff"
    induction_done: bool = False
    level3: bool = False
    level3_on: dt.date | None = None
    os_user: Annotated[str, Field(pattern=r"^[a-z_][a-z0-9_.-]{0,31}$")] | None = None
    interests: Text = ""


class ChildDetails(In):
    """What a child's record holds besides its dates: the same limits whether
    typed in the app or read from an import file."""

    first_name: Name
    last_name: Name
    preferred_name: ShortText = ""
    placement: Placement = "full_time"
    school: ShortText = ""
    likes: Text = ""
    dislikes: Text = ""
    interests: Text = ""
    fears: Text = ""


class ChildIn(ChildDetails):
    date_of_birth: dt.date
    admitted_on: dt.date
    session_every_days: Annotated[int, Field(ge=1, le=366)] | None = None

    def problems(self) -> Problems:
        yield from born_before_admission(self.date_of_birth, self.admitted_on)
        if self.admitted_on.year - self.date_of_birth.year > 25:
            yield "date_of_birth", "date of birth makes the child older than 25 at admission"


class ChildAboutIn(In):
    """The parts of a child's profile the staff who know them keep up to date."""

    preferred_name: ShortText = ""
    school: ShortText = ""
    likes: Text = ""
    dislikes: Text = ""
    interests: Text = ""
    fears: Text = ""


class ContactIn(In):
    kind: ContactKind
    name: Name
    relationship: ShortText = ""
    phone: ShortText = ""
    email: ShortText = ""
    restrictions: Text = ""


# --- allocation, absence, cover -------------------------------------------


class AllocationIn(In):
    child_id: int
    staff_id: int
    role: Literal["key_worker", "co_worker"] = "key_worker"
    starts_on: dt.date
    reason: ChangeReason | None = None
    reason_note: Text = ""

    def problems(self) -> Problems:
        return other_explained(self.reason, self.reason_note)


class AbsenceIn(In):
    staff_id: int
    starts_on: dt.date
    ends_on: dt.date
    kind: AbsenceKind
    note: Text = ""

    def problems(self) -> Problems:
        return ends_after_start("an absence", self.starts_on, self.ends_on, "ends_on")


class CoverIn(In):
    child_id: int
    staff_id: int
    starts_on: dt.date
    ends_on: dt.date
    absence_id: int | None = None

    def problems(self) -> Problems:
        return ends_after_start("cover", self.starts_on, self.ends_on, "ends_on")


# --- the child's file ------------------------------------------------------


class ActionIn(In):
    text: Annotated[str, AfterValidator(one_line), Field(min_length=1, max_length=300)]
    who: ShortText = ""
    by: dt.date | None = None
    done: bool = False


class ProgressIn(In):
    """What a session found about one of the child's open targets."""

    target_id: int
    note: Annotated[str, AfterValidator(_inert), Field(min_length=1, max_length=2000)]


class SessionIn(In):
    child_id: int
    staff_id: int
    held_at: dt.datetime
    kind: SessionKind = "informal"
    activity: ShortText = ""
    minutes: Minutes = 30
    purposes: list[Purpose] = Field(default_factory=list)
    views: Text = ""
    summary: Text = ""
    actions: list[ActionIn] = Field(default_factory=list)
    progress: list[ProgressIn] = Field(default_factory=list)
    concern: bool = False
    concern_text: Text = ""
    # The concern is about bedtime or the night.
    bedtime: bool = False
    restricted: bool = False

    def problems(self) -> Problems:
        if self.concern and not self.concern_text:
            yield "concern_text", "say what the concern is"
        if self.bedtime and not self.concern:
            yield "concern", "a bedtime concern is a concern: say what it is"


class ReviewIn(In):
    child_id: int
    document: Document
    reviewed_on: dt.date
    outcome: ReviewOutcome
    note: Text = ""


class TargetIn(In):
    child_id: int
    text: Annotated[str, AfterValidator(_inert), Field(min_length=1, max_length=1000)]
    set_on: dt.date
    # None: the end of the term or half-term, from the home's term dates.
    review_by: dt.date | None = None

    def problems(self) -> Problems:
        return review_after_set(self.set_on, self.review_by)


class TargetReviewIn(In):
    outcome: TargetOutcome
    reviewed_on: dt.date


class EventIn(In):
    child_id: int
    date: dt.date
    kind: EventKind
    yearly: bool = False
    note: Text = ""


class SignificantEventIn(In):
    child_id: int
    occurred_on: dt.date
    # Checked by the services against the home's list (policy.significant_kinds).
    kind: Annotated[str, Field(min_length=1, max_length=60)] = "other"
    summary: Annotated[str, AfterValidator(_inert), Field(min_length=1, max_length=TEXT_MAX)]
    told: Text = ""


class SupervisionIn(In):
    staff_id: int
    held_on: dt.date
    note: Text = ""


class AmendmentIn(In):
    field: str
    corrected: Text
    reason: Annotated[str, AfterValidator(_inert), Field(min_length=1, max_length=TEXT_MAX)]


# --- handover --------------------------------------------------------------


class HandoverEntryIn(In):
    child_id: int
    state: ChildState = "settled"
    mood: Text = ""
    events: Text = ""
    bedtime_concern: Text = ""
    actions: Text = ""
    nothing_to_add: bool = False
    restricted: bool = False


class SignOnIn(In):
    """Who works a shift, and which of them leads it."""

    staff_ids: list[int]
    leader_id: int | None = None
    # Staff with an absence recorded that day, signed on all the same once asked.
    despite_absence: list[int] = Field(default_factory=list)

    def problems(self) -> Problems:
        if self.leader_id is not None and self.leader_id not in self.staff_ids:
            yield "leader_id", "the shift leader must be one of the staff signed on"


# --- reports ------------------------------------------------------------------


class ChildReportIn(In):
    """A child's report over a period, written to a file only its owner reads."""

    child_id: int
    first: dt.date
    last: dt.date
    path: Annotated[str, Field(min_length=1, max_length=1000)]
    overwrite: bool = False

    def problems(self) -> Problems:
        return in_order(self.first, self.last, "last", "the period ends before it begins")
