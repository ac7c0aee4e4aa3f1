"""Every earlier answer can be restored with a reason; evidence attached by mistake can be
withdrawn, its bytes purged, and the history still verifies with the withdrawal in it."""

from __future__ import annotations

import sqlite3

import pytest

from app.cli import main
from app.errors import UserFacingError
from app.records import EventKind


def test_answer_history_lists_each_state_and_restore_is_a_new_event(service, audit_id):
    service.set_answer(audit_id, "connected", "yes")
    service.set_answer(audit_id, "reason_required", "always")
    service.set_answer(audit_id, "reason_required", "never", reason="switch config read")
    earlier = service.answer_history(audit_id, "reason_required")
    assert [e.new["value"] for e in earlier] == ["always", "never"]
    assert earlier[1].reason == "switch config read"
    restored = service.restore_answer(audit_id, "reason_required", earlier[0].seq,
                                      "the config export was of the test switch")
    assert restored.value == "always"
    last = service.history(audit_id)[-1]
    assert last.kind == EventKind.ANSWER_RESTORED
    assert last.old["value"] == "never" and last.new["value"] == "always"
    assert f"event {earlier[0].seq}" in last.reason and "test switch" in last.reason
    assert service.verify_history(audit_id).ok


def test_restore_needs_a_reason_and_an_event_of_that_question(service, audit_id):
    service.set_answer(audit_id, "connected", "yes")
    seq = service.answer_history(audit_id, "connected")[0].seq
    with pytest.raises(UserFacingError, match="reason is required"):
        service.restore_answer(audit_id, "connected", seq, "  ")
    with pytest.raises(UserFacingError, match="has no event"):
        service.restore_answer(audit_id, "reason_required", seq, "wrong question")
    with pytest.raises(UserFacingError, match="has no event"):
        service.restore_answer(audit_id, "connected", 9999, "no such event")


def test_a_restored_value_is_checked_like_a_new_answer(service, audit_id):
    service.set_answer(audit_id, "connected", "yes")
    service.set_answer(audit_id, "switch_vendor", "Acme")
    seq = service.answer_history(audit_id, "switch_vendor")[0].seq
    service.set_answer(audit_id, "connected", "no")  # hides the vendor question
    with pytest.raises(UserFacingError, match="does not apply"):
        service.restore_answer(audit_id, "switch_vendor", seq, "back to Acme")


def test_withdrawn_evidence_is_purged_and_the_history_still_verifies(service, audit_id,
                                                                     tmp_path, db_url):
    wrong = tmp_path / "personal-data.csv"
    wrong.write_text("name,licence\nJane Roe,WA123\n", encoding="utf-8")
    kept = tmp_path / "switch-config.txt"
    kept.write_text("block ICE\n", encoding="utf-8")
    mistake = service.add_evidence(audit_id, "agencies", wrong)
    service.add_evidence(audit_id, "agencies", kept)
    with pytest.raises(UserFacingError, match="reason is required"):
        service.withdraw_evidence(audit_id, mistake.sha256, "")
    service.withdraw_evidence(audit_id, mistake.sha256[:12], "holds a driver's personal data")
    view = service.view(audit_id)
    assert [e.name for e in view.evidence] == ["switch-config.txt"]
    with pytest.raises(UserFacingError, match="no evidence file"):
        service.evidence_content(mistake.sha256)
    with sqlite3.connect(db_url.removeprefix("sqlite:///")) as connection:
        blobs = [row[0] for row in connection.execute("SELECT content FROM evidence_blob")]
    assert not any(b"Jane Roe" in bytes(blob) for blob in blobs)
    event = service.history(audit_id)[-1]
    assert event.kind == EventKind.EVIDENCE_WITHDRAWN
    assert event.old["sha256"] == mistake.sha256 and event.new == {
        "sha256": mistake.sha256, "purged": True}
    assert event.reason == "holds a driver's personal data" and event.actor == "test-auditor"
    assert service.verify_history(audit_id).ok


def test_a_file_another_audit_still_holds_keeps_its_bytes(service, sample, audit_id,
                                                          tmp_path):
    shared = tmp_path / "agreement.pdf"
    shared.write_bytes(b"%PDF-1.4 shared")
    other = service.create_audit(sample, jurisdiction="OR", period_start="2025-01-01",
                                 period_end="2025-12-31").id
    first = service.add_evidence(audit_id, "agencies", shared)
    service.add_evidence(other, "agencies", shared)
    service.withdraw_evidence(audit_id, first.sha256, "attached to the wrong audit")
    assert service.evidence_content(first.sha256) == b"%PDF-1.4 shared"
    assert service.history(audit_id)[-1].new["purged"] is False
    assert service.verify_history(audit_id).ok and service.verify_history(other).ok


def test_a_hidden_evidence_deletion_is_still_caught(service, audit_id, tmp_path, db_url):
    path = tmp_path / "log.csv"
    path.write_text("a\n", encoding="utf-8")
    service.add_evidence(audit_id, "agencies", path)
    with sqlite3.connect(db_url.removeprefix("sqlite:///")) as connection:
        connection.execute("DELETE FROM evidence")
    assert not service.verify_history(audit_id).ok


def test_the_cli_restores_and_withdraws(service, audit_id, db_url, tmp_path, capsys):
    service.set_answer(audit_id, "connected", "yes")
    service.set_answer(audit_id, "connected", "no")
    seq = service.answer_history(audit_id, "connected")[0].seq
    assert main(["--db", db_url, "history", "show", audit_id, "--question", "connected"]) == 0
    shown = capsys.readouterr().out
    assert '-> "yes"' in shown and '-> "no"' in shown
    assert main(["--db", db_url, "history", "restore", audit_id, "connected", str(seq),
                 "--reason", "typed in the wrong audit"]) == 0
    assert service.view(audit_id).answers["connected"].value == "yes"
    path = tmp_path / "wrong.txt"
    path.write_text("x\n", encoding="utf-8")
    added = service.add_evidence(audit_id, "agencies", path)
    assert main(["--db", db_url, "evidence", "withdraw", audit_id, added.sha256[:10],
                 "--reason", "wrong file"]) == 0
    assert main(["--db", db_url, "history", "verify", audit_id]) == 0
    assert main(["--db", db_url, "evidence", "withdraw", audit_id, "ffff",
                 "--reason", "x"]) == 2
