"""Does the stored audit match its history? Replays the chain and compares."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import Any

from sqlmodel import Session, select

from app.audit import convert
from app.audit.history import canonical_text, chain_problems
from app.records import AuditStatus, EventKind
from app.store.tables import (
    AnswerRow,
    AuditRow,
    ChecklistSourceRow,
    EvidenceBlobRow,
    EvidenceRow,
    HistoryEventRow,
)

CREATION_FIELDS = ("title", "jurisdiction", "period_start", "period_end", "checklist_id",
                   "checklist_version", "checklist_sha256", "based_on", "auditor")


def history_problems(session: Session, audit: AuditRow, events: list[HistoryEventRow],
                     ) -> list[str]:
    """Every way in which the audit's stored data and its history disagree."""
    problems = chain_problems(events, audit)
    problems += _creation_problems(audit, events)
    problems += _answer_problems(session, audit, events)
    problems += _evidence_problems(session, audit, events)
    problems += _content_problems(session, audit)
    problems += _signing_problems(audit, events)
    return problems


SIGNED_FIELDS = ("signed_by", "signed_at", "signed_pdf_sha256", "signer_certificate_sha256")


def _signing_problems(audit: AuditRow, events: list[HistoryEventRow]) -> list[str]:
    """A signed audit's status and signature facts must be those its last event records."""
    signed = [i for i, event in enumerate(events) if event.kind == EventKind.AUDIT_SIGNED]
    if not signed:
        if audit.status != AuditStatus.DRAFT or any(getattr(audit, f) for f in SIGNED_FIELDS):
            return [f"the audit is marked {audit.status} with signature facts, but its history "
                    "records no signature"]
        return []
    problems = []
    if signed[-1] != len(events) - 1:
        problems.append("changes were recorded after the audit was signed")
    recorded = json.loads(events[signed[-1]].new_json or "{}")
    if audit.status != AuditStatus.SIGNED:
        problems.append(f"the audit was signed but is marked {audit.status}")
    problems += [f"the audit's {name} differs from what was recorded at signing"
                 for name in SIGNED_FIELDS if recorded.get(name) != getattr(audit, name)]
    return problems


def _creation_problems(audit: AuditRow, events: list[HistoryEventRow]) -> list[str]:
    if not events or events[0].kind != EventKind.AUDIT_CREATED:
        return ["the history does not begin with the creation of the audit"]
    recorded = {**json.loads(events[0].new_json or "{}"), "created_at": events[0].at}
    return [f"the audit's {name} was changed from {recorded.get(name)!r} to "
            f"{getattr(audit, name)!r} outside the tool"
            for name in (*CREATION_FIELDS, "created_at")
            if recorded.get(name) != getattr(audit, name)]


def _answer_problems(session: Session, audit: AuditRow, events: list[HistoryEventRow],
                     ) -> list[str]:
    replayed: dict[str, Any] = {}
    for event in events:
        if _kind(event).changes_answer and event.question_id:
            snapshot = json.loads(event.new_json) if event.new_json else None
            replayed[event.question_id] = snapshot and {**snapshot, "updated_by": event.actor,
                                                        "updated_at": event.at}
    stored = {row.question_id: {**convert.answer_snapshot(row), "updated_by": row.updated_by,
                                "updated_at": row.updated_at}
              for row in session.exec(select(AnswerRow).where(AnswerRow.audit_id == audit.id))}
    problems = []
    for question_id in sorted(set(replayed) | set(stored)):
        if replayed.get(question_id) != stored.get(question_id):
            problems.append(f"the answer to {question_id!r} differs from its history "
                            f"(stored {_short(stored.get(question_id))}, history says "
                            f"{_short(replayed.get(question_id))})")
    return problems


def _evidence_problems(session: Session, audit: AuditRow, events: list[HistoryEventRow],
                       ) -> list[str]:
    replayed: Counter[str] = Counter()
    for event in events:
        if event.kind == EventKind.EVIDENCE_ADDED and event.new_json:
            replayed[event.new_json] += 1
        elif event.kind == EventKind.EVIDENCE_WITHDRAWN and event.old_json:
            replayed[event.old_json] -= 1  # a tombstone: the file was withdrawn
    stored = Counter(canonical_text(convert.evidence_snapshot(row)) for row in session.exec(
        select(EvidenceRow).where(EvidenceRow.audit_id == audit.id)).all())
    problems = []
    if any(count < 0 for count in replayed.values()):
        problems.append("the history withdraws an evidence file it never recorded adding")
    replayed = +replayed
    if replayed != stored:
        extra = sum((stored - replayed).values())
        missing = sum((replayed - stored).values())
        problems.append(f"evidence differs from its history ({extra} record(s) not in the "
                        f"history, {missing} recorded but missing or altered)")
    return problems


def _content_problems(session: Session, audit: AuditRow) -> list[str]:
    problems = []
    source = session.get(ChecklistSourceRow, audit.checklist_sha256)
    if source is None or hashlib.sha256(source.content).hexdigest() != audit.checklist_sha256:
        problems.append("the stored checklist does not match its SHA-256")
    digests = set(session.exec(select(EvidenceRow.sha256).where(
        EvidenceRow.audit_id == audit.id)).all())
    for digest in sorted(digests):
        blob = session.get(EvidenceBlobRow, digest)
        if blob is None or hashlib.sha256(blob.content).hexdigest() != digest:
            problems.append(f"the evidence file {digest[:12]} does not match its SHA-256")
    return problems


def _kind(event: HistoryEventRow) -> EventKind:
    """The event's kind; one this tool never writes counts as no answer change (the chain
    check reports the altered event)."""
    try:
        return EventKind(event.kind)
    except ValueError:
        return EventKind.AUDIT_CREATED


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "..."
