"""The editor for table questions: a grid with a cell cursor and the first column frozen,
the whole current row spelled out under it, rows edited in a dialog opened at the cell."""

from __future__ import annotations

from typing import Any, Protocol

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, DataTable, Static

from app.checklist.display import format_table
from app.checklist.model import Question
from app.tui.widgets.base import AnswerEditor
from app.tui.widgets.requests import AskDialog, ConfirmRequest, RowRequest, TableImportRequest


class Commit(Protocol):
    """Saves a whole table value at once (with a reason for the history, when given),
    raising `UserFacingError` when it is refused."""

    def __call__(self, value: Any | None, *, reason: str | None = None) -> object:
        """Save `value`; `None` removes the answer."""
        ...

FROZEN_COLUMN_WIDTH = 18
"""The most cells the frozen first column of a table takes."""

DEFAULT_ROWS_HINT = ("Suggested rows from the checklist, not saved yet. Adding, editing or "
                     "deleting a row saves the table as shown; “Use these rows” saves them "
                     "as they are.")


class TableEditor(AnswerEditor):
    """Rows of a table question; a row is added or edited in a dialog, one field per column.

    Keys while the table has focus: arrows move from cell to cell, a adds a row, e or
    enter edits the row at the cell (its field focused), d or delete deletes it, i imports
    the rows of a CSV or XLSX file in place of the table's. Deleting the last row removes
    the answer.
    """

    BINDINGS = [
        Binding("a", "add_row", "Add row"),
        Binding("e", "edit_row", "Edit row"),
        Binding("d,delete", "delete_row", "Delete row"),
        Binding("i", "import_rows", "Import rows…"),
    ]

    def __init__(self, question: Question, value: Any | None, *, commit: Commit,
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(question, value, id=id, classes=classes)
        self._commit = commit
        self._rows: list[dict[str, Any]] = []
        self._unsaved_defaults = False
        self._cursor: int | None = None

    @property
    def rows(self) -> list[dict[str, Any]]:
        """The rows shown (the saved answer, or the checklist's suggested rows)."""
        return [dict(row) for row in self._rows]

    def compose(self) -> ComposeResult:
        """The table, a hint line and the row buttons."""
        table: DataTable[Text] = DataTable(cursor_type="cell", zebra_stripes=True,
                                           fixed_columns=1)
        yield table
        yield Static("", classes="table-row-detail", markup=False)
        yield Static("", classes="table-hint", markup=False)
        with Horizontal(classes="table-buttons"):
            yield Button("Add row", id="add-row", compact=True)
            yield Button("Edit row", id="edit-row", compact=True)
            yield Button("Delete row", id="delete-row", compact=True)
            yield Button("Import rows…", id="import-rows", compact=True)
            yield Button("Use these rows", id="use-defaults", compact=True)

    def _load(self, value: Any | None) -> None:
        if isinstance(value, list) and value:
            self._rows = [dict(row) for row in value]
            self._unsaved_defaults = False
        elif self.locked:
            self._rows, self._unsaved_defaults = [], False
        else:
            self._rows = [dict(row) for row in self.question.default_rows]
            self._unsaved_defaults = bool(self._rows)
        self._show_rows(self._cursor)

    def make_read_only(self) -> None:
        """Read-only: no row buttons, and no suggested rows standing in for an answer."""
        super().make_read_only()
        self.query_one(".table-buttons").display = False
        if self._unsaved_defaults:
            self.load(None)

    def _show_rows(self, cursor: int | None = None) -> None:
        table = self.query_one(DataTable)
        header, *body = format_table(self.question, self._rows)
        required = {c.label for c in self.question.columns if c.required}
        table.clear(columns=True)
        labels = [Text(f"{label} *" if label in required else label) for label in header]
        # The frozen first column is kept narrow so the columns beside it stay in view; the
        # row's detail line below spells out what it cuts.
        first = max([labels[0].cell_len, *(len(cells[0]) for cells in body)])
        table.add_column(labels[0], width=min(first, FROZEN_COLUMN_WIDTH))
        for label in labels[1:]:
            table.add_column(label)
        for index, cells in enumerate(body):
            table.add_row(*[Text(cell) for cell in cells], key=str(index))
        if cursor is not None and body:
            table.move_cursor(row=min(cursor, len(body) - 1))
        self._show_detail()
        hint = self.query_one(".table-hint", Static)
        if self._unsaved_defaults:
            hint.update(DEFAULT_ROWS_HINT)
        elif not body:
            hint.update("No rows." if self.locked else "No rows yet: add one.")
        else:
            hint.update("")
        hint.display = bool(self._unsaved_defaults or not body)
        self.query_one("#use-defaults", Button).display = self._unsaved_defaults
        self.query_one("#edit-row", Button).disabled = not body
        self.query_one("#delete-row", Button).disabled = not body

    def show_row(self, index: int) -> None:
        """Put the cursor on row `index` (the last row if there are fewer) and focus it."""
        if self._rows:
            self._cursor = min(index, len(self._rows) - 1)
            table = self.query_one(DataTable)
            table.move_cursor(row=self._cursor)
            table.focus()

    def _show_detail(self) -> None:
        """The whole row under the cursor, column by column, the cell's column marked."""
        detail = self.query_one(".table-row-detail", Static)
        index = self._selected()
        if index is None:
            detail.display = False
            return
        header, cells = format_table(self.question, [self._rows[index]])
        column = self.query_one(DataTable).cursor_column
        parts = [f"{'▸' if number == column else ''}{label}: {cell or '—'}"
                 for number, (label, cell) in enumerate(zip(header, cells, strict=True))]
        detail.update(f"Row {index + 1} of {len(self._rows)} · " + " · ".join(parts))
        detail.display = True

    @on(DataTable.CellHighlighted)
    def _cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        event.stop()
        self._show_detail()

    def on_saved(self, value: Any | None) -> None:
        """Show the rows as the service stored them."""
        self.load(value)

    # ---- actions ------------------------------------------------------------------------

    def _selected(self) -> int | None:
        table = self.query_one(DataTable)
        if not self._rows or table.cursor_row < 0:
            return None
        return min(table.cursor_row, len(self._rows) - 1)

    def action_add_row(self) -> None:
        """Open the row dialog for a new row at the end."""
        rows = self.rows

        def submit(row: dict[str, Any]) -> None:
            self._commit([*rows, row])

        self.post_message(AskDialog(RowRequest(
            self.question, None, submit, title=f"Add a row — {self.question.prompt}",
            done=lambda result: self._after_dialog(len(rows) if result is not None else None))))

    def action_edit_row(self) -> None:
        """Open the row dialog on the selected row."""
        index = self._selected()
        if index is None:
            self.notify("There is no row to edit: add one first.", severity="warning")
            return
        rows = self.rows

        def submit(row: dict[str, Any]) -> None:
            self._commit([*rows[:index], row, *rows[index + 1:]])

        self.post_message(AskDialog(RowRequest(
            self.question, rows[index], submit,
            title=f"Edit row {index + 1} — {self.question.prompt}",
            done=lambda result: self._after_dialog(index if result is not None else None),
            column=max(self.query_one(DataTable).cursor_column, 0))))

    def action_delete_row(self) -> None:
        """Delete the selected row, after confirmation if it is saved, and save the table
        (the history keeps the old rows)."""
        index = self._selected()
        if index is None:
            self.notify("There is no row to delete.", severity="warning")
            return
        if self._unsaved_defaults:
            self._delete(index)
            return
        first = format_table(self.question, [self._rows[index]])[1][0] or "(blank)"
        self.post_message(AskDialog(ConfirmRequest(
            f"Delete row {index + 1} — {first}",
            f"The row “{first}” of “{self.question.prompt}” will be removed and the table "
            "saved. The history keeps the old rows.", confirm="Delete the row", danger=True,
            done=lambda confirmed: self._delete(index) if confirmed else None)))

    def _delete(self, index: int) -> None:
        rows = self.rows
        if index >= len(rows):
            return
        del rows[index]
        self._cursor = index
        self.edited(rows or None, debounce=False)

    def action_import_rows(self) -> None:
        """Open the import dialog: a file's rows, every cell checked, replace the table's
        (after a confirmation when rows are saved)."""
        if self.locked:
            return
        saved = 0 if self._unsaved_defaults else len(self._rows)

        def submit(rows: list[dict[str, Any]], reason: str) -> None:
            self._commit(rows, reason=reason)

        def done(count: int | None) -> None:
            if count is not None:
                kept = "; the history keeps the rows they replace" if saved else ""
                self.notify(f"Imported {count:,} row{'' if count == 1 else 's'}{kept}.")
            self._after_dialog(0 if count is not None else None)

        self.post_message(AskDialog(TableImportRequest(self.question, saved, submit, done)))

    def _after_dialog(self, cursor: int | None) -> None:
        if cursor is not None:
            self._cursor = cursor
            self._show_rows(cursor)
        self.query_one(DataTable).focus()

    @on(DataTable.CellSelected)
    def _edit_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        self.action_edit_row()

    @on(Button.Pressed, "#add-row")
    def _add_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_add_row()

    @on(Button.Pressed, "#edit-row")
    def _edit_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_edit_row()

    @on(Button.Pressed, "#delete-row")
    def _delete_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_delete_row()

    @on(Button.Pressed, "#import-rows")
    def _import_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_import_rows()

    @on(Button.Pressed, "#use-defaults")
    def _use_defaults(self, event: Button.Pressed) -> None:
        event.stop()
        self.edited(self.rows, debounce=False)
