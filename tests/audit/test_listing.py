"""The audit list's counts: right, evaluated again only for the audits that changed, kept
in the database for the next process, and checked by `history verify`."""

from __future__ import annotations

import sqlite3
import sys

import pytest
from sqlalchemy import event, text

import app.audit.listing as listing_module
import app.checklist.evaluate as evaluate_module
from app.audit import AuditService
from app.checklist import LoadedChecklist
from app.store import Store, StoreError


def _expected(service: AuditService, audit_id: str) -> tuple[int, int, int]:
    view = service.view(audit_id)
    progress = view.evaluation.progress
    return progress.done, progress.total, len(view.evaluation.findings)


def test_listing_counts_match_each_audits_view_and_follow_changes(
        monkeypatch, service: AuditService, sample: LoadedChecklist):
    ids = [service.create_audit(sample, jurisdiction="WA", period_start="2025-01-01",
                                period_end="2025-12-31").id for _ in range(4)]
    service.import_answers(ids[1], {"connected": "yes", "reason_required": "never"})
    service.import_answers(ids[2], {"connected": "no", "review_date": "2025-06-30"})
    listed = {s.audit.id: (s.done, s.total, s.findings) for s in service.list_audits()}
    assert listed == {audit_id: _expected(service, audit_id) for audit_id in ids}

    evaluated = _count_evaluations(monkeypatch)
    service.set_answer(ids[3], "connected", "yes")
    service.set_answer(ids[3], "switch_vendor", "WSP ACCESS")
    listed = {s.audit.id: (s.done, s.total, s.findings) for s in service.list_audits()}
    assert listed == {audit_id: _expected(service, audit_id) for audit_id in ids}
    assert len(evaluated) == 1, "audits that did not change were evaluated again"
    assert [s.audit.id for s in service.list_audits()][0] == ids[3]  # latest change first


def _count_evaluations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the evaluations the audit list makes (not those of `view`)."""
    evaluated: list[int] = []
    original = evaluate_module.evaluate

    def counted(*args, **kwargs):
        if sys._getframe(1).f_globals["__name__"] == listing_module.__name__:
            evaluated.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(evaluate_module, "evaluate", counted)
    return evaluated


def _listed(service: AuditService) -> dict[str, tuple[int, int, int]]:
    return {s.audit.id: (s.done, s.total, s.findings) for s in service.list_audits()}


def _audits(service: AuditService, sample: LoadedChecklist) -> list[str]:
    ids = [service.create_audit(sample, jurisdiction="WA", period_start="2025-01-01",
                                period_end="2025-12-31").id for _ in range(3)]
    service.import_answers(ids[0], {"connected": "yes", "reason_required": "never"})
    service.import_answers(ids[1], {"connected": "no", "review_date": "2025-06-30"})
    return ids


def test_a_new_process_lists_from_the_kept_counts_and_counts_only_what_changed(
        monkeypatch, store: Store, sample: LoadedChecklist):
    first = AuditService(store, actor="first")
    ids = _audits(first, sample)
    expected = _listed(first)
    assert any(findings for _, _, findings in expected.values())
    evaluated = _count_evaluations(monkeypatch)
    assert _listed(AuditService(store, actor="second")) == expected
    assert evaluated == [], "a new process evaluated audits whose counts were kept"

    first.set_answer(ids[2], "connected", "yes")
    third = AuditService(store, actor="third")
    listed = _listed(third)
    assert listed == {audit_id: _expected(third, audit_id) for audit_id in ids}
    assert listed[ids[2]] != expected[ids[2]]
    assert len(evaluated) == 1, "only the changed audit is counted again"


def test_counts_kept_by_other_counting_code_are_counted_again(
        monkeypatch, store: Store, sample: LoadedChecklist):
    _audits(AuditService(store, actor="first"), sample)
    monkeypatch.setattr(listing_module, "counting_code_digest", lambda: "another version")
    evaluated = _count_evaluations(monkeypatch)
    _listed(AuditService(store, actor="second"))
    assert len(evaluated) == 3


def test_verify_reports_kept_counts_that_do_not_match_the_answers(
        store: Store, sample: LoadedChecklist):
    service = AuditService(store, actor="first")
    ids = _audits(service, sample)
    _listed(service)
    assert service.verify_history(ids[0]).problems == []
    with store.session() as session:
        session.execute(text("UPDATE audit_counts SET findings = 0, done = total"))
    problems = AuditService(store, actor="second").verify_history(ids[0]).problems
    assert len(problems) == 1 and "stored counts" in problems[0]
    assert "do not match the answers" in problems[0]


def test_the_list_is_counted_when_the_counts_cannot_be_kept(
        monkeypatch, store: Store, sample: LoadedChecklist):
    service = AuditService(store, actor="first")
    ids = _audits(service, sample)

    def refused(self):
        raise StoreError("permission denied for table audit_counts")

    monkeypatch.setattr(Store, "transaction", refused)
    listed = _listed(service)
    assert listed == {audit_id: _expected(service, audit_id) for audit_id in ids}
    monkeypatch.undo()
    with store.session() as session:
        assert session.execute(text("SELECT COUNT(*) FROM audit_counts")).scalar() == 0


def test_deleting_a_draft_deletes_its_kept_counts(store: Store, sample: LoadedChecklist):
    service = AuditService(store, actor="first")
    ids = _audits(service, sample)
    _listed(service)
    service.delete_draft(ids[0])
    with store.session() as session:
        kept = {row[0] for row in session.execute(text("SELECT audit_id FROM audit_counts"))}
    assert kept == set(ids[1:])


def test_the_list_does_not_wait_for_another_sqlite_writer_to_keep_its_counts(
        store: Store, sample: LoadedChecklist):
    if store.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's file lock only")
    service = AuditService(store, actor="first")
    ids = _audits(service, sample)
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(store.engine, "before_cursor_execute", seen)
    other = sqlite3.connect(store.engine.url.database, timeout=0)
    try:
        other.execute("BEGIN IMMEDIATE")  # another process is writing
        listed = _listed(service)
    finally:
        other.rollback()
        other.close()
        event.remove(store.engine, "before_cursor_execute", seen)
    assert listed == {audit_id: _expected(service, audit_id) for audit_id in ids}
    assert statements.index("PRAGMA busy_timeout=0") < next(
        i for i, s in enumerate(statements) if s.startswith("DELETE FROM audit_counts"))
    with store.engine.connect() as connection:  # the store's own waiting is given back
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10000
        assert connection.exec_driver_sql("SELECT COUNT(*) FROM audit_counts").scalar() == 0
    _listed(AuditService(store, actor="second"))  # nobody writing now: kept
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT COUNT(*) FROM audit_counts").scalar() == 3


def test_without_the_counting_code_to_read_every_count_is_taken_again(monkeypatch):
    listing_module.counting_code_digest.cache_clear()
    monkeypatch.setattr(listing_module, "_APP", listing_module._APP / "missing")

    def unreadable(self):
        raise FileNotFoundError(self)

    monkeypatch.setattr(listing_module.Path, "read_bytes", unreadable)
    monkeypatch.setattr(listing_module.Path, "glob", lambda self, pattern: iter(()))
    try:
        once = listing_module.counting_code_digest()
        listing_module.counting_code_digest.cache_clear()
        assert listing_module.counting_code_digest() != once
    finally:
        listing_module.counting_code_digest.cache_clear()
