"""Sign an audit: render the final attestation, sign it, and lock the audit."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.atomic import remove_quietly, write_beside
from app.audit.clock import utc_now
from app.audit.review import review
from app.errors import UserFacingError
from app.records import AuditView, Signatory

if TYPE_CHECKING:
    from app.audit.service import AuditService
    from app.report.signing import Pkcs11Key, Pkcs12Key

    SigningKey = Pkcs12Key | Pkcs11Key

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


@dataclass(frozen=True)
class SignatureFacts:
    """What signing records on the audit and in its history."""

    signer: str
    certificate_sha256: str
    signed_at: str
    pdf: bytes
    pdf_sha256: str
    manifest_sha256: str

    def as_event(self) -> dict[str, Any]:
        """The facts as the signing event records them (the PDF by its hash)."""
        return {"signed_by": self.signer, "signed_at": self.signed_at,
                "signed_pdf_sha256": self.pdf_sha256,
                "signer_certificate_sha256": self.certificate_sha256,
                "manifest_sha256": self.manifest_sha256}


def sign_audit(service: AuditService, ref: str, key: SigningKey, output: Path, *,
               signer_title: str | None = None, timestamp_url: str | None = None,
               trust: list[Path] | tuple[Path, ...] = ()) -> SignedAudit:
    """Render the final attestation of a ready audit, sign it, write it, lock the audit.

    Refused with every reason while the audit is not ready. Nothing is written and nothing
    changes when any step fails.
    """
    from app.audit.trust import office_trust
    from app.report.pdf import render_attestation
    from app.report.signing import check_signing_key, describe_key, sign_pdf

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
    gaps = review(view)
    if not gaps.ready:
        raise UserFacingError(gaps.refusal(view.audit.id))
    attestation = service.attestation(view)
    signer_name, certificate_sha256 = describe_key(key)
    _refuse_another_signer(view, signer_name)
    anchors = office_trust(trust)
    check_signing_key(key, anchors)  # what verify would reject is refused before anything
    rendered = render_attestation(replace(attestation, signatory=Signatory(
        name=signer_name, title=signer_title, date=dt.date.today().isoformat())))
    signed = sign_pdf(rendered.pdf, key, box=rendered.signature_box,
                      timestamp_url=timestamp_url, trust=anchors)
    facts = SignatureFacts(signed.signer, signed.certificate_sha256, utc_now(), signed.pdf,
                           hashlib.sha256(signed.pdf).hexdigest(), rendered.manifest_sha256)
    temporary = write_beside(output, signed.pdf)
    placed = False

    def place() -> None:
        nonlocal placed
        os.replace(temporary, output)
        placed = True

    try:
        service.record_signature(view, facts, place)
    except BaseException:
        if placed:
            output.unlink(missing_ok=True)
        raise
    finally:
        remove_quietly(temporary)
    return SignedAudit(output, facts.pdf_sha256, facts.manifest_sha256, facts.signer,
                       certificate_sha256, facts.signed_at, rendered.pages)


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
