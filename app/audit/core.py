"""The core of the audit services: finding audits, loading their checklists, reading views."""

from __future__ import annotations

import json
from collections.abc import Mapping

from sqlmodel import Session, col, select

from app.audit import convert
from app.audit.clock import current_actor
from app.checklist.evaluate import AnswerFacts, Evaluation, evaluate
from app.checklist.loader import LoadedChecklist, load_checklist_bytes
from app.errors import UserFacingError
from app.records import AnswerInfo, AuditInfo, AuditStatus, AuditView, CarryReport, EventKind
from app.store.database import Store, StoreError
from app.store.locks import hold_audit_lock
from app.store.tables import (
    AnswerRow,
    AuditRow,
    ChecklistSourceRow,
    EvidenceRow,
    HistoryEventRow,
)


class ServiceCore:
    """What every part of the audit services shares: the store, the actor, the checklists."""

    def __init__(self, store: Store, actor: str | None = None):
        self.store = store
        # On a server the database says who is connected; a name given here cannot override it.
        self.actor = store.database_user() or actor or current_actor()
        self._checklists: dict[str, LoadedChecklist] = {}

    def resolve(self, ref: str) -> str:
        """The full id of the audit named by `ref`, an id or a unique prefix of one."""
        ref = (ref or "").strip().lower()
        if not ref or any(c not in "0123456789abcdef" for c in ref):
            raise UserFacingError(f"{ref!r} is not an audit id: ids are hexadecimal "
                                  "(`nlets-audit list` shows them)")
        with self.store.session() as session:
            if session.get(AuditRow, ref) is not None:
                return ref
            matches = session.exec(select(AuditRow.id).where(AuditRow.id.startswith(ref))
                                   .limit(6)).all()
        if not matches:
            raise UserFacingError(f"no audit with id {ref!r}; `nlets-audit list` shows them")
        if len(matches) > 1:
            shown = ", ".join(m[:12] for m in matches[:5])
            raise UserFacingError(f"{ref!r} names more than one audit ({shown}); "
                                  "give more of the id")
        return matches[0]

    def get_audit(self, ref: str) -> AuditInfo:
        """The audit named by `ref`."""
        audit_id = self.resolve(ref)
        with self.store.session() as session:
            return convert.audit_info(audit_row(session, audit_id))

    def view(self, ref: str) -> AuditView:
        """The audit with its checklist, answers, evidence, progress and findings."""
        audit_id = self.resolve(ref)
        with self.store.session() as session:
            row = audit_row(session, audit_id)
            checklist = self._checklist(session, row.checklist_sha256)
            answers = self._answers(session, audit_id)
            evidence = [convert.evidence_info(e) for e in session.exec(
                select(EvidenceRow).where(EvidenceRow.audit_id == audit_id)
                .order_by(col(EvidenceRow.id))).all()]
            info = convert.audit_info(row)
            carried = session.exec(select(HistoryEventRow).where(
                HistoryEventRow.audit_id == audit_id,
                HistoryEventRow.kind == EventKind.CARRIED_FORWARD)).first()
            signed = session.exec(select(HistoryEventRow).where(
                HistoryEventRow.audit_id == audit_id,
                HistoryEventRow.kind == EventKind.AUDIT_SIGNED)).first()
        evaluation = evaluate(checklist.checklist, answer_facts(answers))
        report = (CarryReport.from_json(json.loads(carried.new_json))
                  if carried is not None and carried.new_json else None)
        attested = (signed.prev_hash, signed.seq - 1) if signed else None
        return AuditView(info, checklist, answers, evidence, evaluation, report, attested)

    def _writable(self, session: Session, audit_id: str) -> AuditRow:
        """The audit's row, locked for the rest of this change; refused when signed."""
        hold_audit_lock(session, audit_id)
        row = audit_row(session, audit_id)
        if row.status == AuditStatus.SIGNED:
            raise UserFacingError(f"audit {audit_id[:12]} is signed and read-only; to change "
                                  "it, start an amendment (a new audit based on it)")
        return row

    def _checklist(self, session: Session, sha256: str) -> LoadedChecklist:
        cached = self._checklists.get(sha256)
        if cached is None:
            source = session.get(ChecklistSourceRow, sha256)
            if source is None:
                raise StoreError(f"the checklist {sha256[:12]} of this audit is missing from "
                                 "the database; restore the database from a backup")
            cached = load_checklist_bytes(source.content, source.filename)
            if cached.sha256 != sha256:
                raise StoreError(f"the stored checklist {sha256[:12]} was altered; restore "
                                 "the database from a backup")
            self._checklists[sha256] = cached
        return cached

    def _answers(self, session: Session, audit_id: str) -> dict[str, AnswerInfo]:
        rows = session.exec(select(AnswerRow).where(AnswerRow.audit_id == audit_id)).all()
        return {row.question_id: convert.answer_info(row) for row in rows}

    def _evaluate(self, session: Session, row: AuditRow) -> Evaluation:
        checklist = self._checklist(session, row.checklist_sha256).checklist
        return evaluate(checklist, answer_facts(self._answers(session, row.id)))


def audit_row(session: Session, audit_id: str) -> AuditRow:
    """The row of audit `audit_id`, which must exist (ids come from `resolve`)."""
    row = session.get(AuditRow, audit_id)
    if row is None:
        raise UserFacingError(f"no audit with id {audit_id!r}; it may have been deleted")
    return row


def answer_facts(answers: Mapping[str, AnswerInfo]) -> dict[str, AnswerFacts]:
    """What evaluation needs of each stored answer."""
    return {qid: convert.answer_facts(a) for qid, a in answers.items()}


def ordered_events(session: Session, audit_id: str) -> list[HistoryEventRow]:
    """Every history event of an audit, oldest first."""
    return list(session.exec(select(HistoryEventRow).where(HistoryEventRow.audit_id == audit_id)
                             .order_by(col(HistoryEventRow.seq))).all())
