"""TUI fixtures on top of tests/conftest.py (private home, temp SQLite store, service)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from app.audit import AuditInfo, AuditService
from app.checklist import LoadedChecklist
from app.store import open_store
from app.tui.app import AuditApp


@pytest.fixture
def audit(service: AuditService, sample: LoadedChecklist) -> AuditInfo:
    """A fresh draft audit of the sample checklist."""
    return service.create_audit(sample, jurisdiction="WA", period_start="2024-01-01",
                                period_end="2024-12-31")


@pytest.fixture
def fresh_app(db_url: str) -> Iterator[Callable[[], AuditApp]]:
    """Build a new app on its own service and store over the same database (a restart)."""
    stores = []

    def build() -> AuditApp:
        store = open_store(db_url)
        stores.append(store)
        return AuditApp(AuditService(store, actor="test-auditor"))

    yield build
    for store in stores:
        store.close()
