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
from app.checklist.ori import ORI_HELP, NotAnOri, parse_ori_list
from app.errors import UserFacingError
from app.safe_text import control_problem

SHORT_TEXT_LIMIT = 500
LONG_TEXT_LIMIT = 50_000
# Beyond 2**53 a float cannot hold every whole number, so a count could silently change.
NUMBER_LIMIT = 2**53
DATE_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
EARLIEST_YEAR = 1900
LATEST_YEAR = 2199
"""Dates outside these years are typing errors, not dates an audit speaks of."""
NUMBER_SHAPE = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?", re.ASCII)


Where = tuple[str, ...]
"""Where in an answer a value sits: the question, then the row and the column of a table."""


class InvalidValue(UserFacingError):
    """A value that the question does not accept; the message says what it does accept.

    `where` names the question (and the table row and column), `problem` what is wrong
    there, so that a screen already showing the question or the row can leave it out.
    """

    def __init__(self, problem: str, where: Where = ()) -> None:
        super().__init__(f"{', '.join(where)} {problem}" if where else problem)
        self.problem = problem
        self.where = where

    def relative(self, known: int, subject: str) -> str:
        """The message for a screen that already shows the first `known` places of
        `where`; `subject` names what is left when nothing deeper is."""
        places = ", ".join(self.where[known:]) or subject
        return f"{places} {self.problem}"


def validate_value(question: Question, raw: Any) -> Any:
    """Return `raw` normalised for `question`, or raise InvalidValue saying what is allowed.
    The value returned is plain JSON and built anew (no list or mapping of `raw` in it):
    a save keeps it as what was stored."""
    if question.type == QuestionType.TABLE:
        return _table(question, raw)
    return _cell(question, raw, (f"question {question.id!r}",))


def _cell(typed: _Typed, raw: Any, where: Where) -> Any:
    kind = typed.type
    if kind in (QuestionType.YES_NO_UNKNOWN, QuestionType.SINGLE_CHOICE):
        return _choice(typed, raw, where)
    if kind == QuestionType.MULTIPLE_CHOICE:
        return _choices(typed, raw, where)
    if kind in (QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT):
        return _text(typed, raw, where)
    if kind == QuestionType.DATE:
        return _date(raw, where)
    if kind == QuestionType.NUMBER:
        return _number(typed, raw, where)
    if kind == QuestionType.ORI_LIST:
        return _ori_list(raw, where)
    raise InvalidValue("cannot be a table inside a table", where)


def _choice(typed: _Typed, raw: Any, where: Where) -> str:
    allowed = typed.option_values()
    if typed.type == QuestionType.YES_NO_UNKNOWN and isinstance(raw, bool):
        return "yes" if raw else "no"
    if isinstance(raw, str):
        for value in allowed:
            if raw.strip().lower() == value.lower():
                return value
    raise InvalidValue(f"takes one of: {', '.join(allowed)}; got {_show(raw)}", where)


def _choices(typed: _Typed, raw: Any, where: Where) -> list[str]:
    allowed = typed.option_values()
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not raw:
        raise InvalidValue(
            f"takes a list of one or more of: {', '.join(allowed)}; got {_show(raw)}", where)
    chosen = [_choice(typed, item, where) for item in raw]
    if len(set(chosen)) != len(chosen):
        raise InvalidValue(f"takes each choice once; got {_show(raw)}", where)
    return [value for value in allowed if value in chosen]


