"""The handover board as JSON for scripts and as a plain-text sheet for paper.

The sheet is what goes in the paper file, or is read by torchlight in a power
cut: 80 columns, no colour, no escape codes, words rather than symbols.
Nothing here loads Textual.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from typing import Any

from keywork_tui.services.handover.board import Board, BoardRow
from keywork_tui.services.handover.on_shift import NOBODY_YET

from .text import clean_text

WIDTH = 80
INDENT = "  "

# Placeholders the services put where a name would be; JSON gets no placeholders.
SHIFT_LEADER = "the shift leader"  # handover_board's cover when nobody covers or leads

STATUS_WORDS = {"on_shift": "on shift", "off_duty": "off duty", "absent": "absent"}
NOTE_WORDS = {"handover": "handover", "bedtime": "BEDTIME", "concern": "concern"}


def _stamp(at: dt.datetime | None) -> str | None:
    return at.isoformat(timespec="seconds") if at is not None else None


# --- JSON -----------------------------------------------------------------------


def board_json(board: Board) -> dict[str, Any]:
    """Everything on the board, for `keywork handover --json`."""
    unread = board.previous_unread
    return {
        "home": board.home,
        "shift": board.incoming.name,
        "shift_date": board.incoming.date.isoformat(),
        "starts_at": board.starts_at.isoformat(timespec="minutes"),
        "outgoing_shift": board.outgoing.name,
        "outgoing_date": board.outgoing.date.isoformat(),
        "handover_id": board.handover_id,
        "handover_status": board.status,
        "written_by": board.written_by,
        "submitted_at": _stamp(board.submitted_at),
        "incoming_staff": list(board.incoming_staff),
        "shift_leader": board.leader,
        "no_cover": [r.child for r in board.no_cover],
        "no_key_worker": [r.child for r in board.rows if r.key_worker is None],
        "acknowledged_by": list(board.acknowledged_by),
        "not_acknowledged": list(board.not_acknowledged),
        "previous_unread": None
        if unread is None
        else {
            "shift": unread.shift.name,
            "date": unread.shift.date.isoformat(),
            "missing": [n for n in unread.missing if n != NOBODY_YET],
            "leader": unread.leader,
        },
        "home_notes": board.home_notes,
        "children": [_row_json(r) for r in board.rows],
        "for_cover": [
            {
                "cover": None if who == SHIFT_LEADER else who,
                "items": [
                    {
                        "child": n.child,
                        "kind": n.kind,
                        "text": n.text,
                        "by": n.by,
                        "at": _stamp(n.at),
                    }
                    for n in notes
                ],
            }
            for who, notes in board.for_cover
        ],
    }


def _row_json(row: BoardRow) -> dict[str, Any]:
    entry = row.entry
    bedtime = list(row.bedtime)
    return {
        "child": row.child,
        "child_id": row.child_id,
        "key_worker": row.key_worker,
        "key_worker_status": row.key_worker_status,
        "absence": row.absence_kind,
        "cover": row.cover,
        "no_cover": row.no_cover,
        "state": row.state,
        "mood": row.mood,
        "events": entry.events if entry else "",
        "actions": entry.actions if entry else "",
        "nothing_to_add": bool(entry and entry.nothing_to_add),
        "not_mentioned": bool(entry and entry.not_mentioned),
        "entry_by": entry.by if entry else None,
        "entry_at": _stamp(entry.updated_at) if entry else None,
        "bedtime_concern": bedtime[0].text if bedtime else "",
        "bedtime_concerns": [
            {"text": n.text, "source": n.source, "by": n.by, "at": _stamp(n.at)} for n in bedtime
        ],
        "events_next_24h": list(row.events_next_24h),
        "overdue_count": row.overdue_count,
        "unseen_concerns": row.unseen_concerns,
        "significant_events": [
            {"text": n.text, "by": n.by, "at": _stamp(n.at)} for n in row.significant
        ],
        "amendments": [
            {
                "field": a.field,
                "original": a.original,
                "corrected": a.corrected,
                "reason": a.reason,
                "by": a.by,
                "at": _stamp(a.at),
            }
            for a in (entry.amendments if entry else ())
        ],
    }


# --- the plain-text sheet -------------------------------------------------------


def _wrap(text: str, indent: str = "") -> list[str]:
    """`text` wrapped to WIDTH, continuation lines indented a little further;
    the writer's own line breaks are kept, control characters are dropped."""
    lines: list[str] = []
    more = indent + INDENT
    for i, paragraph in enumerate(clean_text(text).split("\n")):
        if not paragraph.strip():
            continue
        lines += textwrap.wrap(
            paragraph, WIDTH, initial_indent=indent if i == 0 else more, subsequent_indent=more
        )
    return lines


def _when(at: dt.datetime, day: dt.date) -> str:
    return f"{at:%H:%M}" if at.date() == day else f"{at:%a %d %b %H:%M}"


def _names(names: list[str], none: str) -> str:
    return ", ".join(names) if names else none


def _key_worker_words(row: BoardRow) -> str:
    if row.key_worker is None:
        words = "none allocated, NO KEY WORKER"
    else:
        words = f"{row.key_worker}, {STATUS_WORDS.get(row.key_worker_status or '', 'unknown')}"
        if row.key_worker_status == "absent":
            words += f" ({row.absence_kind})"
    if row.cover:
        words += f"; cover: {row.cover}"
    elif row.no_cover:
        words += "; NO COVER"
    return f"Key worker: {words}"


