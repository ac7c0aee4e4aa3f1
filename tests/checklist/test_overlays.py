"""State overlays: pinned to the base, for named states; they add and raise, never quietly lower."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from app.checklist import ChecklistError, load_checklist
from app.checklist.bundled import bundled_overlay_files, bundled_overlays
from app.checklist.evaluate import AnswerFacts, AnswerState, evaluate
from app.checklist.loader import LoadedChecklist
from app.checklist.model import Severity
from app.checklist.overlay import (
    LoadedOverlay,
    effective_checklist,
    load_overlay,
    load_overlay_bytes,
)
from app.checklist.semantics import citation_sites
from tests.checklist.test_flagship_checklist import CHECKLIST, fired, load_answers, walk

OVERLAYS = Path(CHECKLIST).parent / "overlays"


@pytest.fixture(scope="module")
def base() -> LoadedChecklist:
    return load_checklist(CHECKLIST)


@pytest.fixture(scope="module")
def overlays(base: LoadedChecklist) -> list[LoadedOverlay]:
    return bundled_overlays(base)


def _overlay_text(base: LoadedChecklist, body: str, status: str = "draft") -> str:
    review = ("counsel_review: {name: A. Counsel, office: Office of the AG, date: 2026-11-30}\n"
              if status == "counsel_approved" else "")
    return (f"overlay: test-overlay\nversion: 1\ntitle: Test\n"
            f"base: {{checklist: {base.checklist.id}, version: \"{base.checklist.version}\", "
            f"sha256: {base.sha256}}}\n"
            f"jurisdictions: [md]\nstatus: {status}\n{review}"
            "authorities:\n"
            "  - {id: test-act, cite: Test Act s. 1, url: 'https://example.gov/act', "
            "status: in_force, checked: 2026-12-01}\n"
            "  - {id: test-bill, cite: Test Bill, url: 'https://example.gov/bill', "
            "status: pending_bill, checked: 2026-12-01}\n" + body)


def _refused(base: LoadedChecklist, text: str) -> str:
    with pytest.raises(ChecklistError) as caught:
        load_overlay_bytes(text.encode(), "overlay.yaml", base)
    return str(caught.value)


def test_the_four_overlays_ship_as_drafts_for_their_states(
        overlays: list[LoadedOverlay]) -> None:
    assert {o.overlay.overlay: o.overlay.jurisdictions for o in overlays} == {
        "ca-overlay": ["ca"], "co-overlay": ["co"], "md-overlay": ["md"], "ny-overlay": ["ny"]}
    assert len(bundled_overlay_files()) == 4
    for loaded in overlays:
        assert not loaded.overlay.approved and loaded.overlay.counsel_review is None
        assert loaded.changes, loaded.overlay.overlay


def test_every_overlay_citation_resolves_to_a_sourced_entry(
        base: LoadedChecklist, overlays: list[LoadedOverlay]) -> None:
    for loaded in overlays:
        effective = effective_checklist(base, [loaded], loaded.overlay.jurisdictions[0])
        for _, _, citations in citation_sites(effective.checklist):
            for citation in citations:
                assert citation.authority and citation.url and citation.status, citation
        for change in loaded.changes:
            assert change.rationale or not change.lowers


def test_an_overlay_changes_only_its_own_jurisdiction(
        base: LoadedChecklist, overlays: list[LoadedOverlay]) -> None:
    ids = {q.id for q in base.checklist.questions()}
    virginia = effective_checklist(base, overlays, "va")
    assert virginia.overlays == [] and virginia.checklist == base.checklist
    maryland = effective_checklist(base, overlays, "md")
    assert [o.overlay.overlay for o in maryland.overlays] == ["md-overlay"]
    added = {q.id for q in maryland.checklist.questions()} - ids
    assert added == {"md_db_requester_statement", "md_switch_access_controls"}
    colorado = effective_checklist(base, overlays, "co")
    assert {q.id for q in colorado.checklist.questions()} - ids == {
        "co_quarterly_attestation", "co_local_bodies", "co_drives_exception"}
    options = colorado.checklist.question("restricting_authorities").option_values()
    assert "co_sb25_276" in options and "md_ps_3_529" not in options and "ny_vtl_201" not in options


def test_maryland_raises_photos_and_adds_its_database_rule(
        base: LoadedChecklist, overlays: list[LoadedOverlay]) -> None:
    effective = effective_checklist(base, overlays, "md")
    rules = {rule.id: rule for rule in effective.checklist.findings}
    assert rules["photos-reachable"].severity == Severity.CRITICAL
    assert "md-gp-4-320-1" in [c.authority for c in rules["photos-reachable"].citations]
    answers: dict[str, Any] = copy.deepcopy(load_answers("flagship-compliant.yaml"))
    answers.update(jurisdiction="md", md_db_requester_statement="no",
                   md_switch_access_controls="yes")
    assert fired(walk(effective.checklist, answers)) == {"md-db-statement-missing"}
    # the same answers without the overlay cannot even be given
    assert "md_db_requester_statement" not in {q.id for q in base.checklist.questions()}


def test_new_york_overlay_adds_the_article_iii_option_and_notice_help(
        base: LoadedChecklist, overlays: list[LoadedOverlay]) -> None:
    effective = effective_checklist(base, overlays, "ny")
    warrant = effective.checklist.question("warrant_kind")
    assert "ny_article_iii" in warrant.option_values()
    assert "three days after each request" in effective.checklist.question("notice_required").help
    facts = {"jurisdiction": AnswerFacts("ny", AnswerState.ANSWERED),
             "state_law_restricts": AnswerFacts("no", AnswerState.ANSWERED)}
    assert "ny-restriction-not-recognised" in {
        f.rule_id for f in evaluate(effective.checklist, facts).findings}


def test_a_draft_overlay_is_flagged_for_the_qualified_statement(
        base: LoadedChecklist, overlays: list[LoadedOverlay]) -> None:
    effective = effective_checklist(base, overlays, "ca")
    assert [o.overlay.overlay for o in effective.draft_overlays] == ["ca-overlay"]
    assert effective_checklist(base, overlays, "wa").draft_overlays == []


def test_suppressing_a_finding_in_a_draft_overlay_is_refused(base: LoadedChecklist) -> None:
    text = _overlay_text(base, "adjust_findings:\n  - id: photos-reachable\n"
                               "    suppress: true\n    rationale: Not needed here.\n"
                               "    citations: [test-act]\n")
    message = _refused(base, text)
    assert "overlay.yaml:12:" in message
    assert "needs counsel approval" in message


def test_lowering_without_an_authority_is_refused_even_when_approved(
        base: LoadedChecklist) -> None:
    text = _overlay_text(base, "adjust_findings:\n  - id: photos-reachable\n"
                               "    severity: low\n    rationale: State law allows it.\n",
                         status="counsel_approved")
    assert "needs an authority" in _refused(base, text)


def test_an_approved_overlay_may_lower_with_rationale_and_authority(
        base: LoadedChecklist) -> None:
    text = _overlay_text(base, "adjust_findings:\n  - id: switch-log-retention-short\n"
                               "    suppress: true\n    rationale: The state keeps no switch.\n"
                               "    citations: [test-act]\n", status="counsel_approved")
    loaded = load_overlay_bytes(text.encode(), "overlay.yaml", base)
    change = loaded.changes[0]
    assert change.lowers and change.rationale == "The state keeps no switch."
    assert change.citations == ("Test Act s. 1",)
    merged = effective_checklist(base, [loaded], "md").checklist
    assert "switch-log-retention-short" not in {f.id for f in merged.findings}


def test_a_pending_bill_as_an_added_option_is_refused(base: LoadedChecklist) -> None:
    text = _overlay_text(base, "patch_questions:\n  - id: restricting_authorities\n"
                               "    add_options:\n"
                               "      - {value: bill, label: A bill, citations: [test-bill]}\n")
    message = _refused(base, text)
    assert "overlay.yaml:13:" in message and "pending bill" in message


def test_a_pending_bill_may_ground_added_help(base: LoadedChecklist) -> None:
    text = _overlay_text(base, "patch_questions:\n  - id: state_law_restricts\n"
                               "    help_append: A bill would extend this.\n"
                               "    add_citations: [test-bill]\n")
    loaded = load_overlay_bytes(text.encode(), "overlay.yaml", base)
    merged = effective_checklist(base, [loaded], "md").checklist
    texts = [c.text for c in merged.question("state_law_restricts").citations]
    assert "Test Bill (pending — not law)" in texts


def test_an_overlay_pinned_to_other_bytes_is_refused(base: LoadedChecklist) -> None:
    text = _overlay_text(base, "").replace(base.sha256, "a" * 64)
    message = _refused(base, text)
    assert "overlay.yaml:4:" in message and "pinned to base sha256" in message


def test_unknown_targets_and_bad_conditions_name_the_overlay_line(
        base: LoadedChecklist) -> None:
    text = _overlay_text(base, "patch_questions:\n  - id: no_such_question\n"
                               "    help_append: x\n")
    assert "overlay.yaml:11:" in _refused(base, text)
    text = _overlay_text(base, "add_questions:\n  - section: scope\n    after: jurisdiction\n"
                               "    id: early\n    prompt: Early?\n    help: H\n"
                               "    citations: [test-act]\n    type: yes_no_unknown\n"
                               "    visible_if: {question: counsel_reviewed, equals: 'yes'}\n")
    message = _refused(base, text)
    assert "overlay.yaml:18:" in message and "looks forward to 'counsel_reviewed'" in message
    text = _overlay_text(base, "add_findings:\n  - id: f\n    when: {question: nope, equals: x}\n"
                               "    severity: low\n    title: T\n    detail: D\n"
                               "    recommendation: R\n    citations: [test-act]\n")
    assert "unknown question 'nope'" in _refused(base, text)


def test_the_bundled_overlay_files_validate_one_by_one(base: LoadedChecklist) -> None:
    for path in sorted(OVERLAYS.glob("*.yaml")):
        assert load_overlay(path, base).overlay.base.sha256 == base.sha256


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    from app.cli import main

    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_command_line_lists_and_validates_overlays(
        capsys: pytest.CaptureFixture[str], base: LoadedChecklist, tmp_path: Path) -> None:
    code, out, _ = _cli(capsys, "checklists")
    assert code == 0
    assert "  overlay md-overlay\t1\tMD\tdraft\tMaryland" in out
    code, out, _ = _cli(capsys, "checklist", "validate", str(OVERLAYS / "maryland.yaml"))
    assert code == 0 and "valid overlay — md-overlay version 1 for MD (draft)" in out
    bad = tmp_path / "bad.yaml"
    bad.write_text(_overlay_text(base, "adjust_findings:\n  - id: photos-reachable\n"
                                       "    suppress: true\n    rationale: No.\n"
                                       "    citations: [test-act]\n"), encoding="utf-8")
    code, _, err = _cli(capsys, "checklist", "validate", str(bad))
    assert code == 2 and f"{bad}:12:" in err and "needs counsel approval" in err
