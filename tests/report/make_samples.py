"""Make the PNG samples in docs/samples/ from a filled demonstration audit.

Run: python tests/report/make_samples.py [--out docs/samples] [--dpi 70]
Uses the flagship checklist with the invented answers of tests/fixtures/flagship-
noncompliant.yaml when both are there, else the small demo checklist beside this script.
Needs pdftoppm (Debian poppler-utils). The answers are invented; the audit's title says so.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.audit import AuditService, ChangeKind, ChangeRecord, Signatory  # noqa: E402
from app.checklist import load_checklist  # noqa: E402
from app.report.pdf import render_attestation, render_transparency  # noqa: E402
from app.store import open_store  # noqa: E402
from tests.report.demo import fill_demo_answers  # noqa: E402

DEMO_CHECKLIST = Path(__file__).with_name("demo-checklist.yaml")
FLAGSHIP = ROOT / "checklists" / "nlets-dmv-data-sharing.yaml"
FLAGSHIP_ANSWERS = ROOT / "tests" / "fixtures" / "flagship-noncompliant.yaml"
TITLE = "Demonstration only — invented answers, not a real audit"
AUDITOR = "A. Example (demonstration)"

DEMO_ANSWERS = {
    "nlets_connected": ("yes", "Confirmed by the State Patrol's CJIS Systems Agency in a "
                               "written reply to the audit request."),
    "switch_operator": ("State Patrol (in-house switch); message routing supported by the "
                        "switch vendor under contract", None),
    "message_keys": (["dq", "kq", "rq", "rpq"], None),
    "reason_code": ("never", "The switch accepts DQ without a reason field; RSN is optional."),
    "ori_review": ("2025-09-30", None),
    "agency_blocks": ([
        {"agency": "ICE Enforcement and Removal Operations", "driver": "no", "photos": "no",
         "blocked": "yes", "since": "2025-03-01", "mechanism": "ORI block at the state switch",
         "verified": "yes"},
        {"agency": "Homeland Security Investigations", "driver": "no", "photos": "no",
         "blocked": "yes", "since": "2025-03-01", "mechanism": "ORI block at the state switch",
         "verified": "yes"},
        {"agency": "Customs and Border Protection, incl. Border Patrol", "driver": "yes",
         "photos": "no", "blocked": "no", "mechanism": "none", "verified": "no"},
        {"agency": "U.S. Citizenship and Immigration Services", "driver": "no",
         "photos": "no", "blocked": "yes", "since": "2025-04-15",
         "mechanism": "message-key refusal", "verified": "unknown"},
    ], "Block dates from the switch change log; CBP access continues under a 2019 agreement."),
    "logs_obtained": ("yes", "Nlets RAND extract and the state switch log, both for the full "
                             "period."),
    "federal_queries": (48_213, None),
    "queries_after_block": (17, "17 DQ responses to one HSI ORI in the week after the block."),
    "transparency_report": ("no", None),
    "warrant_required": ("yes", None),
    "dppa_b1_immigration": ("no", None),
    "policy_summary": ("The Department of Licensing discloses driver records to federal "
                       "agencies only as required by law or by court order. Requests that "
                       "name immigration enforcement as their purpose are referred to "
                       "counsel.\n\nThe policy was last revised in 2025.", None),
}

CHANGES = [
    ChangeRecord(ChangeKind.ANSWER_CHANGED, "reason_code", "Is a reason code required?",
                 "For some message keys", "Never"),
    ChangeRecord(ChangeKind.ANSWER_CHANGED, "queries_after_block",
                 "Queries answered after the block", "0", "17"),
    ChangeRecord(ChangeKind.FINDING_NEW, "queries-after-block",
                 "Queries were answered after a block took effect", after="high"),
    ChangeRecord(ChangeKind.FINDING_RESOLVED, "no-logs", "No query logs were obtained",
                 before="high"),
]

# The sample pages: (report, how to find the page, file name).
PAGES = [
    ("attestation", "first", "attestation-1-cover.png"),
    ("attestation", "Executive summary", "attestation-2-summary.png"),
    ("attestation", "Findings and recommendations", "attestation-3-findings.png"),
    ("attestation", "agency table", "attestation-4-agencies.png"),
    ("attestation", "last", "attestation-5-signature.png"),
    ("transparency", "agency table", "transparency-1-public-answers.png"),
]


def build_flagship_audit(service: AuditService) -> str:
    """The flagship checklist answered with the invented non-compliant answers."""
    import yaml

    loaded = load_checklist(FLAGSHIP)
    entries = yaml.safe_load(FLAGSHIP_ANSWERS.read_text(encoding="utf-8"))
    jurisdiction = str(entries.get("jurisdiction", "AZ")).upper()
    audit = service.create_audit(loaded, jurisdiction=jurisdiction, period_start="2025-01-01",
                                 period_end="2025-12-31", title=TITLE, auditor=AUDITOR)
    service.import_answers(audit.id, entries, source=FLAGSHIP_ANSWERS.name)
    add_demo_evidence(service, audit.id, loaded.checklist)
    fill_demo_answers(service, audit.id)
    return audit.id


def add_demo_evidence(service: AuditService, audit_id: str, checklist) -> None:
    """Three small invented evidence files on the first questions that take them."""
    table = next((q for q in checklist.questions() if q.type == "table"), None)
    targets = [q.id for q in checklist.questions()][:2] + ([table.id] if table else [])
    with tempfile.TemporaryDirectory() as folder:
        for (name, content), question in zip([
                ("switch-change-log-2025-11.csv", b"date,ori,action\n"),
                ("rand-extract-2025.csv", b"time,ori,key,result\n"),
                ("block-directive-2025-11-07.pdf", b"%PDF-1.7 demo\n")], targets,
                strict=False):
            path = Path(folder) / name
            path.write_bytes(content)
            service.add_evidence(audit_id, question, path, "2025-11-30")


def build_demo_audit(service: AuditService, checklist_path: Path) -> str:
    """Create and fill the demonstration audit; returns its id."""
    loaded = load_checklist(checklist_path)
    audit = service.create_audit(
        loaded, jurisdiction="WA", period_start="2025-01-01", period_end="2025-12-31",
        title=TITLE, auditor=AUDITOR)
    questions = {q.id for q in loaded.checklist.questions()}
    if set(DEMO_ANSWERS) <= questions:
        for question_id, (value, note) in DEMO_ANSWERS.items():
            service.set_answer(audit.id, question_id, value, note=note)
        with tempfile.TemporaryDirectory() as folder:
            for name, content, question, date in [
                ("switch-change-log-2025-03.csv", b"date,ori,action\n", "agency_blocks",
                 "2025-03-01"),
                ("rand-extract-2025.csv", b"time,ori,key,result\n", "logs_obtained",
                 "2025-12-31"),
                ("dol-disclosure-policy-2025.pdf", b"%PDF-1.7 demo\n", "policy_summary",
                 "2025-06-01"),
            ]:
                path = Path(folder) / name
                path.write_bytes(content)
                service.add_evidence(audit.id, question, path, date)
    fill_demo_answers(service, audit.id)
    return audit.id


def changes_for(view) -> tuple[ChangeRecord, ...]:
    """Invented "changes since the previous audit", to show that section."""
    if view.audit.checklist_id == "report-demo":
        return tuple(CHANGES)
    findings = view.evaluation.findings
    records = [ChangeRecord(ChangeKind.FINDING_NEW, f.rule_id, f.title, after=f.severity.value)
               for f in findings[:2]]
    return (*records, ChangeRecord(ChangeKind.FINDING_RESOLVED, "no-query-logs",
                                   "No query logs were obtained", before="high"))


def agency_table_prompt(view) -> str:
    """The prompt of the table question in the section about agencies."""
    sections = view.checklist.checklist.sections
    ordered = [s for s in sections if "agenc" in s.title.lower()] + list(sections)
    for section in ordered:
        for question in section.questions:
            if question.type == "table":
                return question.prompt
    return ""


def pages_text(pdf: bytes) -> list[str]:
    """The text of each page, without whitespace."""
    import io
    import re

    from pypdf import PdfReader

    return [re.sub(r"\s+", "", page.extract_text() or "")
            for page in PdfReader(io.BytesIO(pdf)).pages]


def find_page(texts: list[str], marker: str, table_prompt: str) -> int:
    """The 1-based number of the page a sample shows."""
    import re

    if marker == "first":
        return 1
    if marker == "last":
        return len(texts)
    if marker == "agency table":  # the section page, after findings that cite the question
        wanted = re.sub(r"\s+", "", table_prompt[:60])
        numbers = range(len(texts), 0, -1)
    else:
        wanted = re.sub(r"\s+", "", marker)
        numbers = range(1, len(texts) + 1)
    for number in numbers:
        if wanted and wanted in texts[number - 1]:
            return number
    return 1


def shrink_png(source: Path, target: Path) -> None:
    """Save a page with a small palette: a third of the size, the same to the eye."""
    from PIL import Image

    with Image.open(source) as image:
        image.convert("RGB").quantize(colors=96).save(target, optimize=True)


def main() -> int:
    """Render the demo audit and write the sample pages."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--demo", action="store_true",
                        help="use the small demo checklist even when the flagship is there")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "samples")
    parser.add_argument("--dpi", type=int, default=70)
    args = parser.parse_args()
    if shutil.which("pdftoppm") is None:
        print("pdftoppm is missing: apt-get install poppler-utils", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as work:
        work_path = Path(work)
        service = AuditService(open_store(f"sqlite:///{work_path / 'demo.sqlite3'}"),
                               actor="demo")
        if FLAGSHIP.is_file() and FLAGSHIP_ANSWERS.is_file() and not args.demo:
            audit_id = build_flagship_audit(service)
        else:
            audit_id = build_demo_audit(service, DEMO_CHECKLIST)
        view = service.view(audit_id)
        print(f"checklist {view.audit.checklist_id}: {len(view.evaluation.findings)} findings, "
              f"{view.evaluation.progress.done}/{view.evaluation.progress.total} resolved")
        reports = {
            "attestation": render_attestation(replace(
                service.attestation(view), changes=changes_for(view), signatory=Signatory(
                    name="Alex Example",
                    title="General Counsel to the Governor (demonstration)"))),
            "transparency": render_transparency(service.attestation(view)),
        }
        table_prompt = agency_table_prompt(view)
        args.out.mkdir(parents=True, exist_ok=True)
        for kind, report in reports.items():
            (work_path / f"{kind}.pdf").write_bytes(report.pdf)
            print(f"{kind}: {report.pages} pages, draft={report.draft}")
        texts = {kind: pages_text(report.pdf) for kind, report in reports.items()}
        for kind, marker, name in PAGES:
            page = find_page(texts[kind], marker, table_prompt)
            prefix = work_path / f"{kind}-{page}"
            subprocess.run(["pdftoppm", "-png", "-r", str(args.dpi), "-f", str(page),
                            "-l", str(page), "-singlefile", str(work_path / f"{kind}.pdf"),
                            str(prefix)], check=True)
            shrink_png(Path(f"{prefix}.png"), args.out / name)
            print(f"wrote {args.out / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
