"""Verify a signed attestation file, and compare it with the audit stored in the database."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.errors import UserFacingError
from app.records import AuditStatus, EventKind
from app.report.manifest import PUBLIC_FORMAT

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


PUBLIC_DATA_NAME = "transparency.json"


@dataclass(frozen=True)
class PublicReportCheck:
    """Verifying a public transparency report: its seal, and the attestation it names."""

    signature: SignatureCheck | None
    """The seal's check; None when the file carries no signature."""
    audit_id: str | None
    attestation_manifest_sha256: str | None
    signed_attestation_sha256: str | None
    """The signed attestation the report names; None when it names none (not attested)."""
    problems: list[str]
    notes: list[str]

    @property
    def valid(self) -> bool:
        """True when the report is sealed, intact, trusted and names its attestation, and
        agrees with the attestation file and the database where they were given."""
        return self.signature is not None and self.signature.valid and not self.problems


def is_public_report(path: Path) -> bool:
    """True when the file embeds public report data (transparency.json) and no manifest."""
    from pypdf import PdfReader

    try:
        names = set(PdfReader(BytesIO(path.read_bytes())).attachments)
    except Exception:  # noqa: BLE001 - any unreadable file is simply not one
        return False
    return PUBLIC_DATA_NAME in names and "manifest.json" not in names


def verify_public_report(path: Path, trust: list[Path], service: AuditService | None = None,
                         attestation: Path | None = None) -> PublicReportCheck:
    """Check a public transparency report: sealed by a trusted signature over the whole
    file, naming the signed attestation it derives from; with `attestation`, that it is that
    file; with `service`, that it is the report recorded when the audit was signed."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserFacingError(f"cannot read {path}: {exc.strerror or exc}") from None
    problems: list[str] = []
    notes: list[str] = []
    signature, public = _public_seal(data, trust, problems)
    facts: dict[str, Any] = {}
    if public is None:
        problems.append(f"it carries no public report data ({PUBLIC_DATA_NAME})")
    else:
        try:
            loaded = json.loads(public)
        except ValueError:
            loaded = None
        if isinstance(loaded, dict) and loaded.get("format") == PUBLIC_FORMAT:
            facts = loaded
        else:
            problems.append(f"its {PUBLIC_DATA_NAME} is not an nlets-audit public report")
    found = facts.get("audit")
    audit: dict[str, Any] = found if isinstance(found, dict) else {}
    audit_id = audit.get("id") if isinstance(audit.get("id"), str) else None
    manifest_sha256 = facts.get("attestation_manifest_sha256")
    attested = facts.get("attested") if isinstance(facts.get("attested"), dict) else None
    signed_sha256 = attested.get("signed_pdf_sha256") if attested else None
    if facts and not signed_sha256:
        problems.append("the report says the audit was not attested: it names no signed "
                        "attestation")
    if attestation is not None and signed_sha256:
        problems += _compare_with_attestation(attestation, trust, signed_sha256,
                                              manifest_sha256, signature)
        if not problems:
            notes.append(f"matches the attestation given ({attestation})")
    if service is not None and audit_id and signed_sha256:
        found, said = _public_in_database(service, audit_id, data, manifest_sha256, signature)
        problems += found
        notes += said
    return PublicReportCheck(signature, audit_id,
                             manifest_sha256 if isinstance(manifest_sha256, str) else None,
                             signed_sha256 if isinstance(signed_sha256, str) else None,
                             problems, notes)


def _public_seal(data: bytes, trust: list[Path], problems: list[str],
                 ) -> tuple[SignatureCheck | None, bytes | None]:
    """The seal's check and the public data as sealed (as found, when not sealed)."""
    from app.report.verification import verify_signed_pdf

    try:
        from pyhanko.pdf_utils.reader import PdfFileReader

        signatures = PdfFileReader(BytesIO(data), strict=False).embedded_signatures
    except Exception as exc:  # noqa: BLE001 - a damaged file is not valid, whatever broke
        problems.append(f"the file is damaged or not a PDF ({type(exc).__name__})")
        return None, None
    if not signatures:
        problems.append("the report is not sealed: it carries no signature, so anyone could "
                        "have made it")
        return None, _attachment(data)
    try:
        check = verify_signed_pdf(data, trust)
        public = _sealed_attachment(signatures[0])
    except Exception as exc:  # noqa: BLE001 - a damaged file is not valid, whatever broke
        problems.append(f"the seal cannot be checked: the file is damaged ({exc})")
        return None, None
    problems += check.problems or ([] if check.valid else ["the seal does not verify"])
    if len(signatures) > 1:
        problems.append(f"the file carries {len(signatures)} signatures; a sealed report "
                        "carries one")
    return check, public


