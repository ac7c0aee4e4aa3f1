"""Sign an audit: render the final attestation, sign it, and lock the audit."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import os
import re
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from app.atomic import remove_quietly, write_beside
from app.audit.clock import utc_now
from app.audit.review import review
from app.audit.statement import attesting_signatory, capacity_text
from app.errors import UserFacingError
from app.records import Attestation, AuditView, Signatory

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
    public_pdf: bytes = b""
    """The public transparency report sealed with the same key ("" when not made)."""
    public_pdf_sha256: str = ""

    def as_event(self) -> dict[str, Any]:
        """The facts as the signing event records them (the PDFs by their hashes)."""
        event = {"signed_by": self.signer, "signed_at": self.signed_at,
                 "signed_pdf_sha256": self.pdf_sha256,
                 "signer_certificate_sha256": self.certificate_sha256,
                 "manifest_sha256": self.manifest_sha256}
        if self.public_pdf_sha256:
            event["public_report_sha256"] = self.public_pdf_sha256
        return event


P = ParamSpec("P")
T = TypeVar("T")
_IMPORTING = threading.Lock()
"""Held by a preparation while it imports and by a signature throughout: two threads that
import the same modules at once can deadlock on an import cycle (and Python then fails one
of them), so the later one waits for the other."""


def _after_preparation(function: Callable[P, T]) -> Callable[P, T]:
    """Run `function` once no preparation is importing, and keep one from starting."""

    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        with _IMPORTING:
            return function(*args, **kwargs)

    return run


def prepare_signing() -> None:
    """Load the renderer and the signing library ahead of a signature (safe in a worker
    thread; a failure here is left for the signature itself to report)."""
    with _IMPORTING, contextlib.suppress(Exception):
        from app.report.signing import warm_up

        warm_up()


@_after_preparation
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
    date = _signing_date(view)
    title = _signing_capacity(view, signer_title)
    signer_name, certificate_sha256 = describe_key(key)
    name = _refuse_another_signer(view, signer_name)
    anchors = office_trust(trust)
    check_signing_key(key, anchors)  # what verify would reject is refused before anything
    final = replace(attestation, signatory=Signatory(name=name, title=title, date=date,
                                                     signed=True))
    rendered = render_attestation(final)
    signed = sign_pdf(rendered.pdf, key, box=rendered.signature_box,
                      timestamp_url=timestamp_url, trust=anchors)
    signed_sha256 = hashlib.sha256(signed.pdf).hexdigest()
    public = seal_public_report(final, signed_sha256, key, timestamp_url, anchors)
    facts = SignatureFacts(signed.signer, signed.certificate_sha256, utc_now(), signed.pdf,
                           signed_sha256, rendered.manifest_sha256, public,
                           hashlib.sha256(public).hexdigest())
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


def seal_public_report(attestation: Attestation, signed_attestation_sha256: str,
                       key: SigningKey, timestamp_url: str | None, trust: Any) -> bytes:
    """The public transparency report of `attestation`, naming the signed attestation by
    its SHA-256 and certified with the same key, so a look-alike cannot pass `verify`."""
    from app.report.pdf import render_transparency
    from app.report.signing import PUBLIC_REPORT_FIELD, sign_pdf

    public = render_transparency(attestation,
                                 signed_attestation_sha256=signed_attestation_sha256)
    return sign_pdf(public.pdf, key, timestamp_url=timestamp_url, trust=trust,
                    field_name=PUBLIC_REPORT_FIELD, reason="Public transparency report").pdf


def signing_day() -> str:
    """Today's date where the official signs (the machine's local date), as ISO text."""
    return dt.date.today().isoformat()


def _signing_date(view: AuditView) -> str:
    """The date of the attestation: the day of signing, which the audit's answer must be."""
    mapping = view.checklist.checklist.attestation
    today = signing_day()
    if mapping is None or mapping.date is None:
        return today
    answered = attesting_signatory(view).date
    if answered != today:
        question = view.checklist.checklist.question(mapping.date)
        prompt = question.prompt if question else mapping.date
        raise UserFacingError(
            f"the audit says the attestation is dated {answered or 'nothing'}, but today is "
            f"{today}: the signed document must carry one date. Set “{prompt}” "
            f"({mapping.date}) to {today}, the day you sign, then sign. Nothing was signed")
    return today


def _signing_capacity(view: AuditView, typed: str | None) -> str | None:
    """The capacity printed under the signature: the one the audit records, which a title
    typed at signing must agree with; the typed title when the audit records none."""
    recorded = capacity_text(view)
    typed = " ".join((typed or "").split()) or None
    mapping = view.checklist.checklist.attestation
    if mapping is None or mapping.capacity is None:
        return typed
    if typed is not None and _words(typed) != _words(recorded or ""):
        question = view.checklist.checklist.question(mapping.capacity)
        prompt = question.prompt if question else mapping.capacity
        raise UserFacingError(
            f"the audit records the capacity {recorded!r}, but the title given at signing is "
            f"{typed!r}: the signed document must carry one capacity. Leave the title out, "
            f"or correct “{prompt}” first. Nothing was signed")
    return recorded


def _refuse_another_signer(view: AuditView, signer_name: str) -> str:
    """The key must be the attesting official's that the audit names, if it names one;
    returns the name printed under the signature."""
    attestation = view.checklist.checklist.attestation
    if attestation is None or attestation.official is None:
        return signer_name
    official = attesting_signatory(view).name
    question = view.checklist.checklist.question(attestation.official)
    prompt = question.prompt if question else attestation.official
    if not official:
        raise UserFacingError(f"the audit names no attesting official; answer “{prompt}” "
                              "first. Nothing was signed")
    if not same_person(official, signer_name):
        raise UserFacingError(
            f"the key belongs to {signer_name!r}, but this audit names {official!r} as the "
            f"attesting official; sign with that official's own key, or correct “{prompt}” "
            "to the name as the certificate gives it. Nothing was signed")
    return official


def same_person(one: str, other: str) -> bool:
    """True when the two names have the same words, ignoring case, accents, order,
    punctuation and remarks in parentheses ("Ñúñez-O'Brien, José" and "Jose Nunez O Brien
    (TEST ONLY)" are the same; "Example" and "Jordan Example" are not)."""
    first, second = _words(one), _words(other)
    return bool(first) and first == second


def _words(name: str) -> set[str]:
    plain = "".join(c for c in unicodedata.normalize("NFKD", name)
                    if not unicodedata.combining(c))
    plain = re.sub(r"\([^()]*\)", " ", plain)
    return set(re.findall(r"\w+", plain.casefold()))
