"""Is a signed attestation intact, trusted and unrevoked, and by whom?

Mechanics only: pyHanko's validator over every signature and document timestamp in the file,
with revocation checking (the file's own validation data first, the certificates' CRL and
OCSP services when fetching is allowed), each validated at the time the timestamp over it
proves. What the result means for the attestation is decided in `app.audit.verify`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

from app.errors import CheckFailed, UserFacingError
from app.inputs import InputKind, read_input

MANIFEST_NAME = "manifest.json"
REQUIRED_KEY_USAGE = frozenset({"non_repudiation"})
"""An attestation is a commitment: its certificate must allow non-repudiation (a PIV card's
slot 9C "Digital Signature" certificate does; its login certificate does not)."""

EMBEDDED = "the validation data embedded in the file"
ONLINE = "revocation data fetched online from the certificate's CRL/OCSP services"


@dataclass(frozen=True)
class TrustAnchors:
    """The trust roots and extra CRLs a verification accepts, and where they came from."""

    roots: tuple[Any, ...] = ()
    crls: tuple[Any, ...] = ()
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class SignatureEntry:
    """One signature or document timestamp found in the file."""

    kind: str
    field: str
    signer: str
    time: str | None
    trusted: bool
    revocation: str | None
    problem: str | None


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
    validated_at: str
    revocation: str | None
    modified_after_signing: bool
    modification: str
    coverage: str
    additions: list[str]
    signatures: list[SignatureEntry]
    manifest: bytes | None
    manifest_sha256: str | None
    problems: list[str] = field(default_factory=list)


def load_trust(paths: list[Path]) -> TrustAnchors:
    """Read trust root certificates and CRLs (PEM or DER); each file may hold several."""
    from asn1crypto import crl, pem, x509

    roots: list[Any] = []
    crls: list[Any] = []
    for path in paths:
        data = read_input(path, InputKind.KEY)
        blocks = ([(kind, der) for kind, _, der in pem.unarmor(data, multiple=True)]
                  if pem.detect(data) else [("", data)])
        for kind, der in blocks:
            try:
                if kind == "X509 CRL" or (not kind and path.suffix.lower() == ".crl"):
                    crls.append(crl.CertificateList.load(der))
                else:
                    certificate = x509.Certificate.load(der)
                    certificate.native  # noqa: B018 - parse it all now, not mid-validation
                    roots.append(certificate)
            except ValueError:
                raise UserFacingError(f"{path} is not a certificate or CRL (PEM or DER)"
                                      ) from None
    return TrustAnchors(tuple(roots), tuple(crls), tuple(str(p) for p in paths))


def verify_signed_pdf(data: bytes, trust: TrustAnchors, *, at: dt.datetime | None = None,
                      online: bool = True) -> SignatureCheck:
    """Validate every signature of `data`: the first is the attestation, later ones must be
    document timestamps. A damaged file raises CheckFailed, never anything else."""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        signatures = list(reader.embedded_signatures)
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        if b"%PDF" not in data[:1024] and b"%%EOF" not in data:
            raise UserFacingError(f"not a readable PDF: {exc}") from None
        raise CheckFailed(f"the file is damaged: it cannot be read as a PDF ({exc})") from None
    except Exception as exc:  # noqa: BLE001 - any parser failure on a damaged file
        raise CheckFailed(f"the file is damaged: {type(exc).__name__}: {exc}") from None
    _refuse_costly_object_streams(reader)
    if not signatures:
        raise CheckFailed("the PDF carries no signature: it is not a signed attestation")
    try:
        return _verify(reader, signatures, data, trust, at or dt.datetime.now(dt.UTC), online)
    except (CheckFailed, ImportError, NameError):
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged signature must not become exit 3
        raise CheckFailed(f"the signature cannot be checked, the file is damaged: "
                          f"{type(exc).__name__}: {exc}") from None


OBJECT_STREAM_BUDGET = 1_000_000
"""The most work the object streams of a file may ask of the validator, as the sum over
the streams of their object counts squared: pyHanko reads an object in an object stream by
re-reading the stream's index, so one stream of n objects costs about n² steps (one of
4,700 objects took two minutes). nlets-audit writes no object streams; a million (about
five seconds) leaves room for other tools' small ones."""


