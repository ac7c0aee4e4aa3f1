"""A local test CA and signing certificate, for trying the tool without a real one.

NOT FOR REAL ATTESTATIONS: anyone can make such a certificate, so a signature made with it
proves nothing about who signed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

TEST_LABEL = "TEST ONLY - NOT FOR REAL ATTESTATIONS"


@dataclass(frozen=True)
class TestCertificate:
    """Where the files of a test certificate were written."""

    ca_certificate: Path
    signer_pkcs12: Path
    signer_certificate: Path
    ca_crl: Path
    """The test CA's (empty) CRL, valid for a year: the revocation data `sign` and `verify`
    need, given with --trust since a test CA runs no CRL or OCSP service."""


def make_test_certificate(folder: Path, signer_name: str, passphrase: bytes, *,
                          key_type: str = "ec") -> TestCertificate:
    """Write a test root CA and a PKCS#12 signing certificate it issued into `folder`."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    def new_key():  # noqa: ANN202 - a private key of the chosen kind
        if key_type == "rsa":
            return rsa.generate_private_key(public_exponent=65537, key_size=3072)
        return ec.generate_private_key(ec.SECP256R1())

    def name(common: str) -> x509.Name:
        return x509.Name([
            x509.NameAttribute(NameOID.COMMON_NAME, common),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, f"nlets-audit {TEST_LABEL}"),
        ])

    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    ca_key, signer_key = new_key(), new_key()
    ca_name = name(f"nlets-audit test CA ({TEST_LABEL})")
    ca_cert = (
        x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
        .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now).not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False,
                                     key_encipherment=False, data_encipherment=False,
                                     key_agreement=False, key_cert_sign=True, crl_sign=True,
                                     encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()),
                       critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    signer_cert = (
        x509.CertificateBuilder().subject_name(name(f"{signer_name} ({TEST_LABEL})"))
        .issuer_name(ca_name).public_key(signer_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now).not_valid_after(now + dt.timedelta(days=730))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True,
                                     key_encipherment=False, data_encipherment=False,
                                     key_agreement=False, key_cert_sign=False, crl_sign=False,
                                     encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION,
                                              ExtendedKeyUsageOID.CLIENT_AUTH]),
                       critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                       critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(signer_key.public_key()),
                       critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    result = TestCertificate(folder / "test-ca.pem", folder / "test-signer.p12",
                             folder / "test-signer.pem", folder / "test-ca.crl")
    crl = (x509.CertificateRevocationListBuilder().issuer_name(ca_name)
           .last_update(now).next_update(now + dt.timedelta(days=365))
           .sign(ca_key, hashes.SHA256()))
    result.ca_crl.write_bytes(crl.public_bytes(serialization.Encoding.PEM))
    result.ca_certificate.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    result.signer_certificate.write_bytes(signer_cert.public_bytes(serialization.Encoding.PEM))
    encryption = serialization.BestAvailableEncryption(passphrase)
    result.signer_pkcs12.write_bytes(pkcs12.serialize_key_and_certificates(
        b"test-signer", signer_key, signer_cert, [ca_cert], encryption))
    result.signer_pkcs12.chmod(0o600)
    return result
