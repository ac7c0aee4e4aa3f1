"""Import the rows of a table question from a CSV or XLSX file, replacing its rows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Footer, Input, Label, LoadingIndicator, Static

from app.audit import import_reason, table_rows_from_file
from app.checklist.model import Question
from app.errors import UserFacingError
from app.safe_text import terminal_safe_line
from app.tui.dialogs import unquoted
from app.tui.dialogs.confirm import ConfirmDialog
from app.tui.dialogs.job import JobDialog, JobWidgets
from app.tui.widgets.path_input import COMPLETION_HELP, PathInput

TABLE_SUFFIXES = (".csv", ".xlsx")
"""The files the path field offers (and the service reads)."""

Submit = Callable[[list[dict[str, Any]], str], object]
"""Saves the rows with the reason for the history, raising `UserFacingError` if refused."""


def rows_text(count: int) -> str:
    """"1 row", "12 rows"."""
    return f"{count:,} row{'' if count == 1 else 's'}"


class TableImportDialog(JobDialog[int | None]):
    """Read a table file, check every cell as if typed in, and save its rows in place of
    the table's.

    The file is read and checked in a worker thread; when the table has saved rows, a red
    confirmation says how many the import replaces. A refusal (no such file, a missing or
    unknown column, a bad cell: its line and column named) is shown here and nothing is
    saved. Returns the number of rows saved, or `None` when cancelled.
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "import_rows", "Import"),
    ]

    AUTO_FOCUS = "#import-path"

    JOB_WIDGETS = JobWidgets(busy="#import-busy", error="#import-error", buttons="#import")

    def __init__(self, question: Question, saved_rows: int, submit: Submit) -> None:
        super().__init__(classes="dialog-screen")
        self.question = question
        """The table question whose rows the file replaces."""
        self.saved_rows = saved_rows
        """How many saved rows the import replaces."""
        self._submit = submit

    def compose(self) -> ComposeResult:
        """What the import does, the path field, a message line and the buttons."""
        columns = ", ".join(column.id for column in self.question.columns)
        if self.saved_rows:
            replaces = (f"The import REPLACES the {rows_text(self.saved_rows)} saved in this "
                        "table with the file's rows (the history keeps the old ones).")
        else:
            replaces = "The import REPLACES the table's rows with the file's rows."
        with Vertical(classes="dialog"):
            yield Static(f"Import rows — {self.question.prompt}", classes="dialog-title",
                         markup=False)
            yield Static(Content.styled(replaces, "bold $error" if self.saved_rows
                                        else "bold"), id="import-replaces")
            yield Static("A .csv or .xlsx file whose first line names the columns by id "
                         f"({columns}), as the CSV and XLSX exports write them. Every cell "
                         "is checked as if typed in: a file with any bad cell is refused "
                         "and nothing is saved.", classes="field-help", markup=False)
            yield Label("File", classes="field-label")
            yield PathInput(placeholder="path of the file, e.g. ~/audit/agencies.csv",
                            id="import-path", suffixes=TABLE_SUFFIXES)
            yield Static(COMPLETION_HELP,
                         classes="field-help", markup=False)
            yield LoadingIndicator(id="import-busy")
            yield Static("", id="import-error", classes="dialog-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Import", id="import", variant="primary")
                yield Button("Cancel", id="cancel")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        """No message and no activity yet."""
        self.hide_job_status()

    def action_import_rows(self) -> None:
        """Read and check the file in a worker; then confirm the replacement and save."""
        text = unquoted(self.query_one("#import-path", Input).value.strip())
        if not text:
            self.show_job_error("give the path of the .csv or .xlsx file to import")
            return
        path = Path(text).expanduser()
        question = self.question

        def read() -> list[dict[str, Any]]:
            return table_rows_from_file(question, path)

        self.run_job(read, lambda rows: self._read(path, rows),
                     unexpected="the file could not be read")

    def _read(self, path: Path, rows: list[dict[str, Any]]) -> None:
        """The file's rows passed every check: confirm replacing saved rows, then save."""
        name = terminal_safe_line(path.name)
        if not rows:
            self.show_job_error(f"{name} names the columns but has no rows; nothing was "
                                "saved")
            return
        if not self.saved_rows:
            self._save(path, rows)
            return

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self._save(path, rows)
            else:
                self.query_one("#import-path", Input).focus()

        prompt = terminal_safe_line(self.question.prompt)
        self.app.push_screen(ConfirmDialog(
            f"Replace {rows_text(self.saved_rows)}? — {prompt}",
            f"The {rows_text(self.saved_rows)} saved in “{prompt}” will be replaced by the "
            f"{rows_text(len(rows))} of {name}. The history keeps the old rows.",
            confirm=f"Replace {rows_text(self.saved_rows)}", danger=True), answered)

    def _save(self, path: Path, rows: list[dict[str, Any]]) -> None:
        try:
            self._submit(rows, import_reason(path))
        except UserFacingError as exc:
            self.show_job_error(str(exc))
            return
        self.dismiss(len(rows))

    def action_cancel(self) -> None:
        """Close without importing anything."""
        self.dismiss(None)

    @on(Button.Pressed, "#import")
    @on(Input.Submitted)
    def _import_pressed(self) -> None:
        self.action_import_rows()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()