def _refuse_costly_object_streams(reader: Any) -> None:
    counts: dict[int, int] = {}
    try:
        xrefs = reader.xrefs
        for revision in range(xrefs.total_revisions):
            for entry in xrefs.get_xref_data(revision).xrefs_in_objstm.values():
                counts[entry.obj_stream_id] = counts.get(entry.obj_stream_id, 0) + 1
    except Exception:  # noqa: BLE001 - pyHanko's xref bookkeeping is internal: never a crash
        return
    work = sum(count * count for count in counts.values())
    if work > OBJECT_STREAM_BUDGET:
        largest = max(counts.values())
        raise CheckFailed(f"the file keeps {sum(counts.values()):,} objects in object streams "
                          f"(the largest holds {largest:,}), more than can be checked in "
                          "bounded time; nlets-audit writes none, so this is not a file it "
                          "signed as it was written")


def _verify(reader: Any, signatures: list[Any], data: bytes, trust: TrustAnchors,
            moment: dt.datetime, online: bool) -> SignatureCheck:
    from pyhanko.sign.validation.dss import DocumentSecurityStore, NoDSSFoundError

    try:
        dss: Any = DocumentSecurityStore.read_dss(reader)
    except NoDSSFoundError:
        dss = None
    signatures.sort(key=lambda s: s.signed_revision)
    attestation, later = signatures[0], signatures[1:]
    problems: list[str] = []
    entries: list[SignatureEntry] = []
    if attestation.sig_object_type != "/Sig":
        raise CheckFailed("the first signature in the file is a document timestamp, not a "
                          "signature: this is not a signed attestation")
    damaged = _damaged_validation_data(reader, trust)
    if damaged:
        problems.append(f"{damaged} item(s) of the validation data embedded in the file are "
                        "damaged (they no longer match their issuer's signature): the file "
                        "was changed after signing")
    validator = _Validator(trust, dss, online)
    # Document timestamps, newest first: each is validated at the time of the next one.
    proven: dict[int, dt.datetime | None] = {}
    next_time: dt.datetime | None = moment
    for signature in reversed(later):
        if signature.sig_object_type != "/DocTimeStamp":
            entries.append(SignatureEntry(
                "signature", str(signature.field_name), _signer_of(signature), None, False,
                None, "another signature was added to the file after the attestation"))
            problems.append(f"another signature, by {_signer_of(signature)}, was added after "
                            "the attestation was signed")
            continue
        entry, time = validator.document_timestamp(signature, next_time or moment)
        entries.append(entry)
        if entry.problem:
            problems.append(f"the document timestamp of {entry.time or 'unknown time'}: "
                            f"{entry.problem}")
        proven[signature.signed_revision] = time
        next_time = time if time is not None else moment
    entries.reverse()
    first_doc_time = next((proven[s.signed_revision] for s in later
                           if s.sig_object_type == "/DocTimeStamp"), None)
    status, revocation, when = validator.signature(attestation, first_doc_time, moment)
    check = _attestation_facts(attestation, status, revocation, when, moment, later, data,
                               problems)
    entry = check.pop("entry")
    return SignatureCheck(**check, signatures=[entry, *entries])


def _damaged_validation_data(reader: Any, trust: TrustAnchors) -> int:
    """How many certificates, CRLs and OCSP responses in the file's DSS are not intact: each
    must parse and carry a valid signature of an issuer found in the DSS or the trust roots."""
    from cryptography import x509
    from cryptography.x509 import ocsp

    try:
        store = reader.root.get("/DSS")
        store = store.get_object() if store is not None else None
    except Exception:  # noqa: BLE001 - an unreadable DSS is damaged validation data
        return 1
    if store is None:
        return 0

    def streams(key: str) -> list[bytes]:
        found = []
        for ref in store.get(key, []):
            try:
                found.append(bytes(ref.get_object().data))
            except Exception:  # noqa: BLE001 - an unreadable entry counts as damaged
                found.append(b"")
        return found

    damaged = 0
    certificates: list[Any] = []
    for der in streams("/Certs"):
        try:
            certificates.append(x509.load_der_x509_certificate(der))
        except ValueError:
            damaged += 1
    issuers = list(certificates)
    for root in trust.roots:
        try:
            issuers.append(x509.load_der_x509_certificate(root.dump()))
        except (ValueError, AttributeError):
            continue

    def issued(item: Any, name: Any, check: Any) -> bool:
        for issuer in issuers:
            if issuer.subject != name:
                continue
            try:
                check(item, issuer)
                return True
            except Exception:  # noqa: BLE001 - a wrong signature or a mismatched key
                continue
        return False

    damaged += sum(not issued(cert, cert.issuer,
                              lambda c, i: c.verify_directly_issued_by(i))
                   for cert in certificates)
    for der in streams("/CRLs"):
        try:
            crl = x509.load_der_x509_crl(der)
        except ValueError:
            damaged += 1
            continue
        if not any(i.subject == crl.issuer and crl.is_signature_valid(i.public_key())
                   for i in issuers):
            damaged += 1
    for der in streams("/OCSPs"):
        try:
            response = ocsp.load_der_ocsp_response(der)
            signers = [*response.certificates, *issuers]
            if not any(_ocsp_signed_by(response, signer) for signer in signers):
                damaged += 1
        except ValueError:
            damaged += 1
    return damaged


