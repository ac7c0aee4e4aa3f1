"""Fixtures for the report tests: a store, the sample checklist, audits in known states."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_fixtures import FIXTURES, answer_all, new_audit

from app.audit import AuditService
from app.checklist import load_checklist
from app.store import open_store


@pytest.fixture
def service(tmp_path: Path) -> AuditService:
    """A service on a fresh SQLite database."""
    return AuditService(open_store(f"sqlite:///{tmp_path}/t.sqlite3"), actor="tester")


@pytest.fixture
def sample_checklist():
    """The fixture checklist that uses every question type."""
    return load_checklist(FIXTURES / "sample-checklist.yaml")


@pytest.fixture
def complete_audit(service: AuditService, sample_checklist, tmp_path: Path) -> str:
    """A fully answered audit with notes and one evidence file: ready to sign."""
    audit_id = new_audit(service, sample_checklist)
    answer_all(service, audit_id)
    evidence = tmp_path / "switch-config-export.csv"
    evidence.write_text("ori,blocked\nXX0000000,yes\n", encoding="utf-8")
    service.add_evidence(audit_id, "agencies", evidence, "2025-03-01")
    return audit_id


@pytest.fixture
def draft_audit(service: AuditService, sample_checklist) -> str:
    """An audit with only the first question answered."""
    audit_id = new_audit(service, sample_checklist)
    service.set_answer(audit_id, "connected", "yes", note="Only started.")
    return audit_id
