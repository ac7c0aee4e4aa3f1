"""The audit list's progress and finding counts, derived from the answers in bulk and kept
while an audit's history head stays where it was (every change moves it). Each audit is
counted against the checklist it is answered against: its base with the state overlays it
applies."""

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
    history head or checklist (base, overlays, jurisdiction) differs from the one it was
    counted at."""

    def __init__(self) -> None:
        self._known: dict[str, tuple[CountedAt, Counts]] = {}

    def counts(self, session: Session, rows: Sequence[AuditRow],
               checklist_of: Callable[[AuditRow], Checklist]) -> dict[str, Counts]:
        """The counts of every audit in `rows` (`checklist_of` gives an audit's effective
        checklist), reading the answers of the changed ones in a few queries of plain
        columns (not one query and object per answer)."""
        stale = [row for row in rows
                 if row.id not in self._known or self._known[row.id][0] != counted_at(row)]
        facts = _answer_facts(session, [row.id for row in stale])
        for row in stale:
            evaluation = evaluate(checklist_of(row), facts.get(row.id, {}))
            self._known[row.id] = (counted_at(row), (
                evaluation.progress.done, evaluation.progress.total, len(evaluation.findings)))
        return {row.id: self._known[row.id][1] for row in rows}


CountedAt = tuple[str | None, int, str, str | None, str]
"""What an audit's counts derive from: its history head and length, its base checklist,
its overlays and its jurisdiction."""


def counted_at(row: AuditRow) -> CountedAt:
    """What the counts of the audit `row` derive from (any change to one of them can change
    the counts)."""
    return (row.history_head, row.history_length, row.checklist_sha256, row.overlay_sha256s,
            row.jurisdiction)


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
