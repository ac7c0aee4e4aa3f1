"""Signing with a key on a PKCS#11 token: SoftHSM2 stands in for a PIV card."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from app.audit import verify_attestation
from app.errors import UserFacingError
from app.report.signing import Pkcs11Key

LIBRARIES = [Path("/usr/lib/softhsm/libsofthsm2.so"),
             Path("/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"),
             Path("/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so")]
PIN = "246810"


def _library() -> Path:
    for tool in ("softhsm2-util", "pkcs11-tool"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (Debian packages softhsm2 and opensc)")
    for library in LIBRARIES:
        if library.is_file():
            return library
    pytest.skip("libsofthsm2.so was not found (Debian package softhsm2)")


@pytest.fixture(scope="session")
def softhsm_dir(tmp_path_factory):
    """One SoftHSM2 token directory for the session: the library reads its configuration and
    its tokens once per process, so every token of the tests is made there, under its own
    label, before any test opens the library."""
    library = _library()
    folder = tmp_path_factory.mktemp("softhsm")
    (folder / "tokens").mkdir()
    config = folder / "softhsm2.conf"
    config.write_text(f"directories.tokendir = {folder / 'tokens'}\n"
                      "objectstore.backend = file\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOFTHSM2_CONF", str(config))
        yield library, {**os.environ, "SOFTHSM2_CONF": str(config)}


@pytest.fixture(scope="session")
def softhsm(softhsm_dir, signer_token, piv_token_made):
    """The SoftHSM2 library once both test tokens are made."""
    return softhsm_dir


@pytest.fixture
def token(softhsm):
    """The library of the token labelled 'piv' holding the signer's key as 'signer'."""
    return softhsm[0]


@pytest.fixture
def piv_token(softhsm):
    """The library of the PIV-labelled token 'PIV_II'."""
    return softhsm[0]


@pytest.fixture(scope="session")
def signer_token(softhsm_dir, tmp_path_factory, certificate):
    """A SoftHSM2 token holding the test signer's key and certificate, labelled 'signer'."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    from tests.signing.conftest import PASSPHRASE

    library, env = softhsm_dir
    tmp_path = tmp_path_factory.mktemp("signer-token")
    key, cert, _ = pkcs12.load_key_and_certificates(
        certificate.signer_pkcs12.read_bytes(), PASSPHRASE.encode())
    key_pem = tmp_path / "key.pem"
    key_pem.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                          serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    cert_der = tmp_path / "cert.der"
    cert_der.write_bytes(cert.public_bytes(serialization.Encoding.DER))

    def run(*args):
        subprocess.run(args, check=True, capture_output=True, env=env)

    run("softhsm2-util", "--init-token", "--free", "--label", "piv", "--pin", PIN,
        "--so-pin", "13579111")
    run("softhsm2-util", "--import", str(key_pem), "--token", "piv", "--label", "signer",
        "--id", "01", "--pin", PIN)
    run("pkcs11-tool", "--module", str(library), "--token-label", "piv", "--login", "--pin",
        PIN, "--write-object", str(cert_der), "--type", "cert", "--id", "01", "--label",
        "signer")
    return library


def test_sign_with_a_token_and_verify(service, complete_audit, certificate, token, tmp_path):
    output = tmp_path / "attestation.pdf"
    signed = service.sign(complete_audit, Pkcs11Key(token, "piv", "signer", PIN), output)
    assert signed.signer.startswith("Jane Roe")
    result = verify_attestation(output, [certificate.ca_certificate], service)
    assert result.valid, result.signature.problems + result.database_problems


def test_wrong_pin_is_refused_and_nothing_written(service, complete_audit, token, tmp_path):
    output = tmp_path / "attestation.pdf"
    with pytest.raises(UserFacingError, match="PIN was not accepted"):
        service.sign(complete_audit, Pkcs11Key(token, "piv", "signer", "000000"),
                   output)
    assert not output.exists()
    assert service.get_audit(complete_audit).status == "draft"


def test_unknown_token_is_explained(service, complete_audit, token, tmp_path):
    with pytest.raises(UserFacingError, match="no token labelled 'nope'"):
        service.sign(complete_audit, Pkcs11Key(token, "nope", "signer", PIN),
                   tmp_path / "a.pdf")


def test_the_command_line_signs_with_a_token(capsys, db_url, service, complete_audit,
                                             certificate, token, tmp_path):
    from app.cli import main

    pin_file = tmp_path / "pin.txt"
    pin_file.write_text(PIN + "\n")
    output = tmp_path / "attestation.pdf"
    code = main(["--db", db_url, "sign", complete_audit, "-o", str(output), "--pkcs11-lib",
                 str(token), "--token", "piv", "--key", "signer", "--passphrase-file",
                 str(pin_file), "--yes"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "signed by Jane Roe" in out and PIN not in out + err
    assert verify_attestation(output, [certificate.ca_certificate], service).valid


# --- A token labelled the way OpenSC labels a PIV card -----------------------------------
# OpenSC names slot 9A "PIV AUTH key" / "Certificate for PIV Authentication" (ID 01) and slot
# 9C "SIGN key" / "Certificate for Digital Signature" (ID 02); the 9C key demands the PIN
# again for every signature (CKA_ALWAYS_AUTHENTICATE), which SoftHSM2 enforces too.

PIV_TOKEN = "PIV_II"


def _login_certificate(tmp_path: Path) -> tuple[bytes, bytes]:
    """A key and self-made certificate for the PIV authentication slot (PKCS#8, DER)."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Jane Roe login")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30)).sign(key, hashes.SHA256()))
    return (key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption()),
            cert.public_bytes(serialization.Encoding.DER))


