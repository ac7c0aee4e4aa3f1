"""The base of every answer editor: a widget that edits one question's value."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input

from app.checklist.model import Question


class AnswerEditor(Widget):
    """Edits the value of one question and reports each edit with `AnswerEditor.Edited`.

    Subclasses compose their widgets empty and fill them in `_load`, which runs with the
    subclass's `LOAD_MESSAGES` prevented so that showing a saved value never saves it again.
    A value of `None` means "no answer" (an emptied field, a blank choice).
    """

    DEFAULT_CSS = """
    AnswerEditor {
        height: auto;
    }
    """

    LOAD_MESSAGES: ClassVar[tuple[type[Message], ...]] = ()
    """The change messages that loading a value would post, prevented while loading."""

    class Edited(Message):
        """The user changed the value; `debounce` asks the receiver to wait for a pause."""

        def __init__(self, editor: AnswerEditor, value: Any | None, debounce: bool) -> None:
            super().__init__()
            self.editor = editor
            """The editor that changed."""
            self.value = value
            """The new value, `None` for no answer."""
            self.debounce = debounce
            """True for typing (save after a pause), False for a deliberate choice."""

        @property
        def control(self) -> AnswerEditor:
            """The editor that changed (for the `on` decorator)."""
            return self.editor

    def __init__(self, question: Question, value: Any | None, *, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.question = question
        """The question this editor answers."""
        self.locked = False
        """True once `make_read_only()` made the editor read-only."""
        self._initial = value

    def on_mount(self) -> None:
        """Show the saved value once the child widgets exist."""
        self.load(self._initial)

    def load(self, value: Any | None) -> None:
        """Show `value` without reporting it as an edit."""
        with self.prevent(*self.LOAD_MESSAGES):
            self._load(value)

    def _load(self, value: Any | None) -> None:
        """Fill the child widgets with `value`; runs with `LOAD_MESSAGES` prevented."""
        raise NotImplementedError

    def edited(self, value: Any | None, *, debounce: bool) -> None:
        """Report an edit by the user."""
        self.post_message(self.Edited(self, value, debounce))

    def make_read_only(self) -> None:
        """Make the editor read-only (a signed audit): disabled, no prompts to type."""
        self.disabled = True
        self.locked = True
        for field in self.query(Input):
            field.placeholder = ""

    def on_saved(self, value: Any | None) -> None:
        """The service stored `value` (normalised); editors that show it again override this."""

    def mark_invalid(self, invalid: bool) -> None:
        """Show (or stop showing) that the last value typed was refused."""
        self.set_class(invalid, "-invalid")
