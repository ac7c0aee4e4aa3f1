"""A save chains its event onto the head the audit records, read with the lock held, and
reads whatever decides the question's visibility, whatever this service saw before."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.audit import AuditService
from app.checklist import load_checklist
from app.errors import UserFacingError
from app.store import open_store
from tests.conftest import run_sql

pytestmark = pytest.mark.both_engines

FLAGSHIP = Path(__file__).parents[2] / "checklists" / "nlets-dmv-data-sharing.yaml"


def _events(service: AuditService, audit_id: str) -> int:
    return len(service.history(audit_id))


def test_a_save_after_the_last_event_was_removed_is_refused_and_stays_visible(
        service: AuditService, db_url: str, audit_id: str, tmp_path: Path):
    service.set_answer(audit_id, "connected", "yes")
    service.set_answer(audit_id, "switch_vendor", "WSP ACCESS")
    run_sql(db_url, "DELETE FROM history_event WHERE audit_id = :audit AND seq = "
            "(SELECT MAX(seq) FROM history_event WHERE audit_id = :audit)", audit=audit_id)
    left = _events(service, audit_id)
    # Chained onto the event now last, the save would hide the removal from `history verify`.
    with pytest.raises(UserFacingError, match="changed outside nlets-audit"):
        service.set_answer(audit_id, "switch_vendor", "Another vendor")
    evidence = tmp_path / "memo.txt"
    evidence.write_text("a memo")
    with pytest.raises(UserFacingError, match="changed outside nlets-audit"):
        service.add_evidence(audit_id, "connected", evidence)
    assert _events(service, audit_id) == left
    assert service.view(audit_id).answers["switch_vendor"].value == "WSP ACCESS"
    problems = service.verify_history(audit_id).problems
    assert any("events were removed or added" in p for p in problems), problems


def test_saves_by_two_services_in_turn_chain_onto_each_other(
        service: AuditService, db_url: str, audit_id: str):
    other = AuditService(open_store(db_url), actor="colleague")
    try:
        for round_ in range(5):
            for number, writer in enumerate((service, other)):  # each moves the other's head
                saved = writer.set_answer(audit_id, "query_count", round_ * 10 + number)
                assert saved.updated_by == writer.actor
                assert saved == writer.view(audit_id).answers["query_count"]
    finally:
        other.store.close()
    report = service.verify_history(audit_id)
    assert report.ok, report.problems


@pytest.mark.parametrize("connected", ["yes", "no"])
def test_visibility_is_read_whatever_checklist_the_service_saw_before(
        service: AuditService, audit_id: str, connected: str):
    service.set_answer(audit_id, "connected", connected)
    # a wrong guess: the flagship's switch_vendor depends on another question than this one's
    service._checklist_seen[audit_id] = load_checklist(FLAGSHIP).checklist
    if connected == "yes":
        assert service.set_answer(audit_id, "switch_vendor", "WSP ACCESS").value == "WSP ACCESS"
    else:
        with pytest.raises(UserFacingError, match="does not apply"):
            service.set_answer(audit_id, "switch_vendor", "WSP ACCESS")
    assert service._checklist_seen[audit_id] == service.view(audit_id).checklist.checklist


def test_a_stored_answer_state_this_tool_never_writes_is_reported_as_tampering(
        service: AuditService, db_url: str, audit_id: str, sample):
    from app.store import StoreError

    service.set_answer(audit_id, "connected", "yes")
    service.set_answer(audit_id, "switch_vendor", "WSP ACCESS")
    run_sql(db_url, "UPDATE answer SET state = 'bogus' WHERE audit_id = :audit AND "
            "question_id = 'connected'", audit=audit_id)
    run_sql(db_url, "DELETE FROM audit_counts")  # the list counts the audit again
    for change in (lambda: service.set_answer(audit_id, "switch_vendor", "Another"),
                   lambda: service.view(audit_id), service.list_audits,
                   lambda: service.create_audit(sample, jurisdiction="WA",
                                                period_start="2026-01-01",
                                                period_end="2026-12-31",
                                                based_on=audit_id)):
        with pytest.raises(StoreError, match="answer state 'bogus' is not one this tool"):
            change()
