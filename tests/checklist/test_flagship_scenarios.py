"""Scripted audits from the December 2026 review, walked through the flagship checklist.

Each starts from the compliant answer set and changes what the scenario says, walking the
questions in order the way an auditor would (a hidden question is skipped).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from app.checklist import load_checklist
from app.checklist.model import Checklist, Severity
from tests.checklist.test_flagship_checklist import CHECKLIST, fired, load_answers, row, walk


@pytest.fixture(scope="module")
def checklist() -> Checklist:
    return load_checklist(CHECKLIST).checklist


@pytest.fixture()
def compliant() -> dict[str, Any]:
    return load_answers("flagship-compliant.yaml")


def test_new_york_every_request_refused_and_no_notice_fires_the_notice_finding(
        checklist: Checklist, compliant: dict[str, Any]) -> None:
    """Scenario A: VTL 201(12)(a) requires notice after each request, granted or refused."""
    answers = copy.deepcopy(compliant)
    answers.update(jurisdiction="ny", state_law_restricts="yes", notice_required="yes",
                   b1_immigration_releases="no", immigration_requests_received="yes",
                   immigration_requests_count=14, notices_after_requests="not_sent")
    for key in ("b1_releases_count", "b1_releases_with_order", "letter_received",
                "letter_response"):
        answers.pop(key)
    evaluation = walk(checklist, answers)
    assert fired(evaluation) == {"notice-not-sent"}
    finding = evaluation.findings[0]
    assert "request" in finding.detail
    assert [c.authority for c in finding.citations] == ["ny-vtl-201", "va-hb-2163"]


def test_new_york_with_notice_after_every_request_is_quiet(
        checklist: Checklist, compliant: dict[str, Any]) -> None:
    answers = copy.deepcopy(compliant)
    answers.update(jurisdiction="ny", notice_required="yes", b1_immigration_releases="no",
                   immigration_requests_received="yes", notices_after_requests="sent_all")
    for key in ("b1_releases_count", "b1_releases_with_order", "letter_received",
                "letter_response"):
        answers.pop(key)
    assert fired(walk(checklist, answers)) == set()


def test_kansas_without_a_restricting_law_is_still_asked_about_review_and_logging(
        checklist: Checklist, compliant: dict[str, Any]) -> None:
    """Scenario B: request logging and case-by-case review do not hang on state law."""
    answers = copy.deepcopy(compliant)
    answers.update(jurisdiction="ks", state_law_restricts="no", agency_policy_restricts="no")
    for key in ("restricting_authorities", "authority_citations", "warrant_required",
                "warrant_kind", "notice_required", "reporting_duty", "reporting_duty_met",
                "recipient_certification_required", "certifications_on_file"):
        answers.pop(key)
    evaluation = walk(checklist, answers)
    for question in ("review_procedure", "reviewer", "review_standard",
                     "warrant_sufficiency_checked", "approved_release_path",
                     "review_turnaround", "immigration_requests_recorded",
                     "immigration_requests_received", "notices_after_requests"):
        assert evaluation.visible[question], question
    assert evaluation.unanswered == []
    assert fired(evaluation) == {"no-state-restriction"}

    answers.update(review_procedure="unknown", immigration_requests_recorded="no")
    evaluation = walk(checklist, answers, strict=False)
    assert {"no-review-procedure", "immigration-requests-not-recorded"} <= fired(evaluation)


def _washington(compliant: dict[str, Any], **cbp: Any) -> dict[str, Any]:
    """Scenario C: ICE and HSI blocked and verified; CBP and the FBI kept."""
    answers = copy.deepcopy(compliant)
    answers.update(jurisdiction="wa", state_law_restricts="yes")
    for key in ("letter_received", "letter_response"):
        answers.pop(key)
    cbp_row = row(answers, "agency_access", "agency", "cbp")
    cbp_row.clear()
    cbp_row.update(
        agency="cbp", driver_data="yes", vehicle_data="yes", photos="yes", blocked="no", **cbp)
    fbi = row(answers, "agency_access", "agency", "fbi")
    fbi.clear()
    fbi.update(agency="fbi", driver_data="yes", vehicle_data="yes", photos="yes", blocked="no",
               decision="conditions", decided_by="Governor's counsel",
               decided_on="2025-11-18")
    answers["unblocked_agencies_reason"] = (
        "CBP kept for ports of entry; its requests are reviewed case by case by counsel. "
        "FBI kept for criminal investigations under a written condition barring immigration use.")
    return answers


def test_washington_cbp_kept_under_documented_review_raises_nothing_critical(
        checklist: Checklist, compliant: dict[str, Any]) -> None:
    answers = _washington(compliant, decision="case_by_case",
                          decided_by="Governor's counsel", decided_on="2025-11-18")
    evaluation = walk(checklist, answers)
    assert not [f for f in evaluation.findings if f.severity == Severity.CRITICAL]
    assert fired(evaluation) == {"access-kept-by-decision"}
    decision = evaluation.findings[0]
    assert decision.severity == Severity.INFO
    assert decision.concerns == ["Customs and Border Protection, incl. Border Patrol",
                                 "Federal Bureau of Investigation"]


def test_washington_cbp_kept_with_no_decision_recorded_is_critical(
        checklist: Checklist, compliant: dict[str, Any]) -> None:
    answers = _washington(compliant)
    evaluation = walk(checklist, answers)
    critical = [f for f in evaluation.findings if f.severity == Severity.CRITICAL]
    assert [f.rule_id for f in critical] == ["immigration-agency-not-blocked"]
    assert critical[0].concerns == ["Customs and Border Protection, incl. Border Patrol"]
    assert "photos-reachable" in fired(evaluation)


def test_a_decision_missing_who_or_when_is_no_decision(
        checklist: Checklist, compliant: dict[str, Any]) -> None:
    answers = _washington(compliant, decision="case_by_case")
    critical = [f.rule_id for f in walk(checklist, answers).findings
                if f.severity == Severity.CRITICAL]
    assert critical == ["immigration-agency-not-blocked"]


def test_ice_unblocked_stays_critical_whatever_the_decision(
        checklist: Checklist, compliant: dict[str, Any]) -> None:
    answers = copy.deepcopy(compliant)
    row(answers, "agency_access", "agency", "ice_ero").update(
        blocked="no", driver_data="yes", decision="case_by_case", decided_by="Counsel",
        decided_on="2025-02-03")
    assert "immigration-agency-not-blocked" in fired(walk(checklist, answers, strict=False))


def test_logs_that_do_not_cover_the_period_raise_a_check(
        checklist: Checklist, compliant: dict[str, Any]) -> None:
    """A RAND extract covers a rolling year; a shorter log leaves part of the period out."""
    answers = copy.deepcopy(compliant)
    answers.update(logs_period_start="2025-06-01")
    evaluation = walk(checklist, answers)
    assert [w.check_id for w in evaluation.warnings] == ["logs-start-after-period"]
    assert fired(evaluation) == set()
