"""One consistent signed statement: the statement, name, capacity and date the audit records
are the ones printed and signed, in the wording counsel recommends (review-2026-12 §E)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.audit import same_person
from app.checklist import load_checklist
from app.checklist.errors import ChecklistError
from app.errors import UserFacingError
from app.report.signing import Pkcs12Key
from tests.signing.conftest import FLAGSHIP, PASSPHRASE, SignedFlagship, compliant_answers


def jordan_key(certificate) -> Pkcs12Key:
    return Pkcs12Key(certificate.signer_pkcs12, PASSPHRASE.encode())


def today() -> str:
    return dt.date.today().isoformat()


@pytest.fixture
def flagship_audit(service) -> str:
    """A complete flagship audit attested today by Jordan Example, Governor's counsel."""
    audit = service.create_audit(load_checklist(FLAGSHIP), jurisdiction="CO",
                                 period_start="2025-01-01", period_end="2025-12-31").id
    service.import_answers(audit, compliant_answers())
    assert service.review(audit).ready, service.review(audit).blockers
    return audit


def pdf_text(path: Path) -> str:
    return " ".join(" ".join((page.extract_text() or "")
                             for page in PdfReader(path).pages).split())


def squash(text: str) -> str:
    return "".join(text.split())


def option_label(question_id: str, value: str) -> str:
    question = load_checklist(FLAGSHIP).checklist.question(question_id)
    assert question is not None
    return question.label_for(value)


@pytest.fixture(scope="module")
def signed_text(signed_flagship: SignedFlagship, tmp_path_factory) -> tuple[str, str]:
    """The session's signed flagship audit (the same answers as `flagship_audit`, signed by
    Jordan Example today) as pypdf reads it back: its first page's text and all its text."""
    output = tmp_path_factory.mktemp("signed-text") / "signed.pdf"
    output.write_bytes(signed_flagship.pdf)
    reader = PdfReader(output)
    pages = [page.extract_text() or "" for page in reader.pages]
    return pages[0], " ".join(" ".join(pages).split())


def test_the_printed_statement_is_the_one_chosen(service, flagship_audit, signed_text):
    statement = service.attestation_statement(flagship_audit)
    text = " ".join(statement.paragraphs())
    chosen = option_label("attestation_statement", "full")
    assert " ".join(chosen.split()) in text
    assert "on behalf of" not in text
    assert "true and complete" not in text
    assert statement.intro.startswith("I, Jordan Example, in my capacity as Governor's counsel")
    printed = squash(signed_text[1])
    assert squash(chosen) in printed
    assert squash("on behalf of the State") not in printed


def test_the_qualified_choice_prints_the_qualified_statement(service, flagship_audit):
    service.import_answers(flagship_audit, {
        "attestation_statement": "qualified",
        "attestation_exceptions": "The photo repository was not examined."})
    statement = service.attestation_statement(flagship_audit)
    text = " ".join(statement.paragraphs())
    assert statement.qualified
    assert " ".join(option_label("attestation_statement", "qualified").split()) in text
    assert " ".join(option_label("attestation_statement", "full").split()) not in text
    assert "The photo repository was not examined." in text


def test_legal_conclusions_are_counsel_s_and_identified_as_such(service, flagship_audit):
    text = " ".join(service.attestation_statement(flagship_audit).paragraphs())
    assert "“State law and policy”" in text and "legal conclusions" in text
    assert "A. Counsel, Office of Legal Counsel" in text and "2026-01-15" in text
    assert "“unknown”" in text


def test_counsel_review_no_forces_the_qualified_statement(service, flagship_audit):
    service.set_answer(flagship_audit, "counsel_reviewed", "no")
    review = service.review(flagship_audit)
    assert not review.ready
    assert any("counsel" in b and "qualified statement" in b for b in review.blockers)
    service.import_answers(flagship_audit, {
        "attestation_statement": "qualified",
        "attestation_exceptions": "State-law answers await counsel's review."})
    assert service.review(flagship_audit).ready
    text = " ".join(service.attestation_statement(flagship_audit).paragraphs())
    assert "have not been reviewed by counsel" in text
    assert "I do not attest to them" in text


