"""The audit as an editable XLSX workbook (openpyxl): a working copy for auditors and counsel.

Sheets: "Audit" (the record's facts), one sheet per checklist section (a row per question:
number, id, prompt, state, answer, note), one sheet per answered table question (a real
table: a header row of column labels, a row per table row, the stored values), "Findings",
"Evidence" (files by SHA-256) and "History" (the append-only change log with its hashes).
Cells hold text or numbers, never formulas: text that a spreadsheet would run as a formula
is stored as a string cell of that exact text.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

from app.checklist.display import format_value
from app.checklist.model import Question, QuestionType
from app.records import Attestation, HistoryEvent

SHEET_TITLE_LIMIT = 31
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def table_sheet_name(question: Question) -> str:
    """The sheet name of a table question: its id, as short as Excel requires."""
    return _sheet_title(f"T {question.id}")


def workbook_bytes(attestation: Attestation, history: Sequence[HistoryEvent] = ()) -> bytes:
    """The XLSX file of an audit."""
    from openpyxl import Workbook

    view = attestation.view
    audit, checklist = view.audit, view.checklist.checklist
    book = Workbook()
    facts = book.active
    facts.title = "Audit"
    _rows(facts, [["Field", "Value"],
                  ["Audit ID", audit.id], ["Title", audit.title],
                  ["Jurisdiction", audit.jurisdiction],
                  ["Period start", audit.period_start], ["Period end", audit.period_end],
                  ["Checklist", audit.checklist_id],
                  ["Checklist version", audit.checklist_version],
                  ["Checklist SHA-256", audit.checklist_sha256],
                  ["Status", audit.status.value], ["Auditor", audit.auditor],
                  ["Ready to sign", "yes" if attestation.ready else "no"],
                  ["History head", audit.history_head or ""],
                  ["History length", audit.history_length]])
    used = {"Audit", "Findings", "Evidence", "History"}
    tables: list[Question] = []
    for number, section in enumerate(checklist.sections, start=1):
        sheet = book.create_sheet(_unique(_sheet_title(f"{number} {section.title}"), used))
        rows: list[list[Any]] = [["No.", "Question ID", "Question", "Asked", "State",
                                  "Answer", "Note"]]
        for index, question in enumerate(section.questions, start=1):
            answer = view.answers.get(question.id)
            asked = view.evaluation.visible.get(question.id, False)
            state = answer.state.value if answer else "unanswered"
            if question.type == QuestionType.TABLE:
                shown = (f"table: {len(answer.value)} row(s), sheet "
                         f"{table_sheet_name(question)}"
                         if answer and isinstance(answer.value, list) else "")
                if answer and isinstance(answer.value, list):
                    tables.append(question)
            else:
                shown = (format_value(question, answer.value)
                         if answer and answer.value is not None else "")
            rows.append([f"{number}.{index}", question.id, question.prompt,
                         "yes" if asked else "no (not asked, given earlier answers)", state,
                         shown, answer.note if answer else ""])
        _rows(sheet, rows)
    for question in tables:
        sheet = book.create_sheet(_unique(table_sheet_name(question), used))
        value = view.answers[question.id].value or []
        _rows(sheet, [[c.id for c in question.columns],
                      *([_plain(row.get(c.id)) for c in question.columns] for row in value)])
        sheet.insert_rows(1)
        for col, column in enumerate(question.columns, start=1):
            sheet.cell(row=1, column=col, value=_text(column.label))
    findings = book.create_sheet("Findings")
    _rows(findings, [["Severity", "Rule", "Title", "Detail", "Recommendation", "Questions",
                      "Citations"],
                     *([f.severity.value, f.rule_id, f.title, f.detail, f.recommendation,
                        ", ".join(f.questions), "; ".join(c.text for c in f.citations)]
                       for f in view.evaluation.findings)])
    evidence = book.create_sheet("Evidence")
    _rows(evidence, [["Question ID", "File", "SHA-256", "Size (bytes)", "Media type",
                      "Effective date", "Added at", "Added by"],
                     *([e.question_id, e.name, e.sha256, e.size, e.media_type,
                        e.effective_date or "", e.added_at, e.added_by]
                       for e in view.evidence)])
    log = book.create_sheet("History")
    _rows(log, [["Seq", "At", "Actor", "Kind", "Question ID", "Old", "New", "Reason",
                 "Hash"],
                *([e.seq, e.at, e.actor, str(e.kind), e.question_id or "", _plain(e.old),
                   _plain(e.new), e.reason or "", e.hash] for e in history)])
    for sheet in book.worksheets:
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rows(sheet: Any, rows: Iterable[Sequence[Any]]) -> None:
    for row in rows:
        sheet.append([_text(v) for v in row])


def _plain(value: Any) -> Any:
    """A stored value as a cell: numbers stay numbers, lists and mappings become JSON."""
    if value is None or isinstance(value, bool):
        return "" if value is None else ("yes" if value else "no")
    if isinstance(value, int | float | str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _text(value: Any) -> Any:
    """A cell value that openpyxl stores as the literal text, never as a formula."""
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        value = ILLEGAL_CHARACTERS_RE.sub(lambda m: f"U+{ord(m.group(0)):04X}", value)
        if value.startswith("="):
            from openpyxl.cell.rich_text import CellRichText

            return CellRichText(value)
    return value


def _sheet_title(text: str) -> str:
    title = _SHEET_FORBIDDEN.sub(" ", text).strip().strip("'")
    return title[:SHEET_TITLE_LIMIT] or "Sheet"


def _unique(title: str, used: set[str]) -> str:
    candidate, counter = title, 2
    while candidate.lower() in {u.lower() for u in used}:
        suffix = f" ({counter})"
        candidate = title[:SHEET_TITLE_LIMIT - len(suffix)] + suffix
        counter += 1
    used.add(candidate)
    return candidate
