"""Sign an audit: render the final attestation, sign it, and lock the audit."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.audit.clock import utc_now
from app.audit.history import append_event
from app.audit.review import review
from app.errors import UserFacingError
from app.store import lock_audit
from app.store.tables import EvidenceBlobRow

if TYPE_CHECKING:
    from app.audit.models import AuditView
    from app.audit.service import AuditService
    from app.report.signing import Pkcs11Key, Pkcs12Key
    from app.report.verification import SignatureCheck

ATTESTATION_WEIGHT = (
    "Signing applies your digital signature, made with your own key, to this attestation "
    "and the exact data embedded in it. It has the legal weight of your handwritten "
    "signature on the statement above. Once signed, the audit is locked: changing it means "
    "starting an amendment.")


@dataclass(frozen=True)
class SignedAudit:
    """Where the signed attestation went and what was recorded."""

    path: Path
    pdf_sha256: str
    manifest_sha256: str
    signer: str
    certificate_sha256: str
    signed_at: str
    pages: int


def attestation_statement(service: AuditService, ref: str) -> list[str]:
    """The statement the signer attests to, paragraph by paragraph, as printed."""
    from app.report.context import attestation_statement as statement

    return statement(service.view(ref))


def sign_audit(service: AuditService, ref: str, key: Pkcs12Key | Pkcs11Key, output: Path, *,
               signer_title: str | None = None, timestamp_url: str | None = None,
               ) -> SignedAudit:
    """Render the final attestation of a ready audit, sign it, write it, lock the audit.

    Refused with every reason while the audit is not ready. Nothing is written and nothing
    changes when any step fails.
    """
    from app.audit.query_logs import recorded_analyses
    from app.report.context import Signatory
    from app.report.pdf import render_attestation
    from app.report.signing import describe_key, sign_pdf

    if output.exists() or output.is_symlink():
        raise UserFacingError(f"{output} already exists; choose a new file name")
    folder = output.resolve().parent
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        raise UserFacingError(f"cannot write in {folder}; choose another folder")
    view = service.view(ref)
    if view.audit.read_only:
        raise UserFacingError(f"audit {view.audit.id[:12]} is already signed")
    damaged = service.verify_history(view.audit.id).problems
    if damaged:
        raise UserFacingError("the audit's stored data does not match its history, so it "
                              "cannot be signed:\n" + "\n".join(f"  - {p}" for p in damaged))
    gaps = review(view).blockers
    if gaps:
        listed = "\n".join(f"  - {gap}" for gap in gaps[:20])
        more = f"\n  … and {len(gaps) - 20} more" if len(gaps) > 20 else ""
        raise UserFacingError(f"audit {view.audit.id[:12]} cannot be signed yet:\n"
                              f"{listed}{more}")
    signer_name, certificate_sha256 = describe_key(key)
    _refuse_another_signer(view, signer_name)
    today = dt.date.today().isoformat()
    rendered = render_attestation(
        view, changes=service.changes_since_previous(view.audit.id),
        signatory=Signatory(name=signer_name, title=signer_title, date=today),
        logs=recorded_analyses(service, view))
    signed = sign_pdf(rendered.pdf, key, box=rendered.signature_box,
                      timestamp_url=timestamp_url)
    pdf_sha256 = hashlib.sha256(signed.pdf).hexdigest()
    temporary = _write_beside(output, signed.pdf)
    signed_at = utc_now()
    placed = False
    try:
        with service.store.session() as session:
            row = lock_audit(session, view.audit.id)
            if row is None or row.status != "draft" or row.history_head != view.audit.history_head:
                raise UserFacingError("the audit changed while it was being signed; nothing "
                                      "was signed — review it and sign again")
            row.status = "signed"
            row.signed_by = signed.signer
            row.signed_at = signed_at
            row.signed_pdf_sha256 = pdf_sha256
            row.signer_certificate_sha256 = signed.certificate_sha256
            if session.get(EvidenceBlobRow, pdf_sha256) is None:
                session.add(EvidenceBlobRow(sha256=pdf_sha256, content=signed.pdf))
            append_event(session, row, at=signed_at, actor=service.actor, kind="audit_signed",
                         new={"signed_by": signed.signer, "signed_at": signed_at,
                              "signed_pdf_sha256": pdf_sha256,
                              "signer_certificate_sha256": signed.certificate_sha256,
                              "manifest_sha256": rendered.manifest_sha256})
            os.replace(temporary, output)
            placed = True
    except BaseException:
        if placed:
            output.unlink(missing_ok=True)
        raise
    finally:
        temporary.unlink(missing_ok=True)
    return SignedAudit(output, pdf_sha256, rendered.manifest_sha256, signed.signer,
                       certificate_sha256, signed_at, rendered.pages)


def _refuse_another_signer(view: AuditView, signer_name: str) -> None:
    """The key must be the attesting official's that the audit names, if it names one."""
    attestation = view.checklist.checklist.attestation
    if attestation is None or attestation.official is None:
        return
    official = view.evaluation.effective.get(attestation.official)
    if official and not same_person(str(official), signer_name):
        question = view.checklist.checklist.question(attestation.official)
        prompt = question.prompt if question else attestation.official
        raise UserFacingError(
            f"the key belongs to {signer_name!r}, but this audit names {official!r} as the "
            f"attesting official; sign with that official's own key, or correct “{prompt}” "
            "first. Nothing was signed")


