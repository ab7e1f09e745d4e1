"""Handover between shifts: signing on, writing entries, submitting, reading it.

The board that shows a handover is built in `handover_board`; this module
holds every write and the rules of which handover is in focus.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple, get_args

from keywork_tui.calendar import (
    ShiftRef,
    elapsed,
    next_shift,
    previous_shift,
    shift_at,
    shift_starts,
)
from keywork_tui.outputs import ChildOut
from keywork_tui.services import audit, clock
from keywork_tui.services.actor import LEADERS, Actor, children_of, require
from keywork_tui.services.errors import (
    ConflictError,
    FieldError,
    NotFoundError,
    PermissionDeniedError,
)
from keywork_tui.services.policy import policy_for
from keywork_tui.services.team.people import children_in_placement
from keywork_tui.vocabulary import ChildState
from models import (
    Absence,
    Acknowledgement,
    Amendment,
    Handover,
    HandoverEntry,
    Home,
    ShiftSignOn,
    Staff,
)
from models.base import write_transaction
from models.prepared import Insert

AMENDABLE = ("state", "mood", "events", "bedtime_concern", "actions")

if TYPE_CHECKING:  # inputs arrive validated: reading a handover needs no pydantic
    from keywork_tui.schemas import AmendmentIn, HandoverEntryIn, SignOnIn


class MissingEntriesError(ConflictError):
    """Submitting with children nobody wrote about: they are named first."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        super().__init__(f"no entry yet for {', '.join(names)}")


class AbsentOnShiftError(ConflictError):
    """Signing on someone with an absence recorded that day: asked, not assumed."""

    def __init__(self, absent: dict[int, str]) -> None:
        self.absent = absent  # staff id: "Sophie Clarke (leave, Sat 28 Nov – Fri 11 Dec)"
        super().__init__(f"{'; '.join(absent.values())} recorded as away that day")


# --- which shift ----------------------------------------------------------------


def shift_now(home_id: int, at: dt.datetime | None = None) -> ShiftRef:
    home = Home.get_by_id(home_id)
    return shift_at(at or clock.now(), home.day_shift_starts, home.night_shift_starts)


def start_of(home: Home, shift: ShiftRef) -> dt.datetime:
    """When `shift` begins at this home."""
    return shift_starts(shift, home.day_shift_starts, home.night_shift_starts)


def focus(home_id: int, at: dt.datetime | None = None) -> ShiftRef:
    """The outgoing shift whose handover matters now.

    Early in a shift the handover it just received stays in focus, so the
    incoming staff can read and acknowledge it; after that the shift on duty
    starts writing its own."""
    return focus_of(Home.get_by_id(home_id), at)


def focus_of(home: Home, at: dt.datetime | None = None) -> ShiftRef:
    """`focus` for a home already read."""
    at = at or clock.now()
    hours = policy_for(home.profile, home.policy).reading_hours
    current = shift_at(at, home.day_shift_starts, home.night_shift_starts)
    began = start_of(home, current)
    # Real hours: the reading time of a night the clocks change is as long as any other's.
    if elapsed(began, at) < dt.timedelta(hours=hours):
        return previous_shift(current)
    return current


# --- who is on --------------------------------------------------------------


def _active_staff(actor: Actor, staff_id: int) -> Staff:
    staff = Staff.get_or_none((Staff.id == staff_id) & (Staff.home == actor.home_id))
    if staff is None or not staff.active:
        raise NotFoundError(f"no active staff member with id {staff_id} in this home")
    return staff


def sign_on(actor: Actor, shift: ShiftRef, staff_ids: list[int]) -> None:
    """Add staff to a shift: this is how the program knows who is on duty.
    Raises AbsentOnShiftError for anyone with an absence recorded that day."""
    with write_transaction():
        joining = [_active_staff(actor, staff_id) for staff_id in staff_ids]
        _check_absences(shift, joining)
        for staff in joining:
            # peewee's stubs leave get_or_create untyped.
            found: tuple[ShiftSignOn, bool] = ShiftSignOn.get_or_create(  # type: ignore[no-untyped-call]
                home=actor.home_id,
                shift_date=shift.date,
                shift=shift.name,
                staff=staff,
                defaults={"at": clock.now()},
            )
            row, created = found
            if created:
                audit.record(actor, "shift.sign_on", row)


