"""Revocation, long-term validation and refusals at signing, against the test PKI that
serves CRL, OCSP and timestamps on 127.0.0.1."""

from __future__ import annotations

import datetime as dt

import pytest

from app.audit import verify_attestation
from app.cli import main
from app.errors import UserFacingError
from app.report.signing import Pkcs12Key
from tests.signing.conftest import PASSPHRASE
from tests.signing.pki import TestPKI

UTC = dt.UTC


def sign(service, audit_id, issued, path, *, tsa=None):
    return service.sign(audit_id, Pkcs12Key(issued.pkcs12, PASSPHRASE.encode()), path,
                        signer_title="Chief Information Officer", timestamp_url=tsa)


def cli(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def later(days: int) -> dt.datetime:
    return dt.datetime.now(UTC) + dt.timedelta(days=days)


def refused_cases(pki: TestPKI):
    """Certificates that verify would reject, each with the refusal's words."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Somebody Else's CA")])
    now = dt.datetime.now(UTC)
    root = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    revoked = pki.issue("Jane Roe")
    pki.revoke(revoked)
    return {
        "expired": (pki.issue("Jane Roe", not_before=later(-400), not_after=later(-1)),
                    "expired on"),
        "not yet valid": (pki.issue("Jane Roe", not_before=later(2), not_after=later(400)),
                          "is not valid before"),
        "revoked": (revoked, "is revoked"),
        "login key usage": (pki.issue("Jane Roe", non_repudiation=False),
                            "non-repudiation key usage"),
        "untrusted root": (pki.issue("Jane Roe", issuer=(root, key)),
                           "does not chain to the office's trust roots"),
    }


@pytest.fixture(scope="session")
def refusals(pki):
    return refused_cases(pki)


@pytest.mark.parametrize("case", ["expired", "not yet valid", "revoked", "login key usage",
                                  "untrusted root"])
def test_sign_refuses_a_key_verify_would_reject(capsys, db_url, service, complete_audit,
                                                refusals, passphrase_file, tmp_path, case):
    issued, message = refusals[case]
    output = tmp_path / "signed.pdf"
    code, out, err = cli(capsys, "--db", db_url, "sign", complete_audit, "-o", str(output),
                         "--pkcs12", str(issued.pkcs12), "--passphrase-file",
                         str(passphrase_file), "--yes")
    assert code == 2, out + err
    assert message in err and "Nothing was signed" in err
    assert not output.exists() and list(tmp_path.glob(".signed.pdf.*")) == []
    audit = service.get_audit(complete_audit)
    assert audit.status == "draft" and not audit.read_only
    service.set_answer(complete_audit, "switch_vendor", "still editable")


def test_sign_refuses_when_revocation_cannot_be_checked(service, complete_audit, certificate,
                                                        pki, tmp_path):
    pki.online = False
    with pytest.raises(UserFacingError, match="revocation status .* cannot be checked"):
        sign(service, complete_audit, certificate.issued, tmp_path / "a.pdf")
    assert not (tmp_path / "a.pdf").exists()
    assert service.get_audit(complete_audit).status == "draft"


def test_sign_refuses_without_any_trust_root(service, complete_audit, certificate, tmp_path,
                                             private_home):
    (private_home / "trust" / "office-root.pem").unlink()
    with pytest.raises(UserFacingError, match="no trust roots are configured"):
        sign(service, complete_audit, certificate.issued, tmp_path / "a.pdf")
    assert service.get_audit(complete_audit).status == "draft"


def test_a_certificate_revoked_after_an_unstamped_signature_is_not_valid(
        capsys, service, complete_audit, pki, tmp_path):
    """B-B (no timestamp): the time of signing is unproven, so revocation counts now."""
    issued = pki.issue("Jane Roe")
    output = tmp_path / "a.pdf"
    sign(service, complete_audit, issued, output)
    assert verify_attestation(output, []).valid
    pki.revoke(issued)
    code, _, err = cli(capsys, "verify", str(output))
    assert code == 1 and "the certificate was revoked" in err
    assert "/ocsp" in pki.requests


def test_verify_says_which_revocation_data_it_used(capsys, service, complete_audit,
                                                   certificate, pki, tmp_path):
    output = tmp_path / "a.pdf"
    sign(service, complete_audit, certificate.issued, output, tsa=f"{pki.url}/tsa")
    pki.online = False
    pki.requests.clear()
    code, out, err = cli(capsys, "verify", str(output), "--offline")
    assert code == 0, err
    assert "revocation checked with: the validation data embedded in the file" in out
    assert pki.requests == []
    pki.online = True
    pki.clock = later(20)  # the embedded responses are out of date by then
    code, out, err = cli(capsys, "verify", str(output), "--at", pki.clock.isoformat())
    assert code == 0, err
    assert "fetched online" in out


def test_b_lta_stays_valid_after_the_certificate_expires(capsys, service, complete_audit, pki,
                                                         tmp_path):
    short = pki.issue("Jane Roe", not_after=later(10))
    stamped, plain = tmp_path / "stamped.pdf", tmp_path / "plain.pdf"
    sign(service, complete_audit, short, stamped, tsa=f"{pki.url}/tsa")
    code, out, err = cli(capsys, "verify", str(stamped))
    assert code == 0, err
    assert "(proven by a timestamp)" in out and "document timestamp" in out
    assert "nlets-audit Test TSA" in out
    pki.clock = later(40)
    code, out, err = cli(capsys, "verify", str(stamped), "--at", pki.clock.isoformat())
    assert code == 0, err
    assert f"{stamped}: VALID" in out

    # The same certificate without a timestamp: the signing time is not proven.
    other = service.create_audit(service.view(complete_audit).checklist, jurisdiction="WA",
                                 period_start="2024-01-01", period_end="2024-12-31").id
    service.import_answers(other, {a.question_id: a.value for a in
                                   service.view(complete_audit).answers.values()})
    pki.clock = None
    sign(service, other, short, plain)
    pki.clock = later(40)
    code, _, err = cli(capsys, "verify", str(plain), "--at", pki.clock.isoformat())
    assert code == 1 and "the certificate had expired" in err, err


def test_extend_adds_fresh_validation_data_and_a_timestamp(capsys, service, complete_audit,
                                                           certificate, pki, tmp_path,
                                                           db_url):
    output, extended = tmp_path / "a.pdf", tmp_path / "extended.pdf"
    sign(service, complete_audit, certificate.issued, output, tsa=f"{pki.url}/tsa")
    pki.clock = later(30)
    code, _, err = cli(capsys, "verify", str(output), "--offline", "--at",
                       pki.clock.isoformat())
    assert code == 1 and "no current revocation data" in err
    code, out, err = cli(capsys, "extend", str(output), "-o", str(extended), "--tsa",
                         f"{pki.url}/tsa", "--at", pki.clock.isoformat())
    assert code == 0, err
    assert extended.read_bytes().startswith(output.read_bytes())
    pki.online = False
    code, out, err = cli(capsys, "--db", db_url, "verify", str(extended), "--offline", "--at",
                         pki.clock.isoformat())
    assert code == 0, err
    assert out.count("document timestamp Timestamp") + out.count("document timestamp") >= 2
    assert "database: matches audit" in out


def test_extend_refuses_a_file_that_is_not_valid(capsys, service, complete_audit, certificate,
                                                 pki, tmp_path):
    output = tmp_path / "a.pdf"
    sign(service, complete_audit, certificate.issued, output)
    data = bytearray(output.read_bytes())
    data[len(data) // 3] ^= 0x20
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(bytes(data))
    code, _, err = cli(capsys, "extend", str(broken), "-o", str(tmp_path / "x.pdf"), "--tsa",
                       f"{pki.url}/tsa")
    assert code == 1 and "only a VALID attestation can be extended" in err
    assert not (tmp_path / "x.pdf").exists()


def test_at_must_be_a_time(capsys, tmp_path):
    path = tmp_path / "a.pdf"
    path.write_bytes(b"%PDF-1.7\n")
    code, _, err = cli(capsys, "verify", str(path), "--at", "next tuesday")
    assert code == 2 and "--at 'next tuesday' is not a date or time" in err


def test_a_test_certificate_signs_with_its_crl(capsys, db_url, service, complete_audit,
                                               passphrase_file, tmp_path, private_home):
    code, out, _ = cli(capsys, "test-certificate", "--out", str(tmp_path / "ca"), "--name",
                       "Sam Poe", "--passphrase-file", str(passphrase_file))
    assert code == 0 and "--trust CA --trust CRL" in out
    output = tmp_path / "signed.pdf"
    ca, crl = tmp_path / "ca" / "test-ca.pem", tmp_path / "ca" / "test-ca.crl"
    code, _, err = cli(capsys, "--db", db_url, "sign", complete_audit, "-o", str(output),
                       "--pkcs12", str(tmp_path / "ca" / "test-signer.p12"),
                       "--passphrase-file", str(passphrase_file), "--yes")
    assert code == 2 and "no trust roots are configured" in err
    code, _, err = cli(capsys, "--db", db_url, "sign", complete_audit, "-o", str(output),
                       "--pkcs12", str(tmp_path / "ca" / "test-signer.p12"),
                       "--passphrase-file", str(passphrase_file), "--yes", "--trust", str(ca),
                       "--trust", str(crl))
    assert code == 0, err
    code, out, err = cli(capsys, "verify", str(output), "--trust", str(ca), "--trust", str(crl))
    assert code == 0, err
