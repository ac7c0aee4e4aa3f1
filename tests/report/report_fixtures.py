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


FLAGSHIP = Path(__file__).resolve().parents[2] / "checklists" / "nlets-dmv-data-sharing.yaml"
ORIS = {"ice_ero": "CODHS0100, COICE0200, dcice*", "ice_hsi": "COHSI0300"}
LOG_LINES = [
    "2025-03-02T10:00:00,CODHS0100,DQ,CO,answered",
    "2025-05-02T10:00:00,CODHS0100,DQ,CO,answered",
    "2025-05-03T10:00:00,COICE0200,KQ,CO,answered",
    "2025-11-25T10:00:00,CODHS0100,DQ,CO,answered",
    "2025-06-01T12:00:00,COHSI0300,RQ,CO,answered",
    "2025-12-31T23:00:00,CO0170000,DQ,CO,answered",
]


def flagship_audit_with_log(service: AuditService, folder: Path, jurisdiction: str = "CO",
                            ) -> str:
    """The flagship checklist answered with the invented non-compliant answers, ORIs in
    the agency table and one imported query log (so the report has month charts)."""
    import yaml

    from app.checklist import load_checklist

    entries = yaml.safe_load((FIXTURES / "flagship-noncompliant.yaml").read_text("utf-8"))
    for key in ("jurisdiction", "audit_period_start", "audit_period_end"):
        entries.pop(key, None)
    for row in entries["agency_access"]:
        if row["agency"] in ORIS:
            row["oris"] = ORIS[row["agency"]]
    audit = service.create_audit(load_checklist(FLAGSHIP), jurisdiction=jurisdiction,
                                 period_start="2025-01-01", period_end="2025-12-31",
                                 auditor="A. Example")
    service.import_answers(audit.id, entries)
    log = folder / "switch-2025.csv"
    log.write_text("time,ori,message_key,destination,result\n" + "\n".join(LOG_LINES) + "\n",
                   encoding="utf-8")
    service.import_query_log(audit.id, log)
    return audit.id
