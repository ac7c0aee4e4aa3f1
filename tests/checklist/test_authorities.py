"""The authorities registry: every citation resolves to a sourced entry; bills are not law."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.checklist import ChecklistError, load_checklist, load_checklist_bytes
from app.checklist.authorities import PENDING_LABEL, AuthorityStatus
from app.checklist.bundled import bundled_checklist_files
from app.checklist.semantics import citation_sites

ROOT = Path(__file__).resolve().parents[2]

HEAD = """\
id: registry-test
version: 1
title: Registry test
notice: Counsel reviews this checklist before it is relied on.
authorities:
  - id: act
    cite: "An Act, s. 1"
    url: "https://example.gov/act"
    status: in_force
    checked: 2026-12-01
  - id: bill
    cite: "A Bill (2026)"
    url: "https://example.gov/bill"
    status: pending_bill
    checked: 2026-12-01
sections:
  - id: s
    title: S
    questions:
      - id: q
        prompt: Q
        help: H
        type: single_choice
"""  # the question's `type` is on line 23


def _load(text: str):
    return load_checklist_bytes(text.encode(), "test.yaml")


def _error(text: str) -> str:
    with pytest.raises(ChecklistError) as caught:
        _load(text)
    return str(caught.value)


def test_every_bundled_citation_names_an_entry_with_a_url_and_a_status() -> None:
    files = bundled_checklist_files()
    assert files
    for path in files:
        checklist = load_checklist(path).checklist
        assert checklist.authorities, f"{path.name} has no authorities registry"
        for _, _, citations in citation_sites(checklist):
            for citation in citations:
                assert citation.authority, (path.name, citation.text)
                entry = checklist.authority(citation.authority)
                assert entry is not None
                assert entry.url.startswith(("http://", "https://")), entry.id
                assert citation.url == entry.url and citation.status == entry.status
                assert citation.checked


def test_a_citation_naming_no_entry_is_refused_with_file_and_line() -> None:
    text = HEAD + "        citations: [act, nowhere]\n        options: [a]\n"
    message = _error(text)
    assert "test.yaml:24" in message
    assert "'nowhere' names no entry of `authorities`" in message
    assert "add an entry to `authorities`" in message


def test_free_text_citations_are_refused_once_a_registry_exists() -> None:
    text = HEAD + "        citations: [{text: Some law, url: 'https://x.example'}]\n" \
                  "        options: [a]\n"
    assert "test.yaml:24" in _error(text)


def test_a_pending_bill_as_an_option_authority_is_refused() -> None:
    text = HEAD + "        options:\n          - {value: a, label: A, citations: [bill]}\n"
    message = _error(text)
    assert "test.yaml:25" in message
    assert "'bill' is a pending bill" in message and "an option's authority" in message


def test_a_pending_bill_as_a_finding_authority_is_refused() -> None:
    text = HEAD + ("        options: [a]\nfindings:\n  - id: f\n"
                   "    when: {question: q, equals: a}\n    severity: low\n"
                   "    title: T\n    detail: D\n    recommendation: R\n"
                   "    citations: [act, bill]\n")
    message = _error(text)
    assert "test.yaml:32" in message and "a finding's authority" in message


def test_a_pending_bill_may_ground_help_and_says_it_is_not_law() -> None:
    loaded = _load(HEAD + "        citations: [bill]\n        options: [a]\n")
    citation = loaded.checklist.questions()[0].citations[0]
    assert citation.status == AuthorityStatus.PENDING_BILL
    assert citation.text == f"A Bill (2026) ({PENDING_LABEL})"
    assert citation.url == "https://example.gov/bill"


def test_a_registry_entry_needs_its_source_and_status() -> None:
    text = HEAD.replace('    url: "https://example.gov/act"\n', "") \
        + "        options: [a]\n"
    message = _error(text)
    assert "authority 'act': missing field 'url'" in message


def test_the_review_misattributions_are_gone() -> None:
    text = (ROOT / "checklists" / "nlets-dmv-data-sharing.yaml").read_text(encoding="utf-8")
    body = text.split("\nsections:\n", 1)[1]
    assert "20 agencies" not in body  # the California AG "with ICE" claim
    assert "1,412" not in body  # the undated 287(g) count
    assert "Adds annual reporting" not in body  # SB25-276 did not add reporting
    assert "HB1007" not in body and "HB 1007" not in body  # Hawaii: no restriction sourced
    assert "Nlets User Guide" not in text


def test_docs_authorities_lists_every_entry_with_its_source() -> None:
    from app.checklist.bundled import bundled_checklists, bundled_overlays

    doc = (ROOT / "docs" / "authorities.md").read_text(encoding="utf-8")
    for base in bundled_checklists():
        entries = list(base.checklist.authorities)
        entries += [a for o in bundled_overlays(base) for a in o.overlay.authorities]
        for entry in entries:
            assert f"### `{entry.id}` — {entry.cite}" in doc, entry.id
            assert f"<{entry.url}>" in doc, entry.id
