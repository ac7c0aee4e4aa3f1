"""What changed between two audits: answers, questions, and findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.checklist.display import format_value
from app.checklist.migration import map_questions
from app.checklist.model import Checklist, Question, QuestionType
from app.records import AuditView, ChangeKind, ChangeRecord


@dataclass(frozen=True)
class AnswerChange:
    """A question whose answer differs between the two audits."""

    question_id: str
    prompt: str
    old: str
    new: str
    old_value: Any
    new_value: Any


@dataclass(frozen=True)
class FindingChange:
    """A finding present in one audit and not the other."""

    rule_id: str
    severity: str
    title: str
    concern: str | None = None

    @property
    def label(self) -> str:
        """The title, with the table row it concerns when there is one."""
        return f"{self.title} — {self.concern}" if self.concern else self.title


@dataclass(frozen=True)
class AuditDiff:
    """How the later audit differs from the earlier one."""

    old_audit: str
    new_audit: str
    changed: list[AnswerChange] = field(default_factory=list)
    new_questions: list[str] = field(default_factory=list)
    dropped_questions: list[str] = field(default_factory=list)
    findings_resolved: list[FindingChange] = field(default_factory=list)
    findings_new: list[FindingChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """True when nothing changed."""
        return not (self.changed or self.new_questions or self.dropped_questions
                    or self.findings_resolved or self.findings_new)


def diff_views(old: AuditView, new: AuditView) -> AuditDiff:
    """Compare two audits question by question, following renames between versions."""
    old_checklist, new_checklist = old.checklist.checklist, new.checklist.checklist
    mapping = map_questions(old_checklist, new_checklist)
    sources: dict[str, str] = {}
    for old_id, targets in mapping.targets.items():
        for target in targets:
            sources.setdefault(target, old_id)
    result = AuditDiff(old.audit.id, new.audit.id)
    for question in new_checklist.questions():
        source = sources.get(question.id)
        if source is None:
            result.new_questions.append(question.id)
            continue
        before = _shown(old, source)
        after = _shown(new, question.id)
        if before[1] == after[1]:
            continue
        if question.type == QuestionType.TABLE and isinstance(before[1], list) and isinstance(
                after[1], list):
            result.changed.extend(_row_changes(question, before[1], after[1]))
        else:
            result.changed.append(AnswerChange(question.id, question.prompt,
                                               before[0], after[0], before[1], after[1]))
    result.dropped_questions.extend(mapping.dropped)
    old_findings = _finding_keys(old)
    new_findings = _finding_keys(new)
    result.findings_resolved.extend(f for key, f in old_findings.items()
                                    if key not in new_findings)
    result.findings_new.extend(f for key, f in new_findings.items() if key not in old_findings)
    return result


def _row_changes(question: Question, old_rows: list[dict[str, Any]],
                 new_rows: list[dict[str, Any]]) -> list[AnswerChange]:
    """Table rows that differ, matched by their first column (by position if it repeats)."""
    old_keyed, new_keyed = _keyed(question, old_rows), _keyed(question, new_rows)
    changes = []
    for key in dict.fromkeys([*old_keyed, *new_keyed]):
        before, after = old_keyed.get(key), new_keyed.get(key)
        if before != after:
            changes.append(AnswerChange(
                question.id, f"{question.prompt} [{key}]",
                _row_text(question, before), _row_text(question, after), before, after))
    return changes


def _keyed(question: Question, rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    first = question.columns[0]
    labels = [format_value(first, row.get(first.id)) for row in rows]
    if len(set(labels)) != len(labels):
        labels = [f"row {i}" for i in range(1, len(rows) + 1)]
    return dict(zip(labels, rows, strict=True))


def _row_text(question: Question, row: dict[str, Any] | None) -> str:
    if row is None:
        return "—"
    return "; ".join(f"{column.label}: {format_value(column, row[column.id])}"
                     for column in question.columns[1:] if column.id in row) or "(empty)"


def _finding_keys(view: AuditView) -> dict[tuple[str, str | None], FindingChange]:
    """Each finding once per table row it concerns, so a change of agency shows."""
    keyed: dict[tuple[str, str | None], FindingChange] = {}
    for finding in view.evaluation.findings:
        concerns: list[str | None] = list(finding.concerns) or [None]
        for concern in concerns:
            keyed[(finding.rule_id, concern)] = FindingChange(
                finding.rule_id, finding.severity.value, finding.title, concern)
    return keyed


def _shown(view: AuditView, question_id: str) -> tuple[str, Any]:
    """The displayed text and the comparable value of an answer (None when unanswered)."""
    answer = view.answers.get(question_id)
    question = view.checklist.checklist.question(question_id)
    if answer is None or question is None or not view.evaluation.visible.get(question_id,
                                                                             False):
        return "—", None
    if answer.value is None and answer.na_reason:
        return f"not applicable: {answer.na_reason}", {"not_applicable": answer.na_reason}
    return format_value(question, answer.value), answer.value


def change_records(diff: AuditDiff, old: AuditView, new: AuditView) -> list[ChangeRecord]:
    """The diff as the report's "changes since the previous audit" rows."""
    old_checklist, new_checklist = old.checklist.checklist, new.checklist.checklist
    records = [ChangeRecord(ChangeKind.ANSWER_CHANGED, c.question_id, c.prompt, c.old, c.new)
               for c in diff.changed]
    records += [ChangeRecord(ChangeKind.QUESTION_ADDED, qid, _prompt(new_checklist, qid))
                for qid in diff.new_questions]
    records += [ChangeRecord(ChangeKind.QUESTION_DROPPED, qid, _prompt(old_checklist, qid))
                for qid in diff.dropped_questions]
    records += [ChangeRecord(ChangeKind.FINDING_NEW, f.rule_id, f.label, after=f.severity)
                for f in diff.findings_new]
    records += [ChangeRecord(ChangeKind.FINDING_RESOLVED, f.rule_id, f.label,
                             before=f.severity) for f in diff.findings_resolved]
    return records


def _prompt(checklist: Checklist, question_id: str) -> str:
    question = checklist.question(question_id)
    return question.prompt if question is not None else question_id
