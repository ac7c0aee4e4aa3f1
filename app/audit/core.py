"""The core of the audit services: finding audits, loading their checklists, reading views."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from app.audit import convert
from app.audit.clock import current_actor
from app.audit.listing import ListingCounts
from app.checklist.answer_state import AnswerFacts
from app.errors import UserFacingError
from app.records import AnswerInfo, AuditInfo, AuditStatus, AuditView, CarryReport, EventKind
from app.store import schema
from app.store.database import Store, StoreError
from app.store.locks import hold_audit_lock

if TYPE_CHECKING:
    from app.checklist.evaluate import Evaluation
    from app.checklist.loader import LoadedChecklist
    from app.checklist.model import Checklist
    from app.checklist.overlay import LoadedOverlay

EVENT_BATCH = 500
_HEX = frozenset("0123456789abcdef")


class ServiceCore:
    """What every part of the audit services shares: the store, the actor, the checklists."""

    def __init__(self, store: Store, actor: str | None = None):
        self.store = store
        # On a server the database says who is connected; a name given here cannot override it.
        self.actor = store.database_user() or actor or current_actor()
        self._checklists: dict[str, LoadedChecklist] = {}
        self._checklist_seen: dict[str, Checklist] = {}  # by audit id, as last saved
        self._effective: dict[tuple[str, ...], tuple[LoadedChecklist,
                                                     tuple[LoadedOverlay, ...]]] = {}
        self._listing = ListingCounts()

    def resolve(self, ref: str) -> str:
        """The full id of the audit named by `ref`, an id or a unique prefix of one."""
        with self.store.session() as session:
            return self.resolve_in(session, ref)

    def resolve_in(self, session: Session | Connection, ref: str) -> str:
        """`resolve`, within a session (or Core connection) the caller already holds (one
        fewer transaction)."""
        ref = normal_ref(ref)
        # the id alone, not the row: a change locks the audit and only then reads its row
        audit = schema.AUDIT
        if session.execute(core_select(audit.c.id).where(audit.c.id == ref)
                           ).first() is not None:
            return ref
        matches = session.execute(core_select(audit.c.id).where(audit.c.id.startswith(ref))
                                  .limit(6)).scalars().all()
        if not matches:
            raise UserFacingError(f"no audit with id {ref!r}; `nlets-audit list` shows them")
        if len(matches) > 1:
            shown = ", ".join(m[:12] for m in matches[:5])
            raise UserFacingError(f"{ref!r} names more than one audit ({shown}); "
                                  "give more of the id")
        return str(matches[0])

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
            checklist, overlays = self._for_audit_with_overlays(session, row)
            answers = self._answers(session, audit_id)
            evidence = [convert.evidence_info(e) for e in session.exec(
                select(schema.EvidenceRow).where(schema.EvidenceRow.audit_id == audit_id)
                .order_by(col(schema.EvidenceRow.id))).all()]
            info = convert.audit_info(row)
            carried = _event_of_kind(session, row, EventKind.CARRIED_FORWARD)
            signed = _event_of_kind(session, row, EventKind.AUDIT_SIGNED)
        from app.checklist.evaluate import evaluate

        evaluation = evaluate(checklist.checklist, answer_facts(answers))
        report = (CarryReport.from_json(json.loads(carried.new_json))
                  if carried is not None and carried.new_json else None)
        attested = (signed.prev_hash, signed.seq - 1) if signed else None
        return AuditView(info, checklist, answers, evidence, evaluation, report, attested,
                         overlays)

    def view_with(self, view: AuditView, answer: AnswerInfo) -> AuditView:
        """`view` as it stands after `answer` was saved (as the service returned it):
        evaluated again, without reading the audit back from the database."""
        answers = {**view.answers, answer.question_id: answer}
        from app.checklist.evaluate import evaluate

        evaluation = evaluate(view.checklist.checklist, answer_facts(answers))
        return replace(view, answers=answers, evaluation=evaluation)

    def _writable(self, session: Session, audit_id: str) -> schema.AuditRow:
        """The audit's row, locked for the rest of this change; refused when signed."""
        hold_audit_lock(session, audit_id)
        row = audit_row(session, audit_id)
        if row.status == AuditStatus.SIGNED:
            raise UserFacingError(f"audit {audit_id[:12]} is signed and read-only; to change "
                                  "it, start an amendment (a new audit based on it)")
        return row

    def _checklist(self, session: Session | Connection, sha256: str) -> LoadedChecklist:
        cached = self._checklists.get(sha256)
        if cached is None:
            source = _source(session, sha256)
            if source is None:
                raise StoreError(f"the checklist {sha256[:12]} of this audit is missing from "
                                 "the database; restore the database from a backup")
            from app.checklist.loader import load_checklist_bytes

            cached = load_checklist_bytes(source.content, source.filename)
            if cached.sha256 != sha256:
                raise StoreError(f"the stored checklist {sha256[:12]} was altered; restore "
                                 "the database from a backup")
            self._checklists[sha256] = cached
        return cached

    def _for_audit(self, session: Session | Connection, row: Any) -> LoadedChecklist:
        """The audit's checklist: its base, with the state overlays it applies merged in.
        `row` is the audit's row (ORM or Core: its checklist, overlays, jurisdiction)."""
        return self._for_audit_with_overlays(session, row)[0]

    def _for_audit_with_overlays(self, session: Session | Connection, row: Any,
                                 ) -> tuple[LoadedChecklist, tuple[LoadedOverlay, ...]]:
        base = self._checklist(session, row.checklist_sha256)
        if not row.overlay_sha256s:
            return base, ()
        # keyed by the stored text, so that only the first save of an audit parses it
        key = (row.checklist_sha256, row.jurisdiction, row.overlay_sha256s)
        cached = self._effective.get(key)
        if cached is None:
            digests = tuple(json.loads(row.overlay_sha256s))
            if not digests:
                return base, ()
            from app.checklist.overlay import effective_checklist, load_overlay_bytes

            overlays = []
            for digest in digests:
                source = _source(session, digest)
                if source is None or hashlib.sha256(source.content).hexdigest() != digest:
                    raise StoreError(f"the state overlay {digest[:12]} of this audit is "
                                     "missing or altered; restore the database from a backup")
                overlays.append(load_overlay_bytes(source.content, source.filename, base))
            effective = effective_checklist(base, overlays, row.jurisdiction)
            cached = (replace(base, checklist=effective.checklist), tuple(overlays))
            self._effective[key] = cached
        return cached

    def _answers(self, session: Session, audit_id: str) -> dict[str, AnswerInfo]:
        rows = session.exec(select(schema.AnswerRow)
                            .where(schema.AnswerRow.audit_id == audit_id)).all()
        return {row.question_id: convert.answer_info(row) for row in rows}

    def _evaluate(self, session: Session, row: schema.AuditRow) -> Evaluation:
        checklist = self._for_audit(session, row).checklist
        from app.checklist.evaluate import evaluate

        return evaluate(checklist, answer_facts(self._answers(session, row.id)))


