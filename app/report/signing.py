"""PAdES signatures with pyHanko, by a PKCS#12 file or a PKCS#11 token (PIV card).

At signing the signer's chain is validated with revocation (the certificate's own CRL/OCSP
services) and that validation data is embedded (PAdES B-LT); with a timestamp server the
signature is timestamped and a document timestamp added (B-LTA). `extend_signed_pdf` adds
fresh validation data and a new document timestamp later, as archives do.
"""

from __future__ import annotations

import atexit
import hashlib
import shutil
import tempfile
from dataclasses import dataclass, field
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from app.errors import UserFacingError
from app.inputs import InputKind, InputRefused, read_input
from app.report.pdf import SignatureBox
from app.report.verification import REQUIRED_KEY_USAGE, TrustAnchors, common_name

SIGNATURE_FIELD = "Attestation"
PUBLIC_REPORT_FIELD = "PublicReport"
"""The signature field that seals the public transparency report."""
STAMP_FONT = "DejaVuSans-1000upm.ttf"  # in templates/fonts, see its README


class SigningError(UserFacingError):
    """The key could not be used to sign; nothing was written."""


@dataclass(frozen=True)
class Pkcs12Key:
    """A key and certificate in a PKCS#12 file, opened with its passphrase."""

    path: Path
    passphrase: bytes = field(repr=False)


PIV_SIGN_KEY = "SIGN key"
"""How OpenSC labels the private key of a PIV card's digital-signature slot 9C (ID 02)."""
PIV_SIGN_CERTIFICATE = "Certificate for Digital Signature"
"""How OpenSC labels the certificate of slot 9C."""


@dataclass(frozen=True)
class Pkcs11Key:
    """A key on a PKCS#11 token (such as a PIV card), opened with its PIN.

    The private key is found by `key_label` and/or `key_id` (OpenSC's PIV slot 9C, "SIGN
    key", when neither is given); its certificate by `cert_label` and/or `cert_id`, else
    by the key's ID, else by the key's label, else as OpenSC's "Certificate for Digital
    Signature". A key marked CKA_ALWAYS_AUTHENTICATE (a PIV signing key) is given the PIN
    again for each signature.
    """

    library: Path
    token_label: str
    key_label: str | None = None
    pin: str = field(default="", repr=False)
    cert_label: str | None = None
    key_id: bytes | None = None
    cert_id: bytes | None = None

    def describe(self) -> str:
        """How the key is selected, in words (for messages)."""
        parts = [f"labelled {self.key_label!r}" if self.key_label else "",
                 f"with ID {self.key_id.hex()}" if self.key_id is not None else ""]
        chosen = " and ".join(p for p in parts if p)
        return chosen or f"labelled {PIV_SIGN_KEY!r} (a PIV card's signing slot 9C)"


@dataclass(frozen=True)
class SignedDocument:
    """The signed PDF and facts about the signer."""

    pdf: bytes
    signer: str
    certificate_sha256: str


def describe_key(key: Pkcs12Key | Pkcs11Key) -> tuple[str, str]:
    """Open the key (checking passphrase or PIN) and return its signer name and the
    SHA-256 of its certificate."""
    if isinstance(key, Pkcs12Key):
        certificate = _pkcs12_signer(key).signing_cert
    else:
        certificate = _with_pkcs11(key, lambda signer: signer.signing_cert)
    return common_name(certificate), hashlib.sha256(certificate.dump()).hexdigest()


def check_signing_key(key: Pkcs12Key | Pkcs11Key, trust: TrustAnchors, *,
                      online: bool = True) -> None:
    """Refuse, with the reason in words, a key whose certificate `verify` would reject:
    expired, not yet valid, revoked, without non-repudiation key usage, not chaining to
    the trust roots, or whose revocation cannot be checked."""
    if isinstance(key, Pkcs12Key):
        _check_certificate(_pkcs12_signer(key), trust, online)
    else:
        _with_pkcs11(key, lambda signer: _check_certificate(signer, trust, online))


def _validation_context(trust: TrustAnchors, online: bool, at: Any = None) -> Any:
    from pyhanko_certvalidator import ValidationContext

    return ValidationContext(trust_roots=list(trust.roots), crls=list(trust.crls),
                             allow_fetching=online, revocation_mode="require", moment=at)


