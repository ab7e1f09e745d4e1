"""Validated records held as their values: read back, they are the records."""

from __future__ import annotations

import datetime as dt

from keywork_tui.services.exchange.held_records import HeldRecords, column, values_at
from keywork_tui.services.exchange.import_format import (
    FileAllocation,
    FileHandoverEntry,
    entry_input,
)


def entries() -> list[FileHandoverEntry]:
    return [
        FileHandoverEntry.model_validate(
            {
                "child": f"c{n % 3}",
                "shift_date": "2026-03-0" + str(1 + n % 2),
                "shift": "night",
                "by": "s1",
                "mood": f"evening {n}",
                "bedtime_concern": "" if n % 2 else "dark",
            }
        )
        for n in range(7)
    ]


def test_records_read_back_whole_in_order_and_by_slice() -> None:
    made = entries()
    held = HeldRecords(FileHandoverEntry)
    for record in made:
        held.append(record)
    assert len(held) == 7
    assert list(held) == made and held[3] == made[3] and held[-1] == made[-1]
    assert held[2:5] == made[2:5]
    assert held[4].shift_ref == made[4].shift_ref  # a model again, with its methods
    assert list(column(held, "mood")) == [r.mood for r in made]
    assert list(column(made, "mood")) == [r.mood for r in made]


def test_days_and_short_values_are_shared_between_records() -> None:
    held = HeldRecords(FileHandoverEntry)
    for record in entries():
        held.append(record)
    days = list(column(held, "shift_date"))
    assert days[0] == days[2] == dt.date(2026, 3, 1) and days[0] is days[2]
    assert held[0].by is held[5].by


def test_a_field_under_another_name_in_the_file_reads_back() -> None:
    allocation = FileAllocation.model_validate({"child": "c1", "staff": "s1", "from": "2026-01-05"})
    held = HeldRecords(FileAllocation)
    held.append(allocation)
    assert held[0] == allocation and held[0].from_ == dt.date(2026, 1, 5)


def test_a_records_values_are_read_by_name_without_making_it() -> None:
    made = entries()
    held = HeldRecords(FileHandoverEntry)
    for record in made:
        held.append(record)
    for index, record in enumerate(made):
        values = values_at(held, index)
        assert not isinstance(values, FileHandoverEntry)
        assert {n: getattr(values, n) for n in FileHandoverEntry.model_fields} == dict(record)
        assert entry_input(values) == record.to_input()
    assert values_at(made, 2) is made[2]
