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


@pytest.fixture
def token(tmp_path, monkeypatch, certificate):
    """A SoftHSM2 token holding the test signer's key and certificate, labelled 'signer'."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    from tests.signing.conftest import PASSPHRASE

    library = _library()
    tokens = tmp_path / "tokens"
    tokens.mkdir()
    config = tmp_path / "softhsm2.conf"
    config.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(config))
    env = {**os.environ, "SOFTHSM2_CONF": str(config)}

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
