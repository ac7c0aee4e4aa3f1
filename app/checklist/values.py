"""Answer values: what each question type accepts, normalised to one JSON shape.

Shapes: yes_no_unknown and single_choice a string option value; multiple_choice a list of
distinct option values; short_text and long_text a string; date an ISO date string
(YYYY-MM-DD); number an int or float; table a list of rows, each a mapping of column id
to a cell value typed by its column.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from app.checklist.model import Column, Question, QuestionType, _Typed
from app.errors import UserFacingError

SHORT_TEXT_LIMIT = 500
LONG_TEXT_LIMIT = 50_000
# Beyond 2**53 a float cannot hold every whole number, so a count could silently change.
NUMBER_LIMIT = 2**53
DATE_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}")


class InvalidValue(UserFacingError):
    """A value that the question does not accept; the message says what it does accept."""


def validate_value(question: Question, raw: Any) -> Any:
    """Return `raw` normalised for `question`, or raise InvalidValue saying what is allowed."""
    if question.type == QuestionType.TABLE:
        return _table(question, raw)
    return _cell(question, raw, f"question {question.id!r}")


def _cell(typed: _Typed, raw: Any, subject: str) -> Any:
    kind = typed.type
    if kind in (QuestionType.YES_NO_UNKNOWN, QuestionType.SINGLE_CHOICE):
        return _choice(typed, raw, subject)
    if kind == QuestionType.MULTIPLE_CHOICE:
        return _choices(typed, raw, subject)
    if kind in (QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT):
        return _text(typed, raw, subject)
    if kind == QuestionType.DATE:
        return _date(raw, subject)
    if kind == QuestionType.NUMBER:
        return _number(typed, raw, subject)
    raise InvalidValue(f"{subject}: a table cannot sit inside a table")


def _choice(typed: _Typed, raw: Any, subject: str) -> str:
    allowed = typed.option_values()
    if typed.type == QuestionType.YES_NO_UNKNOWN and isinstance(raw, bool):
        return "yes" if raw else "no"
    if isinstance(raw, str):
        for value in allowed:
            if raw.strip().lower() == value.lower():
                return value
    raise InvalidValue(f"{subject} takes one of: {', '.join(allowed)}; got {_show(raw)}")


def _choices(typed: _Typed, raw: Any, subject: str) -> list[str]:
    allowed = typed.option_values()
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not raw:
        raise InvalidValue(
            f"{subject} takes a list of one or more of: {', '.join(allowed)}; got {_show(raw)}"
        )
    chosen = [_choice(typed, item, subject) for item in raw]
    if len(set(chosen)) != len(chosen):
        raise InvalidValue(f"{subject}: each choice may appear once; got {_show(raw)}")
    return [value for value in allowed if value in chosen]


def require_unicode(text: str, subject: str) -> str:
    """`text` itself, or InvalidValue if it holds characters that cannot be stored."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidValue(f"{subject} holds a character that is not valid Unicode "
                           f"(position {exc.start + 1}); retype or paste it again") from None
    return text


def _text(typed: _Typed, raw: Any, subject: str) -> str:
    if not isinstance(raw, str):
        raise InvalidValue(f"{subject} takes text; got {_show(raw)}")
    text = require_unicode(raw, subject).strip()
    if not text:
        raise InvalidValue(f"{subject} takes non-empty text")
    single_line = typed.type == QuestionType.SHORT_TEXT
    if single_line and ("\n" in text or "\r" in text):
        raise InvalidValue(f"{subject} takes a single line of text")
    limit = typed.max_length or (SHORT_TEXT_LIMIT if single_line else LONG_TEXT_LIMIT)
    if len(text) > limit:
        raise InvalidValue(f"{subject} takes at most {limit} characters; got {len(text)}")
    return text


def _date(raw: Any, subject: str) -> str:
    if isinstance(raw, str):
        try:
            return dt.date.fromisoformat(raw.strip()).isoformat()
        except ValueError:
            if DATE_SHAPE.fullmatch(raw.strip()):
                raise InvalidValue(f"{subject} takes a date; {_show(raw)} is not a day of "
                                   "the calendar") from None
    raise InvalidValue(f"{subject} takes a date as YYYY-MM-DD; got {_show(raw)}")


def _number(typed: _Typed, raw: Any, subject: str) -> int | float:
    value: Any = raw
    if isinstance(raw, str):
        try:
            value = float(raw.strip().replace(",", ""))
        except ValueError:
            value = None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidValue(f"{subject} takes {_number_kind(typed)}; got {_show(raw)}")
    if abs(value) > NUMBER_LIMIT or not math.isfinite(value):
        raise InvalidValue(f"{subject} takes {_number_kind(typed)} no larger than "
                           f"{NUMBER_LIMIT:,} (beyond it a number cannot be kept exactly); "
                           f"got {_show(raw)}")
    if typed.integer:
        if value != int(value):
            raise InvalidValue(f"{subject} takes a whole number; got {_show(raw)}")
        value = int(value)
    elif isinstance(value, float) and value.is_integer():
        value = int(value)
    if typed.min is not None and value < typed.min:
        raise InvalidValue(f"{subject} takes a number of at least {_num(typed.min)}; got {value}")
    if typed.max is not None and value > typed.max:
        raise InvalidValue(f"{subject} takes a number of at most {_num(typed.max)}; got {value}")
    return value


def _number_kind(typed: _Typed) -> str:
    kind = "a whole number" if typed.integer else "a number"
    if typed.min is not None and typed.max is not None:
        return f"{kind} from {_num(typed.min)} to {_num(typed.max)}"
    if typed.min is not None:
        return f"{kind} of {_num(typed.min)} or more"
    if typed.max is not None:
        return f"{kind} of {_num(typed.max)} or less"
    return kind


def _table(question: Question, raw: Any) -> list[dict[str, Any]]:
    subject = f"question {question.id!r}"
    columns = ", ".join(c.id for c in question.columns)
    if not isinstance(raw, list):
        raise InvalidValue(
            f"{subject} takes a list of rows, each a mapping of column to value "
            f"(columns: {columns}); got {_show(raw)}"
        )
    min_rows = max(question.min_rows, 1)
    if len(raw) < min_rows:
        raise InvalidValue(f"{subject} needs at least {min_rows} row(s); got {len(raw)}")
    rows = []
    for number, row in enumerate(raw, start=1):
        if not isinstance(row, dict):
            raise InvalidValue(f"{subject}, row {number}: a row is a mapping of column to value")
        unknown = sorted(set(row) - {c.id for c in question.columns})
        if unknown:
            raise InvalidValue(
                f"{subject}, row {number}: unknown column {', '.join(unknown)}; "
                f"columns are: {columns}"
            )
        rows.append(_row(question.columns, row, f"{subject}, row {number}"))
    return rows


def _row(columns: list[Column], row: dict[str, Any], subject: str) -> dict[str, Any]:
    cells: dict[str, Any] = {}
    for column in columns:
        raw = row.get(column.id)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if column.required:
                raise InvalidValue(f"{subject}: “{column.label}” ({column.id}) is required")
            continue
        cells[column.id] = _cell(column, raw, f"{subject}, “{column.label}” ({column.id})")
    if not cells:
        raise InvalidValue(f"{subject}: the row is empty")
    return cells


def _show(raw: Any) -> str:
    text = repr(raw)
    return text if len(text) <= 60 else text[:57] + "..."


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
