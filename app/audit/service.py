"""The audit services: the one API the TUI and the command line call."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete
from sqlalchemy import select as core_select
from sqlmodel import col, select

from app.audit import convert
from app.audit.answers import AnswerOps
from app.audit.clock import utc_now
from app.audit.core import audit_row, streamed_events
from app.audit.evidence import EvidenceOps
from app.audit.history import anchor_problems, append_event
from app.audit.history_pages import (
    HISTORY_PAGE,
    PAGE_LIMIT,
    HistoryPage,
    history_terms,
    read_page,
)
from app.audit.inputs import checked_date, clean_line
from app.errors import UserFacingError
from app.records import (
    JURISDICTIONS,
    AnswerInfo,
    AuditInfo,
    AuditStatus,
    AuditSummary,
    AuditView,
    EventKind,
    HistoryEvent,
    HistoryReport,
    normalise_jurisdiction,
)
from app.store import schema
from app.store.locks import retry_conflicts

if TYPE_CHECKING:
    from app.audit.attest import SignatureFacts, SignedAudit, SigningKey
    from app.audit.diff import AuditDiff
    from app.audit.export import ExportResult
    from app.audit.query_logs import LogImport
    from app.audit.review import Review
    from app.audit.verify import AttestationCheck
    from app.checklist.loader import LoadedChecklist
    from app.checklist.overlay import LoadedOverlay
    from app.logs import ColumnMapping
    from app.records import Attestation, ChangeRecord, Signatory, Statement


class AuditService(AnswerOps, EvidenceOps):
    """Create, read and change audits; every change is committed and recorded in history."""

    @retry_conflicts
    def create_audit(self, checklist: LoadedChecklist, *, jurisdiction: str,
                     period_start: str, period_end: str, title: str | None = None,
                     auditor: str | None = None, based_on: str | None = None,
                     overlays: Sequence[LoadedOverlay] = ()) -> AuditInfo:
        """Start a new draft audit of `jurisdiction` for the period against `checklist`.

        With `based_on`, the previous audit's answers, notes, not-applicable reasons and
        evidence are carried forward, each answer to be re-confirmed. `overlays` are state
        overlays for the checklist and the jurisdiction; their bytes are kept with the audit.
        """
        previous_id = self.resolve(based_on) if based_on else None
        code = normalise_jurisdiction(jurisdiction)
        start = checked_date(period_start, "period start")
        end = checked_date(period_end, "period end")
        if start > end:
            raise UserFacingError(f"the period starts ({start}) after it ends ({end}); "
                                  "swap the dates")
        meta = checklist.checklist
        for overlay in overlays:
            pin = overlay.overlay.base
            if (pin.checklist, pin.version, pin.sha256) != (meta.id, meta.version,
                                                            checklist.sha256):
                raise UserFacingError(f"state overlay {overlay.overlay.overlay!r} is pinned to "
                                      "another checklist file; use an overlay for this one")
            if not overlay.applies_to(code):
                raise UserFacingError(f"state overlay {overlay.overlay.overlay!r} applies to "
                                      f"{', '.join(overlay.overlay.jurisdictions).upper()}, "
                                      f"not {code}")
        now = utc_now()
        row = schema.AuditRow(
            id=uuid.uuid4().hex,
            title=clean_line(title, "title") or f"{JURISDICTIONS[code]} — {meta.title}, "
                                                 f"{start} to {end}",
            jurisdiction=code, period_start=start, period_end=end,
            checklist_id=meta.id, checklist_version=meta.version,
            checklist_sha256=checklist.sha256, status=AuditStatus.DRAFT, based_on=previous_id,
            auditor=clean_line(auditor, "auditor") or self.actor,
            created_at=now, updated_at=now,
            overlay_sha256s=json.dumps([o.sha256 for o in overlays]) if overlays else None,
        )
        with self.store.session() as session:
            if session.get(schema.ChecklistSourceRow, checklist.sha256) is None:
                session.add(schema.ChecklistSourceRow(
                    sha256=checklist.sha256, checklist_id=meta.id, version=meta.version,
                    filename=Path(checklist.filename).name, content=checklist.source,
                    added_at=now))
                session.flush()
            for overlay in overlays:
                if session.get(schema.ChecklistSourceRow, overlay.sha256) is None:
                    session.add(schema.ChecklistSourceRow(
                        sha256=overlay.sha256, checklist_id=overlay.overlay.overlay,
                        version=overlay.overlay.version,
                        filename=Path(overlay.filename).name, content=overlay.source,
                        added_at=now))
            session.flush()
            session.add(row)
            session.flush()
            append_event(session, row, at=now, actor=self.actor, kind=EventKind.AUDIT_CREATED,
                         new=audit_metadata(row))
            if previous_id:
                previous = audit_row(session, previous_id)
                old = self._for_audit(session, previous).checklist
                if previous.jurisdiction != row.jurisdiction:
                    raise UserFacingError(
                        f"audit {previous_id[:12]} covers {previous.jurisdiction}, not "
                        f"{row.jurisdiction}; carry forward only within one jurisdiction")
                if old.id != meta.id:
                    raise UserFacingError(
                        f"audit {previous_id[:12]} used checklist {old.id!r}, not {meta.id!r};"
                        " carry forward only within the same checklist")
                self._checklists[checklist.sha256] = checklist
                from app.audit.carry import carry_forward

                current = self._for_audit(session, row).checklist
                carry_forward(session, previous, old, row, current, actor=self.actor, at=now)
            self._checklists[checklist.sha256] = checklist
            self._fill_from_audit(session, row, self._for_audit(session, row).checklist)
        self._checklists[checklist.sha256] = checklist
        return convert.audit_info(row)

    def list_audits(self) -> list[AuditSummary]:
        """Every audit, most recently changed first, with progress and finding counts."""
        with self.store.session() as session:
            audit = schema.AUDIT  # plain columns: the first screen declares no ORM models
            rows = session.execute(core_select(audit).order_by(audit.c.updated_at.desc())).all()
            counts, fresh = self._listing.counts(
                session, rows, lambda row: self._for_audit(session, row).checklist)
            listed = [AuditSummary(convert.audit_info(row), *counts[row.id]) for row in rows]
        self._listing.keep(self.store, fresh)
        return listed

    def history_heads(self) -> dict[str, tuple[int, str | None]]:
        """Each audit's history length and head: a cheap way to notice changes made
        elsewhere (another person, another window) without reading the audits."""
        with self.store.session() as session:
            audit = schema.AUDIT
            rows = session.execute(core_select(audit.c.id, audit.c.history_length,
                                               audit.c.history_head)).all()
        return {audit_id: (length, head) for audit_id, length, head in rows}

    @retry_conflicts
    def delete_draft(self, ref: str) -> None:
        """Delete a draft audit with its answers, history and evidence records."""
        audit_id = self.resolve(ref)
        with self.store.session() as session:
            self._writable(session, audit_id)
            based = session.exec(select(schema.AuditRow.id)
                                 .where(schema.AuditRow.based_on == audit_id)).first()
            if based:
                raise UserFacingError(f"audit {based[:12]} was started from this one; delete "
                                      "that one first")
            session.execute(delete(schema.AnswerRow)
                            .where(col(schema.AnswerRow.audit_id) == audit_id))
            session.execute(delete(schema.EvidenceRow)
                            .where(col(schema.EvidenceRow.audit_id) == audit_id))
            session.execute(delete(schema.HistoryEventRow).where(
                col(schema.HistoryEventRow.audit_id) == audit_id))
            session.execute(delete(schema.AuditRow).where(col(schema.AuditRow.id) == audit_id))
            kept = select(schema.EvidenceRow.sha256).union(
                select(schema.AuditRow.signed_pdf_sha256).where(
                    col(schema.AuditRow.signed_pdf_sha256).is_not(None)))
            session.execute(delete(schema.EvidenceBlobRow).where(
                col(schema.EvidenceBlobRow.sha256).not_in(kept)))

    def review(self, ref: str | AuditView) -> Review:
        """Gaps, unconfirmed carried answers, stale evidence, and findings of an audit."""
        from app.audit.review import review

        return review(ref if isinstance(ref, AuditView) else self.view(ref))

    def diff(self, old_ref: str, new_ref: str) -> AuditDiff:
        """How the audit `new_ref` differs from the audit `old_ref`."""
        from app.audit.diff import diff_views

        return diff_views(self.view(old_ref), self.view(new_ref))

    def changes_since_previous(self, ref: str | AuditView) -> list[ChangeRecord] | None:
        """What changed since the audit this one was based on; None when it has none."""
        from app.audit.diff import change_records, diff_views

        view = ref if isinstance(ref, AuditView) else self.view(ref)
        if not view.audit.based_on:
            return None
        previous = self.view(view.audit.based_on)
        return change_records(diff_views(previous, view), previous, view)

    # ---- the attestation ----------------------------------------------------------------

    def attestation(self, ref: str | AuditView, *,
                    signatory: Signatory | None = None) -> Attestation:
        """What the attestation of an audit prints, decided once: readiness, statement,
        changes since the previous audit and the recorded query-log analyses."""
        from app.audit.attestation import assemble_attestation

        view = ref if isinstance(ref, AuditView) else self.view(ref)
        return assemble_attestation(self, view, signatory=signatory)

    def attestation_statement(self, ref: str) -> Statement:
        """The statement the signer attests to, as it will be printed."""
        from app.audit.statement import attestation_statement

        return attestation_statement(self.view(ref))

    def export(self, ref: str, path: str | Path, fmt: str = "pdf", *,
               progress: Callable[[str], None] | None = None) -> ExportResult:
        """Write the audit to `path` in one of the export formats (app.audit.export)."""
        from app.audit.export import export_audit

        return export_audit(self, ref, path, fmt, progress=progress)

    def sign(self, ref: str, key: SigningKey, output: Path, *, signer_title: str | None = None,
             timestamp_url: str | None = None, trust: Sequence[Path] = ()) -> SignedAudit:
        """Render the final attestation of a ready audit, sign it, write it, lock the audit.

        The key's certificate must chain to the office's trust roots (`trust` and the trust
        store, see `app.audit.trust`) and be valid and unrevoked now, else nothing happens.
        """
        from app.audit.attest import sign_audit

        return sign_audit(self, ref, key, output, signer_title=signer_title,
                          timestamp_url=timestamp_url, trust=tuple(trust))

    def verify_attestation(self, path: Path, trust: list[Path], *, at: str | None = None,
                           online: bool = True) -> AttestationCheck:
        """Check a signed attestation file and compare it with the audit stored here."""
        from app.audit.verify import verify_attestation

        return verify_attestation(path, trust, self, at=at, online=online)

    def import_query_log(self, ref: str, path: Path, *, mapping: ColumnMapping | None = None,
                         answered: Sequence[str] = (), file_format: str | None = None,
                         dry_run: bool = False) -> LogImport:
        """Count a query log against the audit's agencies and blocks; fill what it shows."""
        from app.audit.query_logs import import_query_log

        return import_query_log(self, ref, path, mapping=mapping, answered=answered,
                                file_format=file_format, dry_run=dry_run)

    def import_table(self, ref: str, question_id: str, path: Path) -> AnswerInfo:
        """Answer a table question from a CSV or XLSX file, every cell validated."""
        from app.audit.table_import import import_table

        return import_table(self, ref, question_id, path)

    def record_signature(self, view: AuditView, signature: SignatureFacts,
                         place_file: Callable[[], None]) -> None:
        """Lock a draft as signed, in one transaction with the signature facts, the signed
        PDF, the sealed public report and the history event; `place_file` puts the signed
        file in place last.

        Refused when the audit changed since `view` was read: nothing is locked then.
        """
        with self.store.session() as session:
            row = self._writable(session, view.audit.id)
            if row.history_head != view.audit.history_head:
                raise UserFacingError("the audit changed while it was being signed; nothing "
                                      "was signed — review it and sign again")
            row.status = AuditStatus.SIGNED
            row.signed_by = signature.signer
            row.signed_at = signature.signed_at
            row.signed_pdf_sha256 = signature.pdf_sha256
            row.signer_certificate_sha256 = signature.certificate_sha256
            for sha256, content in ((signature.pdf_sha256, signature.pdf),
                                    (signature.public_pdf_sha256, signature.public_pdf)):
                if sha256 and session.get(schema.EvidenceBlobRow, sha256) is None:
                    session.add(schema.EvidenceBlobRow(sha256=sha256, content=content))
            append_event(session, row, at=signature.signed_at, actor=self.actor,
                         kind=EventKind.AUDIT_SIGNED, new=signature.as_event())
            place_file()

    def history(self, ref: str) -> list[HistoryEvent]:
        """Every recorded change of the audit, oldest first."""
        return list(self.iter_history(ref))

    def iter_history(self, ref: str) -> Iterator[HistoryEvent]:
        """Every recorded change of the audit, oldest first, read as it is consumed: a
        long history is shown in bounded memory."""
        audit_id = self.resolve(ref)
        with self.store.session() as session:
            for event in streamed_events(session, audit_id):
                yield convert.history_event(event)

    def history_page(self, ref: str, *, before: int | None = None,
                     limit: int = HISTORY_PAGE, text: str = "") -> HistoryPage:
        """Up to `limit` events older than event `before` (from the newest when None),
        newest first, matching every word of `text` (each in a question's id or prompt,
        the actor, the reason or the kind's words); only that page is read."""
        if not 1 <= limit <= PAGE_LIMIT:
            raise UserFacingError(f"a history page holds 1 to {PAGE_LIMIT} events, not "
                                  f"{limit}")
        audit_id = self.resolve(ref)
        with self.store.session() as session:
            terms = []
            if text.strip():
                row = audit_row(session, audit_id)
                terms = history_terms(self._for_audit(session, row).checklist, text)
            return read_page(session, audit_id, terms, before=before, limit=limit)

    def verify_history(self, ref: str, *, head: str | None = None,
                       length: int | None = None) -> HistoryReport:
        """Check the hash chain and that answers and evidence match what it records; with
        `head`, also that the chain recomputed from the stored events passes through that
        head (at event `length` when given), as recorded earlier by an export or signing.
        The events are streamed, so a long history is checked in bounded memory."""
        from app.audit.integrity import history_problems
        from app.audit.listing import stored_counts_problem

        audit_id = self.resolve(ref)
        with self.store.session() as session:
            row = audit_row(session, audit_id)
            check = history_problems(session, row, streamed_events(session, audit_id))
            problems = list(check.problems)
            counted = stored_counts_problem(session, row, lambda: self._evaluate(session, row))
            if counted:
                problems.append(counted)
            if head is not None:
                problems += anchor_problems(streamed_events(session, audit_id), head, length)
        return HistoryReport(audit_id, check.events, check.head, problems)


def audit_metadata(row: schema.AuditRow) -> dict[str, Any]:
    """The audit fields fixed at creation, as the first history event records them."""
    return {
        "title": row.title, "jurisdiction": row.jurisdiction,
        "period_start": row.period_start, "period_end": row.period_end,
        "checklist_id": row.checklist_id, "checklist_version": row.checklist_version,
        "checklist_sha256": row.checklist_sha256, "based_on": row.based_on,
        "auditor": row.auditor,
        **({"overlay_sha256s": row.overlay_sha256s} if row.overlay_sha256s else {}),
    }
