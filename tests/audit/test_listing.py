"""The audit list's counts: right, and evaluated again only for the audits that changed."""

from __future__ import annotations

import app.audit.listing as listing_module
from app.audit import AuditService
from app.checklist import LoadedChecklist


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

    evaluated: list[int] = []
    original = listing_module.evaluate

    def counted(*args, **kwargs):
        evaluated.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(listing_module, "evaluate", counted)
    service.set_answer(ids[3], "connected", "yes")
    service.set_answer(ids[3], "switch_vendor", "WSP ACCESS")
    listed = {s.audit.id: (s.done, s.total, s.findings) for s in service.list_audits()}
    assert listed == {audit_id: _expected(service, audit_id) for audit_id in ids}
    assert len(evaluated) == 1, "audits that did not change were evaluated again"
    assert [s.audit.id for s in service.list_audits()][0] == ids[3]  # latest change first