def normal_ref(ref: str) -> str:
    """An audit id or prefix as typed, checked and lower-cased; refused unless hexadecimal."""
    ref = (ref or "").strip().lower()
    if not ref or not _HEX.issuperset(ref):
        raise UserFacingError(f"{ref!r} is not an audit id: ids are hexadecimal "
                              "(`nlets-audit list` shows them)")
    return ref


def _source(session: Session | Connection, sha256: str) -> Any:
    """The stored checklist or overlay file with this SHA-256 (content, filename), or None."""
    source = schema.table_of(schema.ChecklistSourceRow)
    return session.execute(core_select(source.c.content, source.c.filename)
                           .where(source.c.sha256 == sha256)).first()


def audit_row(session: Session, audit_id: str) -> schema.AuditRow:
    """The row of audit `audit_id`, which must exist (ids come from `resolve`)."""
    row = session.get(schema.AuditRow, audit_id)
    if row is None:
        raise UserFacingError(f"no audit with id {audit_id!r}; it may have been deleted")
    return row


def answer_facts(answers: Mapping[str, AnswerInfo]) -> dict[str, AnswerFacts]:
    """What evaluation needs of each stored answer."""
    return {qid: convert.answer_facts(a) for qid, a in answers.items()}


def _event_of_kind(session: Session, row: schema.AuditRow, kind: EventKind,
                   ) -> schema.HistoryEventRow | None:
    """The carry-forward or signing event of an audit, found without reading its whole
    history: carrying forward is recorded as the audit is created (among its first
    events) and only for an audit based on another; signing is recorded last, and only
    for an audit marked signed (one unlocked behind the tool's back is caught by
    `history verify`, which reads every event)."""
    event = schema.HistoryEventRow
    statement = select(event).where(event.audit_id == row.id, event.kind == kind)
    if kind == EventKind.CARRIED_FORWARD:
        if not row.based_on:
            return None
        return session.exec(statement.order_by(col(event.seq)).limit(1)).first()
    if row.status != AuditStatus.SIGNED and not row.signed_at:
        return None
    return session.exec(statement.order_by(col(event.seq).desc()).limit(1)).first()


def ordered_events(session: Session, audit_id: str) -> list[schema.HistoryEventRow]:
    """Every history event of an audit, oldest first."""
    return list(streamed_events(session, audit_id))


def streamed_events(session: Session, audit_id: str) -> Iterator[schema.HistoryEventRow]:
    """Every history event of an audit, oldest first, read a batch at a time: a long
    history is never all in memory unless the caller keeps it."""
    event = schema.HistoryEventRow
    statement = (select(event).where(event.audit_id == audit_id)
                 .order_by(col(event.seq)).execution_options(yield_per=EVENT_BATCH))
    yield from session.exec(statement)
