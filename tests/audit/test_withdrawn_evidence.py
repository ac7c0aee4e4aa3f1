"""The withdrawals of an audit's evidence, listed for the screens that show them."""

from __future__ import annotations

from app.records import EventKind


def test_withdrawn_evidence_lists_each_withdrawal_of_this_audit_only(service, audit_id,
                                                                     sample):
    kept = service.add_evidence_content(audit_id, "connected", "minutes.txt", b"minutes")
    wrong = service.add_evidence_content(audit_id, "connected", "record.txt", b"a driver")
    assert service.withdrawn_evidence(audit_id) == []
    service.withdraw_evidence(audit_id, wrong.sha256, "attached by mistake")
    other = service.create_audit(sample, jurisdiction="WA", period_start="2024-01-01",
                                 period_end="2024-12-31")
    stray = service.add_evidence_content(other.id, "connected", "x.txt", b"other audit")
    service.withdraw_evidence(other.id, stray.sha256, "not this one")
    [event] = service.withdrawn_evidence(audit_id)
    assert event.kind == EventKind.EVIDENCE_WITHDRAWN and event.question_id == "connected"
    assert event.old["sha256"] == wrong.sha256 and event.old["name"] == "record.txt"
    assert event.reason == "attached by mistake" and event.actor == service.actor
    assert [e.sha256 for e in service.view(audit_id).evidence] == [kept.sha256]
