"""Audits with a state overlay: kept with the audit, applied, printed, carried forward."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlmodel import select

from app.audit import AuditService
from app.checklist import load_checklist
from app.checklist.bundled import bundled_overlays
from app.checklist.loader import LoadedChecklist
from app.checklist.overlay import LoadedOverlay
from app.errors import UserFacingError
from app.report.context import attestation_context
from app.store.tables import AuditRow, ChecklistSourceRow

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def flagship() -> LoadedChecklist:
    return load_checklist(ROOT / "checklists" / "nlets-dmv-data-sharing.yaml")


@pytest.fixture(scope="module")
def maryland(flagship: LoadedChecklist) -> LoadedOverlay:
    return next(o for o in bundled_overlays(flagship) if o.overlay.overlay == "md-overlay")


def _answers(**changes: Any) -> dict[str, Any]:
    answers = yaml.safe_load((ROOT / "tests" / "fixtures" / "flagship-compliant.yaml")
                             .read_text(encoding="utf-8"))
    for key in ("jurisdiction", "audit_period_start", "audit_period_end"):
        answers.pop(key)
    answers.update(changes)
    return copy.deepcopy(answers)


def _md_audit(service: AuditService, flagship: LoadedChecklist, maryland: LoadedOverlay,
              **kwargs: Any) -> str:
    return service.create_audit(flagship, jurisdiction="MD", period_start="2025-01-01",
                                period_end="2025-12-31", overlays=[maryland], **kwargs).id


def test_the_overlay_is_kept_with_the_audit_and_applied(
        service: AuditService, flagship: LoadedChecklist, maryland: LoadedOverlay) -> None:
    audit_id = _md_audit(service, flagship, maryland)
    info = service.get_audit(audit_id)
    assert info.overlay_sha256s == (maryland.sha256,)
    with service.store.session() as session:
        stored = session.get(ChecklistSourceRow, maryland.sha256)
        assert stored is not None and stored.content == maryland.source
    view = service.view(audit_id)
    assert view.checklist.sha256 == flagship.sha256
    assert view.checklist.checklist.question("md_db_requester_statement") is not None
    assert [o.overlay.overlay for o in view.overlays] == ["md-overlay"]
    service.import_answers(audit_id, _answers(md_db_requester_statement="no",
                                              md_switch_access_controls="yes"))
    view = service.view(audit_id)
    assert {f.rule_id for f in view.evaluation.findings} == {"md-db-statement-missing"}
    assert service.verify_history(audit_id).problems == []


def test_a_draft_overlay_qualifies_the_statement_and_its_changes_are_printed(
        service: AuditService, flagship: LoadedChecklist, maryland: LoadedOverlay) -> None:
    audit_id = _md_audit(service, flagship, maryland)
    service.import_answers(audit_id, _answers(md_db_requester_statement="yes",
                                              md_switch_access_controls="yes"))
    attestation = service.attestation(audit_id)
    assert not attestation.ready
    assert any("md-overlay is a draft" in b for b in attestation.blockers)
    service.import_answers(audit_id, {"attestation_statement": "qualified",
                                      "attestation_exceptions": "The portal logs."})
    attestation = service.attestation(audit_id)
    assert attestation.ready and attestation.statement.qualified
    text = " ".join(attestation.statement.paragraphs())
    assert "md-overlay version 1), not approved by counsel" in text
    assert "The portal logs." in text
    context = attestation_context(attestation, "d" * 64)
    [block] = context.overlays
    assert block.overlay == "md-overlay" and "draft" in block.status
    assert any("severity raised from high to critical" in c and "Rationale:" in c
               and "Gen. Prov. 4-320.1" in c for c in block.changes)


def test_an_audit_without_overlays_is_unchanged(
        service: AuditService, flagship: LoadedChecklist) -> None:
    audit_id = service.create_audit(flagship, jurisdiction="MD", period_start="2025-01-01",
                                    period_end="2025-12-31").id
    view = service.view(audit_id)
    assert view.overlays == () and view.checklist.checklist == flagship.checklist
    service.import_answers(audit_id, _answers())
    assert not service.attestation(audit_id).statement.qualified


def test_an_overlay_for_another_state_is_refused(
        service: AuditService, flagship: LoadedChecklist, maryland: LoadedOverlay) -> None:
    with pytest.raises(UserFacingError, match="applies to MD, not VA"):
        service.create_audit(flagship, jurisdiction="VA", period_start="2025-01-01",
                             period_end="2025-12-31", overlays=[maryland])


def test_altered_overlay_bytes_or_list_are_detected(
        service: AuditService, flagship: LoadedChecklist, maryland: LoadedOverlay) -> None:
    audit_id = _md_audit(service, flagship, maryland)
    with service.store.session() as session:
        row = session.get(AuditRow, audit_id)
        row.overlay_sha256s = None
        session.add(row)
        session.commit()
    problems = service.verify_history(audit_id).problems
    assert any("overlay_sha256s was changed" in p for p in problems)


def test_carry_forward_keeps_overlay_answers(
        service: AuditService, flagship: LoadedChecklist, maryland: LoadedOverlay) -> None:
    first = _md_audit(service, flagship, maryland)
    service.import_answers(first, _answers(md_db_requester_statement="yes",
                                           md_switch_access_controls="no"))
    second = _md_audit(service, flagship, maryland, based_on=first)
    view = service.view(second)
    assert view.answers["md_db_requester_statement"].value == "yes"
    assert "md_db_requester_statement" in view.evaluation.unconfirmed
    with service.store.session() as session:
        rows = session.exec(select(ChecklistSourceRow)).all()
    assert len(rows) == 2  # the base and the overlay, each kept once


def test_the_command_line_applies_the_bundled_overlay_for_the_state(
        capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    from app.cli import main

    code = main(["--db", db_url, "new", "--checklist", "nlets-dmv-data-sharing",
                 "--jurisdiction", "md", "--period-start", "2025-01-01",
                 "--period-end", "2025-12-31"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "state overlay applied: md-overlay version 1 (draft" in err
    code = main(["--db", db_url, "new", "--checklist", "nlets-dmv-data-sharing",
                 "--jurisdiction", "md", "--period-start", "2025-01-01",
                 "--period-end", "2025-12-31", "--no-overlays"])
    out, err = capsys.readouterr()
    assert code == 0 and "overlay" not in err


def test_the_pdfs_print_overlay_changes_and_withhold_not_public_findings(
        service: AuditService, flagship: LoadedChecklist, maryland: LoadedOverlay) -> None:
    import io

    from pypdf import PdfReader

    from app.report.pdf import render_attestation, render_transparency

    audit_id = _md_audit(service, flagship, maryland)
    service.import_answers(audit_id, _answers(md_db_requester_statement="yes",
                                              md_switch_access_controls="no"))

    def text(pdf: bytes) -> str:
        return " ".join(" ".join((p.extract_text() or "")
                                 for p in PdfReader(io.BytesIO(pdf)).pages).split())

    attestation = service.attestation(audit_id)
    internal = text(render_attestation(attestation).pdf)
    assert "State overlay changes" in internal and maryland.sha256 in internal
    assert "severity raised from high to critical" in internal
    assert "The message switch lacks the access controls" in internal
    assert "Legislative view" in internal and "https://lexace.ai/" in internal
    public = text(render_transparency(attestation).pdf)
    assert "The message switch lacks the access controls" not in public
    assert "1 finding is withheld from this public report" in public


@pytest.mark.parametrize("written", ["MD", "md", " Maryland "])
def test_the_state_overlay_is_found_however_the_state_is_written(
        flagship: LoadedChecklist, written: str) -> None:
    from app.audit import state_overlays

    assert [o.overlay.overlay for o in state_overlays(flagship, written)] == ["md-overlay"]
    assert state_overlays(flagship, "Kansas") == []
