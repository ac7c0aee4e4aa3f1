"""`nlets-audit export` end to end, and the cost of importing the report package."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from pdf_reading import attachments
from report_fixtures import answer_all, new_audit

from app.cli import main
from app.report.manifest import encode_manifest


@pytest.fixture
def db_url(tmp_path, monkeypatch):
    monkeypatch.setenv("NLETS_AUDIT_HOME", str(tmp_path / "home"))
    return f"sqlite:///{tmp_path}/cli.sqlite3"


@pytest.fixture
def cli_audit(db_url, sample_checklist):
    from app.audit import AuditService
    from app.store import open_store

    service = AuditService(open_store(db_url), actor="tester")
    audit_id = new_audit(service, sample_checklist)
    answer_all(service, audit_id)
    return service, audit_id


def test_export_pdf_json_and_transparency(db_url, cli_audit, tmp_path, capsys):
    service, audit_id = cli_audit
    assert main(["--db", db_url, "export", audit_id[:10], "-o", str(tmp_path / "a.pdf")]) == 0
    out = capsys.readouterr().out
    assert "attestation PDF/A-3a" in out and str(tmp_path / "a.pdf") in out
    manifest = encode_manifest(service.attestation(audit_id))
    assert manifest.sha256 in out
    assert attachments((tmp_path / "a.pdf").read_bytes())["manifest.json"] == [
        manifest.content]

    assert main(["--db", db_url, "export", audit_id, "-o", str(tmp_path / "m.json"),
                 "--format", "json"]) == 0
    assert (tmp_path / "m.json").read_bytes() == manifest.content
    assert json.loads((tmp_path / "m.json").read_bytes())["audit"]["id"] == audit_id

    assert main(["--db", db_url, "export", audit_id, "-o", str(tmp_path / "t.pdf"),
                 "--format", "transparency"]) == 0
    assert "transparency report" in capsys.readouterr().out
    assert list(attachments((tmp_path / "t.pdf").read_bytes())) == ["transparency.json"]


def test_export_says_when_the_audit_is_a_draft(db_url, sample_checklist,
                                               tmp_path, capsys):
    from app.audit import AuditService
    from app.store import open_store

    service = AuditService(open_store(db_url), actor="tester")
    audit_id = new_audit(service, sample_checklist)
    assert main(["--db", db_url, "export", audit_id, "-o", str(tmp_path / "d.pdf")]) == 0
    assert "DRAFT" in capsys.readouterr().out


@pytest.mark.parametrize("args, message", [
    (["--format", "docx"], "Invalid value for '--format'"),
    (["-o", "{tmp}/missing-folder/a.pdf"], "does not exist"),
    (["-o", "{tmp}"], "is a folder"),
])
def test_export_bad_input_exits_2(db_url, cli_audit, tmp_path, capsys, args,
                                  message):
    _, audit_id = cli_audit
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    if "-o" not in args:
        args += ["-o", str(tmp_path / "x.pdf")]
    assert main(["--db", db_url, "export", audit_id, *args]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_export_unknown_audit_exits_2(db_url, cli_audit, tmp_path, capsys):
    assert main(["--db", db_url, "export", "ffff0000", "-o", str(tmp_path / "x.pdf")]) == 2
    assert "no audit with id" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_a_failed_render_leaves_no_file(db_url, cli_audit, tmp_path, monkeypatch,
                                       capsys):
    import app.report.pdf as pdf_module
    from app.report.pdf import ReportError

    _, audit_id = cli_audit
    target = tmp_path / "a.pdf"
    target.write_bytes(b"earlier good export")

    def refuse(*args, **kwargs):
        raise ReportError("the report tried to load something else; nothing was written")

    monkeypatch.setattr(pdf_module, "html_to_pdf", refuse)
    assert main(["--db", db_url, "export", audit_id, "-o", str(target)]) == 2
    assert "nothing was written" in capsys.readouterr().err
    assert target.read_bytes() == b"earlier good export"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_importing_the_report_package_does_not_load_weasyprint_or_pypdf():
    code = ("import sys\n"
            "import app.report, app.audit.export\n"
            "import app.report.manifest, app.report.context, app.report.html\n"
            "heavy = [m for m in ('weasyprint', 'pypdf', 'pydyf', 'fontTools')\n"
            "         if m in sys.modules]\n"
            "print(','.join(heavy))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == ""


def test_export_includes_changes_since_the_previous_audit(service, complete_audit,
                                                          sample_checklist, tmp_path):
    from pdf_reading import all_text


    follow_up = service.create_audit(sample_checklist, jurisdiction="WA",
                                     period_start="2026-01-01", period_end="2026-12-31",
                                     based_on=complete_audit).id
    service.confirm(follow_up, list(service.view(follow_up).evaluation.unconfirmed))
    service.set_answer(follow_up, "query_count", 9)
    service.export(follow_up, tmp_path / "f.pdf")
    text = all_text((tmp_path / "f.pdf").read_bytes())
    assert "Changessincethepreviousaudit" in text and "48,213" in text
    service.export(complete_audit, tmp_path / "c.pdf")
    assert "Changessincethepreviousaudit" not in all_text((tmp_path / "c.pdf").read_bytes())
