"""Shared fixtures: a private data directory, a real SQLite store, the sample checklist."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.audit import AuditService
from app.checklist import LoadedChecklist, load_checklist
from app.store import Store, open_store

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE = FIXTURES / "sample-checklist.yaml"


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the data directory at a temp dir so no test touches the user's data."""
    home = tmp_path / "home"
    monkeypatch.setenv("NLETS_AUDIT_HOME", str(home))
    monkeypatch.delenv("NLETS_AUDIT_DB", raising=False)
    monkeypatch.setenv("NLETS_AUDIT_USER", "test-auditor")
    return home


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """A SQLite file URL in the test's temp dir."""
    return f"sqlite:///{tmp_path / 'audit.sqlite3'}"


@pytest.fixture
def store(db_url: str) -> Store:
    """An open store on a fresh SQLite file."""
    opened = open_store(db_url)
    yield opened
    opened.close()


@pytest.fixture
def service(store: Store) -> AuditService:
    """The audit services on the fresh store."""
    return AuditService(store, actor="test-auditor")


@pytest.fixture
def sample() -> LoadedChecklist:
    """The sample checklist that uses every question type."""
    return load_checklist(SAMPLE)


@pytest.fixture
def audit_id(service: AuditService, sample: LoadedChecklist) -> str:
    """A new draft audit of the sample checklist."""
    return service.create_audit(sample, jurisdiction="WA", period_start="2025-01-01",
                                period_end="2025-12-31").id
