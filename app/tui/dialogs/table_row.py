"""A dialog to add or edit one row of a table question: one typed field per column."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Footer, Input, Label, Select, SelectionList, Static, TextArea
from textual.widgets.selection_list import Selection

from app.checklist.model import Column, Question, QuestionType
from app.checklist.values import InvalidValue
from app.errors import UserFacingError
from app.tui.dialogs import show_message
from app.tui.dialogs.confirm import ConfirmDialog
from app.tui.widgets.text import Editor
from app.tui.widgets.ticklist import TickList

PLACEHOLDERS = {QuestionType.DATE: "YYYY-MM-DD", QuestionType.NUMBER: "A number"}


class RowDialog(ModalScreen[dict[str, Any] | None]):
    """Edit one table row; returns the row as entered, or `None` when cancelled.

    `submit` receives the row and saves the whole table through the service; if it raises
    `UserFacingError` the message is shown here and the dialog stays open, so nothing
    typed is lost.
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save row"),
    ]

    AUTO_FOCUS = ""

    def __init__(self, question: Question, row: dict[str, Any] | None,
                 submit: Callable[[dict[str, Any]], object], *, title: str,
                 column: int = 0) -> None:
        super().__init__(classes="dialog-screen")
        self.question = question
        """The table question whose row is edited."""
        self.row = dict(row or {})
        """The row as it was when the dialog opened (empty for a new row)."""
        self._submit = submit
        self._title = title
        self._column = column
        self._opened_with: dict[str, Any] | None = None

    def compose(self) -> ComposeResult:
        """A labelled field per column, an error line and the buttons."""
        with Vertical(classes="dialog"):
            yield Static(self._title, classes="dialog-title", markup=False)
            with VerticalScroll(classes="dialog-body") as body:
                body.can_focus = False  # Tab goes from field to field
                for index, column in enumerate(self.question.columns):
                    label = f"{column.label} *" if column.required else column.label
                    yield Label(Content(label), classes="field-label")
                    yield _field(column, self.row.get(column.id), f"col-{index}")
                    if column.help:
                        yield Static(column.help, classes="field-help", markup=False)
            yield Static("", id="row-error", classes="dialog-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save row", id="save", variant="primary")
                yield Button("Cancel", id="cancel")
        yield Footer(show_command_palette=False)

    def value(self) -> dict[str, Any]:
        """The row as entered: column id to value, empty fields left out."""
        row: dict[str, Any] = {}
        for index, column in enumerate(self.question.columns):
            value = _read(self.query_one(f"#col-{index}"))
            if value is not None:
                row[column.id] = value
        return row

    def action_save(self) -> None:
        """Save through `submit`; close on success, else show why."""
        row = self.value()
        try:
            self._submit(row)
        except UserFacingError as exc:
            # the dialog is the row: its question and row number go without saying
            reason = exc.relative(2, "the row") if isinstance(exc, InvalidValue) else str(exc)
            show_message(self.query_one("#row-error", Static), reason)
            return
        self.dismiss(row)

    def on_mount(self) -> None:
        """Focus the field of the chosen column (keeping its label in view); no message
        yet."""
        fields = self.query(f"#col-{self._column}")
        (fields.first() if fields else self.query_one("#col-0")).focus(scroll_visible=False)
        show_message(self.query_one("#row-error", Static), "")
        self._opened_with = self.value()

    def action_cancel(self) -> None:
        """Close without saving; with edits not saved, ask first (Escape there, or its
        Cancel, comes back to the row as typed)."""
        if self._opened_with is None or self.value() == self._opened_with:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmDialog(
            "Discard the changes to this row?",
            "The fields typed in this dialog have not been saved. Discard them, or go back "
            "(Escape) and save the row with ctrl+s.", confirm="Discard", danger=True),
            answered)

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    @on(Input.Submitted)
    def _enter_pressed(self) -> None:
        self.action_save()


def _field(column: Column, value: Any, field_id: str) -> Widget:
    """The widget that edits one cell of `column`, showing `value`."""
    kind = column.type
    if kind in (QuestionType.YES_NO_UNKNOWN, QuestionType.SINGLE_CHOICE):
        options = [(Text(column.label_for(v)), v) for v in column.option_values()]
        return Select(options, prompt="Choose…", allow_blank=True, id=field_id, compact=True,
                      value=value if value in column.option_values() else Select.NULL)
    if kind == QuestionType.MULTIPLE_CHOICE:
        chosen = set(value or [])
        return TickList(*[Selection(Content(column.label_for(v)), v, v in chosen)
                          for v in column.option_values()], id=field_id, compact=True)
    if kind == QuestionType.LONG_TEXT:
        return Editor("" if value is None else str(value), id=field_id, soft_wrap=True,
                        compact=True)
    return Input("" if value is None else str(value), placeholder=PLACEHOLDERS.get(kind, ""),
                 id=field_id, compact=True)


def _read(widget: Widget) -> Any:
    """The value of a cell field, `None` when left empty."""
    if isinstance(widget, Select):
        return None if widget.value is Select.NULL else widget.value
    if isinstance(widget, SelectionList):
        return list(widget.selected) or None
    if isinstance(widget, TextArea):
        return widget.text if widget.text.strip() else None
    if isinstance(widget, Input):
        return widget.value if widget.value.strip() else None
    return None
