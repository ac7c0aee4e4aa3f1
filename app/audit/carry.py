"""Carry a previous audit's answers into a new draft, each to be re-confirmed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from app.audit import convert
from app.audit.history import append_event
from app.checklist.evaluate import AnswerState
from app.checklist.migration import map_questions
from app.checklist.model import Checklist, Question
from app.checklist.values import InvalidValue, validate_value
from app.records import CarryReport, EventKind
from app.store.tables import AnswerRow, AuditRow, EvidenceRow


def carry_forward(session: Session, previous: AuditRow, old: Checklist, audit: AuditRow,
                  new: Checklist, *, actor: str, at: str) -> CarryReport:
    """Copy answers, notes, not-applicable reasons and evidence of `previous` into `audit`.

    Every copied answer is carried-unconfirmed. Old answers that the new question no longer
    accepts are not copied, and the report says why.
    """
    mapping = map_questions(old, new)
    report = CarryReport(previous.id, dropped=dict(mapping.dropped))
    expiring = _log_filled(new)
    old_rows = session.exec(select(AnswerRow).where(AnswerRow.audit_id == previous.id)
                            .order_by(col(AnswerRow.question_id))).all()
    placed: dict[str, str] = {}
    for old_row in old_rows:
        for target in mapping.targets.get(old_row.question_id, []):
            question = new.question(target)
            if question is None or question.from_audit:
                continue  # filled in from the new audit's own record
            if target in placed:
                report.not_copied[old_row.question_id] = (
                    f"{target!r} already took the answer of {placed[target]!r}")
                continue
            if target in expiring.questions:
                report.not_copied[old_row.question_id] = (
                    "filled from a query log: import this period's log to fill it")
                continue
            snapshot = _carried_snapshot(old_row, question, report)
            if snapshot is None:
                continue
            if target == expiring.table and isinstance(snapshot["value"], list):
                snapshot["value"] = _without_log_cells(snapshot["value"], expiring.columns,
                                                       question, report, old_row.question_id)
            placed[target] = old_row.question_id
            answer = AnswerRow(audit_id=audit.id, question_id=target,
                               value_json=_json(snapshot["value"]), note=snapshot["note"],
                               state=snapshot["state"], na_reason=snapshot["na_reason"],
                               updated_by=actor, updated_at=at)
            session.add(answer)
            if snapshot["state"] == AnswerState.CARRIED_UNCONFIRMED.value:
                report.copied.append(target)
            append_event(session, audit, at=at, actor=actor, kind=EventKind.ANSWER_CARRIED,
                         question_id=target, new=convert.answer_snapshot(answer),
                         reason=f"from audit {previous.id[:12]} ({old_row.question_id})")
    evidence_rows = session.exec(select(EvidenceRow).where(EvidenceRow.audit_id == previous.id)
                                 .order_by(col(EvidenceRow.id))).all()
    copied_evidence = 0
    for old_evidence in evidence_rows:
        for target in mapping.targets.get(old_evidence.question_id, []):
            row = EvidenceRow(audit_id=audit.id, question_id=target,
                              sha256=old_evidence.sha256, name=old_evidence.name,
                              size=old_evidence.size, media_type=old_evidence.media_type,
                              effective_date=old_evidence.effective_date,
                              added_at=old_evidence.added_at, added_by=old_evidence.added_by)
            session.add(row)
            session.flush()
            copied_evidence += 1
            append_event(session, audit, at=at, actor=actor, kind=EventKind.EVIDENCE_ADDED,
                         question_id=target, new=convert.evidence_snapshot(row),
                         reason=f"carried from audit {previous.id[:12]}")
    report.evidence = copied_evidence
    append_event(session, audit, at=at, actor=actor, kind=EventKind.CARRIED_FORWARD,
                 new=report.as_json())
    return report


@dataclass(frozen=True)
class _LogFilled:
    """What the query-log analysis fills in a checklist: it needs this period's log."""

    table: str | None = None
    columns: tuple[str, ...] = ()
    questions: frozenset[str] = frozenset()


def _log_filled(checklist: Checklist) -> _LogFilled:
    plan = checklist.log_analysis
    if plan is None:
        return _LogFilled()
    columns = tuple(c for c in (plan.columns.verified, plan.columns.answered_after_block) if c)
    questions = frozenset(q for q in (plan.period_start, plan.period_end) if q)
    return _LogFilled(plan.table, columns, questions)


def _without_log_cells(rows: list[Any], columns: tuple[str, ...], question: Question,
                       report: CarryReport, source: str) -> list[Any]:
    """Last period's verification is not this period's: the cells a log fills are cleared,
    so that only this period's log can fill them again."""
    cleared = [{k: v for k, v in row.items() if k not in columns} if isinstance(row, dict)
               else row for row in rows]
    if cleared != rows:
        labels = [c.label for c in question.columns if c.id in columns]
        report.not_copied[f"{source} ({', '.join(labels)})"] = (
            "filled from a query log: import this period's log to fill it")
    return cleared


def _carried_snapshot(old_row: AnswerRow, question: Question, report: CarryReport,
                      ) -> dict[str, Any] | None:
    target = question.id
    value = json.loads(old_row.value_json) if old_row.value_json is not None else None
    state = convert.answer_state(old_row.state)
    if value is None and old_row.na_reason and not question.allow_not_applicable:
        report.not_copied[old_row.question_id] = (
            f"it was not applicable, but {target!r} must now be answered")
        return {"value": None, "note": old_row.note, "state": AnswerState.ANSWERED.value,
                "na_reason": None} if old_row.note else None
    if value is not None:
        try:
            value = validate_value(question, value)
        except InvalidValue as exc:
            report.not_copied[old_row.question_id] = str(exc)
            return {"value": None, "note": old_row.note, "state": AnswerState.ANSWERED.value,
                    "na_reason": None} if old_row.note else None
    carried = value is not None or state == AnswerState.NOT_APPLICABLE or (
        state == AnswerState.CARRIED_UNCONFIRMED)
    if not carried and not old_row.note:
        return None
    return {
        "value": value,
        "note": old_row.note,
        "state": (AnswerState.CARRIED_UNCONFIRMED if carried else AnswerState.ANSWERED).value,
        "na_reason": old_row.na_reason,
    }


def _json(value: Any) -> str | None:
    return None if value is None else convert.value_json(value)
