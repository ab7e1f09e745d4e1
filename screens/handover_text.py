"""How the handover board reads: words and symbols first, colour only on top,
so it reads right with NO_COLOR, on a monochrome SSH terminal and at 80x24."""

from __future__ import annotations

from rich.text import Text

from keywork_tui.services.handover.away import Digest
from keywork_tui.services.handover.board import Board, BoardRow
from keywork_tui.services.handover.notes import Note
from keywork_tui.services.handover.on_shift import NOBODY_YET

from .widgets.text import plain

STATUS_WORDS = {"on_shift": "✓ on shift", "off_duty": "○ off duty", "absent": "✗ absent"}
STATE_WORDS = {"settled": "settled", "watch": "! watch", "unsettled": "‼ unsettled"}
FIELD_WORDS = {
    "state": "state",
    "mood": "mood",
    "events": "events",
    "bedtime_concern": "bedtime concern",
    "actions": "actions",
}


def shift_line(board: Board) -> Text:
    status = {"none": "not started", "draft": "draft", "submitted": "submitted"}[board.status]
    text = Text.assemble(
        (board.outgoing.label(), "bold"),
        f" → {board.incoming.name} shift at {board.starts_at:%H:%M}",
        f" · handover {status}",
    )
    if board.when != "now":
        text.append(f"  ({board.when} handover: t for now)", style="italic")
    text.append("\nOn next: ")
    text.append_text(plain(", ".join(board.incoming_staff) or "nobody signed on yet (o)"))
    if board.leader:
        text.append("  · leads: ")
        text.append_text(plain(board.leader))
    return text


def alerts(board: Board) -> Text:
    """The alarms above the table, each its own line: a child with no key
    worker, an absent key worker nobody stands in for, an unread handover."""
    lines = []
    orphans = [r.child for r in board.rows if r.key_worker is None]
    if orphans:
        lines.append(
            Text.assemble(
                ("‼ NO KEY WORKER: ", "bold"),
                plain(", ".join(orphans)),
                " — none allocated: a manager allocates one (F6).",
            )
        )
    uncovered = [r.child for r in board.rows if r.no_cover]
    if uncovered:
        lines.append(
            Text.assemble(
                ("‼ NO COVER: ", "bold"),
                plain(", ".join(uncovered)),
                " — the key worker is away and nobody stands in.",
            )
        )
    for row in board.rows:
        for note in row.significant:
            lines.append(
                Text.assemble(
                    ("‼ SIGNIFICANT EVENT: ", "bold"),
                    plain(row.child),
                    " — ",
                    plain(note.text.split(":")[0]),
                    f" (recorded {note.at:%H:%M} by ",
                    plain(note.by),
                    ").",
                )
            )
    unread = board.previous_unread
    if unread is not None:
        names = [n for n in unread.missing if n != NOBODY_YET]
        lines.append(
            Text.assemble(
                ("‼ NOT YET READ BY: ", "bold"),
                plain(", ".join(names) or "anyone"),
                f" — the {unread.shift.name} handover of {unread.shift.date:%a %d %b}.",
            )
        )
    return Text("\n").join(lines)


def empty_home_words(is_manager: bool) -> str:
    """What to do next in a home with no children yet (a fresh `keywork init`)."""
    if is_manager:
        return (
            "No children in placement yet. To set the home up: F6 then 1 (Staff), a "
            "adds each colleague and i gives them a set-up code for their first PIN; "
            "F6 then 2 (Key workers), n admits a child with their key worker; F6 then 6 "
            "(Home) sets terms and the rules. A whole home can also be loaded with "
            "`keywork import`."
        )
    return (
        "No children in placement yet. A manager admits children in the manager's "
        "workspace (F6); ask them if you expected to see someone here."
    )


def away_line(digest: Digest) -> Text:
    count = len(digest.notes)
    since = f"{digest.since:%a %d %b %H:%M}" if digest.since else "your last shift"
    return Text.assemble(
        ("☞ Since you were away", "bold"),
        f" ({since}): {count} thing{'s' if count != 1 else ''} recorded about your key "
        "children. Press d to read.",
    )


def reading_line(board: Board) -> Text:
    text = Text()
    if board.for_cover:
        text.append("For cover: ", style="bold")
        text.append_text(
            plain(", ".join(f"{who} ({len(notes)})" for who, notes in board.for_cover))
        )
        text.append("  (v to read)\n")
    if board.status != "submitted":
        text.append("Not submitted yet: w to write it.", style="italic")
        return text
    text.append("Read by: ")
    text.append_text(plain(", ".join(board.acknowledged_by) or "nobody yet"))
    if board.not_acknowledged:
        text.append("   ✗ Not yet: ", style="bold")
        text.append_text(plain(", ".join(board.not_acknowledged)))
        text.append("  (a: I've read it)")
    return text


def bedtime_cell(row: BoardRow, night: bool) -> Text:
    if not row.bedtime:
        return Text("")
    # Night staff must not miss it; by day it is still listed.
    return Text("☾ YES", style="bold reverse") if night else Text("☾ yes")