def set_shift_staff(actor: Actor, shift: ShiftRef, data: SignOnIn) -> None:
    """Make the shift's list exactly `data`: new names signed on, names taken
    off signed off (both audited), and the leader marked."""
    with write_transaction():
        wanted = {staff_id: _active_staff(actor, staff_id) for staff_id in data.staff_ids}
        rows = {r.staff_id: r for r in _sign_ons(actor.home_id, shift)}
        _may_change_team(actor, rows, wanted, data.leader_id)
        _check_absences(
            shift, [s for i, s in wanted.items() if i not in rows and i not in data.despite_absence]
        )
        for staff_id, leaving in rows.items():
            if staff_id not in wanted:
                audit.record(actor, "shift.sign_off", leaving, deleted=True)
                leaving.delete_instance()
        for staff_id, staff in wanted.items():
            leader = staff_id == data.leader_id
            row = rows.get(staff_id)
            if row is None:
                row = ShiftSignOn.create(
                    home=actor.home_id,
                    shift_date=shift.date,
                    shift=shift.name,
                    staff=staff,
                    leader=leader,
                    at=clock.now(),
                )
                audit.record(actor, "shift.sign_on", row)
            elif row.leader != leader:
                before = audit.snapshot(row)
                row.leader = leader
                row.save()
                audit.record(actor, "shift.leader", row, before=before)


def _check_absences(shift: ShiftRef, joining: list[Staff]) -> None:
    """Refuse, naming them, anyone joining the shift on a day their absence covers."""
    if not joining:
        return
    query = Absence.select().where(
        Absence.staff.in_([s.id for s in joining])
        & (Absence.starts_on <= shift.date)
        & (Absence.ends_on >= shift.date)
    )
    names = {s.id: s.name for s in joining}
    absent = {
        a.staff_id: f"{names[a.staff_id]} ({a.kind}, {a.starts_on:%a %d %b} – {a.ends_on:%a %d %b})"
        for a in query
    }
    if absent:
        raise AbsentOnShiftError(absent)


def _may_change_team(
    actor: Actor, rows: dict[int, ShiftSignOn], wanted: dict[int, Staff], leader_id: int | None
) -> None:
    """Anyone signs colleagues on (or themselves off) at the shared terminal,
    and a shift without a shift leader marks who leads it; taking a colleague
    off the shift or changing its leader is for a shift leader or manager."""
    if actor.is_leader:
        return
    if any(staff_id not in wanted and staff_id != actor.id for staff_id in rows):
        raise PermissionDeniedError(
            "only a shift leader or a manager can take a colleague off a shift"
        )
    leading = {staff_id for staff_id, row in rows.items() if row.leader}
    chosen = wanted.get(leader_id) if leader_id is not None else None
    has_leader = any(s.role in LEADERS for s in wanted.values())
    if (leading and leader_id not in leading) or (
        not leading and chosen is not None and chosen.role not in LEADERS and has_leader
    ):
        raise PermissionDeniedError("only a shift leader or a manager can change who leads a shift")


def _sign_ons(home_id: int, shift: ShiftRef) -> list[ShiftSignOn]:
    return list(
        ShiftSignOn.select().where(
            (ShiftSignOn.home == home_id)
            & (ShiftSignOn.shift_date == shift.date)
            & (ShiftSignOn.shift == shift.name)
        )
    )


# --- writing ----------------------------------------------------------------

# A handover's entries are most of what a home writes: their SQL is built once.
_NEW_ENTRY = Insert(HandoverEntry)


def open_handover(actor: Actor, shift: ShiftRef) -> int:
    """The handover written by `shift` (its outgoing staff), created if new."""
    existing = find_handover(actor.home_id, shift)
    if existing is not None:
        return existing
    with write_transaction():
        row = Handover.create(
            home=actor.home_id, shift_date=shift.date, shift=shift.name, created_at=clock.now()
        )
        audit.record(actor, "handover.open", row)
    return row.id


def find_handover(home_id: int, shift: ShiftRef) -> int | None:
    row = Handover.get_or_none(
        (Handover.home == home_id)
        & (Handover.shift_date == shift.date)
        & (Handover.shift == shift.name)
    )
    return row.id if row else None


def _handover(actor: Actor, handover_id: int) -> Handover:
    row = Handover.get_or_none((Handover.id == handover_id) & (Handover.home == actor.home_id))
    if row is None:
        raise NotFoundError(f"no handover with id {handover_id}")
    return row


def _draft(actor: Actor, handover_id: int) -> Handover:
    handover = _handover(actor, handover_id)
    if handover.status == "submitted":
        raise ConflictError("this handover is submitted: add an amendment instead")
    return handover


