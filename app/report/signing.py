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
from app.inputs import InputKind, InputRefused, read_input
from app.report.pdf import SignatureBox
from app.report.verification import common_name

SIGNATURE_FIELD = "Attestation"
STAMP_FONT = "DejaVuSans.ttf"


class SigningError(UserFacingError):
    """The key could not be used to sign; nothing was written."""


@dataclass(frozen=True)
class Pkcs12Key:
    """A key and certificate in a PKCS#12 file, opened with its passphrase."""

    path: Path
    passphrase: bytes = field(repr=False)


@dataclass(frozen=True)
class Pkcs11Key:
    """A key on a PKCS#11 token (such as a PIV card), opened with its PIN."""

    library: Path
    token_label: str
    key_label: str
    pin: str = field(repr=False)


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
             ) -> SignedDocument:
    """Certify `pdf` with a PAdES signature (B-B, or B-T with a timestamp server)."""
    if isinstance(key, Pkcs12Key):
        return _sign(pdf, _pkcs12_signer(key), box, timestamp_url, font_file)
    return _with_pkcs11(key, lambda signer: _sign(pdf, signer, box, timestamp_url, font_file))


def _with_pkcs11(key: Pkcs11Key, use: Any) -> Any:
    """Open a session on the token, call `use(signer)`, and close the session."""
    try:
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
        signer = pkcs11.PKCS11Signer(session, key_label=key.key_label,
                                     cert_label=key.key_label)
        if signer.signing_cert is not None and signer.signing_cert.public_key.algorithm == "ec":
            # PIV cards and SoftHSM sign EC keys only with raw ECDSA over a digest made here.
            signer = pkcs11.PKCS11Signer(session, key_label=key.key_label,
                                         cert_label=key.key_label, use_raw_mechanism=True)
        return use(signer)
    except PKCS11Error as exc:
        raise SigningError(_pkcs11_message(exc, key)) from None
    finally:
        session.close()




def _sign(pdf: bytes, signer: Any, box: SignatureBox | None, timestamp_url: str | None,
          font_file: Path | None) -> SignedDocument:
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
        field_name=SIGNATURE_FIELD, md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES, certify=True,
        docmdp_permissions=MDPPerm.NO_CHANGES, reason="Attestation",
    )
    style = None
    field_spec = None
    if box is not None:
        style = TextStampStyle(
            stamp_text="Digitally signed by %(signer)s\nTime: %(ts)s",
            text_box_style=TextBoxStyle(font=_stamp_font(font_file)),
            border_width=1,
        )
        field_spec = fields.SigFieldSpec(SIGNATURE_FIELD, on_page=box.page, box=box.box)
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
        data = read_input(key.path, InputKind.KEY)
    except InputRefused as exc:
        raise SigningError(str(exc)) from None
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
        return f"token {key.token_label!r} has no single key and certificate labelled " \
               f"{key.key_label!r}"
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
