"""A signature opens the PKCS#12 key once and signs once: no second parse and validation
of the key for each use, no dummy signature to size the container."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from app.audit.attest import sign_audit
from app.report import signing
from app.report.signing import Pkcs12Key
from app.report.testca import make_test_certificate
from app.report.verification import load_trust, verify_signed_pdf
from tests.signing.conftest import PASSPHRASE


@pytest.fixture(scope="module")
def rsa_certificate(tmp_path_factory: pytest.TempPathFactory):
    """A test CA and an RSA-3072 signing certificate (RSA keys are validated on load)."""
    return make_test_certificate(tmp_path_factory.mktemp("rsa"), "Jane Roe",
                                 PASSPHRASE.encode(), key_type="rsa")


def _counting(monkeypatch, owner, name: str) -> list[int]:
    calls: list[int] = []
    original = getattr(owner, name)

    def counted(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


@pytest.mark.parametrize("which", ["rsa", "ec"])
def test_signing_an_audit_opens_the_key_once_and_signs_once(
        monkeypatch, service, complete_audit, tmp_path, which, rsa_certificate, certificate):
    made = rsa_certificate if which == "rsa" else certificate
    trust = [made.ca_certificate] + ([rsa_certificate.ca_crl] if which == "rsa" else [])
    opened = _counting(monkeypatch, pkcs12, "load_key_and_certificates")
    reread = _counting(monkeypatch, serialization, "load_der_private_key")
    signed_raw = []
    original_sign_raw = signing._loaded_key_signer().sign_raw

    def counted_sign_raw(self, data, digest_algorithm):
        signed_raw.append(1)
        return original_sign_raw(self, data, digest_algorithm)

    monkeypatch.setattr(signing._loaded_key_signer(), "sign_raw", counted_sign_raw)
    output = tmp_path / "attestation.pdf"
    sign_audit(service, complete_audit, Pkcs12Key(made.signer_pkcs12, PASSPHRASE.encode()),
               output, trust=trust)
    assert len(opened) == 1, "the PKCS#12 file was opened (and its key validated) again"
    assert reread == [], "the private key was parsed again to sign"
    # Two documents, one signature each: the attestation and the public report it seals.
    assert len(signed_raw) == 2, "pyHanko signed a dummy first to size the signature"
    check = verify_signed_pdf(output.read_bytes(), load_trust(trust))
    assert check.valid and check.signer.startswith("Jane Roe"), check.problems


def test_a_wrong_passphrase_is_refused_each_time(certificate):
    key = Pkcs12Key(certificate.signer_pkcs12, b"not the passphrase")
    for _ in range(2):
        with pytest.raises(signing.SigningError, match="passphrase does not open"):
            signing.describe_key(key)


def test_prepare_signing_loads_the_renderer_and_pyhanko_ahead_of_a_signature():
    import subprocess
    import sys

    probe = ("import sys, app.audit\n"
             "before = {m for m in ('weasyprint', 'pyhanko.sign.signers') if m in sys.modules}\n"
             "app.audit.prepare_signing()\n"
             "after = {m for m in ('weasyprint', 'pyhanko.sign.signers') if m in sys.modules}\n"
             "print(sorted(before), sorted(after))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)
    assert done.stdout.split() == ["[]", "['pyhanko.sign.signers',", "'weasyprint']"]


def test_a_signature_waits_for_a_preparation_still_importing(monkeypatch, service,
                                                             complete_audit, certificate,
                                                             tmp_path):
    # Two threads importing the same modules at once can deadlock on an import cycle, so
    # a signature begins only once the preparation (the sign dialog's worker, or the CLI's
    # while it asks for the passphrase) has finished.
    import threading

    from app.audit import prepare_signing

    order: list[str] = []
    importing, release = threading.Event(), threading.Event()

    def slow_warm_up() -> None:
        importing.set()
        release.wait(60)
        order.append("prepared")

    view = service.view

    def first_step(ref, *args, **kwargs):
        order.append("signature began")
        return view(ref, *args, **kwargs)

    monkeypatch.setattr(signing, "warm_up", slow_warm_up)
    monkeypatch.setattr(service, "view", first_step)
    preparing = threading.Thread(target=prepare_signing)
    preparing.start()
    assert importing.wait(60)
    signed: list[object] = []
    signer = threading.Thread(target=lambda: signed.append(sign_audit(
        service, complete_audit, Pkcs12Key(certificate.signer_pkcs12, PASSPHRASE.encode()),
        tmp_path / "signed.pdf", trust=[certificate.ca_certificate])))
    signer.start()
    signer.join(0.5)  # long enough for a signature that did not wait to begin
    release.set()
    preparing.join()
    signer.join()
    assert order == ["prepared", "signature began"]
    assert signed and (tmp_path / "signed.pdf").exists()