def state_cell(row: BoardRow) -> Text:
    if row.entry is None:
        return Text("✗ none", style="italic")
    if row.entry.not_mentioned:
        return Text("– not said")
    if row.entry.nothing_to_add:
        return Text("– nothing")
    return Text(
        STATE_WORDS.get(row.entry.state, row.entry.state),
        style="bold" if row.entry.state != "settled" else "",
    )


SHORT_STATUS = {"on_shift": "✓ on", "off_duty": "○ off", "absent": "✗"}


def worker_cell(row: BoardRow, *, short: bool = False) -> Text:
    """The key worker and who stands in; `short` for the table, whose detail
    pane gives the full words (the kind of absence among them)."""
    if row.key_worker is None:
        return Text("‼ NO KEY WORKER", style="bold reverse")
    text = plain(row.key_worker.split(" ")[0])
    text.append(" ")
    if row.no_cover:
        words = "‼ NO COVER" if short else f"‼ NO COVER ({row.absence_kind})"
        text.append(words, style="bold reverse")
        return text
    if short:
        text.append(SHORT_STATUS.get(row.key_worker_status or "", ""))
    elif row.key_worker_status == "absent":
        text.append(f"✗ {row.absence_kind}")
    else:
        text.append(STATUS_WORDS.get(row.key_worker_status or "", ""))
    if row.cover:
        text.append(" → ")
        text.append_text(plain(row.cover.split(" ")[0], "bold"))
    return text


def next_cell(row: BoardRow) -> Text:
    if not row.events_next_24h:
        return Text("")
    first = row.events_next_24h[0].split(" (")[0]
    for long, short in (("Tomorrow: ", "tmrw "), ("Today: ", "today ")):
        first = first.replace(long, short)
    more = f" +{len(row.events_next_24h) - 1}" if len(row.events_next_24h) > 1 else ""
    return plain(first + more)


def late_cell(row: BoardRow) -> Text:
    """How many items are late and how many concerns are unseen, as on the
    key children screen: short, so a narrow table never cuts the flag."""
    parts = []
    if row.overdue_count:
        parts.append(f"‼ {row.overdue_count}")
    if row.unseen_concerns:
        parts.append(f"⚑{row.unseen_concerns}")
    return Text(" ".join(parts), style="bold" if parts else "")


def _labelled(text: Text, label: str, value: str, style: str = "") -> None:
    if value:
        text.append(f"\n{label}: ", style="bold")
        text.append_text(plain(value, style))


def detail(row: BoardRow, board: Board) -> Text:
    text = Text.assemble(plain(row.child, "bold"), "  ")
    text.append_text(worker_cell(row))
    entry = row.entry
    if entry is None:
        text.append("\nNo entry from the outgoing shift yet.", style="italic")
    elif entry.not_mentioned:
        text.append("\nNot mentioned in the shift's written record (imported).")
    elif entry.nothing_to_add:
        text.append(f"\nNothing to add ({entry.by}).")
    else:
        text.append(f"\nState: {STATE_WORDS.get(entry.state, entry.state)}  (by ")
        text.append_text(plain(entry.by))
        text.append(f", {entry.updated_at:%H:%M})")
        _labelled(text, "Mood", entry.mood)
        _labelled(text, "Events", entry.events)
        _labelled(text, "Actions", entry.actions)
        for a in entry.amendments:
            text.append(
                f"\n✎ Amended by {a.by} {a.at:%a %H:%M}: {FIELD_WORDS[a.field]} was ",
                style="italic",
            )
            text.append_text(plain(repr(a.original), "italic"))
            text.append(" — reason: ", style="italic")
            text.append_text(plain(a.reason, "italic"))
    for note in row.significant:
        text.append("\n‼ Significant event: ", style="bold")
        text.append_text(plain(f"{note.text} ({note.by}, {note.at:%a %H:%M})"))
    for note in row.bedtime:
        text.append_text(_bedtime_line(note))
    for item in row.events_next_24h:
        text.append("\n◷ ")
        text.append_text(plain(item))
    if row.overdue_count:
        text.append(f"\n{row.overdue_count} overdue item(s): see Overdue (F4).")
    if row.unseen_concerns:
        text.append(
            f"\n⚑ {row.unseen_concerns} session concern(s) not yet seen by a manager.", style="bold"
        )
    return text


def _bedtime_line(note: Note) -> Text:
    text = Text("\n☾ Bedtime: ", style="bold")
    text.append_text(plain(note.text))
    text.append_text(plain(f" ({note.source}, {note.by})", "italic"))
    return text


def cover_lines(board: Board) -> Text:
    text = Text()
    for who, notes in board.for_cover:
        text.append(f"\nFor {who}:" if text else f"For {who}:", style="bold")
        for n in notes:
            text.append(f"\n  {n.child} · {n.kind}: ")
            text.append_text(plain(n.text))
    return text
