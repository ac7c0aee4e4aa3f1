"""Working copies: the XLSX matches the audit cell for cell, the CSV of the agencies table
round-trips through import-table (every cell validated), and the OSCAL assessment results
validate with compliance-trestle."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from report_fixtures import flagship_audit_with_log

from app.audit import AuditService
from app.checklist.display import format_value
from app.cli import main
from app.errors import UserFacingError
from app.store import open_store

TABLE = "agency_access"


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """The database of the report tests' `service` fixture, for the command line."""
    return f"sqlite:///{tmp_path}/t.sqlite3"


@pytest.fixture
def flagship(service: AuditService, tmp_path: Path) -> str:
    return flagship_audit_with_log(service, tmp_path)


def export(service: AuditService, audit: str, path: Path, fmt: str) -> Path:
    service.export(audit, path, fmt)
    return path


def test_the_xlsx_matches_the_audit_cell_for_cell(service, flagship, tmp_path):
    from openpyxl import load_workbook

    from app.report.xlsx import table_sheet_name

    book = load_workbook(export(service, flagship, tmp_path / "w.xlsx", "xlsx"))
    view = service.view(flagship)
    checklist = view.checklist.checklist
    names = book.sheetnames
    assert names[0] == "Audit" and names[-3:] == ["Findings", "Evidence", "History"]
    facts = {row[0]: row[1] for row in book["Audit"].iter_rows(min_row=2, values_only=True)}
    assert facts["Audit ID"] == view.audit.id
    assert facts["Checklist SHA-256"] == view.audit.checklist_sha256
    for number, section in enumerate(checklist.sections, start=1):
        sheet = book[names[number]]
        rows = list(sheet.iter_rows(min_row=2, values_only=True))
        assert [r[1] for r in rows] == [q.id for q in section.questions]
        for row, question in zip(rows, section.questions, strict=True):
            answer = view.answers.get(question.id)
            if answer is None or answer.value is None or question.type == "table":
                continue
            assert row[5] == format_value(question, answer.value), question.id
            assert (row[6] or "") == (answer.note or "")
    question = checklist.question(TABLE)
    sheet = book[table_sheet_name(question)]
    lines = list(sheet.iter_rows(values_only=True))
    assert list(lines[0]) == [c.label for c in question.columns]
    assert list(lines[1]) == [c.id for c in question.columns]
    stored = view.answers[TABLE].value
    assert len(lines) - 2 == len(stored)
    for line, row in zip(lines[2:], stored, strict=True):
        for cell, column in zip(line, question.columns, strict=True):
            assert cell == row.get(column.id), (column.id, cell, row)
    findings = list(book["Findings"].iter_rows(min_row=2, values_only=True))
    assert [f[1] for f in findings] == [f.rule_id for f in view.evaluation.findings]
    evidence = list(book["Evidence"].iter_rows(min_row=2, values_only=True))
    assert sorted(e[2] for e in evidence) == sorted(e.sha256 for e in view.evidence)
    history = list(book["History"].iter_rows(min_row=2, values_only=True))
    assert [h[8] for h in history] == [e.hash for e in service.history(flagship)]


def test_formula_text_stays_text(service, sample_checklist, tmp_path):
    from openpyxl import load_workbook
    from report_fixtures import new_audit

    audit = new_audit(service, sample_checklist)
    service.set_answer(audit, "connected", "yes")
    service.set_answer(audit, "switch_vendor", "=HYPERLINK(\"http://x.invalid\")")
    book = load_workbook(export(service, audit, tmp_path / "w.xlsx", "xlsx"))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row
             if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells and all(c.data_type == "s" for c in cells)


def test_the_csv_round_trips_through_the_table_import(service, flagship, tmp_path, db_url):
    folder = export(service, flagship, tmp_path / "csv", "csv")
    table = folder / f"table-{TABLE}.csv"
    before = service.view(flagship).answers[TABLE].value
    long = list(csv.DictReader(io.StringIO((folder / "answers.csv").read_text("utf-8"))))
    cells = [r for r in long if r["question_id"] == TABLE and r["column"]]
    assert len(cells) == sum(len(row) for row in before)
    # a second audit gets the table from the file and holds exactly the same rows
    (tmp_path / "other").mkdir()
    other = flagship_audit_with_log(service, tmp_path / "other")
    service.clear_answer(other, TABLE)
    assert main(["--db", db_url, "import-table", other, TABLE, str(table)]) == 0
    assert service.view(other).answers[TABLE].value == before
    # an edited copy: the change arrives, validated
    lines = table.read_text("utf-8").splitlines()
    header = lines[0].split(",")
    edited = next(csv.reader([lines[1]]))
    edited[header.index("blocked")] = "No"
    (tmp_path / "edited.csv").write_text("\n".join([lines[0], ",".join(
        f'"{v}"' for v in edited), *lines[2:]]) + "\n", encoding="utf-8")
    saved = service.import_table(other, TABLE, tmp_path / "edited.csv")
    assert saved.value[0]["blocked"] == "no"


def test_the_xlsx_round_trips_through_the_table_import(service, flagship, tmp_path):
    book = export(service, flagship, tmp_path / "w.xlsx", "xlsx")
    before = service.view(flagship).answers[TABLE].value
    service.clear_answer(flagship, TABLE)
    service.import_table(flagship, TABLE, book)
    assert service.view(flagship).answers[TABLE].value == before


