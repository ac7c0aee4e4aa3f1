"""Evidence files: attached to questions, stored by SHA-256 inside the database."""

from __future__ import annotations

import hashlib
import mimetypes
from pathlib import Path

from sqlmodel import Session, col, select

from app.audit import convert
from app.audit.clock import utc_now
from app.audit.core import ServiceCore
from app.audit.history import append_event
from app.audit.inputs import LINE_LIMIT, REASON_LIMIT, checked_date, limited
from app.errors import UserFacingError
from app.inputs import InputKind, read_input
from app.records import EventKind, EvidenceInfo, HistoryEvent
from app.store import schema
from app.store.database import StoreError
from app.store.locks import retry_conflicts


class EvidenceOps(ServiceCore):
    """Attaching and reading evidence files, and the stored signed attestation."""

    def add_evidence(self, ref: str, question_id: str, path: str | Path,
                     effective_date: str | None = None) -> EvidenceInfo:
        """Attach a file to a question, stored by its SHA-256 inside the database."""
        path = Path(path)
        content = read_input(path, InputKind.EVIDENCE)
        return self.add_evidence_content(ref, question_id, path.name, content, effective_date)

    @retry_conflicts
    def add_evidence_content(self, ref: str, question_id: str, name: str, content: bytes,
                             effective_date: str | None = None, *,
                             reason: str | None = None) -> EvidenceInfo:
        """Attach `content` under the file name `name` to a question, by its SHA-256;
        `reason` says in the history where it came from."""
        effective = checked_date(effective_date, "effective date") if effective_date else None
        audit_id = self.resolve(ref)
        with self.store.session() as session:
            row = self._writable(session, audit_id)
            if self._for_audit(session, row).checklist.question(
                    question_id) is None:
                raise UserFacingError(f"the checklist has no question {question_id!r}")
            return attach_evidence(session, row, self.actor, question_id, name, content,
                                   effective, reason)

    @retry_conflicts
    def withdraw_evidence(self, ref: str, sha256: str, reason: str, *,
                          question_id: str | None = None) -> EvidenceInfo:
        """Withdraw an evidence file attached by mistake: its record leaves the audit and,
        unless another audit still holds it, its bytes are purged from the database. The
        history keeps its hash, who withdrew it, when and why.

        `sha256` may be a unique prefix of the file's hash within this audit; `question_id`
        says which question's copy when the same file supports several.
        """
        why = limited((reason or "").strip(), REASON_LIMIT, "reason")
        if not why:
            raise UserFacingError("say why the file is withdrawn: a reason is required")
        digest = (sha256 or "").strip().lower()
        audit_id = self.resolve(ref)
        with self.store.session() as session:
            row = self._writable(session, audit_id)
            matches = [e for e in session.exec(select(schema.EvidenceRow).where(
                schema.EvidenceRow.audit_id == audit_id)).all() if digest and e.sha256.startswith(
                    digest) and question_id in (None, e.question_id)]
            if len({e.sha256 for e in matches}) != 1:
                raise UserFacingError(
                    f"{'no' if not matches else 'more than one'} evidence file of audit "
                    f"{audit_id[:12]} has a SHA-256 starting {digest!r}; `nlets-audit "
                    "evidence list AUDIT` shows them")
            if len(matches) > 1:
                raise UserFacingError(
                    f"the file {digest[:16]}… is attached to {len(matches)} questions of this "
                    "audit; name the question whose copy is withdrawn")
            evidence = matches[0]
            info = convert.evidence_info(evidence)
            old = convert.evidence_snapshot(evidence)
            session.delete(evidence)
            session.flush()
            still_held = session.exec(select(schema.EvidenceRow.id).where(
                schema.EvidenceRow.sha256 == evidence.sha256)).first() is not None or (
                session.exec(select(schema.AuditRow.id).where(
                    schema.AuditRow.signed_pdf_sha256 == evidence.sha256)).first() is not None)
            if not still_held:
                blob = session.get(schema.EvidenceBlobRow, evidence.sha256)
                if blob is not None:
                    session.delete(blob)
            append_event(session, row, at=utc_now(), actor=self.actor,
                         kind=EventKind.EVIDENCE_WITHDRAWN, question_id=evidence.question_id,
                         old=old, new={"sha256": evidence.sha256, "purged": not still_held},
                         reason=why)
        return info

    def withdrawn_evidence(self, ref: str) -> list[HistoryEvent]:
        """The withdrawals of the audit's evidence files, oldest first: each event names the
        question, the file (its hash and name, in `old`), who withdrew it, when and why."""
        audit_id = self.resolve(ref)
        with self.store.session() as session:
            return [convert.history_event(e) for e in session.exec(
                select(schema.HistoryEventRow).where(
                    schema.HistoryEventRow.audit_id == audit_id,
                    schema.HistoryEventRow.kind == EventKind.EVIDENCE_WITHDRAWN.value)
                .order_by(col(schema.HistoryEventRow.seq))).all()]

    def evidence_content(self, sha256: str) -> bytes:
        """The bytes of a stored evidence file."""
        with self.store.session() as session:
            blob = session.get(schema.EvidenceBlobRow, sha256)
            if blob is None:
                raise UserFacingError(f"no evidence file with SHA-256 {sha256}")
            return blob.content

    def signed_pdf(self, ref: str) -> bytes:
        """The signed attestation exactly as it was written when the audit was signed."""
        audit = self.get_audit(ref)
        if not audit.signed_pdf_sha256:
            raise UserFacingError(f"audit {audit.id[:12]} is not signed")
        with self.store.session() as session:
            blob = session.get(schema.EvidenceBlobRow, audit.signed_pdf_sha256)
            if blob is None:
                raise StoreError("the signed attestation is missing from the database; "
                                 "restore the database from a backup")
            return blob.content


def readable_name(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 become the replacement character."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def attach_evidence(session: Session, row: schema.AuditRow, actor: str, question_id: str, name: str,
                    content: bytes, effective: str | None = None,
                    reason: str | None = None) -> EvidenceInfo:
    """Attach `content` to `question_id` of the audit `row` in the caller's transaction
    (the audit's lock held): the blob once by SHA-256, the record, the history event."""
    name = limited(readable_name(name), LINE_LIMIT, "evidence file name", bidi=False)
    digest = hashlib.sha256(content).hexdigest()
    same = session.exec(select(schema.EvidenceRow).where(
        schema.EvidenceRow.audit_id == row.id, schema.EvidenceRow.question_id == question_id,
        schema.EvidenceRow.sha256 == digest)).first()
    if same is not None:
        raise UserFacingError(
            f"this file is already attached to {question_id!r}, as {same.name!r} "
            f"(added {same.added_at[:10]} by {same.added_by}; SHA-256 {digest[:16]}…)")
    if session.get(schema.EvidenceBlobRow, digest) is None:
        session.add(schema.EvidenceBlobRow(sha256=digest, content=content))
        session.flush()
    now = utc_now()
    evidence = schema.EvidenceRow(
        audit_id=row.id, question_id=question_id, sha256=digest, name=readable_name(name),
        size=len(content),
        media_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
        effective_date=effective, added_at=now, added_by=actor)
    session.add(evidence)
    session.flush()
    append_event(session, row, at=now, actor=actor, kind=EventKind.EVIDENCE_ADDED,
                 question_id=question_id, new=convert.evidence_snapshot(evidence),
                 reason=reason)
    return convert.evidence_info(evidence)
