"""Shared data and helpers of the report tests (imported by conftest and the tests)."""

from __future__ import annotations

from pathlib import Path

from app.audit import AuditService

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

COMPLETE_ANSWERS = {
    "connected": ("yes", "Confirmed with the CJIS Systems Agency by letter."),
    "switch_vendor": ("State Patrol operates the switch in-house", None),
    "keys": (["dq", "kq"], "RQ is routed elsewhere."),
    "reason_required": ("never", None),
    "review_date": ("2025-06-30", None),
    "query_count": (48213, "Counted from the switch log."),
    "description": ("The switch forwards DQ and KQ traffic to the DMV host.\n\n"
                    "Photos are returned on KQ.", None),
    "agencies": ([
        {"agency": "ice", "blocked": "yes", "since": "2025-03-01", "queries": 0,
         "method": "ORI block at the switch"},
        {"agency": "cbp", "blocked": "no", "queries": 1234, "method": "none in place"},
    ], "CBP access continues under an older agreement."),
}



def new_audit(service: AuditService, checklist, **kwargs) -> str:
    """A new draft audit of WA for 2025; returns its id."""
    values = {"jurisdiction": "WA", "period_start": "2025-01-01",
              "period_end": "2025-12-31", "auditor": "Jane Auditor"}
    values.update(kwargs)
    return service.create_audit(checklist, **values).id


def answer_all(service: AuditService, audit_id: str, answers=None) -> None:
    """Answer every question of the sample checklist through the service."""
    for question_id, (value, note) in (answers or COMPLETE_ANSWERS).items():
        service.set_answer(audit_id, question_id, value, note=note)
