"""Answer a table question (such as the agencies table) from a CSV or XLSX file.

The file is read by `app.report.table_files` (shape only); every cell then passes the
checklist's own validation (`app.checklist.values.validate_value`) and the answer is
recorded through the service like any other, as one change in the history. A refusal names
the file, the line and the column, and records nothing.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.checklist.model import Question, QuestionType
from app.checklist.values import InvalidValue, validate_value
from app.errors import UserFacingError
from app.records import AnswerInfo

if TYPE_CHECKING:
    from app.audit.service import AuditService

_ROW = re.compile(r"^row (\d+)$")


def import_table(service: AuditService, ref: str, question_id: str,
                 path: Path) -> AnswerInfo:
    """Validate every cell of the table file and record it as the question's answer."""
    view = service.view(ref)
    question = view.checklist.checklist.question(question_id)
    if question is None:
        raise UserFacingError(f"the checklist has no question {question_id!r}")
    path = Path(path)
    value = table_rows_from_file(question, path)
    return service.set_answer(ref, question_id, value, reason=import_reason(path))


def table_rows_from_file(question: Question, path: Path) -> list[dict[str, Any]]:
    """The rows of a CSV or XLSX file for the table `question`, every cell validated and
    normalised as if typed in; nothing is recorded. A refusal names the file, the line and
    the column, and says that nothing was recorded."""
    from app.report.table_files import read_table_file

    if question.type != QuestionType.TABLE:
        raise UserFacingError(f"question {question.id!r} is not a table question; answer it "
                              "with `nlets-audit answer`")
    rows, first_line = read_table_file(question, path)
    try:
        value: list[dict[str, Any]] = validate_value(question, rows)
    except InvalidValue as exc:
        places = []
        for place in exc.where:
            match = _ROW.match(place)
            places.append(f"line {int(match.group(1)) + first_line - 1}" if match else place)
        raise UserFacingError(f"{path}: {', '.join(places)} {exc.problem}; nothing was "
                              "recorded") from None
    return value


def import_reason(path: Path) -> str:
    """The reason the history gives for a table imported from `path`."""
    return f"imported from {path.name}"
