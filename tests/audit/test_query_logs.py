"""Importing a query log into an audit: blocks checked against the audit's own agencies,
answers filled, the analysis kept as evidence; refusals that record nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.audit import AuditService
from app.checklist import LoadedChecklist, load_checklist
from app.cli import main
from app.errors import UserFacingError

ROOT = Path(__file__).resolve().parents[2]
FLAGSHIP = ROOT / "checklists" / "nlets-dmv-data-sharing.yaml"

AGENCIES = [
    {"agency": "ice_ero", "oris": "WAICE0100, dcice*", "blocked": "yes",
     "blocked_since": "2025-11-19"},
    {"agency": "cbp", "oris": "WACBP0200", "blocked": "no"},
    {"agency": "ice_hsi", "blocked": "unknown"},
]

HEADER = "time,ori,message_key,destination,result\n"
QUIET = [  # ICE answered before its block, refused after; CBP answered; a state agency
    "2025-03-02T10:00:00,WAICE0100,DQ,WA,answered",
    "2025-11-19T09:00:00,DCICE0001,DQ,WA,answered",  # the block day itself: not after it
    "2025-11-20T08:00:00,WAICE0100,KQ,WA,refused",
    "2025-12-01T08:00:00,DCICE0002,DQ,NL,refused",
    "2025-06-01T12:00:00,WACBP0200,RQ,WA,answered",
    "2025-12-31T23:00:00,WA0170000,DQ,WA,answered",
]


@pytest.fixture
def flagship() -> LoadedChecklist:
    return load_checklist(FLAGSHIP)


@pytest.fixture
def audit(service: AuditService, flagship: LoadedChecklist) -> str:
    audit_id = service.create_audit(flagship, jurisdiction="WA", period_start="2025-01-01",
                                    period_end="2025-12-31").id
    service.import_answers(audit_id, {"block_directive": "yes", "agency_access": AGENCIES,
                                      "rand_log_obtained": "yes"})
    return audit_id


def write_log(folder: Path, lines: list[str], name: str = "switch-2025.csv") -> Path:
    path = folder / name
    path.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def rows(service: AuditService, audit_id: str) -> list[dict]:
    return service.view(audit_id).answers["agency_access"].value


def test_a_block_that_holds_is_verified_and_the_analysis_kept(service, audit, tmp_path):
    log = write_log(tmp_path, QUIET)
    result = service.import_query_log(audit, log)

    ice, cbp, hsi = rows(service, audit)
    assert ice["verified_in_logs"] == "yes" and ice["queries_after_block"] == 0
    assert "verified_in_logs" not in cbp and "queries_after_block" not in cbp  # not blocked
    assert hsi == AGENCIES[2]  # no ORIs: not counted, left alone
    assert any("no ORIs listed" in line for line in result.not_filled)

    view = service.view(audit)
    assert view.answers["logs_period_start"].value == "2025-03-02"
    assert view.answers["logs_period_end"].value == "2025-12-31"
    rules = {f.rule_id for f in view.evaluation.findings}
    assert "queries-after-block" not in rules

    counts = {c.label: c for c in result.analysis.agencies}
    ice_count = counts["ICE Enforcement and Removal Operations (ERO)"]
    assert (ice_count.queries, ice_count.answered, ice_count.after_block,
            ice_count.answered_after_block) == (4, 2, 2, 0)
    assert result.analysis.unmatched == 1

    evidence = result.evidence
    assert evidence is not None and evidence.question_id == "agency_access"
    kept = json.loads(service.evidence_content(evidence.sha256))
    assert kept["source_sha256"] == result.analysis.source_sha256
    assert kept["rows"] == len(QUIET)
    assert service.verify_history(audit).ok
    reasons = [e.reason or "" for e in service.history(audit)]
    assert any(r.startswith("query log switch-2025.csv") for r in reasons)

    again = service.import_query_log(audit, log)  # the same log again: nothing new
    assert again.filled == [] and again.evidence == evidence
    assert len(service.view(audit).evidence) == 1


def test_a_block_that_fails_is_a_critical_finding(service, audit, tmp_path):
    log = write_log(tmp_path, [*QUIET, "2025-11-25T15:30:00,DCICE0003,DQ,WA,answered"])
    result = service.import_query_log(audit, log)
    ice = rows(service, audit)[0]
    assert ice["verified_in_logs"] == "no" and ice["queries_after_block"] == 1
    assert any("Queries answered after the block date = 1" in line for line in result.filled)
    findings = {f.rule_id: f for f in service.view(audit).evaluation.findings}
    assert findings["queries-after-block"].severity == "critical"
    # the log shows the block failing: the finding says so, not "never verified"
    assert findings["block-failed-in-logs"].severity == "critical"
    assert "block-not-verified-in-logs" not in findings or "ice" not in " ".join(
        findings["block-not-verified-in-logs"].concerns).lower()


def test_before_any_log_a_block_is_never_verified(service, audit):
    findings = {f.rule_id for f in service.view(audit).evaluation.findings}
    assert "block-not-verified-in-logs" in findings
    assert "block-failed-in-logs" not in findings


def test_a_stated_federal_count_is_compared_with_the_log(service, audit, tmp_path):
    service.import_answers(audit, {"logs_by_agency": "yes", "federal_query_count": 120_450})
    result = service.import_query_log(audit, write_log(tmp_path, QUIET), dry_run=True)
    [warning] = [w for w in result.warnings if "federal queries" in w]
    assert "120,450 federal queries" in warning and "federal_query_count" in warning
    counted = sum(count.queries for count in result.analysis.agencies) + sum(
        item.queries for item in result.analysis.unmatched_oris if item.federal)
    assert f"this log holds {counted:,}" in warning
    service.set_answer(audit, "federal_query_count", counted)
    again = service.import_query_log(audit, write_log(tmp_path, QUIET), dry_run=True)
    assert not [w for w in again.warnings if "federal queries" in w]


def test_a_dry_run_records_nothing(service, audit, tmp_path):
    before = len(service.history(audit))
    result = service.import_query_log(audit, write_log(tmp_path, QUIET), dry_run=True)
    assert result.evidence is None and result.filled
    assert len(service.history(audit)) == before
    assert "verified_in_logs" not in rows(service, audit)[0]


def test_refusals_name_what_to_do_and_record_nothing(service, audit, flagship, sample,
                                                     tmp_path):
    log = write_log(tmp_path, QUIET)
    without_oris = service.create_audit(flagship, jurisdiction="WA",
                                        period_start="2025-01-01", period_end="2025-12-31").id
    service.import_answers(without_oris, {"agency_access": [AGENCIES[2]]})
    with pytest.raises(UserFacingError, match="lists its ORIs: fill in “ORIs concerned”"):
        service.import_query_log(without_oris, log)

    other = service.create_audit(sample, jurisdiction="WA", period_start="2025-01-01",
                                 period_end="2025-12-31").id
    with pytest.raises(UserFacingError, match="no `log_analysis` section"):
        service.import_query_log(other, log)

    bad_ori = [{**AGENCIES[0], "oris": "WAICE0100, ICE/HQ"}]
    with pytest.raises(UserFacingError, match="'ICE/HQ' is not an ORI"):
        service.import_answers(without_oris, {"agency_access": bad_ori})

    before = len(service.history(audit))
    broken = write_log(tmp_path, ["not a time,WAICE0100,DQ,WA,answered"], "broken.csv")
    with pytest.raises(UserFacingError, match="broken.csv"):
        service.import_query_log(audit, broken)
    assert len(service.history(audit)) == before


def test_the_command_line(capsys, db_url, service, audit, tmp_path):
    log = tmp_path / "rand.csv"
    log.write_text("When,Originator,Key,Dest,Outcome\n" + "\n".join(QUIET) + "\n",
                   encoding="utf-8")
    args = ["--db", db_url, "logs", "import", audit, str(log), "--map", "time=When",
            "--map", "ori=Originator", "--map", "message_key=Key", "--map",
            "destination=Dest", "--map", "result=Outcome"]
    assert main([*args, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "rand.csv: 6 queries, 2025-03-02 to 2025-12-31" in out
    assert "block HOLDS" in out and "dry run: nothing recorded" in out

    assert main(args) == 0
    out = capsys.readouterr().out
    assert "kept as evidence: query-log-analysis-rand.json" in out

    code = main(["--db", db_url, "logs", "import", audit, str(log)])
    err = capsys.readouterr().err
    assert code == 2 and "rand.csv" in err and "Traceback" not in err
    assert main(["--db", db_url, "logs", "import", audit, str(log), "--map", "when"]) == 2


def test_the_attestation_shows_what_the_logs_show(service, audit, tmp_path):
    from pypdf import PdfReader


    failing = write_log(tmp_path, [*QUIET, "2025-11-25T15:30:00,DCICE0003,DQ,WA,answered"])
    result = service.import_query_log(audit, failing)
    # a file that only looks like an analysis is evidence, not a query-log analysis
    lookalike = tmp_path / "query-log-analysis-forged.json"
    lookalike.write_text(json.dumps({**result.analysis.to_json(), "source_name": "forged.csv"}))
    service.add_evidence(audit, "agency_access", lookalike)

    pdf = tmp_path / "attestation.pdf"
    service.export(audit, pdf)
    text = " ".join((page.extract_text() or "") for page in PdfReader(pdf).pages)
    text = " ".join(text.split())
    assert "Query-log evidence" in text
    assert result.analysis.source_sha256 in text and result.evidence.sha256 in text
    assert "Block FAILS" in text
    assert "forged.csv" not in text


def test_a_concurrent_edit_during_the_import_is_not_undone(service, audit, tmp_path,
                                                          monkeypatch):
    import app.logs

    real = app.logs.analyse_log
    edited = [{**AGENCIES[0], "mechanism": "switch_ori"}, *AGENCIES[1:]]

    def analyse_while_someone_edits(*args, **kwargs):
        # Another auditor saves the agencies table while the log is being counted.
        service.set_answer(audit, "agency_access", edited)
        return real(*args, **kwargs)

    monkeypatch.setattr(app.logs, "analyse_log", analyse_while_someone_edits)
    before = len(service.history(audit))
    with pytest.raises(UserFacingError) as caught:
        service.import_query_log(audit, write_log(tmp_path, QUIET))
    assert "agency_access" in str(caught.value)
    edited = [{**row, "oris": row["oris"].upper()} if "oris" in row else row for row in edited]
    assert rows(service, audit) == edited  # the edit stands
    history = service.history(audit)
    assert len(history) == before + 1  # the edit alone: no answer, no evidence recorded
    assert service.view(audit).evidence == []

    monkeypatch.setattr(app.logs, "analyse_log", real)
    service.import_query_log(audit, write_log(tmp_path, QUIET))  # read again: merged
    ice = rows(service, audit)[0]
    assert ice["mechanism"] == "switch_ori" and ice["verified_in_logs"] == "yes"
    imported = [e for e in service.history(audit) if e.question_id == "agency_access"
                and e.kind == "answer_imported"][-1]
    assert imported.old == edited or (imported.old or {}).get("value") == edited


def test_answers_and_evidence_of_an_import_are_one_transaction(service, audit, tmp_path,
                                                               monkeypatch):
    import app.audit.answers

    def fail(*args, **kwargs):
        raise UserFacingError("the disk is full")

    monkeypatch.setattr(app.audit.answers, "attach_evidence", fail)
    with pytest.raises(UserFacingError, match="disk is full"):
        service.import_query_log(audit, write_log(tmp_path, QUIET))
    assert "verified_in_logs" not in rows(service, audit)[0]  # the answers rolled back too


def test_carried_verification_expires(service, audit, flagship, tmp_path):
    service.import_query_log(audit, write_log(tmp_path, QUIET))
    last_year = rows(service, audit)[0]
    assert last_year["verified_in_logs"] == "yes" and last_year["queries_after_block"] == 0
    assert service.view(audit).answers["logs_period_end"].value == "2025-12-31"

    next_year = service.create_audit(flagship, jurisdiction="WA", period_start="2026-01-01",
                                     period_end="2026-12-31", based_on=audit).id
    view = service.view(next_year)
    carried = view.answers["agency_access"].value
    assert "verified_in_logs" not in carried[0] and "queries_after_block" not in carried[0]
    assert carried[0]["oris"] == "WAICE0100, DCICE*"  # what the auditor stated is carried
    assert "logs_period_start" not in view.answers and "logs_period_end" not in view.answers
    # "Confirm all" confirms the table as it is now: without last year's verification.
    service.confirm(next_year, ["agency_access"])
    assert "verified_in_logs" not in rows(service, next_year)[0]
    # This period's log fills them again.
    service.import_query_log(next_year, write_log(tmp_path, [
        "2026-03-02T10:00:00,WAICE0100,DQ,WA,refused"], "switch-2026.csv"))
    assert rows(service, next_year)[0]["verified_in_logs"] == "yes"
