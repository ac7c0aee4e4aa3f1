"""The sign dialog builds the key with the same function as the command line: a missing
input is refused in the dialog, before anything runs, with the function's message."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Checkbox, Input, RadioSet

from app.audit import AuditInfo, AuditService
from app.tui.app import AuditApp
from app.tui.dialogs.sign import SignDialog

from .helpers import open_first_audit, settle, text_of
from .test_actions import COMPLETE


async def _refusal(service: AuditService, audit: AuditInfo, output: Path,
                   fields: dict[str, str], pkcs11: bool = False, by_key: bool = False) -> str:
    service.import_answers(audit.id, COMPLETE)
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first_audit(pilot)
        app.push_screen(SignDialog(service, service.get_audit(audit.id)))
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, SignDialog) and dialog.can_sign
        if pkcs11:
            dialog.query_one("#key-source", RadioSet).action_next_button()
            dialog.query_one("#key-source", RadioSet).action_toggle_button()
        for selector, value in {"#sign-output": str(output), **fields}.items():
            dialog.query_one(selector, Input).value = value
        dialog.query_one("#sign-confirm", Checkbox).value = True
        await pilot.pause()
        assert dialog._pkcs11() == pkcs11
        if by_key:  # ctrl+s, the key every dialog submits with, from a text field
            dialog.query_one("#sign-output", Input).focus()
            await pilot.pause()
            await pilot.press("ctrl+s")
        else:
            dialog.action_sign()
        await settle(pilot)
        return text_of(dialog.query_one("#sign-error"))


async def test_a_blank_key_file_is_refused(service: AuditService, audit: AuditInfo,
                                           tmp_path: Path) -> None:
    output = tmp_path / "signed.pdf"
    shown = await _refusal(service, audit, output, {"#pkcs12-path": " ", "#secret": "x"},
                           by_key=True)
    assert shown == "give the path of your PKCS#12 (.p12 or .pfx) file"
    assert not output.exists() and not service.get_audit(audit.id).read_only


async def test_a_missing_key_file_is_named(service: AuditService, audit: AuditInfo,
                                           tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.p12"
    shown = await _refusal(service, audit, tmp_path / "signed.pdf",
                           {"#pkcs12-path": str(missing), "#secret": "x"})
    assert shown.startswith(f"there is no file {missing}")


async def test_half_a_token_names_what_is_missing(service: AuditService, audit: AuditInfo,
                                                  tmp_path: Path) -> None:
    shown = await _refusal(service, audit, tmp_path / "signed.pdf",
                           {"#pkcs11-lib": "", "#pkcs11-token": "piv", "#pkcs11-key": "",
                            "#secret": "1234"}, pkcs11=True)
    assert shown == "give the PKCS#11 library and the token label (missing: the library)"