def _check_certificate(signer: Any, trust: TrustAnchors, online: bool) -> None:
    import asyncio

    from pyhanko_certvalidator import CertificateValidator, errors

    certificate = signer.signing_cert
    if certificate is None:
        raise SigningError("the key has no certificate to sign with")
    name = common_name(certificate)
    validity = certificate["tbs_certificate"]["validity"]
    start, end = validity["not_before"].native, validity["not_after"].native
    if not trust.roots:
        raise SigningError("no trust roots are configured, so the certificate cannot be "
                           "checked; give the office's root certificate with --trust FILE "
                           "(or put it in the data directory's trust folder)")
    validator = CertificateValidator(
        certificate, intermediate_certs=list(signer.cert_registry),
        validation_context=_validation_context(trust, online))
    refusal = None
    try:
        asyncio.run(validator.async_validate_usage(key_usage=set(REQUIRED_KEY_USAGE)))
    except errors.ExpiredError:
        refusal = f"the certificate of {name} expired on {end:%Y-%m-%d}"
    except errors.NotYetValidError:
        refusal = f"the certificate of {name} is not valid before {start:%Y-%m-%d}"
    except errors.RevokedError as exc:
        refusal = f"the certificate of {name} is revoked ({exc})"
    except errors.InsufficientRevinfoError as exc:
        refusal = (f"the revocation status of the certificate of {name} cannot be checked "
                   f"({exc}); signing needs its CRL or OCSP service reachable, or a current "
                   "CRL in the trust store")
    except errors.PathBuildingError:
        refusal = (f"the certificate of {name} does not chain to the office's trust roots "
                   f"({len(trust.roots)} configured)")
    except errors.InvalidCertificateError as exc:
        refusal = (f"the certificate of {name} may not sign an attestation: {exc} (it needs "
                   "the non-repudiation key usage; a PIV card signs with its slot 9C "
                   "\"Digital Signature\" key, not the login key)")
    except errors.PathValidationError as exc:
        refusal = f"the certificate of {name} is not valid: {exc}"
    except (errors.CRLValidationError, errors.OCSPValidationError, OSError) as exc:
        refusal = f"the revocation status of the certificate of {name} cannot be checked: {exc}"
    if refusal:
        raise SigningError(f"{refusal}. Nothing was signed and the audit is unchanged")


def sign_pdf(pdf: bytes, key: Pkcs12Key | Pkcs11Key, *, box: SignatureBox | None = None,
             timestamp_url: str | None = None, font_file: Path | None = None,
             trust: TrustAnchors | None = None, field_name: str = SIGNATURE_FIELD,
             reason: str = "Attestation") -> SignedDocument:
    """Certify `pdf` with a PAdES signature: B-B, with the chain's validation data embedded
    when `trust` is given (B-LT with a timestamp server, plus a document timestamp: B-LTA),
    in the signature field `field_name` with `reason` (the public report is sealed as
    PUBLIC_REPORT_FIELD)."""
    def sign(signer: Any) -> SignedDocument:
        return _sign(pdf, signer, box, timestamp_url, font_file, trust, field_name, reason)

    if isinstance(key, Pkcs12Key):
        return sign(_pkcs12_signer(key))
    return _with_pkcs11(key, sign)


