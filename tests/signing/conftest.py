"""A complete audit of the sample checklist and a test CA, for signing tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.report.testca import make_test_certificate

PASSPHRASE = "correct horse battery staple"


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory):
    """A test CA and an EC P-256 signing certificate with a known passphrase."""
    return make_test_certificate(tmp_path_factory.mktemp("ca"), "Jane Roe", PASSPHRASE.encode())


@pytest.fixture
def passphrase_file(tmp_path: Path) -> Path:
    """The passphrase in a file, as --passphrase-file reads it."""
    path = tmp_path / "passphrase.txt"
    path.write_text(PASSPHRASE + "\n")
    return path


@pytest.fixture
def complete_audit(service, audit_id) -> str:
    """An audit with every required question answered."""
    service.import_answers(audit_id, {
        "connected": "yes",
        "switch_vendor": "Washington State Patrol ACCESS",
        "keys": ["dq", "kq"],
        "reason_required": "always",
        "review_date": "2025-06-30",
        "agencies": [{"agency": "ice", "blocked": "yes", "since": "2025-11-19"},
                     {"agency": "cbp", "blocked": "yes", "since": "2025-11-20"}],
    })
    assert service.review(audit_id).ready
    return audit_id
