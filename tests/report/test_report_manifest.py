"""The manifest: exactly the attested data, as canonical bytes, and its public subset."""

from __future__ import annotations

import hashlib
import json

from report_fixtures import COMPLETE_ANSWERS, new_audit

from app.report.manifest import (
    build_manifest,
    build_public_data,
    encode_manifest,
    manifest_bytes,
)


def test_manifest_holds_audit_checklist_answers_evidence_findings_history(
        service, complete_audit):
    view = service.view(complete_audit)
    manifest = build_manifest(service.attestation(view))

    assert manifest["format"] == "nlets-audit/manifest"
    assert manifest["audit"]["id"] == complete_audit
    assert manifest["audit"]["jurisdiction"] == "WA"
    assert manifest["audit"]["period_start"] == "2025-01-01"
    assert manifest["audit"]["auditor"] == "Jane Auditor"
    assert manifest["checklist"] == {"id": "sample", "version": "1",
                                     "title": "Sample data-sharing checklist",
                                     "sha256": view.checklist.sha256}
    assert manifest["history"] == {"head": view.audit.history_head,
                                   "length": view.audit.history_length}
    assert manifest["history"]["length"] == len(service.history(complete_audit))
    assert manifest["history"]["head"] == service.history(complete_audit)[-1].hash

    answers = {a["question_id"]: a for a in manifest["answers"]}
    assert set(answers) == set(COMPLETE_ANSWERS)
    for question_id, (value, note) in COMPLETE_ANSWERS.items():
        assert answers[question_id]["value"] == value
        assert answers[question_id]["note"] == (note or "")
        assert answers[question_id]["state"] == "answered"
        assert answers[question_id]["visible"] is True
    assert [a["question_id"] for a in manifest["answers"]] == [
        "connected", "switch_vendor", "keys", "reason_required", "review_date",
        "query_count", "description", "agencies"]

    [evidence] = manifest["evidence"]
    assert evidence["name"] == "switch-config-export.csv"
    assert evidence["sha256"] == hashlib.sha256(b"ori,blocked\nXX0000000,yes\n").hexdigest()
    assert evidence["question_id"] == "agencies"
    assert evidence["effective_date"] == "2025-03-01"

    assert [f["rule_id"] for f in manifest["findings"]] == ["agency-not-blocked", "no-reason"]
    assert manifest["findings"][0]["severity"] == "critical"
    assert manifest["findings"][0]["recommendation"] == "Block it at the switch."
    assert manifest["evaluation"]["ready_to_sign"] is True
    assert service.attestation(view).ready


def test_hidden_answers_and_not_applicable_reasons_are_kept(service, sample_checklist):
    audit_id = new_audit(service, sample_checklist)
    service.set_answer(audit_id, "connected", "yes")
    service.set_answer(audit_id, "switch_vendor", "Vendor A", note="hidden later")
    service.set_not_applicable(audit_id, "review_date", "No review was ever held.")
    service.set_answer(audit_id, "connected", "no")

    manifest = build_manifest(service.attestation(audit_id))
    answers = {a["question_id"]: a for a in manifest["answers"]}
    assert answers["switch_vendor"]["visible"] is False
    assert answers["switch_vendor"]["value"] == "Vendor A"
    assert answers["switch_vendor"]["note"] == "hidden later"
    assert answers["review_date"]["state"] == "not_applicable"
    assert answers["review_date"]["na_reason"] == "No review was ever held."
    assert manifest["evaluation"]["ready_to_sign"] is False
    assert "reason_required" in manifest["evaluation"]["unanswered"]


def test_manifest_bytes_are_canonical_and_stable(service, complete_audit):
    first = encode_manifest(service.attestation(complete_audit))
    second = encode_manifest(service.attestation(complete_audit))
    assert first.content == second.content
    assert first.sha256 == hashlib.sha256(first.content).hexdigest()
    assert first.content.endswith(b"\n")
    assert json.loads(first.content) == first.data
    assert manifest_bytes(json.loads(first.content)) == first.content
    keys = list(json.loads(first.content))
    assert keys == sorted(keys)


def test_manifest_ignores_what_signing_changes(service, complete_audit):
    view = service.view(complete_audit)
    data = build_manifest(service.attestation(view))
    text = json.dumps(data)
    for field in ("status", "signed_by", "signed_at", "signed_pdf_sha256", "updated_at"):
        assert f'"{field}"' not in json.dumps(data["audit"])
    assert '"status"' not in text


def test_json_export_writes_exactly_the_manifest_bytes(service, complete_audit, tmp_path):
    target = tmp_path / "manifest.json"
    result = service.export(complete_audit[:8], target, "json")
    expected = encode_manifest(service.attestation(complete_audit))
    assert target.read_bytes() == expected.content
    assert result.manifest_sha256 == expected.sha256
    assert result.sha256 == expected.sha256
    assert result.pages is None
    assert "manifest JSON" in result.describe()


def test_public_data_leaves_out_notes_evidence_free_text_and_people(service, complete_audit):
    view = service.view(complete_audit)
    public = build_public_data(service.attestation(view), "f" * 64)
    text = json.dumps(public, ensure_ascii=False)
    for _value, note in COMPLETE_ANSWERS.values():
        if note:
            assert note not in text
    assert "switch-config-export.csv" not in text
    assert "State Patrol operates the switch in-house" not in text
    assert "The switch forwards DQ" not in text
    assert "Jane Auditor" not in text and "tester" not in text
    assert "Block it at the switch." not in text  # recommendations stay internal
    assert "ORI block at the switch" not in text  # optional free-text table column
    answers = {a["question_id"]: a for a in public["answers"]}
    assert answers["switch_vendor"] == {"question_id": "switch_vendor", "section_id": "basics",
                                        "state": "answered", "value": None, "withheld": True}
    assert answers["agencies"]["value"] == [
        {"agency": "ice", "blocked": "yes", "since": "2025-03-01", "queries": 0},
        {"agency": "cbp", "blocked": "no", "queries": 1234}]
    assert answers["query_count"]["value"] == 48213
    assert [f["title"] for f in public["findings"]] == [
        "An immigration agency is not blocked", "Queries need no reason"]
    assert public["attestation_manifest_sha256"] == "f" * 64