def require_unicode(text: str, where: Where) -> str:
    """`text` itself, or InvalidValue if it holds characters that cannot be stored."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidValue("holds a character that is not valid Unicode (position "
                           f"{exc.start + 1}); retype or paste it again", where) from None
    return text


def _text(typed: _Typed, raw: Any, where: Where) -> str:
    if not isinstance(raw, str):
        raise InvalidValue(f"takes text; got {_show(raw)}", where)
    single_line = typed.type == QuestionType.SHORT_TEXT
    text = require_unicode(raw, where).strip()
    if not single_line:
        text = text.replace("\r\n", "\n")
    if not text:
        raise InvalidValue("takes non-empty text", where)
    if single_line and ("\n" in text or "\r" in text):
        raise InvalidValue("takes a single line of text", where)
    require_clean(text, where, newlines=not single_line, bidi=not single_line)
    limit = typed.max_length or (SHORT_TEXT_LIMIT if single_line else LONG_TEXT_LIMIT)
    if len(text) > limit:
        raise InvalidValue(f"takes at most {limit} characters; got {len(text)}", where)
    return text


def require_clean(text: str, where: Where, *, newlines: bool = True,
                  bidi: bool = False) -> str:
    """`text` itself, or InvalidValue if it holds control characters (see
    app.safe_text.control_problem); one-line identifiers pass newlines=False."""
    problem = control_problem(text, newlines=newlines, bidi=bidi)
    if problem is not None:
        raise InvalidValue(problem, where)
    return text


def _date(raw: Any, where: Where) -> str:
    text = raw.strip() if isinstance(raw, str) else None
    if text is not None and DATE_SHAPE.fullmatch(text):
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            raise InvalidValue(f"takes a date; {_show(raw)} is not a day of the "
                               "calendar", where) from None
        if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
            raise InvalidValue(f"takes a date from {EARLIEST_YEAR} to {LATEST_YEAR}; got "
                               f"{_show(raw)}", where)
        return day.isoformat()
    raise InvalidValue(f"takes a date as YYYY-MM-DD (e.g. 2025-11-19); got {_show(raw)}",
                       where)


def _number(typed: _Typed, raw: Any, where: Where) -> int | float:
    value: Any = raw
    if isinstance(raw, str):
        value = parse_number_text(raw)
    if typed.integer and isinstance(value, float):
        # 3.0 or 1e6 from JSON or YAML: a count is written as digits, so say so.
        value = None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidValue(f"takes {_number_kind(typed)}, written as digits with an "
                           f"optional '-', ',' between groups of three and "
                           f"{'no' if typed.integer else 'an optional'} decimal point "
                           f"(e.g. {'1,200' if typed.integer else '1,200.5'}); "
                           f"got {_show(raw)}", where)
    if abs(value) > NUMBER_LIMIT or not math.isfinite(value):
        raise InvalidValue(f"takes {_number_kind(typed)} no larger than {NUMBER_LIMIT:,} "
                           f"(beyond it a number cannot be kept exactly); got {_show(raw)}",
                           where)
    if typed.integer:
        if value != int(value):
            raise InvalidValue(f"takes a whole number; got {_show(raw)}", where)
        value = int(value)
    elif isinstance(value, float) and value.is_integer():
        value = int(value)
    if typed.min is not None and value < typed.min:
        raise InvalidValue(f"takes a number of at least {_num(typed.min)}; got {value}", where)
    if typed.max is not None and value > typed.max:
        raise InvalidValue(f"takes a number of at most {_num(typed.max)}; got {value}", where)
    return value


def parse_number_text(text: str) -> int | float | None:
    """A number written in the one accepted form, else None: an optional '-', digits
    (optionally grouped by ',' in threes: 1,200 or 1,234,567), an optional decimal part
    (.5). No '_', '+', exponent, spaces inside, or other separators."""
    text = text.strip()
    if len(text) > 40 or not NUMBER_SHAPE.fullmatch(text):
        return None
    digits = text.replace(",", "")
    return float(digits) if "." in digits else int(digits)


def _number_kind(typed: _Typed) -> str:
    kind = "a whole number" if typed.integer else "a number"
    if typed.min is not None and typed.max is not None:
        return f"{kind} from {_num(typed.min)} to {_num(typed.max)}"
    if typed.min is not None:
        return f"{kind} of {_num(typed.min)} or more"
    if typed.max is not None:
        return f"{kind} of {_num(typed.max)} or less"
    return kind


def _ori_list(raw: Any, where: Where) -> str:
    if isinstance(raw, list) and all(isinstance(item, str) for item in raw):
        raw = ", ".join(raw)
    if not isinstance(raw, str):
        raise InvalidValue(f"takes a list of ORIs ({ORI_HELP}); got {_show(raw)}", where)
    try:
        entries = parse_ori_list(raw)
    except NotAnOri as exc:
        raise InvalidValue(f"takes ORIs only: {exc}; {ORI_HELP}. Say in the note where "
                           "else they are recorded", where) from None
    if not entries:
        raise InvalidValue(f"takes at least one ORI ({ORI_HELP})", where)
    return ", ".join(entries)


MAX_ROWS = 10_000
"""The most rows a table answer may have, and so the largest sane `min_rows`."""


def bound_problems(typed: _Typed) -> list[tuple[str, str, str]]:
    """(field, problem, fix) for each limit of a question or column that no answer could
    sensibly meet: numbers beyond NUMBER_LIMIT or not finite, a text length beyond the
    type's limit, `min_rows` beyond MAX_ROWS."""
    found: list[tuple[str, str, str]] = []
    for name in ("min", "max"):
        bound = getattr(typed, name)
        if bound is not None and (not math.isfinite(bound) or abs(bound) > NUMBER_LIMIT):
            found.append((name, f"`{name}` is {bound!r}, which no answer can be compared "
                          f"with (numbers are kept up to {NUMBER_LIMIT:,})",
                          f"give a finite `{name}` within ±{NUMBER_LIMIT:,}, or remove it"))
    longest = SHORT_TEXT_LIMIT if typed.type == QuestionType.SHORT_TEXT else LONG_TEXT_LIMIT
    if typed.max_length is not None and typed.max_length > longest:
        found.append(("max_length", f"`max_length` is {typed.max_length:,}, above the "
                      f"{longest:,} characters a {typed.type.value} answer may have",
                      f"give at most {longest:,}"))
    rows = getattr(typed, "min_rows", 0)
    if rows > MAX_ROWS:
        found.append(("min_rows", f"`min_rows` is {rows:,}, above the {MAX_ROWS:,} rows a "
                      "table may have", f"give at most {MAX_ROWS:,}"))
    return found


