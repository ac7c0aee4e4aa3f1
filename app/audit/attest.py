"""Sign an audit: render the final attestation, sign it, and lock the audit."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.audit.clock import utc_now
from app.audit.history import append_event
from app.audit.review import review
from app.errors import UserFacingError
from app.store.tables import AuditRow

if TYPE_CHECKING:
    from app.audit.service import AuditService
    from app.report.signing import Pkcs11Key, Pkcs12Key

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


def attestation_statement(service: AuditService, ref: str) -> str:
    """The statement the signer attests to, as printed on the attestation page."""
    from app.report.context import attestation_statement as statement

    return statement(service.view(ref))


def sign_audit(service: AuditService, ref: str, key: Pkcs12Key | Pkcs11Key, output: Path, *,
               signer_title: str | None = None, timestamp_url: str | None = None,
               ) -> SignedAudit:
    """Render the final attestation of a ready audit, sign it, write it, lock the audit.

    Refused with every reason while the audit is not ready. Nothing is written and nothing
    changes when any step fails.
    """
    from app.report.context import Signatory
    from app.report.pdf import render_attestation
    from app.report.signing import describe_key, sign_pdf

    if output.exists():
        raise UserFacingError(f"{output} already exists; choose a new file name")
    view = service.view(ref)
    if view.audit.read_only:
        raise UserFacingError(f"audit {view.audit.id[:12]} is already signed")
    gaps = review(view).blockers
    if gaps:
        listed = "\n".join(f"  - {gap}" for gap in gaps[:20])
        more = f"\n  … and {len(gaps) - 20} more" if len(gaps) > 20 else ""
        raise UserFacingError(f"audit {view.audit.id[:12]} cannot be signed yet:\n"
                              f"{listed}{more}")
    signer_name, certificate_sha256 = describe_key(key)
    today = dt.date.today().isoformat()
    rendered = render_attestation(
        view, changes=service.changes_since_previous(view.audit.id),
        signatory=Signatory(name=signer_name, title=signer_title, date=today))
    signed = sign_pdf(rendered.pdf, key, box=rendered.signature_box,
                      timestamp_url=timestamp_url)
    pdf_sha256 = hashlib.sha256(signed.pdf).hexdigest()
    temporary = _write_beside(output, signed.pdf)
    signed_at = utc_now()
    placed = False
    try:
        with service.store.session() as session:
            row = session.get(AuditRow, view.audit.id)
            if row.status != "draft" or row.history_head != view.audit.history_head:
                raise UserFacingError("the audit changed while it was being signed; nothing "
                                      "was signed — review it and sign again")
            row.status = "signed"
            row.signed_by = signed.signer
            row.signed_at = signed_at
            row.signed_pdf_sha256 = pdf_sha256
            row.signer_certificate_sha256 = signed.certificate_sha256
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


def _write_beside(output: Path, data: bytes) -> Path:
    """Write `data` to a temporary file in the output's folder, ready to be renamed."""
    folder = output.resolve().parent
    if not folder.is_dir():
        raise UserFacingError(f"the folder {folder} does not exist")
    handle, name = tempfile.mkstemp(prefix=f".{output.name}.", dir=folder)
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())
    return Path(name)
