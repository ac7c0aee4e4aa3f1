"""Evaluate a checklist against answers: what is visible, progress, and findings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.checklist.answer_state import AnswerFacts, AnswerState
from app.checklist.authorities import Citation
from app.checklist.checks import AnswerRef, Check
from app.checklist.conditions import comparisons
from app.checklist.display import format_value
from app.checklist.model import Checklist, FindingRule, Question, Remedy, Severity


@dataclass(frozen=True)
class SectionProgress:
    """Required visible questions resolved in one section."""

    section_id: str
    done: int
    total: int


@dataclass(frozen=True)
class Progress:
    """Required visible questions resolved (answered or not applicable) over all of them."""

    done: int
    total: int
    sections: list[SectionProgress] = field(default_factory=list)

    @property
    def percent(self) -> float:
        """Completion from 0 to 100; an audit with nothing required is complete.

        Not for showing while answering: follow-up questions an answer reveals enlarge
        `total`, so this falls as work is done. Show `done` and `to_do` instead."""
        return 100.0 if self.total == 0 else 100.0 * self.done / self.total

    @property
    def to_do(self) -> int:
        """Required questions shown and not yet resolved (unanswered, or carried forward
        and not yet confirmed)."""
        return self.total - self.done


@dataclass(frozen=True)
class Finding:
    """A findings rule that fired."""

    rule_id: str
    severity: Severity
    title: str
    detail: str
    recommendation: str
    citations: list[Citation]
    questions: list[str]
    concerns: list[str] = field(default_factory=list)
    public: bool = True
    """False: left out of the public report (which says how many were withheld)."""
    remedy: Remedy | None = None
    rows: dict[str, list[int]] = field(default_factory=dict)
    """The rows named in `concerns`, by position in their table (question id -> indices)."""


@dataclass(frozen=True)
class CheckWarning:
    """A check that holds: two answers that cannot both be true."""

    check_id: str
    text: str
    questions: list[str]
    rows: list[str] = field(default_factory=list)
    """The table rows concerned, by their first column."""


@dataclass(frozen=True)
class Evaluation:
    """Everything derived from a checklist and its answers."""

    visible: dict[str, bool]
    effective: dict[str, Any]
    progress: Progress
    unanswered: list[str]
    """Required visible questions with no answer (nor a carried one awaiting confirmation)."""
    unconfirmed: list[str]
    """Visible questions whose carried-forward answer is not yet confirmed."""
    findings: list[Finding]
    warnings: list[CheckWarning] = field(default_factory=list)
    """Checks across answers that hold: answers that cannot both be true."""


def evaluate(checklist: Checklist, answers: Mapping[str, AnswerFacts]) -> Evaluation:
    """Work out visibility, progress and findings for `answers` (question id -> facts).

    Conditions only read earlier questions, so one pass in checklist order settles
    visibility; a hidden question's answer is kept but counts for nothing.
    """
    visible: dict[str, bool] = {}
    effective: dict[str, Any] = {}
    for question in checklist.questions():
        shown = question.visible_if is None or question.visible_if.holds(effective)
        visible[question.id] = shown
        facts = answers.get(question.id)
        if shown and facts is not None and facts.value is not None and (
                facts.state != AnswerState.NOT_APPLICABLE):
            effective[question.id] = facts.value

    unanswered: list[str] = []
    unconfirmed: list[str] = []
    sections: list[SectionProgress] = []
    for section in checklist.sections:
        done = total = 0
        for question in section.questions:
            if not visible[question.id]:
                continue
            facts = answers.get(question.id)
            if facts is not None and facts.state == AnswerState.CARRIED_UNCONFIRMED:
                unconfirmed.append(question.id)
            if not question.required:
                continue
            total += 1
            not_applicable = (facts is not None and facts.state == AnswerState.NOT_APPLICABLE
                              and question.allow_not_applicable)
            if not_applicable or (facts is not None and facts.state == AnswerState.ANSWERED
                                  and facts.value is not None):
                done += 1
            elif facts is None or facts.state != AnswerState.CARRIED_UNCONFIRMED:
                unanswered.append(question.id)  # a carried answer waits in `unconfirmed`
        sections.append(SectionProgress(section.id, done, total))
    progress = Progress(sum(s.done for s in sections), sum(s.total for s in sections), sections)
    findings = [_finding(checklist, rule, effective) for rule in checklist.findings
                if rule.when.holds(effective)]
    findings.sort(key=lambda f: f.severity.rank)
    return Evaluation(visible, effective, progress, unanswered, unconfirmed, findings,
                      check_warnings(checklist, effective))


def newly_revealed(checklist: Checklist, before: Evaluation, after: Evaluation) -> list[str]:
    """The required questions still to do that `after` shows and `before` did not: the
    follow-ups an answer revealed, which is why the count of questions to do can grow while
    the count answered never falls."""
    unresolved = set(after.unanswered) | set(after.unconfirmed)
    return [q.id for q in checklist.questions()
            if q.required and q.id in unresolved and after.visible.get(q.id, True)
            and not before.visible.get(q.id, True)]


def visibility_inputs(checklist: Checklist, question_id: str) -> set[str]:
    """The questions whose answers decide whether `question_id` is shown: those its
    condition reads, and theirs in turn."""
    found: set[str] = set()
    pending = [question_id]
    while pending:
        question = checklist.question(pending.pop())
        if question is None or question.visible_if is None:
            continue
        for _, comparison in comparisons(question.visible_if):
            if comparison.question not in found:
                found.add(comparison.question)
                pending.append(comparison.question)
    return found


def is_visible(checklist: Checklist, question_id: str,
               answers: Mapping[str, AnswerFacts]) -> bool:
    """Whether one question is shown for `answers`, as `evaluate` would say, reading only
    the questions its condition depends on (and theirs, in turn) instead of them all."""
    visible: dict[str, bool] = {}

    def shown(qid: str) -> bool:
        if qid not in visible:
            question = checklist.question(qid)
            condition = question.visible_if if question is not None else None
            if condition is None:
                visible[qid] = True
            else:
                effective: dict[str, Any] = {}
                for _, comparison in comparisons(condition):
                    read = comparison.question
                    facts = answers.get(read)
                    if (read not in effective and facts is not None
                            and facts.value is not None
                            and facts.state != AnswerState.NOT_APPLICABLE and shown(read)):
                        effective[read] = facts.value
                visible[qid] = condition.holds(effective)
        return visible[qid]

    return shown(question_id)


def _finding(checklist: Checklist, rule: FindingRule, effective: dict[str, Any]) -> Finding:
    found = comparisons(rule.when)
    questions = rule.questions or list(dict.fromkeys(c.question for _, c in found))
    names, rows = _concerns(checklist, found, effective)
    return Finding(rule.id, rule.severity, rule.title, rule.detail, rule.recommendation,
                   list(rule.citations), questions, names,
                   public=rule.public, remedy=rule.remedy, rows=rows)


def _concerns(checklist: Checklist, found: list[Any], effective: dict[str, Any],
              ) -> tuple[list[str], dict[str, list[int]]]:
    """The table rows a finding is about, named by their first column, and where they
    stand in their tables."""
    names: list[str] = []
    rows: dict[str, list[int]] = {}
    for path, comparison in found:
        if (comparison.op != "any_row" or "not" in path
                or not isinstance(effective.get(comparison.question), list)):
            continue
        question = checklist.question(comparison.question)
        if question is None or not question.columns:
            continue
        first = question.columns[0]
        for index, row in enumerate(effective[comparison.question]):
            if comparison.operand.holds(row) and first.id in row:
                names.append(format_value(first, row[first.id]))
                at = rows.setdefault(comparison.question, [])
                if index not in at:
                    at.append(index)
    for at in rows.values():
        at.sort()
    return list(dict.fromkeys(names)), rows


def check_warnings(checklist: Checklist, effective: Mapping[str, Any]) -> list[CheckWarning]:
    """The warnings raised by the checklist's checks on the visible answers."""
    warnings = []
    for check in checklist.checks:
        rows = _failing_rows(checklist, check, effective)
        if rows is not None:
            warnings.append(CheckWarning(check.id, check.warning, check.concerned(), rows))
    return warnings