def _ocsp_signed_by(response: Any, signer: Any) -> bool:
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

    key = signer.public_key()
    try:
        if isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(response.signature, response.tbs_response_bytes,
                       ec.ECDSA(response.signature_hash_algorithm))
        elif isinstance(key, rsa.RSAPublicKey):
            key.verify(response.signature, response.tbs_response_bytes, padding.PKCS1v15(),
                       response.signature_hash_algorithm)
        else:
            return False
    except Exception:  # noqa: BLE001 - a wrong signature or an unusable key
        return False
    return True


class _Validator:
    """Validation contexts over the trust anchors, the file's DSS and, when allowed, the
    certificates' own revocation services."""

    def __init__(self, trust: TrustAnchors, dss: Any, online: bool) -> None:
        self.trust, self.dss, self.online = trust, dss, online

    def context(self, moment: dt.datetime, fetch: bool, best: dt.datetime | None = None,
                ) -> Any:
        """A context that requires revocation data for every certificate below a root."""
        from pyhanko_certvalidator import ValidationContext

        kwargs: dict[str, Any] = dict(
            trust_roots=list(self.trust.roots), crls=list(self.trust.crls), moment=moment,
            best_signature_time=best or moment, allow_fetching=fetch,
            revocation_mode="require", retroactive_revinfo=fetch)
        if self.dss is not None:
            return self.dss.as_validation_context(kwargs)
        return ValidationContext(**kwargs)

    def attempts(self, present: bool = False) -> list[tuple[bool, str]]:
        """Embedded data first, online when allowed; online first when validating at the
        present (no timestamp proves an earlier time), so a revocation since signing is
        seen, with the embedded data used only when the services cannot be reached."""
        if not self.online:
            return [(False, EMBEDDED)]
        if present:
            return [(True, ONLINE), (False, EMBEDDED)]
        return [(False, EMBEDDED), (True, ONLINE)]

    def document_timestamp(self, signature: Any, moment: dt.datetime,
                           ) -> tuple[SignatureEntry, dt.datetime | None]:
        """Validate one document timestamp at `moment`; the time it proves when it holds."""
        from pyhanko.sign.validation import validate_pdf_timestamp

        status = None
        used = None
        for fetch, source in self.attempts():
            status = validate_pdf_timestamp(signature, validation_context=self.context(
                moment, fetch))
            if status.intact and status.valid and status.trusted:
                used = source
                break
            if not (status.intact and status.valid) or _indication(status) in FINAL:
                break
        assert status is not None
        time = status.timestamp
        problem = None
        if not (status.intact and status.valid):
            problem = "it does not verify (the file was changed after it)"
        elif not status.trusted:
            problem = (f"its timestamp authority cannot be validated as of "
                       f"{_iso(moment)} ({_reason(status)})")
        tsa = _name(status.signing_cert) if status.signing_cert else "unknown"
        entry = SignatureEntry("document timestamp", str(signature.field_name), tsa,
                               _iso(time) if time else None, problem is None, used, problem)
        return entry, time if problem is None else None

    def signature(self, signature: Any, document_time: dt.datetime | None,
                  moment: dt.datetime) -> tuple[Any, str | None, dt.datetime]:
        """Validate the attestation signature: its own timestamp at the time of the first
        document timestamp over it (else at `moment`), its signer at the time its own
        timestamp proves, else that document timestamp's, else `moment`."""
        from pyhanko.sign.validation import validate_pdf_signature
        from pyhanko.sign.validation.settings import KeyUsageConstraints

        claimed = _signature_timestamp_time(signature)
        timestamp_moment = document_time or moment
        when = claimed or timestamp_moment
        usage = KeyUsageConstraints(key_usage=set(REQUIRED_KEY_USAGE),
                                    match_all_key_usages=True)
        status = None
        used = None
        # Once the signed bytes are known to be changed the file is not valid whatever
        # follows them, so the costly review of later revisions is not run.
        changed = _signed_bytes_changed(signature)
        for fetch, source in self.attempts(present=claimed is None and document_time is None):
            status = validate_pdf_signature(
                signature, signer_validation_context=self.context(when, fetch),
                ts_validation_context=self.context(timestamp_moment, fetch),
                diff_policy=STRICT_DIFF_POLICY(), key_usage_settings=usage,
                skip_diff=changed)
            timestamp_ok = claimed is None or _timestamp_ok(status)
            if status.trusted and timestamp_ok:
                used = source
                break
            if _indication(status) in FINAL:
                break  # revoked, expired, untrusted: other revocation data cannot mend it
        assert status is not None
        if claimed is not None and not _timestamp_ok(status):
            when = timestamp_moment
        return status, used, when


