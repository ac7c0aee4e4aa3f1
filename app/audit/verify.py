"""Verify a signed attestation file, and compare it with the audit stored in the database."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

from app.errors import UserFacingError
from app.inputs import InputKind, read_input
from app.records import AuditStatus, EventKind

if TYPE_CHECKING:
    from app.audit.service import AuditService
    from app.report.verification import SignatureCheck


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
    from app.report.verification import verify_signed_pdf

    data = read_input(path, InputKind.PDF)
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
    try:
        audit = service.get_audit(audit_id)
    except UserFacingError:
        return [], [f"audit {audit_id[:12]} is not in this database; the manifest was not "
                    "compared with stored data"]
    problems = []
    if audit.status != AuditStatus.SIGNED:
        problems.append(f"the database holds audit {audit_id[:12]} as a {audit.status}, not "
                        "as signed with this document")
        return problems, []
    if audit.signed_pdf_sha256 != hashlib.sha256(data).hexdigest():
        problems.append("this file is not the signed PDF the database recorded "
                        f"(SHA-256 {audit.signed_pdf_sha256})")
    signing = next((e for e in service.history(audit_id) if e.kind == EventKind.AUDIT_SIGNED),
                   None)
    recorded = signing.new if signing is not None and isinstance(signing.new, dict) else {}
    if recorded.get("manifest_sha256") != check.manifest_sha256:
        problems.append("the embedded manifest is not the one recorded when the audit was "
                        "signed")
    report = service.verify_history(audit_id)
    problems += [f"history: {p}" for p in report.problems]
    notes = [] if problems else [
        f"matches audit {audit_id[:12]} in the database: signed PDF, manifest and a history "
        f"of {report.events} events intact"]
    return problems, notes