def extend_signed_pdf(data: bytes, timestamp_url: str, trust: TrustAnchors, *,
                      at: Any = None) -> bytes:
    """Add fresh validation data and a new document timestamp over the whole file, in
    incremental updates (every earlier signature stays intact)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import signers
    from pyhanko.sign.timestamps import HTTPTimeStamper
    from pyhanko.sign.validation import add_validation_info

    context = _validation_context(trust, True, at)
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        if not reader.embedded_signatures:
            raise SigningError("the file carries no signature to extend")
        if not reader.embedded_timestamp_signatures:
            # No document timestamp yet: the signature's own validation data, as of now.
            data = add_validation_info(reader.embedded_signatures[0], context).getvalue()
            reader = PdfFileReader(BytesIO(data), strict=False)
        stamped = signers.PdfTimeStamper(HTTPTimeStamper(timestamp_url)).\
            update_archival_timestamp_chain(reader, context, in_place=False)
        last = PdfFileReader(stamped, strict=False).embedded_timestamp_signatures[-1]
        return bytes(add_validation_info(last, context).getvalue())
    except SigningError:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure: nothing was written
        raise SigningError(f"extending failed: {type(exc).__name__}: {exc}") from None


def _with_pkcs11(key: Pkcs11Key, use: Any) -> Any:
    """Open a session on the token, call `use(signer)`, and close the session."""
    try:
        from pkcs11 import Attribute
        from pkcs11.exceptions import PKCS11Error
        from pyhanko.sign import pkcs11
    except ImportError as exc:
        raise SigningError(f"PKCS#11 support is not installed: {exc}") from None
    try:
        session = pkcs11.open_pkcs11_session(
            str(key.library), token_criteria=pkcs11.TokenCriteria(label=key.token_label),
            user_pin=key.pin)
    except PKCS11Error as exc:
        raise SigningError(_pkcs11_message(exc, key)) from None
    except (OSError, RuntimeError) as exc:
        raise SigningError(f"cannot use the PKCS#11 library {key.library}: {exc}") from None
    try:
        private_key = _find_key(session, key)
        certificate = _find_certificate(session, key, private_key)
        signer = pkcs11.PKCS11Signer(
            session, signing_cert=certificate, key_label=private_key[Attribute.LABEL],
            key_id=private_key[Attribute.ID] or None,
            # PIV cards and SoftHSM sign EC keys only with raw ECDSA over a digest made here.
            use_raw_mechanism=certificate.public_key.algorithm == "ec",
            base_sign_kwargs={"pin": key.pin} if _always_authenticate(private_key) else None)
        return use(signer)
    except PKCS11Error as exc:
        raise SigningError(_pkcs11_message(exc, key)) from None
    finally:
        session.close()




def _find_key(session: Any, key: Pkcs11Key) -> Any:
    """The one private key `key` selects; refused naming the keys the token holds."""
    from pkcs11 import Attribute, ObjectClass

    query: dict[Any, Any] = {Attribute.CLASS: ObjectClass.PRIVATE_KEY}
    if key.key_id is not None:
        query[Attribute.ID] = key.key_id
    if key.key_label or key.key_id is None:
        query[Attribute.LABEL] = key.key_label or PIV_SIGN_KEY
    found = list(session.get_objects(query))
    if len(found) == 1:
        return found[0]
    held = _listing(session, ObjectClass.PRIVATE_KEY)
    if found:
        problem = f"holds {len(found)} private keys {key.describe()}"
    else:
        problem = f"has no private key {key.describe()}"
    raise SigningError(f"token {key.token_label!r} {problem}; it holds {held or 'none'}. "
                       "Choose the key by its label or ID. Nothing was signed")


def _find_certificate(session: Any, key: Pkcs11Key, private_key: Any) -> Any:
    """The certificate of the key: as selected, else by the key's ID or label."""
    from asn1crypto import x509
    from pkcs11 import Attribute, ObjectClass

    base = {Attribute.CLASS: ObjectClass.CERTIFICATE}
    if key.cert_label or key.cert_id is not None:
        attempts = [{**base, **({Attribute.LABEL: key.cert_label} if key.cert_label else {}),
                     **({Attribute.ID: key.cert_id} if key.cert_id is not None else {})}]
    else:
        attempts = []
        if private_key[Attribute.ID]:
            attempts.append({**base, Attribute.ID: private_key[Attribute.ID]})
        attempts.append({**base, Attribute.LABEL: private_key[Attribute.LABEL]})
        attempts.append({**base, Attribute.LABEL: PIV_SIGN_CERTIFICATE})
    for query in attempts:
        found = list(session.get_objects(query))
        if len(found) == 1:
            return x509.Certificate.load(found[0][Attribute.VALUE])
        if len(found) > 1:
            break
    held = _listing(session, ObjectClass.CERTIFICATE)
    raise SigningError(f"token {key.token_label!r} has no single certificate for the key "
                       f"{private_key[Attribute.LABEL]!r}; it holds {held or 'none'}. Choose the "
                       "certificate by its label or ID. Nothing was signed")


def _listing(session: Any, kind: Any) -> str:
    """The objects of one kind on the token, as "'label' (ID hex)"."""
    from pkcs11 import Attribute

    return ", ".join(f"{o[Attribute.LABEL]!r} (ID {o[Attribute.ID].hex() or 'none'})"
                     for o in session.get_objects({Attribute.CLASS: kind}))


