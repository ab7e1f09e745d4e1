"""Columns fit the width they have: names shorten before status columns go."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.text import Text

from screens.widgets.fitted_table import Col, clipped, fit

COLS = (
    Col("Child", least=8),
    Col("State"),
    Col("Key worker", least=8),
    Col("Next 24h", least=6, drop=1),
)


def rows(name: str) -> list[list[Text]]:
    return [[Text(name), Text("✗ none"), Text("Sophie ✗ → Rachel"), Text("tmrw Family time")]]


def test_everything_fits_at_its_natural_width_when_there_is_room() -> None:
    layout = fit(COLS, rows("Jo Reed"), room=200)
    assert layout == [(0, 7), (1, 6), (2, 17), (3, 16)]


def test_a_long_name_shortens_and_the_status_columns_stay() -> None:
    layout = fit(COLS, rows("A" * 60), room=78)
    assert [i for i, _ in layout] == [0, 1, 2, 3]
    widths = dict(layout)
    assert widths[1] == 6 and widths[2] == 17  # the state and cover read whole
    assert sum(w + 2 for w in widths.values()) <= 78


def test_the_least_needed_column_shortens_first_then_goes() -> None:
    widths = dict(fit(COLS, rows("Jo Reed"), room=50))
    assert widths[3] < 16 and widths[2] == 17
    assert [i for i, _ in fit(COLS, rows("Jo Reed"), room=30)] == [0, 1, 2]


def test_a_clipped_cell_ends_in_an_ellipsis_and_keeps_its_style() -> None:
    cell = clipped(Text("Ethan Price-Hall", style="bold"), 10)
    assert isinstance(cell, Text)
    assert cell.plain == "Ethan Pri…" and cell.style == "bold"
    assert clipped(Text("Mo"), 10).plain == "Mo"


@given(
    names=st.lists(st.text(min_size=0, max_size=80), min_size=1, max_size=8),
    room=st.integers(min_value=40, max_value=250),
)
def test_the_table_never_needs_sideways_scrolling(names: list[str], room: int) -> None:
    table = [row for name in names for row in rows(name)]
    layout = fit(COLS, table, room)
    widths = dict(layout)
    assert {0, 1, 2} <= set(widths)  # only the droppable column may go
    assert sum(w + 2 for w in widths.values()) <= room
    natural = {i: max(len(COLS[i].label), *(r[i].cell_len for r in table)) for i in widths}
    assert all(widths[i] >= min(COLS[i].least or 0, natural[i]) for i in widths)
