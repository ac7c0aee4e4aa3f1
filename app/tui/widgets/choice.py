"""Editors for choice questions: yes/no/unknown, single choice and multiple choice."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Select, SelectionList
from textual.widgets.selection_list import Selection

from app.tui.widgets.base import AnswerEditor
from app.tui.widgets.ticklist import TickList

CURSOR_MOVES = {"left": -1, "up": -1, "right": 1, "down": 1}
"""How each arrow moves a choice row's cursor."""


class ChoiceRow(Widget):
    """A row of options drawn as one widget, one of which can be pressed.

    Only its own keys change it: left and right (or up and down) move the cursor, Enter
    presses the option under it, and so does space unless it comes among typed letters.
    Text typed into it by mistake (meant for the next field) is dropped with a hint
    instead of pressing an option and saving an answer. A click presses an option.
    One widget instead of a radio set of buttons keeps opening a question quick.
    """

    DEFAULT_CSS = """
    ChoiceRow {
        width: auto;
        height: 1;
        link-style: none;
        link-background: transparent;
        link-color: $text;
        link-style-hover: bold;
    }
    """

    can_focus = True

    cursor: reactive[int] = reactive(0)
    """The option the keys act on."""
    pressed_index: reactive[int] = reactive(-1)
    """The option pressed, -1 for none."""

    class Changed(Message):
        """The user pressed an option."""

        def __init__(self, row: ChoiceRow, index: int) -> None:
            super().__init__()
            self.row = row
            """The row whose option was pressed."""
            self.index = index
            """The option pressed."""

        @property
        def control(self) -> ChoiceRow:
            """The row that changed (for the `on` decorator)."""
            return self.row

    def __init__(self, labels: list[str], pressed: int = -1, *,
                 classes: str | None = None) -> None:
        super().__init__(classes=classes)
        self.labels = list(labels)
        """The options' labels, in order."""
        self.set_reactive(ChoiceRow.pressed_index, pressed)
        self.set_reactive(ChoiceRow.cursor, max(pressed, 0))
        self._typing = False

    def render(self) -> Content:
        """Each option with its mark; the cursor's option highlighted while focused."""
        parts: list[Content | str | tuple[str, str]] = []
        for index, label in enumerate(self.labels):
            mark = "◉" if index == self.pressed_index else "○"
            style = "reverse" if self.has_focus and index == self.cursor else ""
            link = "" if self.disabled else f" @click=press({index})"
            parts += [Content.styled(f"{mark} {label}", f"{style}{link}".strip()),
                      "  " if index < len(self.labels) - 1 else ""]
        return Content.assemble(*parts)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        """The width of the options on one line."""
        return sum(len(label) + 2 for label in self.labels) + 2 * (len(self.labels) - 1)

    def press(self, index: int) -> None:
        """Press option `index` as the user does (posts `Changed` when it changes)."""
        self.cursor = index
        if index != self.pressed_index:
            self.pressed_index = index
            self.post_message(self.Changed(self, index))

    def action_press(self, index: int) -> None:
        """A click on an option."""
        if not self.disabled:
            self.focus()
            self.press(index)

    def on_key(self, event: events.Key) -> None:
        """Arrows move, Enter and space press; printable keys (and a space typed among
        them) are dropped."""
        key = event.key
        if key in CURSOR_MOVES:
            self.cursor = (self.cursor + CURSOR_MOVES[key]) % len(self.labels)
            self._typing = False
        elif key == "enter":
            self.press(self.cursor)
            self._typing = False
        elif key == "space":
            if not self._typing:  # among typed letters, a space is text: dropped
                self.press(self.cursor)
        elif event.is_printable:
            if not self._typing:
                self.notify("This answer is a choice: arrows move, Enter picks.", timeout=3)
            self._typing = True
        else:
            self._typing = False
            return
        event.prevent_default()
        event.stop()

    def on_blur(self) -> None:
        """Typing ends with the focus."""
        self._typing = False


class YesNoUnknownEditor(AnswerEditor):
    """Yes / No / Unknown as one row of options (arrows move, Enter or space picks)."""

    def compose(self) -> ComposeResult:
        """The options, the saved one pressed."""
        values = self.question.option_values()
        pressed = values.index(self._initial) if self._initial in values else -1
        yield ChoiceRow([self.question.label_for(value) for value in values], pressed)

    def _load(self, value: Any | None) -> None:
        values = self.question.option_values()
        self._initial = value
        self.query_one(ChoiceRow).pressed_index = values.index(value) if value in values else -1

    def on_choice_row_changed(self, event: ChoiceRow.Changed) -> None:
        """An option was pressed: report its value at once."""
        event.stop()
        value = self.question.option_values()[event.index]
        self._initial = value
        self.edited(value, debounce=False)


class SingleChoiceEditor(AnswerEditor):
    """One option from a drop-down list; the blank entry removes the answer."""

    LOAD_MESSAGES = (Select.Changed,)

    def compose(self) -> ComposeResult:
        """A Select of the question's options."""
        yield Select([(Text(option.label), option.value) for option in self.question.options],
                     prompt="Choose…", allow_blank=True)

    def _load(self, value: Any | None) -> None:
        select = self.query_one(Select)
        if value is None or value not in self.question.option_values():
            select.clear()
        else:
            select.value = value

    def on_select_changed(self, event: Select.Changed) -> None:
        """An option was chosen: report it at once."""
        event.stop()
        self.edited(None if event.value is Select.NULL else event.value, debounce=False)


class MultipleChoiceEditor(AnswerEditor):
    """Any number of options, ticked in a selection list (space toggles)."""

    LOAD_MESSAGES = (SelectionList.SelectedChanged,)

    def compose(self) -> ComposeResult:
        """A list of the question's options to tick."""
        yield TickList(*[Selection(Content(option.label), option.value)
                         for option in self.question.options])

    def _load(self, value: Any | None) -> None:
        selection_list = self.query_one(SelectionList)
        selection_list.deselect_all()
        for item in value or []:
            if item in self.question.option_values():
                selection_list.select(item)

    def on_selection_list_selected_changed(
            self, event: SelectionList.SelectedChanged[str]) -> None:
        """The ticked options changed: report them at once, in checklist order."""
        event.stop()
        chosen = set(event.selection_list.selected)
        value = [v for v in self.question.option_values() if v in chosen]
        self.edited(value or None, debounce=False)