def _sealed_attachment(signature: Any) -> bytes | None:
    """The public data attachment as it stood in the sealed revision."""
    try:
        root = signature.reader.get_historical_resolver(signature.signed_revision).root
        names = root["/Names"]["/EmbeddedFiles"]["/Names"]
    except (KeyError, TypeError):
        return None
    for i in range(0, len(names) - 1, 2):
        if str(names[i]) == PUBLIC_DATA_NAME:
            return bytes(names[i + 1].get_object()["/EF"]["/F"].get_object().data)
    return None


def _attachment(data: bytes) -> bytes | None:
    from pypdf import PdfReader

    try:
        found = PdfReader(BytesIO(data)).attachments.get(PUBLIC_DATA_NAME)
    except Exception:  # noqa: BLE001 - unreadable: no data
        return None
    return bytes(found[0]) if found else None


def _compare_with_attestation(attestation: Path, trust: list[Path], signed_sha256: str,
                              manifest_sha256: Any, seal: SignatureCheck | None) -> list[str]:
    """Problems when the attestation file given is not the one the report derives from."""
    from app.report.verification import verify_signed_pdf

    try:
        content = attestation.read_bytes()
    except OSError as exc:
        raise UserFacingError(f"cannot read {attestation}: {exc.strerror or exc}") from None
    if hashlib.sha256(content).hexdigest() != signed_sha256:
        return [f"the report does not derive from the attestation given ({attestation}): it "
                f"names the signed attestation with SHA-256 {signed_sha256}"]
    try:
        check = verify_signed_pdf(content, trust)
    except Exception as exc:  # noqa: BLE001 - reported as a problem, never a crash
        return [f"the attestation given cannot be checked: {exc}"]
    problems = []
    if check.manifest_sha256 != manifest_sha256:
        problems.append("the attestation given embeds another manifest than the one the "
                        "report names")
    if seal is not None and check.certificate_sha256 != seal.certificate_sha256:
        problems.append(f"the report is sealed by {seal.signer}, but the attestation was "
                        f"signed by {check.signer}")
    return problems


def _public_in_database(service: AuditService, audit_id: str, data: bytes,
                        manifest_sha256: Any, seal: SignatureCheck | None,
                        ) -> tuple[list[str], list[str]]:
    try:
        audit = service.get_audit(audit_id)
    except UserFacingError:
        return [], [f"audit {audit_id[:12]} is not in this database; the report was not "
                    "compared with stored data"]
    signing = next((e for e in service.history(audit_id) if e.kind == EventKind.AUDIT_SIGNED),
                   None)
    recorded = signing.new if signing is not None and isinstance(signing.new, dict) else {}
    problems = []
    if audit.status != AuditStatus.SIGNED:
        problems.append(f"the database holds audit {audit_id[:12]} as a {audit.status}")
    if recorded.get("public_report_sha256") != hashlib.sha256(data).hexdigest():
        problems.append("this file is not the public report recorded when the audit was "
                        "signed")
    if recorded.get("manifest_sha256") != manifest_sha256:
        problems.append("the report names another attestation manifest than the one "
                        "recorded when the audit was signed")
    if seal is not None and audit.signer_certificate_sha256 != seal.certificate_sha256:
        problems.append("the report is sealed with another certificate than the one that "
                        "signed the audit")
    notes = [] if problems else [f"the report recorded when audit {audit_id[:12]} was signed"]
    return problems, notes