def write_entry(actor: Actor, handover_id: int, data: HandoverEntryIn) -> None:
    """Save (or replace) one child's entry while the handover is a draft."""
    write_entries(actor, handover_id, [data])


def write_entries(actor: Actor, handover_id: int, entries: Sequence[HandoverEntryIn]) -> None:
    """Save (or replace) children's entries while the handover is a draft, in one
    transaction: each child's a child of the home, an entry unchanged is left
    as it is, and each one written is audited."""
    with write_transaction():
        handover = _draft(actor, handover_id)
        children = children_of(actor, (data.child_id for data in entries))
        kept = {
            e.child_id: e
            for e in HandoverEntry.select().where(
                (HandoverEntry.handover == handover) & HandoverEntry.child.in_(sorted(children))
            )
        }
        changes = [
            change
            for data in entries
            if (change := _entry_change(actor, handover, kept, data)) is not None
        ]
        audit.record_many(actor, "handover.entry", changes)


def _entry_change(
    actor: Actor, handover: Handover, kept: dict[int, HandoverEntry], data: HandoverEntryIn
) -> audit.Change | None:
    values = data.model_dump(exclude={"child_id"})
    entry = kept.get(data.child_id)
    if entry is not None and all(getattr(entry, k) == v for k, v in values.items()):
        return None  # an autosave of nothing new writes nothing
    if entry is None:
        entry = kept[data.child_id] = _NEW_ENTRY.create(
            **values, handover=handover.id, child=data.child_id, by=actor.id, updated_at=clock.now()
        )
        return audit.Change(entry, None, data.child_id)
    before = audit.snapshot(entry)
    for key, value in values.items():
        setattr(entry, key, value)
    entry.by_id = actor.id
    entry.updated_at = clock.now()
    entry.save()
    return audit.Change(entry, before, data.child_id)


def save_home_notes(actor: Actor, handover_id: int, notes: str) -> None:
    """Notes for the whole home (medication, the building, visitors) while a draft."""
    from keywork_tui.schemas import checked_text

    text = checked_text(notes)
    with write_transaction():
        handover = _draft(actor, handover_id)
        if handover.home_notes == text:
            return
        before = audit.snapshot(handover)
        handover.home_notes = text
        handover.save()
        audit.record(actor, "handover.notes", handover, before=before)


def missing_entries(actor: Actor, handover_id: int) -> list[str]:
    """Children in placement with no entry in this handover, by name."""
    handover = _handover(actor, handover_id)
    written = {
        e.child_id
        for e in HandoverEntry.select(HandoverEntry.child).where(HandoverEntry.handover == handover)
    }
    return [c.short_name for c in _placed(actor, handover) if c.id not in written]


class Sheet(NamedTuple):
    """A handover as its writer edits it: the children and what is written."""

    handover_id: int
    shift: ShiftRef
    status: str
    home_notes: str
    children: list[tuple[int, str]]
    entries: dict[int, HandoverEntryIn]


def sheet(actor: Actor, handover_id: int) -> Sheet:
    from keywork_tui.schemas import HandoverEntryIn

    handover = _handover(actor, handover_id)
    entries = {
        e.child_id: HandoverEntryIn(
            child_id=e.child_id,
            state=e.state,
            mood=e.mood,
            events=e.events,
            bedtime_concern=e.bedtime_concern,
            actions=e.actions,
            nothing_to_add=e.nothing_to_add,
            restricted=e.restricted,
        )
        for e in HandoverEntry.select().where(HandoverEntry.handover == handover)
    }
    children = [(c.id, c.short_name) for c in _placed(actor, handover)]
    return Sheet(
        handover.id,
        ShiftRef(handover.shift_date, handover.shift),
        handover.status,
        handover.home_notes,
        children,
        entries,
    )


def _placed(actor: Actor, handover: Handover) -> list[ChildOut]:
    return children_in_placement(actor.home_id, handover.shift_date)


