"""Does the stored audit match its history? Replays the chain and compares."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
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
                   "checklist_version", "checklist_sha256", "based_on", "auditor",
                   "overlay_sha256s")


@dataclass(frozen=True)
class HistoryCheck:
    """What checking an audit against its history found, and how long the history is."""

    problems: list[str]
    events: int
    head: str | None


def history_problems(session: Session, audit: AuditRow, events: Iterable[HistoryEventRow],
                     ) -> HistoryCheck:
    """Every way in which the audit's stored data and its history disagree.

    Reads `events` (oldest first) once, keeping only what the checks need, so that a long
    history can be streamed through in bounded memory.
    """
    tally = _Tally()
    problems = chain_problems(tally.watch(events), audit)
    problems += _creation_problems(audit, tally.first)
    problems += _answer_problems(session, audit, tally.replayed)
    problems += _evidence_problems(session, audit, tally.evidence)
    problems += _content_problems(session, audit)
    problems += _signing_problems(audit, tally)
    return HistoryCheck(problems, tally.count, tally.head)


class _Tally:
    """What the checks other than the chain's need, gathered as the events go by."""

    def __init__(self) -> None:
        self.count = 0
        self.head: str | None = None
        self.first: HistoryEventRow | None = None
        self.replayed: dict[str, Any] = {}
        self.evidence: Counter[str] = Counter()
        self.last_signed: tuple[int, str | None] | None = None  # its place, what it records

    def watch(self, events: Iterable[HistoryEventRow]) -> Iterator[HistoryEventRow]:
        """Pass `events` on, noting what the checks need of each."""
        for event in events:
            if self.first is None:
                self.first = event
            if _kind(event).changes_answer and event.question_id:
                snapshot = json.loads(event.new_json) if event.new_json else None
                self.replayed[event.question_id] = snapshot and {
                    **snapshot, "updated_by": event.actor, "updated_at": event.at}
            elif event.kind == EventKind.EVIDENCE_ADDED and event.new_json:
                self.evidence[event.new_json] += 1
            elif event.kind == EventKind.EVIDENCE_WITHDRAWN and event.old_json:
                self.evidence[event.old_json] -= 1  # a tombstone: the file was withdrawn
            elif event.kind == EventKind.AUDIT_SIGNED:
                self.last_signed = (self.count, event.new_json)
            self.count += 1
            self.head = event.hash
            yield event


SIGNED_FIELDS = ("signed_by", "signed_at", "signed_pdf_sha256", "signer_certificate_sha256")


def _signing_problems(audit: AuditRow, tally: _Tally) -> list[str]:
    """A signed audit's status and signature facts must be those its last event records."""
    if tally.last_signed is None:
        if audit.status != AuditStatus.DRAFT or any(getattr(audit, f) for f in SIGNED_FIELDS):
            return [f"the audit is marked {audit.status} with signature facts, but its history "
                    "records no signature"]
        return []
    problems = []
    place, recorded_json = tally.last_signed
    if place != tally.count - 1:
        problems.append("changes were recorded after the audit was signed")
    recorded = json.loads(recorded_json or "{}")
    if audit.status != AuditStatus.SIGNED:
        problems.append(f"the audit was signed but is marked {audit.status}")
    problems += [f"the audit's {name} differs from what was recorded at signing"
                 for name in SIGNED_FIELDS if recorded.get(name) != getattr(audit, name)]
    return problems


def _creation_problems(audit: AuditRow, first: HistoryEventRow | None) -> list[str]:
    if first is None or first.kind != EventKind.AUDIT_CREATED:
        return ["the history does not begin with the creation of the audit"]
    recorded = {**json.loads(first.new_json or "{}"), "created_at": first.at}
    return [f"the audit's {name} was changed from {recorded.get(name)!r} to "
            f"{getattr(audit, name)!r} outside the tool"
            for name in (*CREATION_FIELDS, "created_at")
            if recorded.get(name) != getattr(audit, name)]


def _answer_problems(session: Session, audit: AuditRow, replayed: dict[str, Any],
                     ) -> list[str]:
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


def _evidence_problems(session: Session, audit: AuditRow, replayed: Counter[str],
                       ) -> list[str]:
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
    for digest in json.loads(audit.overlay_sha256s) if audit.overlay_sha256s else []:
        overlay = session.get(ChecklistSourceRow, digest)
        if overlay is None or hashlib.sha256(overlay.content).hexdigest() != digest:
            problems.append(f"the stored state overlay {digest[:12]} does not match its "
                            "SHA-256")
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