def _state_words(row: BoardRow) -> str:
    if row.entry is None:
        return "State: no entry written yet"
    if row.entry.not_mentioned:
        return "State: not mentioned in the shift's written record"
    if row.entry.nothing_to_add:
        return "State: nothing to add this shift"
    words = f"State: {row.state}"
    return words + (f". Mood: {row.mood}" if row.mood else "")


def _child_block(row: BoardRow, day: dt.date) -> list[str]:
    lines = [
        *_wrap(row.child),
        *_wrap(_key_worker_words(row), INDENT),
        *_wrap(_state_words(row), INDENT),
    ]
    entry = row.entry
    if entry and entry.events:
        lines += _wrap(f"Events: {entry.events}", INDENT)
    if entry and entry.actions:
        lines += _wrap(f"Actions: {entry.actions}", INDENT)
    for note in row.significant:
        lines += _wrap(
            f"SIGNIFICANT EVENT: {note.text} (recorded by {note.by} at {_when(note.at, day)})",
            INDENT,
        )
    for note in row.bedtime:
        said = note.source or _when(note.at, day)
        lines += _wrap(f"BEDTIME: {note.text} ({said}, {note.by})", INDENT)
    if row.events_next_24h:
        lines += _wrap("Next 24 hours: " + "; ".join(row.events_next_24h), INDENT)
    counts = []
    if row.overdue_count:
        counts.append(f"Overdue: {row.overdue_count} item(s)")
    if row.unseen_concerns:
        counts.append(f"Concerns not yet seen: {row.unseen_concerns}")
    if counts:
        lines += _wrap(". ".join(counts), INDENT)
    for a in entry.amendments if entry else ():
        lines += _wrap(
            f"Amended by {a.by} at {_when(a.at, day)}: {a.field} was "
            f"'{a.original}', now '{a.corrected}' (reason: {a.reason})",
            INDENT,
        )
    return lines


def _heading(board: Board) -> list[str]:
    begins = board.starts_at
    lines = _wrap(
        f"{board.home}: {board.outgoing.label()} hands over to the "
        f"{board.incoming.name.capitalize()} shift, starting "
        f"{begins:%a %d %b %Y} at {begins:%H:%M}."
    )
    status = {"none": "not started", "draft": "draft, not yet submitted"}.get(board.status)
    if status is None:
        status = "submitted"
        if board.written_by:
            status += f" by {board.written_by}"
        if board.submitted_at:
            status += f" at {_when(board.submitted_at, begins.date())}"
    lines += _wrap(f"Handover: {status}.")
    lines += _wrap(
        f"On shift: {_names(board.incoming_staff, 'nobody signed on yet')}. "
        f"Shift leader: {board.leader or 'none named'}."
    )
    if board.no_cover:
        lines += _wrap(
            "NO COVER: "
            + ", ".join(
                f"{r.child} ({r.key_worker} absent, {r.absence_kind})" for r in board.no_cover
            )
            + ". Nobody is standing in for the key worker."
        )
    orphans = [r.child for r in board.rows if r.key_worker is None]
    if orphans:
        lines += _wrap(f"NO KEY WORKER: {', '.join(orphans)}.")
    unread = board.previous_unread
    if unread is not None:
        missing = [n for n in unread.missing if n != NOBODY_YET]
        who = f"not yet read by {', '.join(missing)}" if missing else "not yet read by anyone"
        lines += _wrap(f"UNREAD: the handover written by the {unread.shift.label()} is {who}.")
    return lines


def _for_cover(board: Board, day: dt.date) -> list[str]:
    lines = _wrap("For cover colleagues")
    for who, notes in board.for_cover:
        lines += _wrap(f"For {who}:", INDENT)
        for n in notes:
            kind = NOTE_WORDS.get(n.kind, n.kind)
            lines += _wrap(
                f"- {n.child}, {kind}, {n.by} at {_when(n.at, day)}: {n.text}", INDENT * 2
            )
    return lines


def _reading(board: Board) -> list[str]:
    if board.status != "submitted":
        return _wrap("Read by: nobody yet; the handover is not submitted.")
    lines = _wrap(f"Read by: {_names(board.acknowledged_by, 'nobody yet')}.")
    missing = board.not_acknowledged
    if missing:
        lines += _wrap(f"Not yet read by: {', '.join(missing)}.")
    elif not board.incoming_staff:
        lines += _wrap("Not yet read by: nobody has signed on to the shift yet.")
    return lines


def sheet(board: Board) -> str:
    """The whole board as plain text, every line at most WIDTH characters."""
    day = board.starts_at.date()
    rule = "=" * WIDTH
    lines = [*_heading(board), rule]
    if not board.rows:
        lines += _wrap("No children in placement.")
    for row in board.rows:
        lines += [*_child_block(row, day), ""]
    if board.home_notes.strip():
        lines += [rule, *_wrap("Home notes:")]
        for paragraph in board.home_notes.split("\n"):
            lines += _wrap(paragraph, INDENT)
    if board.for_cover:
        lines += [rule, *_for_cover(board, day)]
    lines += [rule, *_reading(board)]
    return "\n".join(lines)