def _failing_rows(checklist: Checklist, check: Check, effective: Mapping[str, Any],
                  ) -> list[str] | None:
    """None when the check does not hold; else the rows it holds for ([] for no table)."""
    table = next((ref for ref in (check.left, check.right) if ref.column), None)
    if table is None:
        left, right = effective.get(check.left.question), effective.get(check.right.question)
        return [] if _holds(check.op, left, right) else None
    question = checklist.question(table.question)
    rows = effective.get(table.question)
    if question is None or not isinstance(rows, list):
        return None
    failing = []
    for row in rows:
        if not isinstance(row, Mapping):
            continue
        left = _side(check.left, row, effective)
        right = _side(check.right, row, effective)
        if _holds(check.op, left, right):
            failing.append(_row_label(question, row))
    return failing or None


def _side(ref: AnswerRef, row: Mapping[str, Any], effective: Mapping[str, Any]) -> Any:
    return row.get(ref.column) if ref.column else effective.get(ref.question)


def _holds(op: str, left: Any, right: Any) -> bool:
    if left is None or right is None:
        return False
    try:
        if op == "gt":
            return bool(left > right)
        if op == "gte":
            return bool(left >= right)
        if op == "lt":
            return bool(left < right)
        if op == "lte":
            return bool(left <= right)
    except TypeError:
        return False
    return (left == right) if op == "equals" else (left != right)


def _row_label(question: Question, row: Mapping[str, Any]) -> str:
    first = question.columns[0]
    return format_value(first, row.get(first.id))
