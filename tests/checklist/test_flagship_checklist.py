"""The flagship checklist: its shape, its grounding, and its findings rules.

The answer sets in tests/fixtures are walked in checklist order, the way an auditor (or
`nlets-audit import-answers`) would answer: a question is answered only once it is visible.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from app.checklist import load_checklist
from app.checklist.evaluate import AnswerFacts, AnswerState, Evaluation, evaluate
from app.checklist.model import Checklist, QuestionType
from app.checklist.values import validate_value

ROOT = Path(__file__).resolve().parents[2]
CHECKLIST = ROOT / "checklists" / "nlets-dmv-data-sharing.yaml"
FIXTURES = ROOT / "tests" / "fixtures"

SECTIONS = ["scope", "connectivity", "blocked_agencies", "case_review", "dppa", "credentials",
            "query_logs", "other_pathways", "state_law", "legislative", "attestation"]
DPPA_USES = [f"b{n}" for n in range(1, 15)]
AGENCIES = ["ice_ero", "ice_hsi", "cbp", "uscis", "usms", "dea", "atf", "bop", "fbi",
            "dos_ds", "irs", "partner_287g", "other"]
LETTER_STATES = {"az", "co", "ct", "de", "hi", "ks", "ky", "me", "md", "mi", "nc", "nm", "nj",
                 "pa", "ri", "ca", "wi", "vi", "gu"}

Answers = dict[str, Any]


@pytest.fixture(scope="module")
def checklist() -> Checklist:
    return load_checklist(CHECKLIST).checklist


def load_answers(name: str) -> Answers:
    data = yaml.safe_load((FIXTURES / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.fixture()
def compliant() -> Answers:
    return load_answers("flagship-compliant.yaml")


@pytest.fixture()
def noncompliant() -> Answers:
    return load_answers("flagship-noncompliant.yaml")


def walk(checklist: Checklist, answers: Answers, *, strict: bool = True) -> Evaluation:
    """Answer the questions in checklist order, each only once it is visible.

    Strict: answering a hidden question is an error. Otherwise hidden answers are skipped
    (a changed answer may hide follow-ups the original set answered).
    """
    unknown = set(answers) - {q.id for q in checklist.questions()}
    assert not unknown, f"answers to unknown questions: {sorted(unknown)}"
    facts: dict[str, AnswerFacts] = {}
    for question in checklist.questions():
        if question.id not in answers:
            continue
        shown = question.visible_if is None or evaluate(checklist, facts).visible[question.id]
        if not shown:
            assert not strict, f"the answer set answers hidden question {question.id!r}"
            continue
        value = validate_value(question, answers[question.id])
        facts[question.id] = AnswerFacts(value, AnswerState.ANSWERED)
    return evaluate(checklist, facts)


def fired(evaluation: Evaluation) -> set[str]:
    return {finding.rule_id for finding in evaluation.findings}


def rows(answers: Answers, table: str, column: str, value: str) -> list[dict[str, Any]]:
    found = [row for row in answers[table] if row.get(column) == value]
    assert found, f"no {table} row with {column} = {value}"
    return found


def row(answers: Answers, table: str, column: str, value: str) -> dict[str, Any]:
    return rows(answers, table, column, value)[0]


# ---- the checklist itself ------------------------------------------------------------------


def test_checklist_validates_with_its_id_and_version(checklist: Checklist) -> None:
    assert checklist.id == "nlets-dmv-data-sharing"
    assert checklist.version == "2"
    assert checklist.title and checklist.description


def test_notice_says_counsel_reviews_and_not_legal_advice(checklist: Checklist) -> None:
    notice = checklist.notice.lower()
    assert "not legal advice" in notice
    assert "counsel" in notice and "review" in notice and "before it is relied on" in notice


def test_sections_in_order(checklist: Checklist) -> None:
    assert [s.id for s in checklist.sections] == SECTIONS


def test_question_count_is_in_range(checklist: Checklist) -> None:
    assert 60 <= len(checklist.questions()) <= 130


def test_every_question_has_help_and_a_citation_or_is_procedural(checklist: Checklist) -> None:
    problems = []
    for q in checklist.questions():
        if not q.help.strip():
            problems.append(f"{q.id}: no help")
        elif len(q.help) > 320:
            problems.append(f"{q.id}: help longer than 320 characters")
        if q.procedural:
            if "procedural" not in q.help.lower():
                problems.append(f"{q.id}: procedural, but the help does not say so")
        elif not q.citations:
            problems.append(f"{q.id}: no citation and not procedural")
    assert not problems, "\n".join(problems)


def test_procedural_questions_are_few_and_substantive_ones_cited(checklist: Checklist) -> None:
    procedural = [q.id for q in checklist.questions() if q.procedural]
    assert len(procedural) <= len(checklist.questions()) // 4, procedural


def test_citations_name_sources_not_the_fact_sheet(checklist: Checklist) -> None:
    texts = [c.text for q in checklist.questions() for c in q.citations]
    texts += [c.text for f in checklist.findings for c in f.citations]
    for text in texts:
        assert text.strip()
        assert "facts" not in text.lower(), text


def test_nothing_not_confirmed_is_stated() -> None:
    text = CHECKLIST.read_text(encoding="utf-8")
    # Illinois HB1317 (2025) is not confirmed enacted; no public Nlets document confirms
    # per-ORI blocking at the hub; Connecticut, New Jersey, New Mexico and Delaware
    # specifics are not confirmed.
    for forbidden in ("HB1317", "HB 1317", "NOT CONFIRMED", "facts.md", "at the hub"):
        assert forbidden not in text, forbidden


def test_the_base_offers_no_state_statute_as_applying(checklist: Checklist) -> None:
    """State statutes are offered by the state's overlay, never to another state's audit."""
    question = checklist.question("restricting_authorities")
    assert question is not None
    assert question.option_values() == ["statute", "regulation", "executive_order",
                                        "settlement", "agency_policy", "other"]
    assert checklist.question("state_authorities") is None
    for typed in (question, checklist.question("warrant_kind")):
        assert not [o for o in typed.options if o.citations]


def test_jurisdictions_are_the_states_dc_and_territories(checklist: Checklist) -> None:
    from app.records.jurisdictions import JURISDICTIONS

    question = checklist.question("jurisdiction")
    assert question is not None and question.type == QuestionType.SINGLE_CHOICE
    values = question.option_values()
    assert all(re.fullmatch(r"[a-z]{2}", v) for v in values)
    assert set(values) == {code.lower() for code in JURISDICTIONS}
    assert len(values) == 56


def test_every_dppa_use_appears(checklist: Checklist) -> None:
    table = checklist.question("dppa_disclosures")
    assert table is not None and table.type == QuestionType.TABLE
    use = table.column("use")
    assert use is not None and use.type == QuestionType.SINGLE_CHOICE
    assert use.option_values() == DPPA_USES
    for n, option in enumerate(use.options, start=1):
        assert option.label.startswith(f"(b)({n}) "), option.label
    assert [r["use"] for r in table.default_rows] == DPPA_USES
    for column_id in ("disclosed", "recipients", "agreement", "immigration_excluded"):
        assert table.column(column_id) is not None, column_id
    # the (a)(2) list of uses for highly restricted personal information
    assert {"b1", "b4", "b6", "b9", "express_consent"} <= set(
        checklist.question("hrpi_uses").option_values())


def test_agency_table_has_the_agencies_and_columns(checklist: Checklist) -> None:
    table = checklist.question("agency_access")
    assert table is not None and table.type == QuestionType.TABLE
    assert table.column("agency").option_values() == AGENCIES
    assert [r["agency"] for r in table.default_rows] == AGENCIES
    expected = {
        "agency": QuestionType.SINGLE_CHOICE, "oris": QuestionType.ORI_LIST,
        "driver_data": QuestionType.YES_NO_UNKNOWN, "vehicle_data": QuestionType.YES_NO_UNKNOWN,
        "photos": QuestionType.YES_NO_UNKNOWN, "blocked": QuestionType.YES_NO_UNKNOWN,
        "blocked_since": QuestionType.DATE, "mechanism": QuestionType.SINGLE_CHOICE,
        "verified_in_logs": QuestionType.YES_NO_UNKNOWN,
        "queries_after_block": QuestionType.NUMBER,
    }
    for column_id, kind in expected.items():
        column = table.column(column_id)
        assert column is not None and column.type == kind, column_id
    assert table.column("agency").required and table.column("blocked").required


def test_message_key_table_covers_driver_photo_and_vehicle_keys(checklist: Checklist) -> None:
    table = checklist.question("message_keys")
    assert [r["key"] for r in table.default_rows] == [
        "dq", "dnq", "dqg", "kq", "imq", "rq", "rqg", "rnq", "rpq"]


def test_letter_question_only_for_the_letter_states(checklist: Checklist) -> None:
    question = checklist.question("jurisdiction")
    for code in question.option_values():
        facts = {"jurisdiction": AnswerFacts(code, AnswerState.ANSWERED)}
        shown = evaluate(checklist, facts).visible["letter_received"]
        assert shown == (code in LETTER_STATES), code


def test_findings_have_severity_recommendation_and_citation(checklist: Checklist) -> None:
    assert len(checklist.findings) >= 8
    for rule in checklist.findings:
        assert rule.recommendation.strip() and rule.detail.strip() and rule.citations
        assert rule.questions, rule.id


def test_an_untouched_table_is_conservative(checklist: Checklist) -> None:
    """Default rows are all 'unknown': on their own they raise findings, not silence."""
    facts = {"nlets_connected": AnswerFacts("yes", AnswerState.ANSWERED)}
    for table_id in ("message_keys", "agency_access", "dppa_disclosures"):
        question = checklist.question(table_id)
        value = validate_value(question, question.default_rows)
        facts[table_id] = AnswerFacts(value, AnswerState.ANSWERED)
    found = fired(evaluate(checklist, facts))
    assert {"message-keys-unknown", "immigration-agency-may-reach",
            "delegated-agency-may-reach", "dppa-use-unknown"} <= found
    # Unknown rows say "may reach", never that an agency "can".
    assert not {"immigration-agency-not-blocked", "delegated-agency-not-blocked"} & found


# ---- walking the answer sets ---------------------------------------------------------------


def test_every_fixture_answer_is_valid(checklist: Checklist, compliant: Answers,
                                       noncompliant: Answers) -> None:
    for answers in (compliant, noncompliant):
        for question_id, raw in answers.items():
            question = checklist.question(question_id)
            assert question is not None, question_id
            validate_value(question, raw)


def test_compliant_walk_is_complete_with_no_findings(checklist: Checklist,
                                                      compliant: Answers) -> None:
    evaluation = walk(checklist, compliant)
    assert evaluation.unanswered == []
    assert evaluation.progress.total > 0
    assert evaluation.progress.done == evaluation.progress.total
    assert evaluation.progress.percent == 100.0
    for section in evaluation.progress.sections:
        assert section.done == section.total, section.section_id
    # every rule stays silent on the compliant set, and no check warns
    assert fired(evaluation) == set()
    assert evaluation.warnings == []


def test_compliant_walk_stays_short(checklist: Checklist, compliant: Answers) -> None:
    evaluation = walk(checklist, compliant)
    hidden = [q for q, shown in evaluation.visible.items() if not shown]
    assert len(hidden) >= 8, "follow-up questions should stay hidden when not relevant"


NONCOMPLIANT_FINDINGS = {
    "287g-dmv-use-not-barred",
    "access-kept-by-decision",
    "access-kept-without-conditions",
    "agency-table-incomplete",
    "alpr-shared-with-immigration",
    "b1-immigration-without-warrant",
    "b11-resale-unrestricted",
    "block-failed-in-logs",
    "block-incomplete",
    "block-not-confirmed-by-operator",
    "block-not-verified-in-logs",
    "block-policy-only",
    "block-undated",
    "broadcast-not-covered",
    "broker-resale-without-records",
    "broker-sells-to-immigration",
    "bulk-sales-immigration-not-barred",
    "certifications-missing",
    "contractor-pathway-open",
    "counsel-review-missing",
    "credential-promise-unkept",
    "credential-type-revealed",
    "decision-not-carried-out",
    "delegated-agency-may-reach",
    "dppa-mirror-not-compared",
    "dppa-use-not-excluding-immigration",
    "dppa-use-unknown",
    "face-search-open-to-immigration",
    "federal-direct-access-unrestricted",
    "federal-law-risk-unassessed",
    "federal-oris-unknown",
    "fusion-federal-staff",
    "fusion-redisclosure-not-barred",
    "hrpi-outside-permitted-uses",
    "immigration-agency-not-blocked",
    "immigration-requests-not-recorded",
    "letter-unanswered",
    "logs-not-by-agency",
    "lq-not-covered",
    "message-keys-unknown",
    "no-recipient-inventory",
    "no-review-standard",
    "no-transparency-report",
    "notice-not-sent",
    "orion-not-reviewed",
    "photos-reachable",
    "portal-immigration-access",
    "post-block-shift-unchecked",
    "public-records-pathway",
    "queries-after-block",
    "reason-not-required",
    "relay-not-barred",
    "reporting-duty-unmet",
    "resale-immigration-not-barred",
    "resale-without-records",
    "source-documents-exposed",
    "status-data-not-separate",
    "switch-log-retention-short",
    "switch-vendor-terms-missing",
    "task-force-access-unrestricted",
    "transparency-report-unreviewed",
    "warrant-sufficiency-unchecked",
}


def test_noncompliant_walk_gives_the_expected_findings(checklist: Checklist,
                                                        noncompliant: Answers) -> None:
    evaluation = walk(checklist, noncompliant)
    assert evaluation.progress.done == evaluation.progress.total
    assert fired(evaluation) == NONCOMPLIANT_FINDINGS
    # findings come most serious first
    ranks = [f.severity.rank for f in evaluation.findings]
    assert ranks == sorted(ranks)


# ---- each findings rule, one at a time ------------------------------------------------------


def _set(**changes: Any) -> Callable[[Answers], None]:
    def apply(answers: Answers) -> None:
        answers.update(changes)
    return apply


def _agency(agency: str, **cells: Any) -> Callable[[Answers], None]:
    def apply(answers: Answers) -> None:
        target = row(answers, "agency_access", "agency", agency)
        for column, value in cells.items():
            if value is None:
                target.pop(column, None)
            else:
                target[column] = value
    return apply


def _drop_agency(agency: str) -> Callable[[Answers], None]:
    def apply(answers: Answers) -> None:
        answers["agency_access"] = [r for r in answers["agency_access"]
                                    if r["agency"] != agency]
    return apply


def _dppa(use: str, **cells: Any) -> Callable[[Answers], None]:
    def apply(answers: Answers) -> None:
        row(answers, "dppa_disclosures", "use", use).update(cells)
    return apply


def _key(key: str, **cells: Any) -> Callable[[Answers], None]:
    def apply(answers: Answers) -> None:
        row(answers, "message_keys", "key", key).update(cells)
    return apply


def _both(*changes: Callable[[Answers], None]) -> Callable[[Answers], None]:
    def apply(answers: Answers) -> None:
        for change in changes:
            change(answers)
    return apply


# The smallest change to the compliant set that should make each rule fire, and no other.
TRIGGERS: dict[str, Callable[[Answers], None]] = {
    "letter-unanswered": _set(letter_response="not_started"),
    "switch-vendor-terms-missing": _set(switch_vendor_terms="no"),
    "message-keys-unknown": _key("rpq", answered="unknown"),
    "reason-not-required": _set(reason_code_required="not_required"),
    "orion-not-reviewed": _set(orion_ever_reviewed="no"),
    "federal-oris-unknown": _set(federal_oris_listed="unknown"),
    "federal-direct-access-unrestricted": _set(federal_terminals_on_switch="yes",
                                               federal_terminals_immigration_blocked="no"),
    "task-force-access-unrestricted": _set(task_force_access="yes",
                                           task_force_immigration_bar="unknown"),
    "lq-not-covered": _set(lq_covered="no"),
    "relay-not-barred": _set(relay_bar="unknown"),
    "agency-table-incomplete": _drop_agency("uscis"),
    "immigration-agency-not-blocked": _agency("ice_ero", blocked="no", driver_data="yes",
                                              decision=None),
    "immigration-agency-may-reach": _agency("ice_ero", blocked="unknown", driver_data="yes",
                                            decision=None),
    "delegated-agency-not-blocked": _agency("dea", blocked="no", driver_data="yes"),
    "delegated-agency-may-reach": _agency("dea", blocked="no", driver_data="unknown"),
    "access-kept-without-conditions": _agency("fbi", blocked="no", driver_data="yes",
                                              decision="kept", decided_by="Governor",
                                              decided_on="2025-03-01"),
    "access-kept-by-decision": _agency("cbp", blocked="no", driver_data="yes",
                                       decision="case_by_case", decided_by="Governor's counsel",
                                       decided_on="2025-02-03"),
    "decision-not-carried-out": _agency("ice_hsi", blocked="unknown", driver_data="no"),
    "block-incomplete": _agency("ice_hsi", vehicle_data="yes"),
    "photos-reachable": _agency("cbp", photos="yes"),
    "block-policy-only": _agency("ice_ero", mechanism="policy_only"),
    "block-undated": _agency("uscis", blocked_since=None),
    "block-not-verified-in-logs": _agency("ice_ero", verified_in_logs="unknown"),
    "block-failed-in-logs": _agency("ice_ero", verified_in_logs="no"),
    "queries-after-block": _agency("ice_ero", queries_after_block=12),
    "block-not-confirmed-by-operator": _set(block_written_confirmation="no"),
    "broadcast-not-covered": _set(block_covers_broadcast="unknown"),
    "post-block-shift-unchecked": _set(post_block_shift="not_checked"),
    "post-block-shift": _set(post_block_shift="rose"),
    "no-review-procedure": _set(review_procedure="no"),
    "no-review-standard": _set(review_standard="no_standard"),
    "warrant-sufficiency-unchecked": _set(warrant_sufficiency_checked="unknown"),
    "dppa-use-unknown": _dppa("b14", disclosed="unknown"),
    "dppa-use-not-excluding-immigration": _dppa("b6", immigration_excluded="no"),
    "no-recipient-inventory": _set(recipient_inventory="no"),
    "b1-immigration-without-warrant": _set(b1_releases_with_order="some"),
    "hrpi-outside-permitted-uses": _set(hrpi_uses=["b1", "b4", "other_use"]),
    "resale-without-records": _set(resale_records_reviewed="no"),
    "b11-resale-unrestricted": _dppa("b11", immigration_excluded="unknown"),
    "resale-immigration-not-barred": _set(resale_immigration_bar="no"),
    "bulk-sales-immigration-not-barred": _set(bulk_sales="yes",
                                              bulk_recipients="A marketing firm",
                                              bulk_immigration_bar="no"),
    "credential-promise-unkept": _set(credential_promise_kept="no"),
    "source-documents-exposed": _set(source_documents_kept="kept"),
    "status-data-not-separate": _set(status_data_separate="unknown"),
    "credential-type-revealed": _set(credential_type_in_responses="yes"),
    "no-query-logs": _set(rand_log_obtained="no", switch_log_obtained="unknown"),
    "logs-not-by-agency": _set(logs_by_agency="no"),
    "switch-log-retention-short": _set(switch_log_retention="no"),
    "notice-not-sent": _set(notice_required="yes"),
    "no-transparency-report": _set(transparency_report="no"),
    "transparency-report-unreviewed": _set(transparency_review="no"),
    "contractor-pathway-open": _set(contractors_for_immigration="unknown"),
    "fusion-federal-staff": _set(fusion_federal_staff="yes"),
    "public-records-pathway": _set(public_records_requests="yes"),
    "broker-resale-without-records": _set(broker_2721c_records="no"),
    "broker-sells-to-immigration": _set(broker_immigration_customers="yes"),
    "face-search-open-to-immigration": _set(fr_immigration_excluded="no"),
    "fusion-redisclosure-not-barred": _set(fusion_immigration_bar="unknown"),
    "portal-immigration-access": _set(portal_immigration_accounts="yes"),
    "287g-dmv-use-not-barred": _set(agreements_287g="yes",
                                    agreements_287g_agencies="A county sheriff",
                                    agreements_287g_dmv_use_barred="no"),
    "alpr-shared-with-immigration": _set(alpr_immigration_bar="no"),
    "reporting-duty-unmet": _set(reporting_duty_met="no"),
    "certifications-missing": _set(certifications_on_file="some"),
    "immigration-requests-not-recorded": _set(immigration_requests_recorded="no"),
    "case-review-unlogged": _both(_set(immigration_requests_recorded="no"),
                                  _agency("cbp", blocked="no", driver_data="yes",
                                          decision="case_by_case", decided_by="Counsel",
                                          decided_on="2025-02-03")),
    "dppa-mirror-not-compared": _set(dppa_mirror="not_compared"),
    "federal-law-risk-unassessed": _set(federal_law_risk="no"),
    "no-state-restriction": _set(state_law_restricts="no", agency_policy_restricts="no"),
    "counsel-review-missing": _set(counsel_reviewed="no"),
}


# A trigger that cannot come alone: the info finding records the decision the rule is about.
ALSO_FIRES = {"case-review-unlogged": {"access-kept-by-decision"}}


def test_every_rule_has_a_trigger(checklist: Checklist) -> None:
    assert set(TRIGGERS) == {rule.id for rule in checklist.findings}


@pytest.mark.parametrize("rule_id", sorted(TRIGGERS))
def test_rule_fires_on_its_trigger_alone(checklist: Checklist, compliant: Answers,
                                         rule_id: str) -> None:
    answers = copy.deepcopy(compliant)
    TRIGGERS[rule_id](answers)
    assert fired(walk(checklist, answers, strict=False)) == {rule_id} | ALSO_FIRES.get(rule_id,
                                                                                    set())


def test_hidden_answers_raise_no_findings(checklist: Checklist, compliant: Answers) -> None:
    """A follow-up hidden by an earlier answer cannot fire a rule, whatever it says."""
    answers = copy.deepcopy(compliant)
    answers.update(bulk_sales="no", bulk_immigration_bar="no",
                   agreements_287g="no", agreements_287g_dmv_use_barred="no")
    assert fired(walk(checklist, answers, strict=False)) == set()
