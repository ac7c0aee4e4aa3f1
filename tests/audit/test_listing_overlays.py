"""The audit list counts an audit against the checklist it is answered against: its base
with the state overlays it applies, never the base alone."""

from __future__ import annotations

from pathlib import Path

from app.audit import AuditService
from app.checklist import load_checklist
from app.checklist.bundled import bundled_overlays

ROOT = Path(__file__).resolve().parents[2]


def test_the_list_counts_the_overlay_questions_and_findings(service: AuditService) -> None:
    flagship = load_checklist(ROOT / "checklists" / "nlets-dmv-data-sharing.yaml")
    maryland = next(o for o in bundled_overlays(flagship) if o.overlay.overlay == "md-overlay")
    audit_id = service.create_audit(flagship, jurisdiction="MD", period_start="2025-01-01",
                                    period_end="2025-12-31", overlays=[maryland]).id
    service.import_answers(audit_id, {"nlets_connected": "yes",
                                      "md_db_requester_statement": "no"})
    view = service.view(audit_id)
    assert any(f.rule_id == "md-db-statement-missing" for f in view.evaluation.findings)
    listed = next(s for s in service.list_audits() if s.audit.id == audit_id)
    assert (listed.done, listed.total, listed.findings) == (
        view.evaluation.progress.done, view.evaluation.progress.total,
        len(view.evaluation.findings))