@pytest.mark.parametrize(("content", "words"), [
    ("agency,blocked\nice_ero,maybe\n", ["bad.csv", "line 2", "blocked", "yes, no, unknown",
                                         "nothing was recorded"]),
    ("agency,colour\nice_ero,red\n", ["bad.csv line 1", "unknown column 'colour'"]),
    ("agency,blocked,blocked_since\nice_ero,yes,2025-02-30\n", ["line 2", "blocked_since"]),
    ("", ["bad.csv", "empty"]),
])
def test_a_bad_cell_is_refused_by_file_and_line(service, flagship, tmp_path, capsys, db_url,
                                                content, words):
    bad = tmp_path / "bad.csv"
    bad.write_text(content, encoding="utf-8")
    before = service.view(flagship).answers[TABLE].value
    with pytest.raises(UserFacingError) as refused:
        service.import_table(flagship, TABLE, bad)
    for word in words:
        assert word in str(refused.value), (word, str(refused.value))
    assert service.view(flagship).answers[TABLE].value == before
    assert main(["--db", db_url, "import-table", flagship, TABLE, str(bad)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "bad.csv" in err


def test_a_table_file_that_is_a_fifo_is_refused_at_once(service, flagship, tmp_path):
    import os

    fifo = tmp_path / "agencies.csv"
    os.mkfifo(fifo)  # reading it would wait forever for a writer
    with pytest.raises(UserFacingError, match="not a regular file|FIFO|pipe"):
        service.import_table(flagship, TABLE, fifo)


def test_a_question_that_is_not_a_table_is_refused(service, flagship, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a\n1\n", encoding="utf-8")
    with pytest.raises(UserFacingError, match="not a table question"):
        service.import_table(flagship, "nlets_connected", path)


def trestle_validate(path: Path, workspace: Path) -> subprocess.CompletedProcess:
    trestle = shutil.which("trestle") or str(Path(__import__("sys").executable).with_name(
        "trestle"))
    subprocess.run([trestle, "init"], cwd=workspace, check=True, capture_output=True)
    target = workspace / "assessment-results" / "audit" / "assessment-results.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, target)
    return subprocess.run([trestle, "validate", "-f", str(target)], cwd=workspace,
                          capture_output=True, text=True)


def test_the_oscal_assessment_results_validate(service, flagship, tmp_path):
    pytest.importorskip("trestle")
    from trestle.oscal.assessment_results import AssessmentResults

    path = export(service, flagship, tmp_path / "ar.json", "oscal-ar")
    model = AssessmentResults.oscal_read(path)
    view = service.view(flagship)
    result = model.results[0]
    assert [f.title for f in result.findings] == [f.title for f in view.evaluation.findings]
    assert len(result.risks) == len(view.evaluation.findings)
    recommendations = [r.remediations[0].description for r in result.risks if r.remediations]
    assert recommendations == [f.recommendation for f in view.evaluation.findings
                               if f.recommendation]
    hashes = {h.value for r in model.back_matter.resources for link in r.rlinks
              for h in link.hashes}
    assert hashes == {e.sha256 for e in view.evidence}
    evidence_links = [e.href for o in result.observations for e in (o.relevant_evidence or [])]
    assert evidence_links and all(h.startswith("#") for h in evidence_links)
    workspace = tmp_path / "trestle"
    workspace.mkdir()
    checked = trestle_validate(path, workspace)
    assert checked.returncode == 0 and "VALID" in checked.stdout, checked.stdout + checked.stderr
    assert export(service, flagship, tmp_path / "again.json", "oscal-ar").read_bytes() \
        == path.read_bytes()


def test_trestle_rejects_a_broken_file(service, flagship, tmp_path):
    pytest.importorskip("trestle")
    path = export(service, flagship, tmp_path / "ar.json", "oscal-ar")
    data = json.loads(path.read_text("utf-8"))
    del data["assessment-results"]["results"][0]["findings"][0]["target"]
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(data), encoding="utf-8")
    workspace = tmp_path / "trestle"
    workspace.mkdir()
    assert trestle_validate(broken, workspace).returncode != 0


def test_export_formats_on_the_command_line(service, flagship, tmp_path, db_url, capsys):
    for fmt, name in (("xlsx", "w.xlsx"), ("csv", "csv"), ("oscal-ar", "ar.json"),
                      ("transparency-web", "site")):
        assert main(["--db", db_url, "export", flagship, "--format", fmt, "-o",
                     str(tmp_path / name)]) == 0
        assert str(tmp_path / name) in capsys.readouterr().out
    (tmp_path / "file.txt").write_text("x")
    assert main(["--db", db_url, "export", flagship, "--format", "csv", "-o",
                 str(tmp_path / "file.txt")]) == 2
    assert "is a file" in capsys.readouterr().err


def test_the_store_is_unchanged_by_exports(tmp_path):
    """Exports read; they never write to the audit."""
    service = AuditService(open_store(f"sqlite:///{tmp_path}/x.sqlite3"), actor="t")
    audit = flagship_audit_with_log(service, tmp_path)
    head = service.view(audit).audit.history_head
    for fmt, name in (("xlsx", "w.xlsx"), ("csv", "csv"), ("oscal-ar", "ar.json")):
        service.export(audit, tmp_path / name, fmt)
    assert service.view(audit).audit.history_head == head
