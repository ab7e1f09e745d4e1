"""A row table whose columns fit the width it has, never scrolling sideways.

When the rows are wider than the table, names and other long text shorten
with an ellipsis first (down to each column's `least`); only then do the
least needed columns go, highest `drop` first. The detail pane under each
table gives the full text of the highlighted row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple, overload

from rich.console import RenderableType
from rich.text import Text
from textual import events
from textual.widgets import DataTable


class Col(NamedTuple):
    """A column of a table that fits its width: how far it may shorten, when it goes."""

    label: str
    least: int | None = None  # may shorten to this many cells; None keeps its width
    drop: int = 0  # 0 always shows; on a narrow table the highest goes first
    width: int | None = None  # fixed, for a cell that is not text


Cells = Sequence[RenderableType]


def natural_width(col: Col, cells: Sequence[RenderableType]) -> int:
    if col.width is not None:
        return col.width
    return max([len(col.label), *(_cell_len(c) for c in cells)])


def _cell_len(cell: RenderableType) -> int:
    return cell.cell_len if isinstance(cell, Text) else len(str(cell))


def fit(
    cols: Sequence[Col], rows: Sequence[Cells], room: int, padding: int = 2
) -> list[tuple[int, int]]:
    """The (column index, width) pairs that fit in `room` cells, each column
    taking `padding` more. Shortens a cell at a time (see `_shorten`), so long
    names share the loss, then drops columns by `drop`."""
    shown = list(range(len(cols)))
    widths = {i: natural_width(cols[i], [r[i] for r in rows]) for i in shown}
    while True:
        excess = sum(widths[i] + padding for i in shown) - room
        if excess <= 0:
            break
        if _shorten(cols, shown, widths, excess):
            continue
        droppable = [i for i in shown if cols[i].drop]
        if not droppable:
            break  # nothing more to give: the last column is cut by the screen
        gone = max(droppable, key=lambda i: (cols[i].drop, i))
        shown.remove(gone)
        widths = {i: natural_width(cols[i], [r[i] for r in rows]) for i in shown}
    return [(i, widths[i]) for i in shown]


def _shorten(cols: Sequence[Col], shown: list[int], widths: dict[int, int], excess: int) -> bool:
    """Take up to `excess` cells from the shortenable columns: the least
    needed (highest `drop`) first, and among equals the widest first; False
    when none can give any more."""
    taken = 0
    while taken < excess:
        able = [
            i for i in shown if cols[i].least is not None and widths[i] > max(cols[i].least or 0, 1)
        ]
        if not able:
            break
        tier = max(cols[i].drop for i in able)
        widest = max((i for i in able if cols[i].drop == tier), key=lambda i: widths[i])
        widths[widest] -= 1
        taken += 1
    return taken > 0


@overload
def clipped(cell: Text, width: int) -> Text: ...
@overload
def clipped(cell: RenderableType, width: int) -> RenderableType: ...
def clipped(cell: RenderableType, width: int) -> RenderableType:
    if not isinstance(cell, Text) or cell.cell_len <= width:
        return cell
    short = cell.copy()
    short.truncate(width, overflow="ellipsis")
    return short


class FittedTable(DataTable[RenderableType]):
    """A row-cursor DataTable filled through `show_rows`, re-fitted on resize."""

    def __init__(self, cols: Sequence[Col], **kwargs: object) -> None:
        kwargs.setdefault("cursor_type", "row")
        kwargs.setdefault("zebra_stripes", True)
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.cols = list(cols)
        self._rows: list[tuple[str, Cells]] = []
        self._fitted_to = -1

    def show_rows(self, rows: Sequence[tuple[str, Cells]], cursor: int | None = None) -> None:
        """Replace every row (key, cells); the cursor stays on its row number
        unless `cursor` says where."""
        keep = self.cursor_row if cursor is None else cursor
        self._rows = list(rows)
        self._build()
        if self._rows:
            self.move_cursor(row=min(max(keep, 0), len(self._rows) - 1))

    def _room(self) -> int:
        # Room is kept for the vertical scrollbar, in case the rows overflow.
        width = self.size.width or self.app.size.width
        return width - self.styles.scrollbar_size_vertical

    def _build(self) -> None:
        room = self._room()
        layout = fit(
            self.cols, [cells for _, cells in self._rows], room, padding=2 * self.cell_padding
        )
        self._fitted_to = room
        self.clear(columns=True)
        for i, width in layout:
            self.add_column(clipped(Text(self.cols[i].label), width), width=width)
        for key, cells in self._rows:
            self.add_row(*(clipped(cells[i], width) for i, width in layout), key=key)

    def on_resize(self, _: events.Resize) -> None:
        if self._rows and self._room() != self._fitted_to:
            self.show_rows(self._rows)
