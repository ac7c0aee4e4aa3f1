"""Editors for choice questions: yes/no/unknown, single choice and multiple choice."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import RadioButton, RadioSet, Select, SelectionList
from textual.widgets.selection_list import Selection

from app.tui.widgets.base import AnswerEditor
from app.tui.widgets.ticklist import TickList


class ChoiceRadioSet(RadioSet):
    """A RadioSet that only its own keys change: arrows move, Enter picks, and space picks
    unless it comes among typed letters. Text typed into it by mistake (meant for the next
    field) is dropped with a hint instead of pressing buttons and saving an answer."""

    _typing = False

    def on_key(self, event: events.Key) -> None:
        """Drop printable keys (and a space typed among them); others act as usual."""
        if event.key == "space" and self._typing:
            event.prevent_default()
            event.stop()
        elif event.is_printable and event.key != "space":
            event.prevent_default()
            event.stop()
            if not self._typing:
                self.notify("This answer is a choice: arrows move, Enter picks.",
                            timeout=3)
            self._typing = True
        else:
            self._typing = False

    def on_blur(self) -> None:
        """Typing ends with the focus."""
        self._typing = False


class YesNoUnknownEditor(AnswerEditor):
    """Yes / No / Unknown as a row of radio buttons (arrows move, Enter or space picks)."""

    def compose(self) -> ComposeResult:
        """One radio button per allowed value, the saved one pressed."""
        with ChoiceRadioSet(compact=True):
            for value in self.question.option_values():
                yield RadioButton(Content(self.question.label_for(value)),
                                  value=value == self._initial)

    def _load(self, value: Any | None) -> None:
        if self._pressed_value() == value:
            return
        # A RadioSet cannot be un-pressed through its API, so build it afresh: it does
        # not post a change for the button composed pressed.
        self._initial = value
        self.call_later(self.recompose)

    def _pressed_value(self) -> str | None:
        sets = self.query(RadioSet)
        if not sets or sets.first().pressed_index < 0:
            return None
        return self.question.option_values()[sets.first().pressed_index]

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        """A button was pressed: report its value at once."""
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
