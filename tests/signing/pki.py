"""A small test PKI served on 127.0.0.1: a root CA that issues signing certificates with
CRL and OCSP pointers to itself, and an RFC 3161 timestamp authority.

The servers answer from a clock the test may move (`pki.clock`), so a test can ask for
revocation data "as of next year" without sleeping or touching the system clock.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509 import ocsp
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

UTC = dt.UTC


@dataclass
class Issued:
    """A certificate the test CA issued, with its key and PKCS#12 file."""

    name: str
    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
    pkcs12: Path
    pem: Path


@dataclass
class TestPKI:
    """The root CA, what it issued and revoked, and the servers that speak for it."""

    folder: Path
    passphrase: bytes
    clock: dt.datetime | None = None
    online: bool = True
    requests: list[str] = field(default_factory=list)
    revoked: dict[int, dt.datetime] = field(default_factory=dict)
    issued: dict[int, Issued] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "nlets-audit Test Root"),
                               x509.NameAttribute(NameOID.ORGANIZATION_NAME, "TEST ONLY")])
        start = self.now() - dt.timedelta(days=3650)
        self.root = (
            x509.CertificateBuilder().subject_name(self.name).issuer_name(self.name)
            .public_key(self.key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(start + dt.timedelta(days=3 * 3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(_usage(cert_sign=True), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(self.key.public_key()),
                           critical=False)
            .sign(self.key, hashes.SHA256()))
        self.folder.mkdir(parents=True, exist_ok=True)
        self.root_pem = self.folder / "root.pem"
        self.root_pem.write_bytes(self.root.public_bytes(serialization.Encoding.PEM))
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        # pyHanko's timestamp token builder signs with RSA only.
        self.tsa = self.issue("nlets-audit Test TSA", timestamping=True, rsa_key=True)

    def now(self) -> dt.datetime:
        """The servers' clock: the test's, else the real one."""
        return self.clock or dt.datetime.now(UTC)

    def close(self) -> None:
        """Stop the servers."""
        self._server.shutdown()
        self._server.server_close()

    def issue(self, name: str, *, not_before: dt.datetime | None = None,
              not_after: dt.datetime | None = None, non_repudiation: bool = True,
              digital_signature: bool = True, timestamping: bool = False,
              pointers: bool = True, rsa_key: bool = False,
              issuer: tuple[x509.Certificate, ec.EllipticCurvePrivateKey] | None = None,
              ) -> Issued:
        """A certificate for `name` signed by the root (or `issuer`), saved as PKCS#12."""
        ca_cert, ca_key = issuer or (self.root, self.key)
        key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey = (
            rsa.generate_private_key(public_exponent=65537, key_size=2048) if rsa_key
            else ec.generate_private_key(ec.SECP256R1()))
        now = self.now()
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
            .issuer_name(ca_cert.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before or now - dt.timedelta(days=1))
            .not_valid_after(not_after or now + dt.timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_usage(digital_signature=digital_signature,
                                  non_repudiation=non_repudiation), critical=True)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                ca_key.public_key()), critical=False))
        if timestamping:
            builder = builder.add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        if pointers:
            builder = builder.add_extension(x509.CRLDistributionPoints([
                x509.DistributionPoint([x509.UniformResourceIdentifier(f"{self.url}/root.crl")],
                                       None, None, None)]), critical=False)
            builder = builder.add_extension(x509.AuthorityInformationAccess([
                x509.AccessDescription(x509.oid.AuthorityInformationAccessOID.OCSP,
                                       x509.UniformResourceIdentifier(f"{self.url}/ocsp"))]),
                critical=False)
        certificate = builder.sign(ca_key, hashes.SHA256())
        stem = f"cert-{len(self.issued)}"
        p12 = self.folder / f"{stem}.p12"
        p12.write_bytes(pkcs12.serialize_key_and_certificates(
            name.encode(), key, certificate, [ca_cert],
            serialization.BestAvailableEncryption(self.passphrase)))
        pem = self.folder / f"{stem}.pem"
        pem.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
        issued = Issued(name, certificate, key, p12, pem)
        self.issued[certificate.serial_number] = issued
        return issued

    def revoke(self, issued: Issued, when: dt.datetime | None = None) -> None:
        """Put the certificate on the CRL and answer "revoked" over OCSP from `when`."""
        self.revoked[issued.certificate.serial_number] = when or self.now() - dt.timedelta(
            minutes=1)

    def crl(self) -> bytes:
        """The current CRL (DER): valid from a minute ago for a week."""
        now = self.now()
        builder = (x509.CertificateRevocationListBuilder().issuer_name(self.name)
                   .last_update(now - dt.timedelta(minutes=1))
                   .next_update(now + dt.timedelta(days=7)))
        for serial, when in self.revoked.items():
            if when <= now:
                builder = builder.add_revoked_certificate(
                    x509.RevokedCertificateBuilder().serial_number(serial)
                    .revocation_date(when).build())
        return builder.sign(self.key, hashes.SHA256()).public_bytes(
            serialization.Encoding.DER)

    def ocsp(self, request_der: bytes) -> bytes:
        """An OCSP response (DER) for one request."""
        request = ocsp.load_der_ocsp_request(request_der)
        issued = self.issued.get(request.serial_number)
        if issued is None:
            return ocsp.OCSPResponseBuilder.build_unsuccessful(
                ocsp.OCSPResponseStatus.UNAUTHORIZED).public_bytes(serialization.Encoding.DER)
        now = self.now()
        when = self.revoked.get(request.serial_number)
        revoked = when is not None and when <= now
        builder = ocsp.OCSPResponseBuilder().add_response(
            cert=issued.certificate, issuer=self.root, algorithm=request.hash_algorithm,
            cert_status=ocsp.OCSPCertStatus.REVOKED if revoked else ocsp.OCSPCertStatus.GOOD,
            this_update=now - dt.timedelta(minutes=1), next_update=now + dt.timedelta(days=1),
            revocation_time=when if revoked else None, revocation_reason=None,
        ).responder_id(ocsp.OCSPResponderEncoding.HASH, self.root)
        for extension in request.extensions:
            if isinstance(extension.value, x509.OCSPNonce):
                builder = builder.add_extension(extension.value, critical=False)
        return builder.sign(self.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)

    def timestamp(self, request_der: bytes) -> bytes:
        """An RFC 3161 timestamp response (DER) from the test TSA, at the servers' clock."""
        from asn1crypto import keys, tsp
        from asn1crypto import x509 as asn1_x509
        from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

        stamper = DummyTimeStamper(
            tsa_cert=asn1_x509.Certificate.load(self.tsa.certificate.public_bytes(
                serialization.Encoding.DER)),
            tsa_key=keys.PrivateKeyInfo.load(self.tsa.key.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption())),
            certs_to_embed=[asn1_x509.Certificate.load(
                self.root.public_bytes(serialization.Encoding.DER))],
            fixed_dt=self.clock)
        return stamper.request_tsa_response(tsp.TimeStampReq.load(request_der)).dump()


def _usage(*, digital_signature: bool = False, non_repudiation: bool = False,
           cert_sign: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(digital_signature=digital_signature or cert_sign,
                         content_commitment=non_repudiation, key_encipherment=False,
                         data_encipherment=False, key_agreement=False,
                         key_cert_sign=cert_sign, crl_sign=cert_sign, encipher_only=False,
                         decipher_only=False)


def _handler(pki: TestPKI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _reply(self, body: bytes, kind: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _refuse(self) -> bool:
            pki.requests.append(self.path)
            if pki.online:
                return False
            self.send_response(503)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return True

        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            if self._refuse():
                return
            if self.path == "/root.crl":
                self._reply(pki.crl(), "application/pkix-crl")
            else:
                self.send_error(404)

        def do_POST(self) -> None:  # noqa: N802 - the http.server API
            if self._refuse():
                return
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.path == "/ocsp":
                self._reply(pki.ocsp(body), "application/ocsp-response")
            elif self.path == "/tsa":
                self._reply(pki.timestamp(body), "application/timestamp-reply")
            else:
                self.send_error(404)

    return Handler
