"""Is a signed attestation intact, and by whom? Decided by pyHanko's bottom line."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

from app.errors import CheckFailed, UserFacingError
from app.inputs import InputKind, read_input

MANIFEST_NAME = "manifest.json"


@dataclass(frozen=True)
class SignatureCheck:
    """What verifying one signed PDF found."""

    valid: bool
    intact: bool
    cryptographically_valid: bool
    trusted: bool
    signer: str
    certificate_sha256: str
    signing_time: str | None
    timestamped: bool
    modified_after_signing: bool
    modification: str
    coverage: str
    manifest: bytes | None
    manifest_sha256: str | None
    problems: list[str] = field(default_factory=list)


def verify_signed_pdf(data: bytes, trust_roots: list[Path]) -> SignatureCheck:
    """Validate the first signature of `data` against `trust_roots` (no network fetching)."""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    roots = [_load_certificate(path) for path in trust_roots]
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise UserFacingError(f"not a readable PDF: {exc}") from None
    if not signatures:
        raise CheckFailed("the PDF carries no signature: it is not a signed attestation")
    signature = signatures[0]
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    status = validate_pdf_signature(signature, context)
    certificate = status.signing_cert
    modification = status.modification_level.name if status.modification_level else "UNKNOWN"
    coverage = status.coverage.name if status.coverage else "UNKNOWN"
    problems = []
    if not status.intact:
        problems.append("the signed bytes were changed: the document is not intact")
    elif not status.valid:
        problems.append("the signature does not verify against the certificate")
    if not status.trusted:
        problems.append("the certificate does not chain to a trusted root"
                        + ("" if roots else " (give one with --trust)"))
    modified = coverage != "ENTIRE_FILE"
    if modified:
        problems.append(f"content was added after signing ({modification.lower()}, "
                        f"coverage {coverage.lower()})")
    if getattr(status, "docmdp_ok", True) is False:
        problems.append("changes after signing break the certification (no changes allowed)")
    manifest = _signed_manifest(signature)
    when = status.timestamp_validity.timestamp if status.timestamp_validity else (
        status.signer_reported_dt)
    return SignatureCheck(
        valid=bool(status.bottom_line), intact=bool(status.intact),
        cryptographically_valid=bool(status.valid), trusted=bool(status.trusted),
        signer=common_name(certificate) if certificate else "unknown",
        certificate_sha256=hashlib.sha256(certificate.dump()).hexdigest() if certificate
        else "", signing_time=when.isoformat() if when else None,
        timestamped=status.timestamp_validity is not None,
        modified_after_signing=modified, modification=modification, coverage=coverage,
        manifest=manifest, manifest_sha256=hashlib.sha256(manifest).hexdigest()
        if manifest is not None else None, problems=problems,
    )


def _signed_manifest(signature: Any) -> bytes | None:
    """The manifest attachment as it stood in the signed revision."""
    try:
        root = signature.reader.get_historical_resolver(signature.signed_revision).root
        names = root["/Names"]["/EmbeddedFiles"]["/Names"]
    except (KeyError, TypeError):
        return None
    for i in range(0, len(names) - 1, 2):
        if str(names[i]) == MANIFEST_NAME:
            return names[i + 1].get_object()["/EF"]["/F"].get_object().data
    return None


def common_name(certificate: Any) -> str:
    """The certificate subject's common name, else its whole subject."""
    native = certificate.subject.native
    return str(native.get("common_name") or certificate.subject.human_friendly)


def _load_certificate(path: Path) -> Any:
    from asn1crypto import pem, x509

    data = read_input(path, InputKind.KEY)
    try:
        if pem.detect(data):
            _, _, data = pem.unarmor(data)
        return x509.Certificate.load(data)
    except ValueError:
        raise UserFacingError(f"{path} is not a certificate (PEM or DER)") from None
