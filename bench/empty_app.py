"""The baseline for first paint: an empty Textual app with a header, a table of
eight rows and a footer, as small as a Textual app that shows data can be."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header


class EmptyApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable()
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Name", "State", "Due")
        for n in range(1, 9):
            table.add_row(f"Row {n} name", "settled", f"{n} Dec")


if __name__ == "__main__":
    EmptyApp().run()
