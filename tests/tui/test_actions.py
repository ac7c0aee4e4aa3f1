"""Evidence, not-applicable refused, remembered auditor, delete, export and signing."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from pathlib import Path

import pytest
from textual.widgets import Button, Checkbox, Input, RadioButton, RadioSet

from app.audit import AuditInfo, AuditService
from app.checklist import LoadedChecklist, load_checklist
from app.tui.app import AuditApp
from app.tui.config import load_settings, settings_path
from app.tui.dialogs.confirm import ConfirmDialog
from app.tui.dialogs.evidence import EvidenceDialog
from app.tui.dialogs.export import ExportDialog
from app.tui.dialogs.new_audit import NewAuditDialog
from app.tui.dialogs.sign import SignDialog
from app.tui.screens.audit import AuditScreen
from app.tui.screens.review import ReviewScreen
from app.tui.widgets.card_actions import CardActions

from .helpers import (
    SAMPLE,
    card,
    dialog_from_field,
    focus,
    open_first_audit,
    opened,
    settle,
    text_of,
    type_text,
)

COMPLETE = {
    "connected": "yes", "switch_vendor": "Washington State Patrol ACCESS", "keys": ["dq"],
    "reason_required": "always", "review_date": "2025-06-30",
    "agencies": [{"agency": "ice", "blocked": "yes", "since": "2025-11-19"},
                 {"agency": "cbp", "blocked": "yes", "since": "2025-11-20"}],
}


async def test_attach_evidence_shows_hash(service: AuditService, audit: AuditInfo,
                                          tmp_path: Path) -> None:
    extract = tmp_path / "orion-review.pdf"
    extract.write_bytes(b"%PDF-1.4 review minutes")
    app = AuditApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_audit(pilot)
        dialog = await dialog_from_field(pilot, "review_date", "f3", EvidenceDialog)
        dialog.query_one("#evidence-path", Input).value = str(tmp_path / "missing.pdf")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog
        error = text_of(dialog.query_one("#evidence-error"))
        assert "missing.pdf does not exist" in error and "Fix:" in error
        # pasted from a file manager, in quotes
        dialog.query_one("#evidence-path", Input).value = f"'{extract}'"
        dialog.query_one("#evidence-date", Input).value = "2024-05-01"
        await pilot.click("#attach")
        await settle(pilot)
        assert app.screen is not dialog
        stored = service.view(audit.id).evidence_for("review_date")
        digest = hashlib.sha256(extract.read_bytes()).hexdigest()
        assert [(e.name, e.sha256, e.effective_date) for e in stored] == [
            ("orion-review.pdf", digest, "2024-05-01")]
        shown = text_of(card(app, "review_date").query_one(".q-evidence"))
        assert "orion-review.pdf" in shown and digest in shown and "STALE" not in shown


def _no_na_checklist(tmp_path: Path) -> LoadedChecklist:
    text = SAMPLE.read_text().replace(
        "        type: yes_no_unknown\n      - id: switch_vendor",
        "        type: yes_no_unknown\n        allow_not_applicable: false\n"
        "      - id: switch_vendor", 1)
    path = tmp_path / "strict.yaml"
    path.write_text(text)
    return load_checklist(path)


async def test_not_applicable_refused_where_the_checklist_says(service: AuditService,
                                                               tmp_path: Path) -> None:
    strict = service.create_audit(_no_na_checklist(tmp_path), jurisdiction="WA",
                                  period_start="2024-01-01", period_end="2024-12-31")
    app = AuditApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_audit(pilot)
        connected = await opened(pilot, "connected")
        assert "N/A" not in connected.query_one(CardActions).render().plain
        reason = await opened(pilot, "reason_required")
        assert "N/A" in reason.query_one(CardActions).render().plain
        await opened(pilot, "connected")
        await pilot.press("f4")  # the focus is on "connected"
        await settle(pilot)
        assert isinstance(app.screen, AuditScreen)
        assert any("cannot be marked not applicable" in n.message
                   for n in app._notifications)
    assert service.view(strict.id).answers.get("connected") is None


async def test_auditor_name_and_title_remembered(service: AuditService) -> None:
    app = AuditApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, NewAuditDialog)
        dialog.query_one("#checklist-path", Input).value = str(SAMPLE)
        dialog.query_one("#jurisdiction").value = "WA"
        dialog.query_one("#period-start", Input).value = "2024-01-01"
        dialog.query_one("#period-end", Input).value = "2024-12-31"
        await focus(pilot, dialog.query_one("#auditor", Input))
        await type_text(pilot, "Jane Roe")
        dialog.query_one("#auditor-title", Input).value = "Senior Auditor"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AuditScreen)
    assert service.list_audits()[0].audit.auditor == "Jane Roe, Senior Auditor"
    assert settings_path().is_file()
    settings = load_settings()
    assert (settings.auditor_name, settings.auditor_title) == ("Jane Roe", "Senior Auditor")

    again = AuditApp(service)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await settle(pilot)
        assert again.screen.query_one("#auditor", Input).value == "Jane Roe"
        assert again.screen.query_one("#auditor-title", Input).value == "Senior Auditor"


async def test_delete_draft_after_confirmation(service: AuditService, audit: AuditInfo,
                                               sample: LoadedChecklist) -> None:
    other = service.create_audit(sample, jurisdiction="OR", period_start="2024-01-01",
                                 period_end="2024-12-31")
    app = AuditApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#audits")
        assert str(table.coordinate_to_cell_key((0, 0)).row_key.value) == other.id
        await pilot.press("delete")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")  # the focus is on Cancel: nothing happens
        await settle(pilot)
        assert len(service.list_audits()) == 2
        await pilot.press("delete")
        await settle(pilot)
        await pilot.click("#confirm")
        await settle(pilot)
        assert [s.audit.id for s in service.list_audits()] == [audit.id]
        assert table.row_count == 1


async def test_export_json_in_a_worker(service: AuditService, audit: AuditInfo,
                                       tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = AuditApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("x")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        path = dialog.query_one("#export-path", Input)
        assert path.value.startswith(str(tmp_path)) and path.value.endswith(".pdf")
        radio = dialog.query_one(RadioSet)
        radio.focus()
        await pilot.press("down", "enter")  # Manifest JSON
        await pilot.pause()
        assert path.value.endswith(".json")
        await pilot.press("ctrl+s")
        await settle(pilot)
        written = Path(path.value)
        assert written.is_file()
        assert json.loads(written.read_text())["audit"]["id"] == audit.id
        result = text_of(dialog.query_one("#export-result"))
        assert str(written) in result and "manifest JSON" in result
        # exporting again asks before replacing the file
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "press Export again" in text_of(dialog.query_one("#export-error"))
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ExportDialog)
    assert load_settings().export_folder == str(tmp_path.resolve())


async def test_export_offers_every_format_and_writes_a_workbook(
        service: AuditService, audit: AuditInfo, tmp_path: Path, monkeypatch) -> None:
    from openpyxl import load_workbook

    from app.audit import FORMATS as SERVICE_FORMATS
    from app.tui.dialogs.export import FORMATS as DIALOG_FORMATS

    assert [fmt for fmt, _label, _end in DIALOG_FORMATS] == list(SERVICE_FORMATS)
    monkeypatch.chdir(tmp_path)
    app = AuditApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("x")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        labels = [str(button.label) for button in dialog.query(RadioButton)]
        assert len(labels) == len(DIALOG_FORMATS) and "PDF/A-3a" in labels[0]
        dialog.query_one(RadioSet).focus()
        await pilot.press("down", "down", "down", "down", "enter")  # Working copy XLSX
        await pilot.pause()
        path = dialog.query_one("#export-path", Input)
        assert path.value.endswith(".xlsx")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "working copy XLSX" in text_of(dialog.query_one("#export-result"))
        assert load_workbook(path.value).sheetnames


async def test_sign_refused_while_not_ready(service: AuditService, audit: AuditInfo) -> None:
    app = AuditApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_first_audit(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await type_text(pilot, "Sign")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, SignDialog)
        assert not dialog.query(Checkbox) and not dialog.query("#sign")
        refusal = text_of(dialog.query_one("#sign-refused"))
        blockers = service.review(audit.id).blockers
        assert blockers
        for reason in blockers:
            assert reason in refusal
        await pilot.click("#review")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen


needs_signing = pytest.mark.skipif(
    importlib.util.find_spec("pyhanko") is None or importlib.util.find_spec("weasyprint") is None,
    reason="signing needs pyHanko and WeasyPrint")


@needs_signing
async def test_sign_with_a_pkcs12_file(service: AuditService, audit: AuditInfo,
                                       tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       ) -> None:
    from app.report.testca import make_test_certificate

    certificate = make_test_certificate(tmp_path / "ca", "Jane Roe", b"s3cret passphrase")
    monkeypatch.setenv("NLETS_AUDIT_TRUST", os.pathsep.join(
        (str(certificate.ca_certificate), str(certificate.ca_crl))))
    service.import_answers(audit.id, COMPLETE)
    output = tmp_path / "signed.pdf"
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first_audit(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert "Ready to sign" in text_of(app.screen.query_one("#review-verdict"))
        await pilot.press("s")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, SignDialog)
        statement = " ".join(text_of(s) for s in dialog.query(".statement"))
        assert "I, the undersigned" in statement and "legal weight" in statement
        sign = dialog.query_one("#sign", Button)
        assert sign.disabled  # until the statement is confirmed
        secret = dialog.query_one("#secret", Input)
        assert secret.password
        dialog.query_one("#pkcs12-path", Input).value = str(certificate.signer_pkcs12)
        dialog.query_one("#sign-output", Input).value = str(output)
        dialog.query_one("#signer-title", Input).value = "Chief of Staff"
        secret.value = "wrong"
        dialog.query_one(Checkbox).value = True
        await pilot.pause()
        assert not sign.disabled
        dialog.action_sign()
        await settle(pilot)
        assert "Not signed" in text_of(dialog.query_one("#sign-error"))
        assert not output.exists() and secret.value == ""
        assert not service.get_audit(audit.id).read_only

        secret.value = "s3cret passphrase"
        dialog.action_sign()
        await settle(pilot)
        result = text_of(dialog.query_one("#sign-result"))
        assert str(output) in result and "Jane Roe" in result
        assert output.is_file()
        await pilot.press("escape")
        await settle(pilot)
        # back on the audit, now read-only
        screen = app.screen
        assert isinstance(screen, AuditScreen) and screen.read_only
        assert screen.query_one("#banner").display
    signed = service.get_audit(audit.id)
    assert signed.status == "signed"
    assert signed.signed_pdf_sha256 == hashlib.sha256(output.read_bytes()).hexdigest()
    settings = load_settings()
    assert settings.signer_title == "Chief of Staff"
    assert settings.pkcs12_path == str(certificate.signer_pkcs12)
    assert "s3cret" not in settings_path().read_text()


async def test_answers_from_the_audit_record_are_shown_locked(service: AuditService) -> None:
    flagship = load_checklist(Path(__file__).resolve().parents[2] / "checklists"
                              / "nlets-dmv-data-sharing.yaml")
    audit = service.create_audit(flagship, jurisdiction="WA", period_start="2025-01-01",
                                 period_end="2025-12-31")
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first_audit(pilot)
        jurisdiction = await opened(pilot, "jurisdiction")
        assert jurisdiction.editor.disabled
        assert jurisdiction.query_one(CardActions).shown == ["evidence"]
        screen = app.screen
        assert isinstance(screen, AuditScreen)
        screen.current_question = "jurisdiction"
        await pilot.press("f5")
        await settle(pilot)
        assert any("filled in from the audit record" in n.message
                   for n in app._notifications)
        assert service.view(audit.id).answers["jurisdiction"].value == "wa"
