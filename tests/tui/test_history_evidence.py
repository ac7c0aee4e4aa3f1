"""A question's history at hand (F6: every earlier value, restore one with a reason) and its
evidence files (F7: open one, withdraw one attached by mistake)."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import text
from textual.widgets import Input, OptionList, TextArea

from app.audit import AuditInfo, AuditService, EventKind
from app.cli import main
from app.errors import UserFacingError
from app.tui.app import AuditApp
from app.tui.dialogs.confirm import ConfirmDialog
from app.tui.dialogs.evidence_files import EvidenceFilesDialog, EvidenceTextDialog
from app.tui.dialogs.history import HistoryDialog
from app.tui.dialogs.reason import ReasonDialog
from app.tui.screens.audit import AuditScreen

from .helpers import (
    card,
    dialog_from_field,
    focus,
    open_first_audit,
    opened,
    settle,
    text_of,
    type_text,
)


def _sign(service: AuditService, audit_id: str) -> None:
    """Mark the audit signed, as signing leaves it (read-only)."""
    with service.store.engine.begin() as connection:
        connection.execute(text("UPDATE audit SET status='signed', signed_by='Jane Roe', "
                                "signed_at='2025-03-02T09:00:00.000000Z' WHERE id=:id"),
                           {"id": audit_id})


def _history_verifies(service: AuditService, audit_id: str, db_url: str,
                      capsys: pytest.CaptureFixture[str]) -> None:
    assert service.verify_history(audit_id).ok
    capsys.readouterr()
    assert main(["--db", db_url, "history", "verify", audit_id]) == 0
    assert "intact" in capsys.readouterr().out


def _entries(dialog: HistoryDialog | EvidenceFilesDialog, list_id: str) -> list[str]:
    options = dialog.query_one(list_id, OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_restore_an_earlier_value(service: AuditService, audit: AuditInfo, db_url: str,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    service.set_answer(audit.id, "connected", "yes")
    service.set_answer(audit.id, "switch_vendor", "Orion Switch Co")
    service.set_answer(audit.id, "switch_vendor", "Acme", reason="typed over by mistake")
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first_audit(pilot)
        vendor = await opened(pilot, "switch_vendor")
        field = vendor.editor.query_one(Input)
        assert field.value == "Acme"
        await focus(pilot, field)
        await pilot.press("f6")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, HistoryDialog)
        entries = _entries(dialog, "#history-list")
        assert len(entries) == 2
        assert "Acme" in entries[0] and "(the answer now)" in entries[0]
        assert "why: typed over by mistake" in entries[0] and "test-auditor" in entries[0]
        assert "Orion Switch Co" in entries[1] and "answer now" not in entries[1]
        # the answer as it is now cannot be "restored"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog
        assert "as it is now" in text_of(dialog.query_one("#history-message"))
        await pilot.press("down", "ctrl+s")
        await settle(pilot)
        reason = app.screen
        assert isinstance(reason, ReasonDialog)
        assert "Orion Switch Co" in text_of(reason.query_one(".dialog-title"))
        await pilot.press("ctrl+s")  # no reason yet: refused, the dialog stays
        await settle(pilot)
        assert app.screen is reason
        assert "reason is required" in text_of(reason.query_one("#reason-error"))
        await type_text(pilot, "the vendor is Orion")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AuditScreen)
        assert field.value == "Orion Switch Co"
        status = text_of(vendor.query_one(".q-status"))
        assert status.startswith("restored ")
        assert service.view(audit.id).answers["switch_vendor"].value == "Orion Switch Co"
        last = service.answer_history(audit.id, "switch_vendor")[-1]
        assert last.kind == EventKind.ANSWER_RESTORED
        assert last.new["value"] == "Orion Switch Co" and last.old["value"] == "Acme"
        assert "the vendor is Orion" in (last.reason or "")
        # the history now lists the restoration first
        await pilot.press("f6")
        await settle(pilot)
        assert isinstance(app.screen, HistoryDialog)
        newest = _entries(app.screen, "#history-list")[0]
        assert "restored" in newest and "the vendor is Orion" in newest
        await pilot.press("escape")
        await settle(pilot)
    _history_verifies(service, audit.id, db_url, capsys)


async def test_history_escapes_stored_text(service: AuditService, audit: AuditInfo) -> None:
    from sqlmodel import select

    from app.store.tables import HistoryEventRow

    service.set_answer(audit.id, "connected", "yes")
    service.set_answer(audit.id, "switch_vendor", "Acme", reason="first")
    # a value written behind the tool's back, with a terminal escape in it
    with service.store.session() as session:
        event = session.exec(select(HistoryEventRow).where(
            HistoryEventRow.reason == "first")).one()
        event.reason = "first \x1b]0;pwned\x07"
        session.add(event)
        session.commit()
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first_audit(pilot)
        await focus(pilot, (await opened(pilot, "switch_vendor")).editor.query_one(Input))
        await pilot.press("f6")
        await settle(pilot)
        assert isinstance(app.screen, HistoryDialog)
        shown = _entries(app.screen, "#history-list")[0]
        assert "\x1b" not in shown and "\\u001b]0;pwned\\u0007" in shown


async def test_a_signed_audit_shows_the_history_and_refuses_restore(
        service: AuditService, audit: AuditInfo) -> None:
    service.set_answer(audit.id, "connected", "yes")
    service.set_answer(audit.id, "switch_vendor", "Orion Switch Co")
    service.set_answer(audit.id, "switch_vendor", "Acme")
    _sign(service, audit.id)
    before = service.get_audit(audit.id)
    app = AuditApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_first_audit(pilot)
        screen.jump_to("switch_vendor")
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, HistoryDialog)
        assert len(_entries(dialog, "#history-list")) == 2
        message = text_of(dialog.query_one("#history-message"))
        assert "signed and read-only" in message and "amendment" in message
        await pilot.press("down", "ctrl+s")
        await settle(pilot)
        assert app.screen is dialog  # no reason asked: nothing can be restored
        assert "signed and read-only" in text_of(dialog.query_one("#history-message"))
    after = service.get_audit(audit.id)
    assert (after.history_length, after.history_head) == (before.history_length,
                                                          before.history_head)
    assert service.view(audit.id).answers["switch_vendor"].value == "Acme"


async def test_withdraw_an_evidence_file(service: AuditService, audit: AuditInfo, db_url: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    content = b"Name: John Q Public, DL 1234567 (the wrong file)"
    wrong = service.add_evidence_content(audit.id, "review_date", "driver-record.txt", content)
    kept = service.add_evidence_content(audit.id, "review_date", "review-minutes.txt",
                                        b"Minutes of the ORION review")
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first_audit(pilot)
        review = await opened(pilot, "review_date")
        assert "driver-record.txt" in text_of(review.query_one(".q-evidence"))
        await focus(pilot, review.query_one(Input))
        await pilot.press("f7")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, EvidenceFilesDialog)
        entries = _entries(dialog, "#evidence-list")
        assert "driver-record.txt" in entries[0] and wrong.sha256 in entries[0]
        assert "review-minutes.txt" in entries[1]
        await pilot.press("delete")
        await settle(pilot)
        assert isinstance(app.screen, ReasonDialog)
        await type_text(pilot, "holds a driver's personal data")
        await pilot.press("ctrl+s")
        await settle(pilot)
        confirm = app.screen
        assert isinstance(confirm, ConfirmDialog)
        body = text_of(confirm.query_one(".confirm-body"))
        assert "purged" in body and wrong.sha256 in body and "personal data" in body
        assert service.view(audit.id).evidence_for("review_date")[0].sha256 == wrong.sha256
        await pilot.click("#confirm")
        await settle(pilot)
        assert app.screen is dialog
        entries = _entries(dialog, "#evidence-list")
        assert "review-minutes.txt" in entries[0]
        assert "Withdrawn: driver-record.txt" in entries[1] and wrong.sha256 in entries[1]
        assert "personal data" in entries[1]
        assert "Withdrew driver-record.txt" in text_of(dialog.query_one("#evidence-files-done"))
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, AuditScreen)
        shown = text_of(review.query_one(".q-evidence"))
        assert "Withdrawn: driver-record.txt · by test-auditor" in shown
        assert wrong.sha256 in shown and "review-minutes.txt" in shown
        assert "F7: open or withdraw a file" in shown
    assert [e.sha256 for e in service.view(audit.id).evidence] == [kept.sha256]
    with pytest.raises(UserFacingError, match="no evidence file"):
        service.evidence_content(wrong.sha256)  # the bytes are gone
    with service.store.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM evidence_blob WHERE sha256=:s"),
                                  {"s": hashlib.sha256(content).hexdigest()}).scalar() == 0
    last = service.history(audit.id)[-1]
    assert last.kind == EventKind.EVIDENCE_WITHDRAWN and last.old["sha256"] == wrong.sha256
    assert last.reason == "holds a driver's personal data"
    _history_verifies(service, audit.id, db_url, capsys)


async def test_open_a_text_file_in_place_and_a_signed_audit_refuses_withdrawal(
        service: AuditService, audit: AuditInfo) -> None:
    content = b"ORI,count\nWA0340000,12\n\x1b]0;pwned\x07 end\n"
    item = service.add_evidence_content(audit.id, "review_date", "counts.csv", content)
    _sign(service, audit.id)
    app = AuditApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_first_audit(pilot)
        screen.jump_to("review_date")
        await settle(pilot)
        assert "F7: open a file" in text_of(card(app, "review_date"))
        await pilot.press("f7")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, EvidenceFilesDialog)
        await pilot.press("delete")
        await settle(pilot)
        assert app.screen is dialog
        assert "signed and read-only" in text_of(dialog.query_one("#evidence-files-error"))
        await pilot.press("enter")
        await settle(pilot)
        viewer = app.screen
        assert isinstance(viewer, EvidenceTextDialog)
        shown = viewer.query_one(TextArea).text
        assert shown.startswith("ORI,count\nWA0340000,12\n")
        assert "\x1b" not in shown and "\\u001b]0;pwned\\u0007 end" in shown
        assert item.sha256 in text_of(viewer.query_one(".field-help"))
    assert [e.sha256 for e in service.view(audit.id).evidence] == [item.sha256]


@pytest.mark.parametrize("viewer", [True, False], ids=["system-viewer", "no-viewer"])
async def test_open_another_file_with_the_system_viewer(
        service: AuditService, audit: AuditInfo, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, viewer: bool) -> None:
    content = b"%PDF-1.4 \x00\xff binary agreement"
    service.add_evidence_content(audit.id, "review_date", "agreement.pdf", content)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    viewed = tmp_path / "opened.txt"
    if viewer:
        script = bin_dir / "xdg-open"
        script.write_text(f'#!/bin/sh\nprintf "%s" "$1" > {viewed}.part && '
                          f"/bin/mv {viewed}.part {viewed}\n")
        script.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first_audit(pilot)
        dialog = await dialog_from_field(pilot, "review_date", "f7", EvidenceFilesDialog)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog
        said = text_of(dialog.query_one("#evidence-files-done"))
        copy = Path(said.split(" was written to " if not viewer else "the copy it shows is ")
                    [1].split(" (readable")[0])
        assert copy.name == "agreement.pdf" and copy.read_bytes() == content
        assert stat.S_IMODE(copy.stat().st_mode) == 0o600
        assert stat.S_IMODE(copy.parent.stat().st_mode) == 0o700
        if viewer:
            assert said.startswith("Opened agreement.pdf with the system viewer")
            for _ in range(500):  # the viewer runs on its own; wait for it to say so
                if viewed.exists():
                    break
                await pilot.pause(0.01)
            assert viewed.read_text() == str(copy)
        else:
            assert said.startswith("No system viewer (xdg-open) was found")
    os.remove(copy)
    copy.parent.rmdir()


def test_the_keys_help_names_the_history_and_evidence_keys() -> None:
    from app.tui.screens.keys import keys_text

    lines = keys_text().plain.splitlines()
    assert any(line.split()[:2] == ["f6", "History"] for line in lines if line.strip())
    assert any(line.split()[:2] == ["f7", "Evidence"] for line in lines if line.strip())


async def test_typing_not_yet_saved_is_saved_before_the_history_opens(
        service: AuditService, audit: AuditInfo) -> None:
    service.set_answer(audit.id, "connected", "yes")
    service.set_answer(audit.id, "switch_vendor", "Acme")
    app = AuditApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_audit(pilot)
        field = (await opened(pilot, "switch_vendor")).editor.query_one(Input)
        await focus(pilot, field)
        await type_text(pilot, " Ltd")
        await pilot.press("f6")  # at once: no pause for the autosave
        await settle(pilot)
        assert isinstance(app.screen, HistoryDialog)
        newest = _entries(app.screen, "#history-list")[0]
        assert "Acme Ltd" in newest and "(the answer now)" in newest
    assert service.view(audit.id).answers["switch_vendor"].value == "Acme Ltd"