def _signed_bytes_changed(signature: Any) -> bool:
    """Whether the bytes the signature covers no longer hash to the digest it signed. False
    when that cannot be told here (a damaged signature is left to the full validation)."""
    from pyhanko.sign.general import find_unique_cms_attribute

    try:
        signed = find_unique_cms_attribute(signature.signer_info["signed_attrs"],
                                           "message_digest").native
        return bool(signature.compute_digest() != signed)
    except Exception:  # noqa: BLE001 - undecidable here: the full validation decides
        return False


def STRICT_DIFF_POLICY() -> Any:  # noqa: N802 - a constant, built lazily (pyHanko is heavy)
    """pyHanko's default policy without generic form-field changes. It lets the document
    information and XMP metadata be rewritten at the level of validation updates (pyHanko
    itself rewrites them when it adds validation data), so `_metadata_changes` compares
    what they say."""
    from pyhanko.sign.diff_analysis import (
        CatalogModificationRule,
        DocInfoRule,
        DSSCompareRule,
        FormUpdatingRule,
        MetadataUpdateRule,
        ModificationLevel,
        ObjectStreamRule,
        SigFieldCreationRule,
        SigFieldModificationRule,
        StandardDiffPolicy,
        XrefStreamRule,
    )

    lta = ModificationLevel.LTA_UPDATES
    return StandardDiffPolicy(
        global_rules=[
            CatalogModificationRule(), DocInfoRule().as_qualified(lta),
            XrefStreamRule().as_qualified(lta), ObjectStreamRule().as_qualified(lta),
            DSSCompareRule().as_qualified(lta), MetadataUpdateRule().as_qualified(lta),
        ],
        form_rule=FormUpdatingRule(field_rules=[SigFieldCreationRule(),
                                                SigFieldModificationRule()]),
    )


VOLATILE_XMP = re.compile(
    r"""\s(?:xmp:ModifyDate|xmp:MetadataDate|pdf:Producer|x:xmptk)=("[^"]*"|'[^']*')"""
    r"|<(xmp:ModifyDate|xmp:MetadataDate|pdf:Producer)>.*?</\1>", re.S)
VOLATILE_INFO = {"/ModDate", "/Producer"}


def _metadata_changes(data: bytes, signature: Any) -> list[str]:
    """What the document information and XMP metadata say now but did not say when signed
    (title, PDF/A claim...), apart from modification dates and the producer."""
    from pypdf import PdfReader

    byte_range = list(signature.sig_object["/ByteRange"])
    signed_end = int(byte_range[2]) + int(byte_range[3])
    if signed_end >= len(data):
        return []
    before, after = PdfReader(BytesIO(data[:signed_end])), PdfReader(BytesIO(data))
    problems = []
    old_info = {k: str(v) for k, v in (before.metadata or {}).items()
                if k not in VOLATILE_INFO}
    new_info = {k: str(v) for k, v in (after.metadata or {}).items()
                if k not in VOLATILE_INFO}
    for key in sorted(set(old_info) | set(new_info)):
        if old_info.get(key) != new_info.get(key):
            problems.append(f"the document information {key.lstrip('/')} was changed after "
                            f"signing (from {old_info.get(key)!r} to {new_info.get(key)!r})")

    def xmp(reader: Any) -> str:
        metadata = reader.trailer["/Root"].get("/Metadata")
        raw = metadata.get_object().get_data().decode("utf-8", "replace") if metadata else ""
        return "".join(VOLATILE_XMP.sub("", raw).split())

    old_xmp, new_xmp = xmp(before), xmp(after)
    if old_xmp != new_xmp:
        claim = "pdfaid:part" in old_xmp and "pdfaid:part" not in new_xmp
        problems.append("the XMP metadata was changed after signing"
                        + (" (the PDF/A claim was removed)" if claim else ""))
    return problems