def _table(question: Question, raw: Any) -> list[dict[str, Any]]:
    where = (f"question {question.id!r}",)
    columns = ", ".join(c.id for c in question.columns)
    if not isinstance(raw, list):
        raise InvalidValue(f"takes a list of rows, each a mapping of column to value "
                           f"(columns: {columns}); got {_show(raw)}", where)
    min_rows = max(question.min_rows, 1)
    if len(raw) < min_rows:
        raise InvalidValue(f"needs at least {min_rows} row(s); got {len(raw)}", where)
    if len(raw) > MAX_ROWS:
        raise InvalidValue(f"takes at most {MAX_ROWS:,} rows; got {len(raw):,}", where)
    rows = []
    for number, row in enumerate(raw, start=1):
        row_where = (*where, f"row {number}")
        if not isinstance(row, dict):
            raise InvalidValue("is not a mapping of column to value", row_where)
        unknown = sorted(set(row) - {c.id for c in question.columns})
        if unknown:
            raise InvalidValue(f"has unknown column {', '.join(unknown)}; columns are: "
                               f"{columns}", row_where)
        rows.append(_row(question.columns, row, row_where))
    return rows


def _row(columns: list[Column], row: dict[str, Any], where: Where) -> dict[str, Any]:
    cells: dict[str, Any] = {}
    for column in columns:
        raw = row.get(column.id)
        cell_where = (*where, f"“{column.label}” ({column.id})")
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if column.required:
                raise InvalidValue("is required", cell_where)
            continue
        cells[column.id] = _cell(column, raw, cell_where)
    if not cells:
        raise InvalidValue("is empty", where)
    return cells


def _show(raw: Any) -> str:
    text = repr(raw)
    return text if len(text) <= 60 else text[:57] + "..."


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
