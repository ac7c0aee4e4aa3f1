"""The audit list's progress and finding counts, derived from the answers in bulk and kept
while an audit's history head stays where it was (every change moves it)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Sequence

from sqlmodel import Session, col, select

from app.checklist.evaluate import AnswerFacts, AnswerState, evaluate
from app.checklist.model import Checklist
from app.store.tables import AnswerRow, AuditRow

Counts = tuple[int, int, int]
"""Required questions resolved, required questions shown, findings."""

_BATCH = 500


class ListingCounts:
    """Progress and finding counts of listed audits, each evaluated again only when its
    history head or checklist differs from the one it was counted at."""

    def __init__(self) -> None:
        self._known: dict[str, tuple[tuple[str | None, str], Counts]] = {}

    def counts(self, session: Session, rows: Sequence[AuditRow],
               checklist_of: Callable[[str], Checklist]) -> dict[str, Counts]:
        """The counts of every audit in `rows`, reading the answers of the changed ones
        in a few queries of plain columns (not one query and object per answer)."""
        stale = [row for row in rows
                 if self._known.get(row.id, ((None, ""), (0, 0, 0)))[0]
                 != (row.history_head, row.checklist_sha256)]
        facts = _answer_facts(session, [row.id for row in stale])
        for row in stale:
            evaluation = evaluate(checklist_of(row.checklist_sha256), facts.get(row.id, {}))
            self._known[row.id] = ((row.history_head, row.checklist_sha256), (
                evaluation.progress.done, evaluation.progress.total, len(evaluation.findings)))
        return {row.id: self._known[row.id][1] for row in rows}


def _answer_facts(session: Session, audit_ids: list[str]) -> dict[str, dict[str, AnswerFacts]]:
    facts: dict[str, dict[str, AnswerFacts]] = defaultdict(dict)
    for start in range(0, len(audit_ids), _BATCH):
        batch = audit_ids[start:start + _BATCH]
        for audit_id, question_id, value_json, state in session.exec(
                select(AnswerRow.audit_id, AnswerRow.question_id, AnswerRow.value_json,
                       AnswerRow.state).where(col(AnswerRow.audit_id).in_(batch))):
            facts[audit_id][question_id] = AnswerFacts(
                json.loads(value_json) if value_json is not None else None,
                AnswerState(state))
    return facts