def _attestation_facts(signature: Any, status: Any, revocation: str | None,
                       when: dt.datetime, moment: dt.datetime, later: list[Any], data: bytes,
                       problems: list[str]) -> dict[str, Any]:
    certificate = status.signing_cert
    modification = status.modification_level.name if status.modification_level else "UNKNOWN"
    coverage = status.coverage.name if status.coverage else "UNKNOWN"
    own: list[str] = []
    if not status.intact:
        own.append("the signed bytes were changed: the document is not intact")
    elif not status.valid:
        own.append("the signature does not verify against the certificate")
    timestamp = status.timestamp_validity
    if _signature_timestamp_time(signature) is not None and not _timestamp_ok(status):
        own.append("the signature's timestamp cannot be validated, so the time of signing "
                   "is not proven")
    if status.intact and status.valid and not status.trusted:
        own.append(f"the signer's certificate is not valid as of {_iso(when)}: "
                   f"{_reason(status)}")
    allowed = ("NONE", "LTA_UPDATES")
    modified = bool(later) or coverage != "ENTIRE_FILE"
    if modification not in allowed or getattr(status, "docmdp_ok", True) is False:
        own.append(f"content was changed after signing ({modification.lower()}): only "
                   "validation data and document timestamps may follow the signature")
    last = later[-1] if later else signature
    if _coverage(last) != "ENTIRE_FILE" and not data.rstrip(b"\r\n\t \0").endswith(b"%%EOF"):
        own.append("bytes were added after the end of the last revision of the file")
    if status.intact:
        own += _metadata_changes(data, signature)
    own += [f"the unused space of the {s.field_name} signature was changed"
            for s in [signature, *later] if _padding_changed(s.pkcs7_content)]
    manifest = _signed_manifest(signature)
    additions = [f"{s.sig_object_type.strip('/')} {s.field_name}" for s in later]
    if later or modification == "LTA_UPDATES":
        additions.insert(0, "validation data (certificates, CRL/OCSP responses) after signing")
    problems[:0] = own
    entry = SignatureEntry("signature", str(signature.field_name),
                           _name(certificate) if certificate else "unknown",
                           _iso(when) if timestamp else None, bool(status.trusted),
                           revocation, own[0] if own else None)
    return dict(
        valid=not problems, intact=bool(status.intact),
        cryptographically_valid=bool(status.valid), trusted=bool(status.trusted),
        signer=entry.signer,
        certificate_sha256=hashlib.sha256(certificate.dump()).hexdigest() if certificate
        else "", signing_time=_iso(timestamp.timestamp) if timestamp else (
            _iso(status.signer_reported_dt) if status.signer_reported_dt else None),
        timestamped=timestamp is not None and _timestamp_ok(status), validated_at=_iso(when),
        revocation=revocation if status.trusted else None, modified_after_signing=modified,
        modification=modification, coverage=coverage, additions=additions,
        manifest=manifest, manifest_sha256=hashlib.sha256(manifest).hexdigest()
        if manifest is not None else None, problems=problems, entry=entry,
    )


FINAL = {"REVOKED", "REVOKED_NO_POE", "REVOKED_CA_NO_POE", "EXPIRED", "NOT_YET_VALID",
         "NO_CERTIFICATE_CHAIN_FOUND", "CHAIN_CONSTRAINTS_FAILURE",
         "SIG_CONSTRAINTS_FAILURE", "OUT_OF_BOUNDS_NO_POE", "OUT_OF_BOUNDS_NOT_REVOKED"}
"""Failures that other revocation data cannot mend."""


