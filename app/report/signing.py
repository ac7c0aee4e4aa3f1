"""PAdES signatures with pyHanko, by a PKCS#12 file or a PKCS#11 token (PIV card)."""

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

from app.errors import UserFacingError
from app.report.pdf import SignatureBox
from app.report.verification import common_name

SIGNATURE_FIELD = "Attestation"
PUBLIC_REPORT_FIELD = "PublicReport"
"""The signature field that seals the public transparency report."""
STAMP_FONT = "DejaVuSans.ttf"


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


def sign_pdf(pdf: bytes, key: Pkcs12Key | Pkcs11Key, *, box: SignatureBox | None = None,
             timestamp_url: str | None = None, font_file: Path | None = None,
             field_name: str = SIGNATURE_FIELD, reason: str = "Attestation",
             ) -> SignedDocument:
    """Certify `pdf` with a PAdES signature (B-B, or B-T with a timestamp server), in the
    signature field `field_name` with `reason` (the public report is sealed as
    PUBLIC_REPORT_FIELD)."""
    def sign(signer: Any) -> SignedDocument:
        return _sign(pdf, signer, box, timestamp_url, font_file, field_name, reason)

    if isinstance(key, Pkcs12Key):
        return sign(_pkcs12_signer(key))
    return _with_pkcs11(key, sign)


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
          font_file: Path | None, field_name: str = SIGNATURE_FIELD,
          reason: str = "Attestation") -> SignedDocument:
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
            IncrementalPdfFileWriter(BytesIO(pdf), strict=False), output=output)
    except Exception as exc:
        raise SigningError(f"signing failed: {type(exc).__name__}: {exc}") from None
    return SignedDocument(output.getvalue(), name, hashlib.sha256(certificate.dump()).hexdigest())


def _pkcs12_signer(key: Pkcs12Key) -> Any:
    from cryptography.hazmat.primitives.serialization import pkcs12
    from pyhanko.sign import signers

    try:
        data = key.path.read_bytes()
    except OSError as exc:
        raise SigningError(f"cannot read {key.path}: {exc.strerror or exc}") from None
    try:
        private_key, certificate, _ = pkcs12.load_key_and_certificates(data, key.passphrase)
    except ValueError:
        raise SigningError(f"the passphrase does not open {key.path}, or it is not a PKCS#12 "
                           "file; try again with the right passphrase") from None
    if private_key is None or certificate is None:
        raise SigningError(f"{key.path} holds no private key with its certificate")
    signer = signers.SimpleSigner.load_pkcs12(str(key.path), passphrase=key.passphrase)
    if signer is None:
        raise SigningError(f"{key.path} cannot be used for signing")
    return signer


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


@cache
def _stamp_font(font_file: Path | None) -> Any:
    """The stamp's embedded font, rescaled to 1000 units per em so its widths are right."""
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory

    source = font_file or _default_font()
    font = TTFont(str(source))
    if "FFTM" in font:
        del font["FFTM"]  # a FontForge timestamp that the subsetter cannot carry
    if font["head"].unitsPerEm != 1000:
        scale_upem(font, 1000)
    folder = tempfile.mkdtemp(prefix="nlets-audit-font-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    target = Path(folder) / f"{source.stem}-1000upm.ttf"
    font.save(str(target))
    return GlyphAccumulatorFactory(str(target), font_size=9)


def _default_font() -> Path:
    from app.checklist.bundled import data_dir

    for candidate in (data_dir("templates") / "fonts" / STAMP_FONT,
                      Path("/usr/share/fonts/truetype/dejavu") / STAMP_FONT):
        if candidate.is_file():
            return candidate
    raise SigningError(f"the signature font {STAMP_FONT} is missing; install the "
                       "fonts-dejavu-core package")
