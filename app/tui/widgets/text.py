"""Editors for text typed by the user: one line (short text) and many lines (long text)."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.widgets import Input, TextArea

from app.tui.widgets.base import AnswerEditor


class LineEditor(AnswerEditor):
    """A one-line Input whose text goes to the service as typed; Enter saves at once.

    The service parses and checks the text (dates, numbers, lengths); a refused value is
    reported by the question card next to the field.
    """

    LOAD_MESSAGES = (Input.Changed,)
    PLACEHOLDER: ClassVar[str] = "Type the answer"

    def compose(self) -> ComposeResult:
        """The Input."""
        yield Input(placeholder=self.PLACEHOLDER, select_on_focus=False)

    def _load(self, value: Any | None) -> None:
        field = self.query_one(Input)
        field.value = self.to_text(value)
        field.cursor_position = len(field.value)

    def to_text(self, value: Any | None) -> str:
        """The stored value as the text shown in the field."""
        return "" if value is None else str(value)

    def on_input_changed(self, event: Input.Changed) -> None:
        """Typing: report the text, to be saved after a pause."""
        event.stop()
        self.edited(event.value if event.value.strip() else None, debounce=True)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter: report the text to be saved now."""
        event.stop()
        self.edited(event.value if event.value.strip() else None, debounce=False)


class ShortTextEditor(LineEditor):
    """A short, single-line text answer."""


class Editor(TextArea):
    """A TextArea that stops watching the app's theme once it is removed.

    Textual (issue #6666) leaves each TextArea's watcher of `app.theme` registered after
    the widget is gone, and the watcher keeps the removed editor, and all it holds, alive
    until the theme next changes.
    """

    def on_unmount(self) -> None:
        """Drop this editor's watchers of the app (only Textual's own theme watcher)."""
        watchers = getattr(self.app, "__watchers", {})
        for entries in watchers.values():
            entries[:] = [(node, callback) for node, callback in entries if node is not self]


class NoteArea(Editor):
    """A question's note: a multi-line area that grows with its text (Tab leaves it)."""

    DEFAULT_CSS = """
    NoteArea {
        height: auto;
        min-height: 1;
        max-height: 12;
    }
    """

    def __init__(self, *, classes: str | None = None) -> None:
        super().__init__(soft_wrap=True, show_line_numbers=False, compact=True,
                         placeholder="Note (optional)", classes=classes)


class LongTextEditor(AnswerEditor):
    """A long text answer in a multi-line TextArea (Tab leaves the field)."""

    LOAD_MESSAGES = (TextArea.Changed,)

    def compose(self) -> ComposeResult:
        """The TextArea."""
        yield Editor(soft_wrap=True, show_line_numbers=False)

    def _load(self, value: Any | None) -> None:
        area = self.query_one(TextArea)
        area.load_text("" if value is None else str(value))
        area.move_cursor(area.document.end)  # typing adds to the text, never prepends

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        """Typing: report the text, to be saved after a pause."""
        event.stop()
        text = event.text_area.text
        self.edited(text if text.strip() else None, debounce=True)