def _indication(status: Any) -> str | None:
    indication = getattr(status, "trust_problem_indic", None)
    return getattr(indication, "name", None)


def _padding_changed(contents: bytes) -> bool:
    """True when the bytes after the signature's DER value in /Contents are not zeros."""
    if len(contents) < 2 or contents[0] != 0x30:
        return True
    first = contents[1]
    if first < 0x80:
        size, header = first, 2
    else:
        count = first & 0x7F
        size, header = int.from_bytes(contents[2:2 + count], "big"), 2 + count
    return any(contents[header + size:])


def _timestamp_ok(status: Any) -> bool:
    timestamp = status.timestamp_validity
    return bool(timestamp is not None and timestamp.intact and timestamp.valid
                and timestamp.trusted)


def _signature_timestamp_time(signature: Any) -> dt.datetime | None:
    """The time the signature's own timestamp token claims (checked separately)."""
    from pyhanko.sign.validation.generic_cms import extract_tst_data_iter

    for token in extract_tst_data_iter(signature.signer_info, signed=False):
        value = token["encap_content_info"]["content"].parsed["gen_time"].native
        return value if isinstance(value, dt.datetime) else None
    return None


def _coverage(signature: Any) -> str:
    level = signature.evaluate_signature_coverage()
    return str(getattr(level, "name", level))


STALE = ("no current revocation data could be found for it (the embedded data are out of "
         "date and the CRL/OCSP services were not reachable or not asked; extend the file "
         "while they are)")


OUT_OF_BOUNDS = ("the certificate had expired or was not yet valid at that time, and no "
                 "timestamp proves an earlier signing time")


def _reason(status: Any) -> str:
    """The validator's reason in words."""
    indication = getattr(status, "trust_problem_indic", None)
    words = {
        "EXPIRED": "the certificate had expired",
        "NOT_YET_VALID": "the certificate was not yet valid",
        "REVOKED": "the certificate was revoked",
        "REVOKED_NO_POE": "the certificate was revoked",
        "REVOKED_CA_NO_POE": "a certificate of its chain was revoked",
        "NO_CERTIFICATE_CHAIN_FOUND": "it does not chain to a trusted root",
        "NO_POE": "its time of use is not proven",
        "OUT_OF_BOUNDS_NO_POE": OUT_OF_BOUNDS,
        "OUT_OF_BOUNDS_NOT_REVOKED": OUT_OF_BOUNDS,
        "TRY_LATER": STALE,
        "CERTIFICATE_CHAIN_GENERAL_FAILURE": STALE,
        "REVOCATION_OUT_OF_BOUNDS_NO_POE": "its revocation data do not cover the time",
        "CHAIN_CONSTRAINTS_FAILURE": "its key usage or chain constraints do not allow this "
                                     "use (an attestation needs non-repudiation)",
        "SIG_CONSTRAINTS_FAILURE": "its key usage does not allow this use (an attestation "
                                   "needs non-repudiation)",
    }
    name = getattr(indication, "name", None)
    if name in words:
        return words[name]
    if getattr(status, "trusted", True) and getattr(status, "key_usage_ok", True) is False:
        return words["SIG_CONSTRAINTS_FAILURE"]
    return f"validation failed ({name or 'unknown reason'})"


def _signer_of(signature: Any) -> str:
    try:
        return _name(signature.signer_cert)
    except Exception:  # noqa: BLE001 - a damaged signer certificate has no name
        return "an unreadable certificate"


def _iso(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="seconds")


def _signed_manifest(signature: Any) -> bytes | None:
    """The manifest attachment as it stood in the signed revision."""
    try:
        root = signature.reader.get_historical_resolver(signature.signed_revision).root
        names = root["/Names"]["/EmbeddedFiles"]["/Names"]
        for i in range(0, len(names) - 1, 2):
            if str(names[i]) == MANIFEST_NAME:
                data = names[i + 1].get_object()["/EF"]["/F"].get_object().data
                return bytes(data)
    except Exception:  # noqa: BLE001 - a damaged attachment is no manifest
        return None
    return None


def _name(certificate: Any) -> str:
    return common_name(certificate)


def common_name(certificate: Any) -> str:
    """The certificate subject's common name, else its whole subject."""
    native = certificate.subject.native
    return str(native.get("common_name") or certificate.subject.human_friendly)
