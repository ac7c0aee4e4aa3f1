"""Finding questions: the search over prompt, id, citations, answer and note; the questions
to do; and where "next to do" goes."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.audit import (
    AuditService,
    SearchField,
    next_to_do,
    questions_to_do,
    search_index,
    search_questions,
)
from app.checklist import LoadedChecklist, load_checklist

FLAGSHIP = Path(__file__).resolve().parents[2] / "checklists" / "nlets-dmv-data-sharing.yaml"


@pytest.fixture(scope="module")
def flagship() -> LoadedChecklist:
    return load_checklist(FLAGSHIP)


def found(service: AuditService, audit_id: str, query: str) -> list[str]:
    return [hit.entry.question_id
            for hit in search_questions(search_index(service.view(audit_id)), query)]


def test_words_of_prompt_id_and_citation(service: AuditService,
                                         flagship: LoadedChecklist) -> None:
    audit = service.create_audit(flagship, jurisdiction="WA", period_start="2025-01-01",
                                 period_end="2025-12-31")
    service.set_answer(audit.id, "nlets_connected", "yes")
    orion = found(service, audit.id, "orion")
    assert "orion_maintainer" in orion and "orion_ever_reviewed" in orion
    assert found(service, audit.id, "ORION") == orion  # case does not matter
    # "287" is in a prompt (287(g) agreements) and in a citation (INA 287(g))
    hits = search_questions(search_index(service.view(audit.id)), "287")
    by_id = {hit.entry.question_id: hit for hit in hits}
    assert SearchField.PROMPT in {f for f, _ in by_id["agreements_287g"].where}
    cited = [hit for hit in hits if any(f == SearchField.CITATION for f, _ in hit.where)]
    assert cited and all("287" in text for hit in cited for f, text in hit.where
                         if f == SearchField.CITATION)
    # every word must be found, in any part: "orion maintains" narrows to one question
    assert found(service, audit.id, "orion maintains") == ["orion_maintainer"]
    assert found(service, audit.id, "orion_maintainer")[0] == "orion_maintainer"
    assert found(service, audit.id, "no-such-word-anywhere") == []
    assert found(service, audit.id, "   ") == []


def test_answer_and_note_are_searched(service: AuditService, sample: LoadedChecklist) -> None:
    audit = service.create_audit(sample, jurisdiction="WA", period_start="2025-01-01",
                                 period_end="2025-12-31")
    assert found(service, audit.id, "acme") == []
    service.set_answer(audit.id, "connected", "yes")
    service.set_answer(audit.id, "switch_vendor", "Acme Switching")
    service.set_note(audit.id, "connected", "Checked with Zephyr at the help desk")
    service.set_answer(audit.id, "agencies", [{"agency": "ice", "blocked": "no",
                                               "method": "Portal login"}])
    assert found(service, audit.id, "acme") == ["switch_vendor"]
    assert found(service, audit.id, "zephyr") == ["connected"]
    assert found(service, audit.id, "portal") == ["agencies"]  # a table's cells
    # the prompt outweighs the answer
    service.set_answer(audit.id, "description", "Which message keys are allowed is unclear")
    assert found(service, audit.id, "message keys")[0] == "keys"


def test_hidden_questions_come_last(service: AuditService, sample: LoadedChecklist) -> None:
    audit = service.create_audit(sample, jurisdiction="WA", period_start="2025-01-01",
                                 period_end="2025-12-31")
    service.set_answer(audit.id, "description", "the switch is old")
    hits = search_questions(search_index(service.view(audit.id)), "switch")
    assert [h.entry.question_id for h in hits] == ["description", "switch_vendor"]
    assert not hits[1].entry.visible and hits[0].entry.visible


def test_questions_to_do(service: AuditService, sample: LoadedChecklist) -> None:
    audit = service.create_audit(sample, jurisdiction="WA", period_start="2025-01-01",
                                 period_end="2025-12-31")
    view = service.view(audit.id)
    shown = {q for q, v in view.evaluation.visible.items() if v}
    assert questions_to_do(view) == shown
    service.set_answer(audit.id, "connected", "no")
    service.set_answer(audit.id, "query_count", 3)
    service.set_not_applicable(audit.id, "description", "no connection")
    todo = questions_to_do(service.view(audit.id))
    assert {"connected", "query_count", "description"}.isdisjoint(todo)
    assert {"reason_required", "review_date", "agencies"} <= todo
    assert "switch_vendor" not in todo  # hidden


def test_next_to_do_wraps_in_the_section_then_around(service: AuditService,
                                                    sample: LoadedChecklist) -> None:
    audit = service.create_audit(sample, jurisdiction="WA", period_start="2025-01-01",
                                 period_end="2025-12-31")
    service.set_answer(audit.id, "connected", "no")
    view = service.view(audit.id)
    # reason_required and review_date in section 1, agencies in section 2
    assert next_to_do(view, "connected") == "reason_required"
    assert next_to_do(view, "reason_required") == "review_date"
    # past the last to-do of its section, back to the section's first, not to the next
    assert next_to_do(view, "review_date") == "reason_required"
    assert next_to_do(view, "description") == "reason_required"
    # the current question itself comes last of all, after the other sections
    assert next_to_do(view, "agencies") == "reason_required"
    service.set_answer(audit.id, "reason_required", "always")
    service.set_answer(audit.id, "review_date", "2025-03-01")
    view = service.view(audit.id)
    assert next_to_do(view, "description") == "agencies"  # the section is done: on
    assert next_to_do(view, "agencies") == "agencies"  # the only one left
    assert next_to_do(view, None) == "agencies"
    service.set_answer(audit.id, "agencies", [{"agency": "ice", "blocked": "yes"}])
    assert next_to_do(service.view(audit.id), "agencies") is None
