"""A complete audit of the sample checklist and a test PKI (CA with CRL, OCSP and timestamp
services on 127.0.0.1), for signing tests."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from app.audit import AuditService
from app.checklist import load_checklist
from app.records import Signatory
from app.report.pdf import RenderedReport, render_attestation
from app.report.signing import Pkcs12Key
from app.store import open_store
from tests.signing.pki import Issued, TestPKI

PASSPHRASE = "correct horse battery staple"
ROOT = Path(__file__).resolve().parents[2]
FLAGSHIP = ROOT / "checklists" / "nlets-dmv-data-sharing.yaml"
COMPLIANT = ROOT / "tests" / "fixtures" / "flagship-compliant.yaml"
COMPLETE_SAMPLE_ANSWERS = {
    "connected": "yes",
    "switch_vendor": "Washington State Patrol ACCESS",
    "keys": ["dq", "kq"],
    "reason_required": "always",
    "review_date": "2025-06-30",
    "agencies": [{"agency": "ice", "blocked": "yes", "since": "2025-11-19"},
                 {"agency": "cbp", "blocked": "yes", "since": "2025-11-20"}],
}
"""Answers to every required question of the sample checklist."""


@dataclass(frozen=True)
class Certificate:
    """A signing certificate as the tests use it: its PKCS#12 file and the root to trust."""

    signer_pkcs12: Path
    ca_certificate: Path
    signer_certificate: Path
    issued: Issued


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory):
    """The test PKI, generated once per session; its servers stop at the end."""
    made = TestPKI(tmp_path_factory.mktemp("pki"), PASSPHRASE.encode())
    yield made
    made.close()


@pytest.fixture(autouse=True)
def pki_state(request: pytest.FixtureRequest):
    """Each test starts with the PKI online, on the real clock, with no requests counted."""
    if "pki" not in request.fixturenames:
        yield
        return
    pki: TestPKI = request.getfixturevalue("pki")
    pki.online, pki.clock = True, None
    pki.requests.clear()
    yield
    pki.online, pki.clock = True, None


def as_certificate(pki: TestPKI, issued: Issued) -> Certificate:
    """The fixture's shape for any certificate the PKI issued."""
    return Certificate(issued.pkcs12, pki.root_pem, issued.pem, issued)


@pytest.fixture(scope="session")
def certificate(pki: TestPKI) -> Certificate:
    """Jane Roe's EC P-256 signing certificate, issued by the test root."""
    return as_certificate(pki, pki.issue("Jane Roe"))


@pytest.fixture(scope="session")
def jordan(pki: TestPKI) -> Certificate:
    """A certificate of the official the compliant fixture names, from the test PKI."""
    return as_certificate(pki, pki.issue("Jordan Example"))


def compliant_answers() -> dict:
    """The compliant flagship answers, attested today (a signature is dated the day made)."""
    answers = yaml.safe_load(COMPLIANT.read_text(encoding="utf-8"))
    answers["attestation_date"] = dt.date.today().isoformat()
    return answers


@dataclass(frozen=True)
class SignedFlagship:
    """A complete flagship audit naming Jordan Example and signed by him: the signed file's
    bytes, its unsigned final rendering, and its SQLite database's bytes (tests write copies
    of both into their own folders, so that no change leaks from one test to the next)."""

    pdf: bytes
    rendering: RenderedReport
    database: bytes
    audit: str


@pytest.fixture(scope="session")
def signed_flagship(pki: TestPKI, jordan: Certificate,
                    tmp_path_factory: pytest.TempPathFactory) -> SignedFlagship:
    """The flagship audit rendered and signed once per test process (each rendering and
    signature of it takes seconds)."""
    folder = tmp_path_factory.mktemp("signed-flagship")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NLETS_AUDIT_HOME", str(folder / "home"))
        path = folder / "audit.sqlite3"
        store = open_store(f"sqlite:///{path}")
        try:
            service = AuditService(store, actor="test-auditor")
            audit = service.create_audit(load_checklist(FLAGSHIP), jurisdiction="CO",
                                         period_start="2025-01-01",
                                         period_end="2025-12-31").id
            service.import_answers(audit, compliant_answers())
            rendering = render_attestation(service.attestation(audit, signatory=Signatory(
                name="Jordan Example", title="Governor's counsel", date="2026-01-30")))
            output = folder / "signed.pdf"
            service.sign(audit, Pkcs12Key(jordan.signer_pkcs12, PASSPHRASE.encode()), output,
                         trust=[pki.root_pem])
        finally:
            store.close()
    assert not path.with_name(path.name + "-wal").exists(), "the database was left open"
    return SignedFlagship(output.read_bytes(), rendering, path.read_bytes(), audit)


@pytest.fixture(autouse=True)
def trusted_root(request: pytest.FixtureRequest, private_home: Path):
    """The office's trust store (the data directory's trust folder) holds the test root."""
    if "pki" in request.fixturenames or "certificate" in request.fixturenames:
        pki: TestPKI = request.getfixturevalue("pki")
        folder = private_home / "trust"
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(pki.root_pem, folder / "office-root.pem")


@pytest.fixture
def passphrase_file(tmp_path: Path) -> Path:
    """The passphrase in a file, as --passphrase-file reads it."""
    path = tmp_path / "passphrase.txt"
    path.write_text(PASSPHRASE + "\n")
    return path


@pytest.fixture
def complete_audit(service, audit_id) -> str:
    """An audit with every required question answered."""
    service.import_answers(audit_id, COMPLETE_SAMPLE_ANSWERS)
    assert service.review(audit_id).ready
    return audit_id
