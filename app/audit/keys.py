"""The signing key named by the user: a PKCS#12 file and its passphrase, or a key on a
PKCS#11 token (such as a PIV card) and its PIN.

The command line and the terminal interface both build the key here, so a missing or
contradictory input is refused with the same message wherever it was typed. The key is only
named and checked for presence here; opening it (and checking the passphrase or PIN) is the
signing code's job.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from app.errors import UserFacingError
from app.report.signing import Pkcs11Key, Pkcs12Key

SigningKey = Pkcs12Key | Pkcs11Key
"""What `sign_audit` takes."""


class KeyChoiceError(UserFacingError):
    """The inputs name no key, two kinds of key, or only part of a token's key."""


class KeySource(StrEnum):
    """Where the signing key is kept."""

    PKCS12 = "pkcs12"
    """A PKCS#12 (.p12/.pfx) file holding the key and its certificate."""
    PKCS11 = "pkcs11"
    """A PKCS#11 token or smart card, reached through its library."""


def key_source(*, pkcs12: Path | str | None = None, pkcs11_lib: Path | str | None = None,
               token: str | None = None, key_label: str | None = None,
               cert_label: str | None = None, key_id: str | None = None,
               cert_id: str | None = None) -> KeySource:
    """Which kind of key these inputs name; `KeyChoiceError` for none, both or half a token,
    `UserFacingError` for a path that is not a file or an ID that is not hexadecimal.

    An argument left as None was not given; a blank one was given empty. The key and
    certificate labels and IDs are optional (a PIV card's signing slot 9C by default).
    Checked before any passphrase or PIN is asked for.
    """
    file_given = pkcs12 is not None
    token_given = any(value is not None for value in (pkcs11_lib, token, key_label,
                                                      cert_label, key_id, cert_id))
    if file_given and token_given:
        raise KeyChoiceError("give either a PKCS#12 file or a PKCS#11 token, not both")
    if not (file_given or token_given):
        raise KeyChoiceError("give a PKCS#12 (.p12 or .pfx) file, or a PKCS#11 library with "
                             "the token label")
    if file_given:
        _existing_file(pkcs12, "your PKCS#12 (.p12 or .pfx) file")
        return KeySource.PKCS12
    missing = [what for what, value in (("the library", pkcs11_lib), ("the token label", token))
               if not _text(value)]
    if missing:
        raise KeyChoiceError("give the PKCS#11 library and the token label "
                             f"(missing: {', '.join(missing)})")
    _object_id(key_id, "key")
    _object_id(cert_id, "certificate")
    _existing_file(pkcs11_lib, "the PKCS#11 library of your card or token (e.g. "
                               "opensc-pkcs11.so)")
    return KeySource.PKCS11


def load_signing_key(*, pkcs12: Path | str | None = None, passphrase: str | None = None,
                     pkcs11_lib: Path | str | None = None, token: str | None = None,
                     key_label: str | None = None, pin: str | None = None,
                     cert_label: str | None = None, key_id: str | None = None,
                     cert_id: str | None = None) -> SigningKey:
    """The signing key named by a PKCS#12 file and its passphrase, or by a PKCS#11 library,
    token label, PIN and optionally the key's and the certificate's labels or hexadecimal
    IDs (by default a PIV card's signing slot 9C, as OpenSC names it).

    Paths and labels are taken without surrounding blanks and paths with `~` expanded; the
    passphrase or PIN is taken exactly as typed. Each missing, contradictory or empty input
    raises `UserFacingError` saying what to give.
    """
    source = key_source(pkcs12=pkcs12, pkcs11_lib=pkcs11_lib, token=token,
                        key_label=key_label, cert_label=cert_label, key_id=key_id,
                        cert_id=cert_id)
    if source is KeySource.PKCS12:
        if pin is not None:
            raise UserFacingError("a PKCS#12 file is opened with its passphrase, not a PIN")
        path = _path(pkcs12)
        if not passphrase:
            raise UserFacingError(f"give the passphrase of {path}")
        return Pkcs12Key(path, passphrase.encode())
    if passphrase is not None:
        raise UserFacingError("a PKCS#11 token is opened with its PIN, not a passphrase")
    token_label = _text(token)
    if not pin:
        raise UserFacingError(f"give the PIN of token {token_label!r}")
    return Pkcs11Key(_path(pkcs11_lib), token_label, _text(key_label) or None, pin,
                     cert_label=_text(cert_label) or None, key_id=_object_id(key_id, "key"),
                     cert_id=_object_id(cert_id, "certificate"))


def _object_id(value: str | None, what: str) -> bytes | None:
    """A PKCS#11 object ID typed in hexadecimal ("02", "0x02", "02:a1"), or None."""
    text = _text(value).lower().removeprefix("0x").replace(":", "").replace(" ", "")
    if not text:
        return None
    try:
        return bytes.fromhex(text)
    except ValueError:
        raise UserFacingError(f"the {what} ID {value!r} is not hexadecimal; give it as "
                              "pkcs11-tool lists it, e.g. 02 for a PIV card's signing "
                              "slot") from None


def _text(value: Path | str | None) -> str:
    return "" if value is None else str(value).strip()


def _path(value: Path | str | None) -> Path:
    return Path(_text(value)).expanduser()


def _existing_file(value: Path | str | None, what: str) -> None:
    if not _text(value):
        raise UserFacingError(f"give the path of {what}")
    path = _path(value)
    if not path.exists():
        raise UserFacingError(f"there is no file {path}; give the path of {what}")
    if not path.is_file():
        raise UserFacingError(f"{path} is not a file; give the path of {what}")
