"""The signing key built from what the user typed, the same for the CLI and the TUI."""

from pathlib import Path

import pytest

from app.audit import KeyChoiceError, KeySource, key_source, load_signing_key
from app.errors import UserFacingError
from app.report.signing import Pkcs11Key, Pkcs12Key, describe_key
from tests.signing.conftest import PASSPHRASE


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """A file standing where a PKCS#11 library would be (only its presence is checked)."""
    path = tmp_path / "opensc-pkcs11.so"
    path.write_bytes(b"\x7fELF")
    return path


def test_a_pkcs12_key_opens_with_the_signing_code(certificate):
    key = load_signing_key(pkcs12=f"  {certificate.signer_pkcs12}  ", passphrase=PASSPHRASE)
    assert key == Pkcs12Key(certificate.signer_pkcs12, PASSPHRASE.encode())
    signer, certificate_sha256 = describe_key(key)
    assert signer.startswith("Jane Roe") and len(certificate_sha256) == 64


def test_the_passphrase_is_taken_exactly_as_typed(certificate):
    key = load_signing_key(pkcs12=certificate.signer_pkcs12, passphrase=f" {PASSPHRASE} ")
    assert isinstance(key, Pkcs12Key) and key.passphrase == f" {PASSPHRASE} ".encode()
    with pytest.raises(UserFacingError, match="the passphrase does not open"):
        describe_key(key)


def test_a_home_relative_path_is_expanded(certificate, monkeypatch):
    monkeypatch.setenv("HOME", str(certificate.signer_pkcs12.parent))
    key = load_signing_key(pkcs12=f"~/{certificate.signer_pkcs12.name}", passphrase="x")
    assert isinstance(key, Pkcs12Key) and key.path == certificate.signer_pkcs12


def test_a_pkcs11_key_names_library_token_and_label(library):
    key = load_signing_key(pkcs11_lib=str(library), token=" piv ", key_label="signer",
                           pin="246810")
    assert key == Pkcs11Key(library, "piv", "signer", "246810")
    assert key_source(pkcs11_lib=library, token="piv", key_label="signer") == KeySource.PKCS11


@pytest.mark.parametrize(("given", "message"), [
    ({}, "give a PKCS#12 (.p12 or .pfx) file, or a PKCS#11 library with the token label"),
    ({"pkcs12": "  "}, "give the path of your PKCS#12 (.p12 or .pfx) file"),
    ({"pkcs11_lib": "", "token": "", "key_label": "signer"},
     "give the PKCS#11 library and the token label (missing: the library, the token label)"),
    ({"token": "piv"}, "(missing: the library)"),
])
def test_missing_inputs_say_what_to_give(given, message):
    with pytest.raises(UserFacingError) as refused:
        load_signing_key(**given, passphrase="x")
    assert message in str(refused.value)
    # the command line adds its option names to these, and only to these
    assert isinstance(refused.value, KeyChoiceError) == ("pkcs12" not in given)


def test_a_file_and_a_token_together_are_refused(certificate, library):
    with pytest.raises(KeyChoiceError, match="either a PKCS#12 file or a PKCS#11 token, "
                                             "not both"):
        key_source(pkcs12=certificate.signer_pkcs12, pkcs11_lib=library, token="piv",
                   key_label="signer")


def test_paths_that_are_not_files_are_named(tmp_path, library):
    missing = tmp_path / "nowhere" / "me.p12"
    with pytest.raises(UserFacingError, match=f"there is no file {missing}; give the path of "
                                              "your PKCS#12"):
        load_signing_key(pkcs12=missing, passphrase="x")
    with pytest.raises(UserFacingError, match=f"{tmp_path} is not a file; give the path of "
                                              "the PKCS#11 library"):
        load_signing_key(pkcs11_lib=tmp_path, token="piv", key_label="signer", pin="1")


def test_an_empty_secret_is_refused(certificate, library):
    with pytest.raises(UserFacingError, match="give the passphrase of"):
        load_signing_key(pkcs12=certificate.signer_pkcs12, passphrase="")
    with pytest.raises(UserFacingError, match="give the PIN of token 'piv'"):
        load_signing_key(pkcs11_lib=library, token="piv", key_label="signer", pin=None)


def test_the_wrong_kind_of_secret_is_refused(certificate, library):
    with pytest.raises(UserFacingError, match="opened with its passphrase, not a PIN"):
        load_signing_key(pkcs12=certificate.signer_pkcs12, pin="1234")
    with pytest.raises(UserFacingError, match="opened with its PIN, not a passphrase"):
        load_signing_key(pkcs11_lib=library, token="piv", key_label="signer",
                         passphrase="x")


def test_the_secret_never_appears_in_the_key_repr(certificate, library):
    shown = repr(load_signing_key(pkcs12=certificate.signer_pkcs12, passphrase="hunter2")) + \
        repr(load_signing_key(pkcs11_lib=library, token="piv", key_label="k", pin="97531"))
    assert "hunter2" not in shown and "97531" not in shown


def test_a_pkcs11_key_needs_no_label_and_takes_ids_in_hex(library):
    key = load_signing_key(pkcs11_lib=str(library), token="PIV_II", pin="246810")
    assert key == Pkcs11Key(library, "PIV_II", None, "246810")
    assert "SIGN key" in key.describe()
    key = load_signing_key(pkcs11_lib=str(library), token="PIV_II", key_id="0x02",
                           cert_id="02", cert_label=" Certificate for Digital Signature ",
                           pin="246810")
    assert key.key_id == b"\x02" and key.cert_id == b"\x02"
    assert key.cert_label == "Certificate for Digital Signature" and key.key_label is None
    with pytest.raises(UserFacingError, match="the key ID 'nine-c' is not hexadecimal"):
        load_signing_key(pkcs11_lib=str(library), token="PIV_II", key_id="nine-c", pin="1")