def test_each_section_names_who_supplied_it(service, flagship_audit):
    text = " ".join(service.attestation_statement(flagship_audit).paragraphs())
    assert "“Connectivity” — Chris Coordinator, State Bureau of Investigation" in text
    assert "no supplying official or office is recorded" in text


def test_the_signed_file_has_one_date(service, flagship_audit, jordan, tmp_path):
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    service.set_answer(flagship_audit, "attestation_date", yesterday)
    output = tmp_path / "signed.pdf"
    with pytest.raises(UserFacingError, match=f"dated {yesterday}.*today is {today()}"):
        service.sign(flagship_audit, jordan_key(jordan), output)
    assert not output.exists() and service.get_audit(flagship_audit).status == "draft"
    service.set_answer(flagship_audit, "attestation_date", today())
    service.sign(flagship_audit, jordan_key(jordan), output)
    text = pdf_text(output)
    assert yesterday not in text
    assert "2026-01-30" not in text


def test_the_signed_file_has_one_capacity(service, flagship_audit, jordan, tmp_path):
    output = tmp_path / "signed.pdf"
    with pytest.raises(UserFacingError, match="Governor's counsel.*Chief of Staff"):
        service.sign(flagship_audit, jordan_key(jordan), output, signer_title="Chief of Staff")
    assert not output.exists() and service.get_audit(flagship_audit).status == "draft"
    service.sign(flagship_audit, jordan_key(jordan), output,
                 signer_title="governor's COUNSEL")
    text = squash(pdf_text(output))
    assert squash("Chief of Staff") not in text


def test_the_signed_cover_names_signer_capacity_and_date(signed_text):
    first, text = signed_text
    assert squash(f"Signed by Jordan Example, Governor's counsel, on {today()}") in squash(first)
    assert squash("ready for the attesting official's signature") not in squash(text)


def test_the_other_capacity_prints_the_title_given(service, flagship_audit):
    service.import_answers(flagship_audit, {"attesting_capacity": "other",
                                            "attesting_title": "Deputy Secretary of State"})
    statement = service.attestation_statement(flagship_audit)
    assert "in my capacity as Deputy Secretary of State" in statement.intro


@pytest.mark.parametrize("question", ["attesting_official_name", "attesting_capacity",
                                      "attestation_statement", "attestation_date",
                                      "counsel_reviewed"])
def test_procedural_attestation_questions_cannot_be_not_applicable(service, flagship_audit,
                                                                   question):
    with pytest.raises(UserFacingError, match="cannot be marked not applicable"):
        service.set_not_applicable(flagship_audit, question, "nobody")


def test_a_checklist_cannot_let_the_official_be_not_applicable(tmp_path):
    source = FLAGSHIP.read_text(encoding="utf-8")
    marker = "      - id: attesting_official_name\n"
    assert marker in source
    loose = source.replace(marker, marker + "        allow_not_applicable: true\n", 1)
    path = tmp_path / "loose.yaml"
    path.write_text(loose.replace("allow_not_applicable: false\n        prompt: Name of",
                                  "prompt: Name of", 1), encoding="utf-8")
    with pytest.raises(ChecklistError, match="attesting_official_name.*not applicable"):
        load_checklist(path)


def test_the_name_match_needs_every_name_token():
    assert not same_person("Example", "Jordan Example")
    assert not same_person("Jordan Example", "Example")
    assert not same_person("Jordan Example", "Jordan Alexis Example")
    assert same_person("Jordan Example", "EXAMPLE, jordan")
    assert same_person("José Ñúñez-O'Brien", "Nunez-O Brien, Jose (TEST ONLY - NOT FOR REAL)")
    assert not same_person("", "Jordan Example")


def test_a_partial_name_is_refused_at_signing(service, flagship_audit, jordan, tmp_path):
    service.set_answer(flagship_audit, "attesting_official_name", "Example")
    output = tmp_path / "signed.pdf"
    with pytest.raises(UserFacingError, match="names 'Example' as the attesting official"):
        service.sign(flagship_audit, jordan_key(jordan), output)
    assert not output.exists()