def _always_authenticate(private_key: Any) -> bool:
    """True when the key wants the PIN again for each signature (context-specific login)."""
    from pkcs11 import Attribute
    from pkcs11.exceptions import PKCS11Error

    try:
        return bool(private_key[Attribute.ALWAYS_AUTHENTICATE])
    except PKCS11Error:
        return False


def _sign(pdf: bytes, signer: Any, box: SignatureBox | None, timestamp_url: str | None,
          font_file: Path | None, trust: TrustAnchors | None,
          field_name: str = SIGNATURE_FIELD, reason: str = "Attestation") -> SignedDocument:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.sign import fields, signers
    from pyhanko.sign.fields import MDPPerm, SigSeedSubFilter
    from pyhanko.stamp import TextStampStyle

    certificate = signer.signing_cert
    if certificate is None:
        raise SigningError("the key has no certificate to sign with")
    name = common_name(certificate)
    timestamper = None
    if timestamp_url:
        from pyhanko.sign.timestamps import HTTPTimeStamper

        timestamper = HTTPTimeStamper(timestamp_url)
    meta = signers.PdfSignatureMetadata(
        field_name=field_name, md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES, certify=True,
        docmdp_permissions=MDPPerm.NO_CHANGES, reason=reason,
        embed_validation_info=trust is not None,
        validation_context=_validation_context(trust, True) if trust is not None else None,
        use_pades_lta=trust is not None and timestamper is not None,
    )
    style = None
    field_spec = None
    if box is not None:
        style = TextStampStyle(
            stamp_text="Digitally signed by %(signer)s\nTime: %(ts)s",
            text_box_style=TextBoxStyle(font=_stamp_font(font_file)),
            border_width=1,
        )
        field_spec = fields.SigFieldSpec(field_name, on_page=box.page, box=box.box)
    output = BytesIO()
    try:
        signers.PdfSigner(meta, signer, timestamper=timestamper, stamp_style=style,
                          new_field_spec=field_spec).sign_pdf(
            IncrementalPdfFileWriter(BytesIO(pdf), strict=False), output=output,
            bytes_reserved=None if timestamper else _reserved_bytes(signer))
    except Exception as exc:
        raise SigningError(f"signing failed: {type(exc).__name__}: {exc}") from None
    return SignedDocument(output.getvalue(), name, hashlib.sha256(certificate.dump()).hexdigest())


