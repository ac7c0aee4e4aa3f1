"""Pick the editor widget for a question's type."""

from __future__ import annotations

from typing import Any

from app.checklist.model import Question, QuestionType
from app.tui.widgets.base import AnswerEditor
from app.tui.widgets.choice import MultipleChoiceEditor, SingleChoiceEditor, YesNoUnknownEditor
from app.tui.widgets.table import Commit, TableEditor
from app.tui.widgets.text import LongTextEditor, ShortTextEditor
from app.tui.widgets.typed import DateEditor, NumberEditor

EDITORS: dict[QuestionType, type[AnswerEditor]] = {
    QuestionType.YES_NO_UNKNOWN: YesNoUnknownEditor,
    QuestionType.SINGLE_CHOICE: SingleChoiceEditor,
    QuestionType.MULTIPLE_CHOICE: MultipleChoiceEditor,
    QuestionType.SHORT_TEXT: ShortTextEditor,
    QuestionType.LONG_TEXT: LongTextEditor,
    QuestionType.DATE: DateEditor,
    QuestionType.NUMBER: NumberEditor,
}
"""The editor class of every question type but tables (which need `commit`)."""


def editor_for(question: Question, value: Any | None, commit: Commit) -> AnswerEditor:
    """A new editor for `question` showing `value`; tables save rows through `commit`."""
    if question.type == QuestionType.TABLE:
        return TableEditor(question, value, commit=commit, classes="editor")
    return EDITORS[question.type](question, value, classes="editor")