@pytest.fixture(scope="session")
def piv_token_made(softhsm_dir, tmp_path_factory, certificate):
    """SoftHSM2 holding a login key and certificate in 9A and the signer's in 9C, labelled
    as OpenSC labels a PIV card, the 9C key marked always-authenticate."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    from tests.signing.conftest import PASSPHRASE

    library, env = softhsm_dir
    tmp_path = tmp_path_factory.mktemp("piv-token")
    key, cert, _ = pkcs12.load_key_and_certificates(
        certificate.signer_pkcs12.read_bytes(), PASSPHRASE.encode())
    files = {
        "sign-key.der": key.private_bytes(serialization.Encoding.DER,
                                          serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()),
        "sign-cert.der": cert.public_bytes(serialization.Encoding.DER),
    }
    files["auth-key.der"], files["auth-cert.der"] = _login_certificate(tmp_path)
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)

    def run(*args):
        subprocess.run(args, check=True, capture_output=True, env=env)

    def write(name, kind, object_id, label, *extra):
        run("pkcs11-tool", "--module", str(library), "--token-label", PIV_TOKEN, "--login",
            "--pin", PIN, "--write-object", str(tmp_path / name), "--type", kind, "--id",
            object_id, "--label", label, *extra)

    run("softhsm2-util", "--init-token", "--free", "--label", PIV_TOKEN, "--pin", PIN,
        "--so-pin", "13579111")
    write("auth-key.der", "privkey", "01", "PIV AUTH key", "--usage-sign")
    write("auth-cert.der", "cert", "01", "Certificate for PIV Authentication")
    write("sign-key.der", "privkey", "02", "SIGN key", "--usage-sign", "--always-auth")
    write("sign-cert.der", "cert", "02", "Certificate for Digital Signature")
    return library


def _signing_cert_sha256(certificate) -> str:
    import hashlib

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    from tests.signing.conftest import PASSPHRASE

    _, cert, _ = pkcs12.load_key_and_certificates(
        certificate.signer_pkcs12.read_bytes(), PASSPHRASE.encode())
    return hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()


def test_a_piv_card_signs_with_slot_9c_by_default(service, complete_audit, certificate,
                                                  piv_token, tmp_path):
    """No key label given: the key is OpenSC's "SIGN key", its certificate found apart, and
    the PIN given again for the signature (context-specific login)."""
    output = tmp_path / "attestation.pdf"
    signed = service.sign(complete_audit, Pkcs11Key(piv_token, PIV_TOKEN, pin=PIN), output)
    assert signed.signer.startswith("Jane Roe") and "login" not in signed.signer
    assert signed.certificate_sha256 == _signing_cert_sha256(certificate)
    result = verify_attestation(output, [certificate.ca_certificate], service)
    assert result.valid, result.signature.problems + result.database_problems


@pytest.mark.parametrize("selection", [
    {"key_label": "SIGN key"},
    {"key_label": "SIGN key", "cert_label": "Certificate for Digital Signature"},
    {"key_id": b"\x02"},
    {"key_id": b"\x02", "cert_id": b"\x02"},
])
def test_key_and_certificate_are_selected_apart(certificate, piv_token, selection):
    from app.report.signing import describe_key

    name, sha256 = describe_key(Pkcs11Key(piv_token, PIV_TOKEN, pin=PIN, **selection))
    assert name.startswith("Jane Roe") and "login" not in name
    assert sha256 == _signing_cert_sha256(certificate)


def test_the_login_slot_is_taken_only_when_asked(piv_token):
    from app.report.signing import describe_key

    name, _ = describe_key(Pkcs11Key(piv_token, PIV_TOKEN, key_label="PIV AUTH key",
                                     cert_label="Certificate for PIV Authentication", pin=PIN))
    assert name == "Jane Roe login"


def test_a_missing_key_names_what_the_token_holds(piv_token):
    from app.report.signing import describe_key

    with pytest.raises(UserFacingError) as refused:
        describe_key(Pkcs11Key(piv_token, PIV_TOKEN, key_label="signer", pin=PIN))
    message = str(refused.value)
    assert "no private key labelled 'signer'" in message
    assert "'SIGN key' (ID 02)" in message and "'PIV AUTH key' (ID 01)" in message


def test_a_wrong_pin_for_the_signature_is_refused(service, complete_audit, piv_token,
                                                  tmp_path):
    output = tmp_path / "attestation.pdf"
    with pytest.raises(UserFacingError, match="PIN was not accepted"):
        service.sign(complete_audit, Pkcs11Key(piv_token, PIV_TOKEN, pin="000000"), output)
    assert not output.exists() and service.get_audit(complete_audit).status == "draft"


def test_the_command_line_signs_with_a_piv_card_without_labels(capsys, db_url, service,
                                                               complete_audit, certificate,
                                                               piv_token, tmp_path):
    from app.cli import main

    pin_file = tmp_path / "pin.txt"
    pin_file.write_text(PIN + "\n")
    output = tmp_path / "attestation.pdf"
    code = main(["--db", db_url, "sign", complete_audit, "-o", str(output), "--pkcs11-lib",
                 str(piv_token), "--token", PIV_TOKEN, "--passphrase-file", str(pin_file),
                 "--yes"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "signed by Jane Roe" in out
    assert verify_attestation(output, [certificate.ca_certificate], service).valid


def test_the_command_line_selects_by_id(capsys, db_url, service, complete_audit, certificate,
                                        piv_token, tmp_path):
    from app.cli import main

    pin_file = tmp_path / "pin.txt"
    pin_file.write_text(PIN + "\n")
    output = tmp_path / "attestation.pdf"
    code = main(["--db", db_url, "sign", complete_audit, "-o", str(output), "--pkcs11-lib",
                 str(piv_token), "--token", PIV_TOKEN, "--key-id", "02", "--cert-id", "02",
                 "--passphrase-file", str(pin_file), "--yes"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert verify_attestation(output, [certificate.ca_certificate], service).valid
