"""Fill an audit with made-up answers, for report samples and the benchmark only.

Every visible question gets a value its type accepts (tables get their default rows, or a
few rows), walking the checklist until nothing visible is left unanswered. The answers are
labelled as demonstration data; they say nothing about any real state.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.checklist.model import Column, Question, QuestionType, _Typed
from app.checklist.values import InvalidValue, validate_value
from app.errors import UserFacingError

DEMO_NOTE = "Demonstration answer: fictional data for a sample report."


def fill_demo_answers(service: Any, ref: str, *, notes: bool = True,
                      overrides: dict[str, Any] | None = None, max_rounds: int = 20) -> int:
    """Answer every visible unanswered question of the audit; returns how many were set.

    `overrides` maps question ids to the value to use instead of a made-up one. Answers
    can reveal or hide later questions, so the walk repeats until nothing is pending.
    """
    overrides = overrides or {}
    answered = 0
    for _ in range(max_rounds):
        view = service.view(ref)
        pending = [q for q in view.checklist.checklist.questions()
                   if view.evaluation.visible.get(q.id) and q.id not in view.answers]
        if not pending:
            break
        for question in pending:
            value = overrides.get(question.id, demo_value(question, view.audit.period_start))
            note = f"{DEMO_NOTE} ({question.id})" if notes else None
            try:
                service.set_answer(ref, question.id, value, note=note)
            except UserFacingError:
                try:
                    service.set_not_applicable(
                        ref, question.id, "Demonstration: no made-up value fits this question.")
                except UserFacingError:
                    continue  # hidden by an answer given earlier in this round
            answered += 1
    return answered


def demo_value(question: Question, period_start: str) -> Any:
    """A value of the right shape for `question`."""
    if question.type == QuestionType.TABLE:
        rows = [dict(row) for row in question.default_rows] or [{} for _ in range(3)]
        filled = [{c.id: row.get(c.id, _cell(c, period_start, i))
                   for c in question.columns} for i, row in enumerate(rows)]
        try:
            return validate_value(question, filled)
        except InvalidValue:
            return filled
    return _cell(question, period_start, 0)


def _cell(typed: _Typed, period_start: str, index: int) -> Any:
    kind = typed.type
    if kind == QuestionType.YES_NO_UNKNOWN:
        return ("yes", "no", "unknown")[index % 2]
    if kind == QuestionType.SINGLE_CHOICE:
        values = typed.option_values()
        return values[index % len(values)] if values else None
    if kind == QuestionType.MULTIPLE_CHOICE:
        return typed.option_values()[:2]
    if kind == QuestionType.DATE:
        start = dt.date.fromisoformat(period_start)
        return (start + dt.timedelta(days=30 * (index + 1))).isoformat()
    if kind == QuestionType.NUMBER:
        low = typed.min if typed.min is not None else 0
        value = max(low, 1200 * (index + 1))
        if typed.max is not None:
            value = min(value, typed.max)
        return int(value)
    label = typed.label if isinstance(typed, Column) else getattr(typed, "prompt", "")
    if kind == QuestionType.SHORT_TEXT:
        limit = typed.max_length or 120
        return f"Demo entry {index + 1}: {label}"[:limit].strip() or "Demo"
    limit = typed.max_length or 2000
    text = (f"Demonstration narrative for “{label}”. The auditor describes what was "
            "examined, who was interviewed and which records were compared. This text is "
            "fictional and stands in for a real answer.")
    return text[:limit].strip()
