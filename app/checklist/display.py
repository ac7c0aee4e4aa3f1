"""Answer values as the text a person reads."""

from __future__ import annotations

from typing import Any

from app.checklist.model import Question, QuestionType, _Typed
from app.safe_text import terminal_safe


def format_value(typed: _Typed, value: Any) -> str:
    """A one-line rendering of a value: option labels, dates, numbers, table row counts;
    control characters written as visible escapes (app.safe_text)."""
    return terminal_safe(_format(typed, value))


def _format(typed: _Typed, value: Any) -> str:
    if value is None:
        return "—"
    if typed.type in (QuestionType.YES_NO_UNKNOWN, QuestionType.SINGLE_CHOICE):
        return typed.label_for(value)
    if typed.type == QuestionType.MULTIPLE_CHOICE:
        return "; ".join(typed.label_for(v) for v in value)
    if typed.type == QuestionType.TABLE:
        return f"{len(value)} row(s)"
    if typed.type == QuestionType.NUMBER:
        return f"{value:,}" if isinstance(value, int) else str(value)
    return str(value)


def format_table(question: Question, rows: list[dict[str, Any]]) -> list[list[str]]:
    """A table answer as a header row followed by one row of cell texts per row."""
    header = [column.label for column in question.columns]
    body = [[format_value(column, row.get(column.id)) if column.id in row else ""
             for column in question.columns] for row in rows]
    return [header, *body]
