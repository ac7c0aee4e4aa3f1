"""What the reports print of the flagship's content: sources, withheld findings, remedies."""

from __future__ import annotations

from pathlib import Path

import yaml

from app.audit import AuditService
from app.checklist import load_checklist
from app.report.context import attestation_context, transparency_context
from app.report.manifest import build_public_data

ROOT = Path(__file__).resolve().parents[2]


def _flagship_view(service: AuditService):
    loaded = load_checklist(ROOT / "checklists" / "nlets-dmv-data-sharing.yaml")
    audit = service.create_audit(loaded, jurisdiction="AZ", period_start="2025-01-01",
                                 period_end="2025-12-31", auditor="Jane Auditor")
    answers = yaml.safe_load((ROOT / "tests" / "fixtures" / "flagship-noncompliant.yaml")
                             .read_text(encoding="utf-8"))
    answers.pop("jurisdiction"), answers.pop("audit_period_start"), answers.pop("audit_period_end")
    service.import_answers(audit.id, answers)
    return service.attestation(audit.id)


def test_the_public_report_withholds_not_public_findings_and_says_how_many(
        service: AuditService) -> None:
    attestation = _flagship_view(service)
    view = attestation.view
    hidden = [f for f in view.evaluation.findings if not f.public]
    assert {f.rule_id for f in hidden} >= {"broadcast-not-covered", "queries-after-block",
                                           "credential-type-revealed"}
    public = transparency_context(attestation, "e" * 64, "f" * 64)
    titles = {f.title for f in public.findings}
    assert not titles & {f.title for f in hidden}
    assert public.withheld_findings == len(hidden)
    assert public.finding_total == len(view.evaluation.findings) - len(hidden)
    shown = {q.id: q for s in public.sections for q in s.questions}
    assert shown["credential_type_in_responses"].answer.kind == "withheld"
    assert shown["credential_type_in_responses"].answer.reason == "security"
    data = build_public_data(attestation, "f" * 64)
    assert data["withheld_findings"] == len(hidden)
    assert {f["rule_id"] for f in data["findings"]}.isdisjoint({f.rule_id for f in hidden})
    entry = next(a for a in data["answers"] if a["question_id"] == "lq_covered")
    assert entry["value"] is None and entry["withheld"] is True
    # the attestation keeps everything
    internal = attestation_context(attestation, "d" * 64)
    assert internal.withheld_findings == 0
    assert len(internal.findings) == len(view.evaluation.findings)


def test_citations_print_their_source_address(service: AuditService) -> None:
    context = attestation_context(_flagship_view(service), "d" * 64)
    cited = [c for s in context.sections for q in s.questions for c in q.citations]
    cited += [c for f in context.findings for c in f.citations]
    assert cited and all("<http" in c for c in cited)
    assert any("18 U.S.C. 2721(c) <https://uscode.house.gov/" in c for c in cited)


def test_the_attestation_has_a_legislative_view(service: AuditService) -> None:
    attestation = _flagship_view(service)
    view = attestation.view
    context = attestation_context(attestation, "d" * 64)
    groups = {g.label: [f.title for f in g.findings] for g in context.legislative}
    assert "Needs a statute" in groups and "An executive directive can close it" in groups
    assert sum(len(v) for v in groups.values()) == len(view.evaluation.findings)
    assert transparency_context(attestation, "e" * 64, "f" * 64).legislative == []
