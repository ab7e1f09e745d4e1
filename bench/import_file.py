"""A keywork-import/1 file made from a home the generator built, for timing
`keywork import` on a home of any size (`make bench` writes one per home).

It reads the database file directly, as a provider's own export would, and
writes what the import format holds: staff, children, allocations, absences,
covers, sessions, reviews, targets, events and handover entries."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path
from typing import Any


def import_file(database: Path) -> dict[str, Any]:
    db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    db.row_factory = sqlite3.Row

    def rows(sql: str) -> list[sqlite3.Row]:
        return list(db.execute(sql))

    [home] = rows("select * from home")
    staff_ref = {s["id"]: f"s{s['id']}" for s in rows("select id from staff")}
    child_ref = {c["id"]: f"c{c['id']}" for c in rows("select id from child")}
    data: dict[str, Any] = {
        "format": "keywork-import/1",
        "home": {
            "name": home["name"],
            "nation": home["nation"],
            "profile": home["profile"],
            "day_shift_starts": home["day_shift_starts"],
            "night_shift_starts": home["night_shift_starts"],
        },
        "staff": [
            {
                "ref": staff_ref[s["id"]],
                "name": s["name"],
                "role": s["role"],
                "induction_done": bool(s["induction_done"]),
                "level3": bool(s["level3"]),
                "level3_on": s["level3_on"],
                "interests": s["interests"],
            }
            for s in rows("select * from staff order by role != 'manager', id")
        ],
        "children": [
            {
                "ref": child_ref[c["id"]],
                **{k: c[k] for k in ("first_name", "last_name", "preferred_name", "placement")},
                **{k: c[k] for k in ("school", "likes", "dislikes", "interests", "fears")},
                "date_of_birth": c["date_of_birth"],
                "admitted_on": c["admitted_on"],
                "left_on": c["left_on"],
            }
            for c in rows("select * from child order by id")
        ],
        "allocations": [
            {
                "child": child_ref[a["child_id"]],
                "staff": staff_ref[a["staff_id"]],
                "from": a["starts_on"],
                "to": a["ends_on"],
                "reason": a["reason"],
                "reason_note": a["reason_note"],
                "role": a["role"],
            }
            for a in rows("select * from key_worker_allocation order by starts_on, id")
        ],
        "absences": [
            {
                "staff": staff_ref[a["staff_id"]],
                "from": a["starts_on"],
                "to": a["ends_on"],
                "kind": a["kind"],
                "note": a["note"],
            }
            for a in rows("select * from absence order by id")
        ],
        "covers": [
            {
                "child": child_ref[c["child_id"]],
                "staff": staff_ref[c["staff_id"]],
                "from": c["starts_on"],
                "to": c["ends_on"],
            }
            for c in rows("select * from cover order by id")
        ],
        "sessions": [_session(s, child_ref, staff_ref) for s in rows("select * from key_session")],
        "reviews": [
            {
                "child": child_ref[r["child_id"]],
                "document": r["document"],
                "reviewed_on": r["reviewed_on"],
                "outcome": r["outcome"],
                "by": staff_ref[r["by_id"]],
                "note": r["note"],
            }
            for r in rows("select * from document_review order by reviewed_on, id")
        ],
        "targets": [
            {
                "child": child_ref[t["child_id"]],
                "text": t["text"],
                "set_on": t["set_on"],
                "review_by": t["review_by"],
                "outcome": t["outcome"],
                "reviewed_on": t["reviewed_on"] if t["outcome"] else None,
            }
            for t in rows("select * from target order by set_on, id")
        ],
        "events": [
            {
                "child": child_ref[e["child_id"]],
                "date": e["date"],
                "kind": e["kind"],
                "yearly": bool(e["yearly"]),
                "note": e["note"],
            }
            for e in rows("select * from personal_event order by id")
        ],
        "handover_entries": [
            {
                "child": child_ref[e["child_id"]],
                "shift_date": e["shift_date"],
                "shift": e["shift"],
                "by": staff_ref[e["by_id"]],
                **{k: e[k] for k in ("state", "mood", "events", "bedtime_concern", "actions")},
            }
            for e in rows(
                "select e.*, h.shift_date, h.shift from handover_entry e"
                " join handover h on h.id = e.handover_id"
                " where e.by_id is not null and not e.nothing_to_add and not e.not_mentioned"
                " order by h.shift_date, h.shift, e.id"
            )
        ],
    }
    db.close()
    return data


def _session(
    s: sqlite3.Row, child_ref: dict[int, str], staff_ref: dict[int, str]
) -> dict[str, Any]:
    return {
        "child": child_ref[s["child_id"]],
        "staff": staff_ref[s["staff_id"]],
        "held_at": _minute(s["held_at"]),
        "kind": s["kind"],
        "minutes": s["minutes"],
        "activity": s["activity"],
        "summary": s["summary"],
        "views": s["views"],
        "concern": s["concern_text"] if s["concern"] else None,
        "finalised_at": _minute(s["finalised_at"]) if s["finalised_at"] else None,
    }


def _minute(stored: str) -> str:
    """A stored moment as the file writes it: YYYY-MM-DDTHH:MM."""
    return stored[:16].replace(" ", "T")


if __name__ == "__main__":
    json.dump(import_file(Path(sys.argv[1])), sys.stdout, ensure_ascii=False)