def same_person(one: str, other: str) -> bool:
    """True when every word of one name is in the other, ignoring case, accents, order
    and punctuation ("Ñúñez-O'Brien, José" and "Jose Nunez O Brien" are the same)."""
    def words(name: str) -> set[str]:
        plain = "".join(c for c in unicodedata.normalize("NFKD", name)
                        if not unicodedata.combining(c))
        return set(re.findall(r"\w+", plain.casefold()))

    first, second = words(one), words(other)
    return bool(first and second) and (first <= second or second <= first)


def _write_beside(output: Path, data: bytes) -> Path:
    """Write `data` to a temporary file in the output's folder, ready to be renamed."""
    folder = output.resolve().parent
    if not folder.is_dir():
        raise UserFacingError(f"the folder {folder} does not exist")
    try:
        handle, name = tempfile.mkstemp(prefix=f".{output.name}.", dir=folder)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
    except OSError as exc:
        raise UserFacingError(f"cannot write in {folder}: {exc.strerror or exc}") from None
    return Path(name)


@dataclass(frozen=True)
class AttestationCheck:
    """Verifying a signed attestation, and comparing it with the database when given."""

    signature: SignatureCheck
    printed_hash_matches: bool | None
    audit_id: str | None
    database_problems: list[str]
    database_notes: list[str]

    @property
    def valid(self) -> bool:
        """True when the signature's bottom line holds and the database agrees."""
        return (self.signature.valid and self.printed_hash_matches is not False
                and not self.database_problems)


def verify_attestation(path: Path, trust: list[Path], service: AuditService | None = None,
                       ) -> AttestationCheck:
    """Check a signed attestation file; with `service`, compare it with the stored audit."""
    import json

    from app.report.verification import verify_signed_pdf

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserFacingError(f"cannot read {path}: {exc.strerror or exc}") from None
    check = verify_signed_pdf(data, trust)
    audit_id = None
    printed = None
    if check.manifest is not None:
        try:
            audit_id = json.loads(check.manifest)["audit"]["id"]
        except (ValueError, KeyError, TypeError):
            audit_id = None
        printed = _hash_printed(data, check.manifest_sha256)
    problems: list[str] = []
    notes: list[str] = []
    if service is not None and audit_id:
        problems, notes = _compare_with_database(service, audit_id, data, check)
    return AttestationCheck(check, printed, audit_id, problems, notes)


def _hash_printed(data: bytes, digest: str | None) -> bool | None:
    from io import BytesIO

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if digest is None:
        return None
    try:
        text = "".join(page.extract_text() or "" for page in PdfReader(BytesIO(data)).pages)
    except (PyPdfError, ValueError, KeyError):
        return None
    return digest in "".join(text.split())


def _compare_with_database(service: AuditService, audit_id: str, data: bytes,
                           check: SignatureCheck) -> tuple[list[str], list[str]]:
    import json

    from sqlmodel import select

    from app.store.tables import HistoryEventRow

    try:
        audit = service.get_audit(audit_id)
    except UserFacingError:
        return [], [f"audit {audit_id[:12]} is not in this database; the manifest was not "
                    "compared with stored data"]
    problems = []
    if audit.status != "signed":
        problems.append(f"the database holds audit {audit_id[:12]} as a {audit.status}, not "
                        "as signed with this document")
        return problems, []
    if audit.signed_pdf_sha256 != hashlib.sha256(data).hexdigest():
        problems.append("this file is not the signed PDF the database recorded "
                        f"(SHA-256 {audit.signed_pdf_sha256})")
    with service.store.session() as session:
        event = session.exec(select(HistoryEventRow).where(
            HistoryEventRow.audit_id == audit_id,
            HistoryEventRow.kind == "audit_signed")).first()
        recorded = json.loads(event.new_json) if event else {}
    if recorded.get("manifest_sha256") != check.manifest_sha256:
        problems.append("the embedded manifest is not the one recorded when the audit was "
                        "signed")
    report = service.verify_history(audit_id)
    problems += [f"history: {p}" for p in report.problems]
    notes = [] if problems else [
        f"matches audit {audit_id[:12]} in the database: signed PDF, manifest and a history "
        f"of {report.events} events intact"]
    return problems, notes