def submit(
    actor: Actor,
    handover_id: int,
    home_notes: str | None = None,
    *,
    pass_missing: bool = False,
    not_mentioned: bool = False,
) -> None:
    """Make the handover final. Children without an entry are refused by name,
    or passed with "nothing to add" when the writer says so, or marked "not
    mentioned" (`not_mentioned`) for a shift's book that left them out."""
    with write_transaction():
        handover = _draft(actor, handover_id)
        _may_sign_off(actor, handover)
        written = {
            e.child_id
            for e in HandoverEntry.select(HandoverEntry.child).where(
                HandoverEntry.handover == handover
            )
        }
        missing = [c for c in _placed(actor, handover) if c.id not in written]
        if missing and not pass_missing:
            raise MissingEntriesError([c.short_name for c in missing])
        for child in missing:
            entry = _NEW_ENTRY.create(
                handover=handover.id,
                child=child.id,
                nothing_to_add=True,
                not_mentioned=not_mentioned,
                by=actor.id,
                updated_at=clock.now(),
            )
            audit.record(actor, "handover.entry", entry, child_id=child.id)
        before = audit.snapshot(handover)
        if home_notes is not None:
            from keywork_tui.schemas import checked_text

            handover.home_notes = checked_text(home_notes)
        handover.status = "submitted"
        handover.written_by_id = actor.id
        handover.submitted_at = clock.now()
        handover.save()
        audit.record(actor, "handover.submit", handover, before=before)


def leads(actor: Actor, handover: Handover) -> bool:
    """A shift leader or manager, or whoever is marked as leading the shift
    that writes this handover (a night shift may have no shift leader)."""
    if actor.is_leader:
        return True
    shift = ShiftRef(handover.shift_date, handover.shift)
    return any(r.staff_id == actor.id and r.leader for r in _sign_ons(actor.home_id, shift))


def _may_sign_off(actor: Actor, handover: Handover) -> None:
    if not leads(actor, handover):
        raise PermissionDeniedError(
            "only the shift leader, the colleague leading the shift, or a manager can "
            "submit the handover for the whole home"
        )


def amend_entry(actor: Actor, handover_id: int, child_id: int, data: AmendmentIn) -> None:
    """Correct a submitted entry; the original stays on file with who and when."""
    if data.field not in AMENDABLE:
        raise FieldError("field", f"{data.field!r} cannot be amended")
    if data.field == "state" and data.corrected not in get_args(ChildState):
        raise FieldError("corrected", "state is settled, watch or unsettled")
    with write_transaction():
        handover = _handover(actor, handover_id)
        if handover.status != "submitted":
            raise ConflictError("a draft can be edited directly; amendments are for submitted")
        entry = HandoverEntry.get_or_none(
            (HandoverEntry.handover == handover) & (HandoverEntry.child == child_id)
        )
        if entry is None:
            raise NotFoundError("this handover has no entry for that child")
        before = audit.snapshot(entry)
        original = getattr(entry, data.field)
        if original == data.corrected:
            raise FieldError("corrected", "the correction is the same as what is on file")
        setattr(entry, data.field, data.corrected)
        entry.nothing_to_add = False
        entry.save()
        amendment = Amendment.create(
            table="handover_entry",
            record_id=entry.id,
            field=data.field,
            original=original,
            corrected=data.corrected,
            reason=data.reason,
            by=actor.id,
            at=clock.now(),
        )
        audit.record(actor, "handover.amend", entry, before=before, child_id=child_id)
        audit.record(actor, "amendment.add", amendment, child_id=child_id)


def acknowledge(actor: Actor, handover_id: int, staff_id: int | None = None) -> None:
    """A member of the incoming shift confirms they have read it. Recording it
    for a colleague (chasing who has not read it) is for a shift leader or a
    manager; the audit names both."""
    if staff_id is not None and staff_id != actor.id:
        require(actor, *LEADERS, doing="record that a colleague has read the handover")
    with write_transaction():
        handover = _handover(actor, handover_id)
        if handover.status != "submitted":
            raise ConflictError("a handover can be acknowledged once it is submitted")
        reader = _active_staff(actor, staff_id if staff_id is not None else actor.id)
        incoming = next_shift(ShiftRef(handover.shift_date, handover.shift))
        if not any(r.staff_id == reader.id for r in _sign_ons(actor.home_id, incoming)):
            raise ConflictError(
                f"{reader.name} is not signed on to the {incoming.label()}: "
                "the incoming staff sign on (o), then acknowledge"
            )
        # peewee's stubs leave get_or_create untyped.
        found: tuple[Acknowledgement, bool] = Acknowledgement.get_or_create(  # type: ignore[no-untyped-call]
            handover=handover, staff=reader, defaults={"at": clock.now()}
        )
        row, created = found
        if not created:
            raise ConflictError(f"{reader.name} has already acknowledged this handover")
        audit.record(actor, "handover.acknowledge", row)


def around(shift: ShiftRef, step: int) -> ShiftRef:
    """The shift `step` places later (or earlier, when negative)."""
    move = next_shift if step > 0 else previous_shift
    for _ in range(abs(step)):
        shift = move(shift)
    return shift
