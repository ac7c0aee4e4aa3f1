"""The attestation and transparency PDFs, rendered for real and read back with pypdf."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from pdf_reading import (
    all_text,
    attachments,
    filespecs,
    fonts,
    info,
    pages_text,
    printed_hashes,
    reader,
    squash,
    xmp_pdfa,
)
from report_fixtures import COMPLETE_ANSWERS

from app.audit import ChangeKind
from app.checklist.display import format_table, format_value
from app.report.manifest import encode_manifest
from app.report.pdf import render_attestation, render_transparency


@pytest.fixture
def attestation(service, complete_audit):
    return render_attestation(service.attestation(complete_audit))


def test_no_object_is_hidden_in_an_object_stream(attestation):
    # pyHanko reads an object inside an object stream by re-reading the stream's index, so a
    # tagged attestation with its structure elements in one stream took minutes to verify.
    assert reader(attestation.pdf).xref_objStm == {}
    assert len(reader(attestation.pdf).xref[0]) > 100  # objects at their own offsets


def test_every_answer_note_evidence_and_finding_is_in_the_text(service, complete_audit,
                                                                attestation):
    view = service.view(complete_audit)
    text = all_text(attestation.pdf)
    for question in view.checklist.checklist.questions():
        assert squash(question.prompt) in text, question.id
        value, note = COMPLETE_ANSWERS[question.id]
        if question.type == "table":
            for row in format_table(question, value):
                for cell in row:
                    assert squash(cell) in text, (question.id, cell)
        elif question.type == "multiple_choice":
            for choice in value:
                assert squash(question.label_for(choice)) in text
        else:
            assert squash(format_value(question, value)) in text, question.id
        if note:
            assert squash(note) in text, question.id
    for finding in view.evaluation.findings:
        for part in (finding.title, finding.detail, finding.recommendation,
                     *[c.text for c in finding.citations]):
            assert squash(part) in text
    [evidence] = view.evidence
    assert squash(evidence.name) in text
    assert evidence.sha256 in text
    assert view.checklist.sha256 in text
    assert complete_audit in text
    assert "Critical" in text and "Medium" in text


def test_manifest_attachment_matches_printed_hash_and_json_export(service, complete_audit,
                                                                  attestation, tmp_path):
    files = attachments(attestation.pdf)
    assert list(files) == ["manifest.json"]
    [content] = files["manifest.json"]
    manifest = json.loads(content)
    assert manifest["audit"]["id"] == complete_audit
    expected = encode_manifest(service.attestation(complete_audit))
    assert content == expected.content
    assert attestation.manifest_sha256 == expected.sha256

    last_page = pages_text(attestation.pdf)[-1]
    assert "Attestation" in last_page
    assert expected.sha256 in printed_hashes(last_page)
    cover = pages_text(attestation.pdf)[0]
    assert expected.sha256 in printed_hashes(cover)

    exported = tmp_path / "m.json"
    service.export(complete_audit, exported, "json")
    assert exported.read_bytes() == content

    [spec] = filespecs(attestation.pdf)
    assert spec["/AFRelationship"] == "/Data"
    assert spec["/F"] == "manifest.json"


def test_pdf_a_3b_claimed_fonts_embedded_no_producer(attestation):
    assert xmp_pdfa(attestation.pdf) == {"part": "3", "conformance": "A"}
    used = fonts(attestation.pdf)
    assert used, "no fonts found"
    assert all(used.values()), f"fonts not embedded: {[n for n, e in used.items() if not e]}"
    document_info = info(attestation.pdf)
    assert "/Producer" not in document_info
    assert document_info["/Title"].startswith("Attestation — Washington")
    catalog = reader(attestation.pdf).trailer["/Root"]
    intents = catalog["/OutputIntents"]
    assert intents[0].get_object()["/S"] == "/GTS_PDFA1"


def test_complete_audit_has_no_draft_mark_and_a_signature_box(attestation):
    pages = pages_text(attestation.pdf)
    assert attestation.draft is False
    assert not any("DRAFT" in page for page in pages)
    assert attestation.signature_box is not None
    assert attestation.signature_box.page == len(pages) - 1
    x1, y1, x2, y2 = attestation.signature_box.box
    width = float(reader(attestation.pdf).pages[-1].mediabox.width)
    height = float(reader(attestation.pdf).pages[-1].mediabox.height)
    assert 0 < x1 < x2 <= width and 0 < y1 < y2 <= height
    assert x2 - x1 > 200 and y2 - y1 > 80  # room for a visible signature
    assert "Reserved for the attesting official's digital signature" in pages[-1]
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
    for page in pages[1:]:
        assert "Washington · Attestation" in page


def test_draft_carries_the_watermark_on_every_page(service, draft_audit):
    rendered = render_attestation(service.attestation(draft_audit))
    pages = pages_text(rendered.pdf)
    assert rendered.draft is True
    assert len(pages) >= 3
    for page in pages:
        assert "DRAFT" in page
    assert "not for signature" in pages[-1]
    assert "requiredquestionsarenotanswered" in squash(pages[0])
    assert "Notanswered" in all_text(rendered.pdf)
    transparency = render_transparency(service.attestation(draft_audit))
    for page in pages_text(transparency.pdf):
        assert "DRAFT" in page


def test_changes_section_only_when_there_is_a_previous_audit(service, complete_audit,
                                                             sample_checklist):
    first = service.attestation(complete_audit)
    assert first.changes is None
    assert "Changessincethepreviousaudit" not in all_text(render_attestation(first).pdf)
    follow_up = service.create_audit(sample_checklist, jurisdiction="WA",
                                     period_start="2026-01-01", period_end="2026-12-31",
                                     based_on=complete_audit).id
    carried = service.attestation(follow_up)
    assert carried.changes == ()
    empty = all_text(render_attestation(carried).pdf)
    assert "Changessincethepreviousaudit" in empty
    assert "Noanswerorfindingchanged" in empty
    before = service.view(complete_audit).answers["reason_required"].value
    after = next(o for o in ("always", "never", "some_keys") if o != before)
    service.set_answer(follow_up, "reason_required", after)
    changed = service.attestation(follow_up)
    assert ChangeKind.ANSWER_CHANGED in {c.kind for c in changed.changes}
    text = all_text(render_attestation(changed).pdf)
    assert "Changessincethepreviousaudit" in text
    assert "Answerchanged" in text and "Isareasoncoderequired?" in text
    printed = {c.kind.label for c in changed.changes}
    assert all(squash(label) in text for label in printed)


def test_transparency_report_is_the_public_subset(service, complete_audit):
    view = service.view(complete_audit)
    rendered = render_transparency(service.attestation(view))
    text = all_text(rendered.pdf)
    for _value, note in COMPLETE_ANSWERS.values():
        if note:
            assert squash(note) not in text
    assert "switch-config-export" not in text
    assert view.evidence[0].sha256 not in text
    assert squash("State Patrol operates the switch in-house") not in text
    assert squash("The switch forwards DQ") not in text
    assert squash("ORI block at the switch") not in text
    assert "JaneAuditor" not in text
    assert squash("Block it at the switch.") not in text
    for finding in view.evaluation.findings:
        assert squash(finding.title) in text
        assert squash(finding.detail) in text
    assert "48,213" in text and "Yes" in text and "2025-03-01" in text
    assert "DQdriverquery" in text
    assert list(attachments(rendered.pdf)) == ["transparency.json"]
    public = json.loads(attachments(rendered.pdf)["transparency.json"][0])
    assert public["attestation_manifest_sha256"] == encode_manifest(
        service.attestation(view)).sha256
    assert rendered.attachment_sha256[:16] in text
    assert public["attestation_manifest_sha256"] in printed_hashes(pages_text(rendered.pdf)[0])
    assert xmp_pdfa(rendered.pdf) == {"part": "3", "conformance": "A"}
    assert all(fonts(rendered.pdf).values())
    assert not any("DRAFT" in page for page in pages_text(rendered.pdf))


def test_export_writes_pdf_and_transparency_files(service, complete_audit, tmp_path):
    pdf = service.export(complete_audit, tmp_path / "a.pdf", "pdf")
    assert (tmp_path / "a.pdf").read_bytes().startswith(b"%PDF-1.7")
    assert pdf.pages and pdf.pages >= 4 and not pdf.draft
    public = service.export(complete_audit, tmp_path / "t.pdf", "transparency")
    assert list(attachments((tmp_path / "t.pdf").read_bytes())) == ["transparency.json"]
    assert public.manifest_sha256 == pdf.manifest_sha256
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".part") == []


def test_export_reports_progress(service, complete_audit, tmp_path):
    steps = []
    service.export(complete_audit, tmp_path / "a.pdf", "pdf", progress=steps.append)
    assert steps[0] == "building the manifest"
    assert "laying out the pages" in steps and "writing the PDF/A file" in steps
    assert steps[-1].startswith("writing ")


@pytest.mark.parametrize("tool", ["qpdf"])
def test_structure_passes_qpdf_check(tool, attestation, tmp_path):
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed (Debian package {tool})")
    path = tmp_path / "a.pdf"
    path.write_bytes(attestation.pdf)
    result = subprocess.run([tool, "--check", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors found" in result.stdout


def test_poppler_sees_embedded_fonts_and_one_attachment(attestation, tmp_path):
    if shutil.which("pdffonts") is None or shutil.which("pdfdetach") is None:
        pytest.skip("pdffonts/pdfdetach are not installed (Debian package poppler-utils)")
    path = tmp_path / "a.pdf"
    path.write_bytes(attestation.pdf)
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                             check=True).stdout.splitlines()[2:]
    assert listing
    for line in listing:
        assert " yes yes yes " in line, line  # embedded, subset, ToUnicode
    detach = subprocess.run(["pdfdetach", "-list", str(path)], capture_output=True, text=True,
                            check=True).stdout
    assert detach.splitlines() == ["1 embedded files", "1: manifest.json"]


def test_the_attestation_statement_is_printed_as_the_signer_reads_it(service, complete_audit,
                                                                      attestation):
    paragraphs = service.attestation_statement(complete_audit).paragraphs()
    assert paragraphs[0] == "I, the undersigned, attest that:"
    assert [p[:3] for p in paragraphs[1:]] == ["1. ", "2. ", "3. ", "4. "]
    last_page = squash(pages_text(attestation.pdf)[-1])
    for paragraph in paragraphs:
        clause = paragraph.split(". ", 1)[1] if paragraph[0].isdigit() else paragraph
        assert squash(clause) in last_page, paragraph


def test_carried_forward_audit_shows_unconfirmed_answers_and_changes(service, complete_audit,
                                                                     sample_checklist):
    follow_up = service.create_audit(sample_checklist, jurisdiction="WA",
                                     period_start="2026-01-01", period_end="2026-12-31",
                                     based_on=complete_audit).id
    carried = render_attestation(service.attestation(follow_up))
    assert carried.draft
    text = all_text(carried.pdf)
    assert "carriedforward,notyetconfirmed" in text
    assert "answerscarriedforwardfromthepreviousauditnotyetconfirmed" in text
    assert "Changessincethepreviousaudit" in text
    assert "Noanswerorfindingchanged" in text

    view = service.view(follow_up)
    service.confirm(follow_up, list(view.evaluation.unconfirmed))
    service.set_answer(follow_up, "reason_required", "always")
    final = render_attestation(service.attestation(follow_up))
    assert not final.draft
    pages = pages_text(final.pdf)
    assert not any("DRAFT" in page for page in pages)
    text = all_text(final.pdf)
    assert "Answerchanged" in text and "Isareasoncoderequired?" in text
    assert "reason_required" in text and "never" in text and "always" in text
    assert "carriedforward,notyetconfirmed" not in text
    assert squash(f"Compared with audit {complete_audit}") in text