def _reserved_bytes(signer: Any) -> int:
    """Room for the signature container, so that pyHanko signs once instead of first
    signing a dummy to measure it: the certificates it embeds, the signature value and
    the signed attributes, twice over (it is written in hex), with a margin."""
    certificates = [signer.signing_cert, *signer.cert_registry]
    embedded = sum(len(certificate.dump()) for certificate in certificates)
    signature = 2 * ((signer.signing_cert.public_key.bit_size + 7) // 8) + 16
    return 2 * (embedded + signature + 4096)


_OPENED: WeakKeyDictionary[Pkcs12Key, Any] = WeakKeyDictionary()


def _pkcs12_signer(key: Pkcs12Key) -> Any:
    """The signer of a PKCS#12 key, opened once for as long as the key object lives
    (opening validates an RSA key, which is slow; naming and signing both need it)."""
    signer = _OPENED.get(key)
    if signer is None:
        signer = _OPENED[key] = _open_pkcs12(key)
    return signer


def _open_pkcs12(key: Pkcs12Key) -> Any:
    from cryptography.hazmat.primitives.serialization import pkcs12
    from pyhanko.keys.internal import (
        translate_pyca_cryptography_cert_to_asn1,
        translate_pyca_cryptography_key_to_asn1,
    )
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    try:
        data = read_input(key.path, InputKind.KEY)
    except InputRefused as exc:
        raise SigningError(str(exc)) from None
    try:
        private_key, certificate, others = pkcs12.load_key_and_certificates(
            data, key.passphrase)
    except ValueError:
        raise SigningError(f"the passphrase does not open {key.path}, or it is not a PKCS#12 "
                           "file; try again with the right passphrase") from None
    if private_key is None or certificate is None:
        raise SigningError(f"{key.path} holds no private key with its certificate")
    try:
        return _loaded_key_signer()(
            private_key, signing_cert=translate_pyca_cryptography_cert_to_asn1(certificate),
            signing_key=translate_pyca_cryptography_key_to_asn1(private_key),
            cert_registry=SimpleCertificateStore.from_certs(
                [translate_pyca_cryptography_cert_to_asn1(c) for c in others]))
    except (ValueError, TypeError, NotImplementedError) as exc:
        raise SigningError(f"{key.path} cannot be used for signing: {exc}") from None


@cache
def _loaded_key_signer() -> type:
    """pyHanko's SimpleSigner, signing with the key already opened: pyHanko's own reads
    the key again (and validates an RSA key again) for every signature it makes."""
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from pyhanko.sign.general import get_pyca_cryptography_hash
    from pyhanko.sign.signers import SimpleSigner

    class LoadedKeySigner(SimpleSigner):
        def __init__(self, private_key: Any, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self._private_key = private_key

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
            algorithm = mechanism.signature_algo
            digest = get_pyca_cryptography_hash(digest_algorithm)
            key = self._private_key
            if algorithm == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPrivateKey):
                return key.sign(data, PKCS1v15(), digest)
            if algorithm == "ecdsa" and isinstance(key, ec.EllipticCurvePrivateKey):
                return key.sign(data, ec.ECDSA(digest))
            return super().sign_raw(data, digest_algorithm)  # any other kind: pyHanko's way

    return LoadedKeySigner


def _pkcs11_message(exc: Exception, key: Pkcs11Key) -> str:
    kind = type(exc).__name__
    if "No token matching" in str(exc):
        kind = "NoSuchToken"
    if kind in ("PinIncorrect", "PinInvalid", "PinLenRange"):
        return f"the PIN was not accepted by token {key.token_label!r}; nothing was signed"
    if kind in ("NoSuchToken", "TokenNotPresent"):
        return f"no token labelled {key.token_label!r} is present"
    if kind in ("NoSuchKey", "MultipleObjectsReturned"):
        return f"token {key.token_label!r} has no single key {key.describe()}"
    return f"the token {key.token_label!r} refused: {kind} {exc}".strip()


def warm_up() -> None:
    """Import what rendering and signing need, so that the first signature of a process does
    not wait for them (the interface calls this in a worker while the signer fills in the
    sign dialog)."""
    import weasyprint  # noqa: F401 - the final attestation's renderer
    from pyhanko.pdf_utils import incremental_writer, reader  # noqa: F401
    from pyhanko.pdf_utils.font import opentype  # noqa: F401
    from pyhanko.sign import fields, general, signers, timestamps, validation  # noqa: F401
    from pyhanko.stamp import TextStampStyle  # noqa: F401
    from pyhanko_certvalidator import CertificateValidator  # noqa: F401


@cache
def _stamp_font(font_file: Path | None) -> Any:
    """The stamp's embedded font at 1000 units per em, so that its widths are right: the
    bundled DejaVu Sans, rescaled when it was bundled, or `font_file` rescaled once."""
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory

    if font_file is None:
        return GlyphAccumulatorFactory(str(_default_font()), font_size=9)
    folder = tempfile.mkdtemp(prefix="nlets-audit-font-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    target = Path(folder) / f"{font_file.stem}-1000upm.ttf"
    rescale_font(font_file, target)
    return GlyphAccumulatorFactory(str(target), font_size=9)


def rescale_font(source: Path, target: Path) -> None:
    """Write the TrueType font `source` as `target` at 1000 units per em (pyHanko writes
    a stamp font's glyph widths unscaled), without the tables that only slow the stamp
    down. The bundled stamp font was made with this."""
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    font = TTFont(str(source))
    if "FFTM" in font:
        del font["FFTM"]  # a FontForge timestamp that the subsetter cannot carry
    if "GPOS" in font and "kern" in font:
        # Decoding GPOS took most of every signature's time; pyHanko leaves it out of the
        # embedded subset anyway, and HarfBuzz kerns with the `kern` table instead.
        del font["GPOS"]
    if font["head"].unitsPerEm != 1000:
        scale_upem(font, 1000)
    font.save(str(target))


def _default_font() -> Path:
    from app.checklist.bundled import data_dir

    bundled = data_dir("templates") / "fonts" / STAMP_FONT
    if not bundled.is_file():
        raise SigningError(f"the bundled signature font {bundled} is missing; reinstall "
                           "nlets-audit")
    return bundled
