"""Working copies as CSV, and reading a table question back from a CSV or XLSX file.

`csv_files` writes `answers.csv` (every answer in long form: a line per answer, list item
or table cell) and one `table-<question id>.csv` per answered table question (a header line
of column ids, then a line per row, cells as stored). `read_table_file` reads such a file,
or an XLSX sheet as `app.report.xlsx` writes it, back into rows of raw cells for the
checklist's validation; it checks the shape (known columns, bounded size) and nothing else.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from app.checklist.model import Question, QuestionType
from app.errors import UserFacingError
from app.inputs import InputKind, read_input
from app.records import Attestation

MAX_TABLE_BYTES = 5 * 1024 * 1024
MAX_TABLE_ROWS = 10_000
LONG_HEADER = ["section_id", "question_id", "state", "row", "column", "value", "note"]


class TableFileError(UserFacingError):
    """A table file that cannot be read; the message names the file, line and what to do."""


def table_filename(question_id: str) -> str:
    """The CSV file of one table question."""
    return f"table-{question_id}.csv"


def csv_files(attestation: Attestation) -> dict[str, bytes]:
    """File name -> content of the CSV working copy of an audit."""
    view = attestation.view
    long_rows: list[list[Any]] = []
    tables: dict[str, bytes] = {}
    for section in view.checklist.checklist.sections:
        for question in section.questions:
            answer = view.answers.get(question.id)
            if answer is None:
                continue
            base = [section.id, question.id, answer.state.value]
            value, note = answer.value, answer.note or ""
            if question.type == QuestionType.TABLE and isinstance(value, list):
                ids = [c.id for c in question.columns]
                tables[table_filename(question.id)] = _csv(
                    ids, ([_cell(row.get(c)) for c in ids] for row in value))
                for index, row in enumerate(value, start=1):
                    for column in ids:
                        if column in row:
                            long_rows.append([*base, index, column, _cell(row[column]), ""])
                if note:
                    long_rows.append([*base, "", "", "", note])
            elif isinstance(value, list):
                for item in value:
                    long_rows.append([*base, "", "", _cell(item), ""])
                if note:
                    long_rows.append([*base, "", "", "", note])
            else:
                long_rows.append([*base, "", "", _cell(value), note])
    return {"answers.csv": _csv(LONG_HEADER, long_rows), **tables}


def read_table_file(question: Question, path: Path) -> tuple[list[dict[str, Any]], int]:
    """The rows of a CSV or XLSX table file as raw cells, and the file line of row 1.

    The file has a header line of column ids (an XLSX sheet from our export has a line of
    column labels above it, which is skipped). Empty cells are left out of their row.
    """
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise TableFileError(f"{path}: give a .csv or .xlsx file (got {suffix or 'no suffix'})")
    content = read_input(path, InputKind.ANSWERS)  # a regular file, read within its limit
    if len(content) > MAX_TABLE_BYTES:
        raise TableFileError(f"{path}: the file is {len(content):,} bytes; a table file may "
                             f"be at most {MAX_TABLE_BYTES:,}")
    lines = (_csv_lines(path, content) if suffix == ".csv"
             else _xlsx_lines(path, content, question))
    ids = {c.id for c in question.columns}
    labels = {c.label.strip().casefold(): c.id for c in question.columns}
    start = 0
    if lines and not ({str(v).strip() for v in lines[0] if v not in (None, "")} <= ids):
        header_labels = [str(v).strip().casefold() for v in lines[0] if v not in (None, "")]
        if len(lines) > 1 and header_labels and all(h in labels for h in header_labels):
            start = 1  # a line of labels above the line of ids
    if len(lines) <= start:
        raise TableFileError(f"{path}: the file is empty; the first line names the columns "
                             f"({', '.join(c.id for c in question.columns)})")
    header = [str(v).strip() if v is not None else "" for v in lines[start]]
    unknown = [h for h in header if h and h not in ids]
    if unknown:
        raise TableFileError(f"{path} line {start + 1}: unknown column "
                             f"{', '.join(repr(u) for u in unknown)}; the columns of "
                             f"{question.id!r} are: {', '.join(c.id for c in question.columns)}")
    body = lines[start + 1:]
    if len(body) > MAX_TABLE_ROWS:
        raise TableFileError(f"{path}: {len(body):,} rows; a table may have at most "
                             f"{MAX_TABLE_ROWS:,}")
    columns = {c.id: c for c in question.columns}
    rows = []
    for values in body:
        row = {}
        for name, raw in zip(header, values, strict=False):
            if not name or raw is None or (isinstance(raw, str) and not raw.strip()):
                continue
            row[name] = _raw_cell(columns[name].type, raw)
        rows.append(row)
    while rows and not rows[-1]:
        rows.pop()
    return rows, start + 2


def _raw_cell(kind: QuestionType, raw: Any) -> Any:
    """A file's cell as the value the validation expects (lists from JSON, ISO dates)."""
    import datetime as dt

    if isinstance(raw, dt.datetime):
        return raw.date().isoformat()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    if kind == QuestionType.MULTIPLE_CHOICE and isinstance(raw, str):
        text = raw.strip()
        if text.startswith("["):
            try:
                return json.loads(text)
            except ValueError:
                return text
        return [part.strip() for part in text.split(";") if part.strip()]
    return raw


def _csv_lines(path: Path, content: bytes) -> list[list[Any]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TableFileError(f"{path}: not UTF-8 text (byte {exc.start}); save the file as "
                             "UTF-8 CSV") from None
    try:
        return [line for line in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as exc:
        raise TableFileError(f"{path}: not a CSV file ({exc})") from None


def _xlsx_lines(path: Path, content: bytes, question: Question) -> list[list[Any]]:
    import zipfile

    from openpyxl import load_workbook

    from app.report.xlsx import table_sheet_name

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise TableFileError(f"{path}: not an XLSX workbook ({exc})") from None
    try:
        wanted = table_sheet_name(question)
        sheet = book[wanted] if wanted in book.sheetnames else book.worksheets[0]
        lines = []
        for values in sheet.iter_rows(values_only=True):
            lines.append(list(values))
            if len(lines) > MAX_TABLE_ROWS + 2:
                break
        return lines
    finally:
        book.close()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _csv(header: list[str], rows: Any) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")
