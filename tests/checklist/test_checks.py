"""Checks across answers: a warning when two answers cannot both be true, shown in the
review, the CLI and the attestation, and standing in the way of signing until resolved or
explained in a note."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.audit import AuditService
from app.checklist import load_checklist
from app.checklist.errors import ChecklistError
from app.report.manifest import build_manifest
from app.report.pdf import render_attestation
from tests.conftest import SAMPLE
from tests.report.pdf_reading import all_text
from tests.report.report_fixtures import COMPLETE_ANSWERS

CHECKS = """
checks:
  - id: agency-over-total
    left: {question: agencies, column: queries}
    op: gt
    right: {question: query_count}
    warning: An agency made more queries than all federal agencies together.
  - id: block-before-review
    left: {question: agencies, column: since}
    op: lt
    right: {question: review_date}
    warning: A block is dated before the review that ordered it.
    questions: [review_date, agencies]
"""


def checked_checklist(tmp_path: Path, extra: str = CHECKS) -> Path:
    path = tmp_path / "checked.yaml"
    path.write_text(SAMPLE.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return path


@pytest.fixture
def checked_audit(service: AuditService, tmp_path: Path) -> str:
    checklist = load_checklist(checked_checklist(tmp_path))
    audit = service.create_audit(checklist, jurisdiction="WA", period_start="2025-01-01",
                                 period_end="2025-12-31").id
    for question_id, (value, _note) in COMPLETE_ANSWERS.items():
        if checklist.checklist.question(question_id) is not None:
            service.set_answer(audit, question_id, value)
    return audit


def agencies(queries: int, since: str) -> list[dict]:
    return [{"agency": "ice", "blocked": "yes", "since": since, "queries": queries},
            {"agency": "cbp", "blocked": "yes", "since": "2025-06-01", "queries": 1}]


def test_no_warning_while_the_answers_agree(service, checked_audit):
    service.set_answer(checked_audit, "query_count", 500)
    service.set_answer(checked_audit, "review_date", "2025-02-01")
    service.set_answer(checked_audit, "agencies", agencies(10, "2025-03-01"))
    assert service.view(checked_audit).evaluation.warnings == []
    assert not [b for b in service.review(checked_audit).blockers if "check" in b]


def test_each_check_fires_and_names_its_rows(service, checked_audit):
    service.set_answer(checked_audit, "query_count", 500)
    service.set_answer(checked_audit, "review_date", "2025-02-01")
    service.set_answer(checked_audit, "agencies", agencies(2_000, "2024-12-01"))
    warnings = {w.check_id: w for w in service.view(checked_audit).evaluation.warnings}
    assert set(warnings) == {"agency-over-total", "block-before-review"}
    assert warnings["agency-over-total"].rows == ["ice"]
    assert warnings["block-before-review"].questions == ["review_date", "agencies"]


def test_an_unexplained_warning_blocks_signing_until_a_note_explains_it(service,
                                                                        checked_audit):
    service.set_answer(checked_audit, "query_count", 500)
    service.set_answer(checked_audit, "review_date", "2025-02-01")
    service.set_answer(checked_audit, "agencies", agencies(2_000, "2025-03-01"))
    review = service.review(checked_audit)
    assert not review.ready
    assert any(b.startswith("check not resolved: An agency made more queries") and "ice" in b
               for b in review.blockers)
    service.set_note(checked_audit, "agencies", "ICE figure counts retries; see evidence.")
    review = service.review(checked_audit)
    assert not [b for b in review.blockers if "check" in b]
    assert [w.check_id for w in review.explained] == ["agency-over-total"]


def test_warnings_are_printed_in_the_attestation_and_kept_in_the_manifest(service,
                                                                         checked_audit):
    service.set_answer(checked_audit, "query_count", 500)
    service.set_answer(checked_audit, "review_date", "2025-02-01")
    service.set_answer(checked_audit, "agencies", agencies(2_000, "2025-03-01"))
    attestation = service.attestation(checked_audit)
    manifest = build_manifest(attestation)
    assert [w["check_id"] for w in manifest["evaluation"]["warnings"]] == ["agency-over-total"]
    assert manifest["evaluation"]["warnings"][0]["explained"] is False
    text = all_text(render_attestation(attestation).pdf)
    assert "Checksacrossanswers" in text and "notexplained" in text


def test_the_cli_shows_warnings(service, checked_audit, db_url, capsys):
    from app.cli import main

    service.set_answer(checked_audit, "query_count", 500)
    service.set_answer(checked_audit, "review_date", "2025-02-01")
    service.set_answer(checked_audit, "agencies", agencies(2_000, "2025-03-01"))
    assert main(["--db", db_url, "review", checked_audit]) == 0
    assert "check not resolved: An agency made more queries" in capsys.readouterr().out
    assert main(["--db", db_url, "show", checked_audit]) == 0
    shown = capsys.readouterr().out
    assert "Checks across answers (1)" in shown and "(rows: ice)" in shown


@pytest.mark.parametrize(("extra", "message"), [
    ("checks:\n  - {id: x, left: {question: nope}, op: gt, right: {question: query_count},"
     " warning: w}\n", "there is no question 'nope'"),
    ("checks:\n  - {id: x, left: {question: agencies}, op: gt, right: {question: query_count},"
     " warning: w}\n", "is a table: name one of its columns"),
    ("checks:\n  - {id: x, left: {question: agencies, column: nope}, op: gt,"
     " right: {question: query_count}, warning: w}\n", "has no column 'nope'"),
    ("checks:\n  - {id: x, left: {question: review_date}, op: gt,"
     " right: {question: query_count}, warning: w}\n", "orders a date and a number"),
    ("checks:\n  - {id: x, left: {question: review_date}, op: bigger,"
     " right: {question: review_date}, warning: w}\n", "op"),
])
def test_a_check_that_cannot_be_evaluated_is_refused_with_its_line(tmp_path, extra, message):
    with pytest.raises(ChecklistError) as caught:
        load_checklist(checked_checklist(tmp_path, extra))
    assert message in str(caught.value)
    assert "checked.yaml:" in str(caught.value)


FLAGSHIP = Path(__file__).resolve().parents[2] / "checklists" / "nlets-dmv-data-sharing.yaml"


@pytest.mark.parametrize(("answers", "check_id"), [
    ({"rand_log_obtained": "yes", "logs_by_agency": "yes", "federal_query_count": 1_234_567,
      "immigration_query_count": 2_000_000}, "immigration-over-federal"),
    ({"block_directive": "yes", "block_directive_date": "2025-03-01",
      "agency_access": [{"agency": "ice_ero", "blocked": "yes",
                         "blocked_since": "2025-02-01"}]}, "block-before-directive"),
    ({"block_directive": "yes", "block_directive_date": "2026-03-01"},
     "directive-after-period"),
])
def test_the_flagship_declares_the_cross_checks(service, answers, check_id):
    flagship = load_checklist(FLAGSHIP)
    audit = service.create_audit(flagship, jurisdiction="WA", period_start="2025-01-01",
                                 period_end="2025-12-31").id
    service.import_answers(audit, answers)
    fired = {w.check_id for w in service.view(audit).evaluation.warnings}
    assert check_id in fired
