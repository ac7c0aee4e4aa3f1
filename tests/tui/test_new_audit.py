"""Creating an audit through the new-audit dialog."""

from __future__ import annotations

from textual.widgets import Input, Select

from app.audit import AuditService
from app.tui.app import AuditApp
from app.tui.dialogs.new_audit import NewAuditDialog
from app.tui.screens.audit import AuditScreen

from .helpers import SAMPLE, focus, type_text


async def _open_dialog(app: AuditApp, pilot) -> NewAuditDialog:
    await pilot.pause()
    await pilot.press("n")
    await pilot.pause()
    dialog = app.screen
    assert isinstance(dialog, NewAuditDialog)
    return dialog


async def test_create_audit_small_terminal(service: AuditService) -> None:
    app = AuditApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _open_dialog(app, pilot)
        dialog.query_one("#checklist-path", Input).value = str(SAMPLE)
        dialog.query_one("#jurisdiction", Select).value = "WA"
        await focus(pilot, dialog.query_one("#period-start", Input))
        await type_text(pilot, "2024-13-01")
        await pilot.pause()
        period_error = str(dialog.query_one("#period-error").render())
        assert "not a date" in period_error and "YYYY-MM-DD" in period_error
        await focus(pilot, dialog.query_one("#period-end", Input))
        await type_text(pilot, "2024-12-31")
        await pilot.press("ctrl+s")
        await pilot.pause()
        # refused; the dialog stays open and says why, once, under the period
        assert app.screen is dialog
        shown = [str(line.render()) for line in dialog.query(".field-error, .dialog-error")
                 if line.display]
        assert len(shown) == 1 and "YYYY-MM-DD" in shown[0], shown
        assert app.screen.focused is dialog.query_one("#period-start", Input)
        assert service.list_audits() == []

        start = dialog.query_one("#period-start", Input)
        start.value = "2024-01-01"
        await pilot.pause()
        assert str(dialog.query_one("#period-error").render()) == ""
        assert not [line for line in dialog.query(".field-error, .dialog-error")
                    if line.display]
        await pilot.click("#create")
        await pilot.pause()
        assert isinstance(app.screen, AuditScreen)
        audits = service.list_audits()
        assert len(audits) == 1
        assert audits[0].audit.jurisdiction == "WA"
        assert audits[0].audit.period_start == "2024-01-01"
        assert audits[0].audit.checklist_id == "sample"
        # back home, the new audit is listed
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query_one("#audits").row_count == 1


async def test_service_errors_shown_inline(service: AuditService) -> None:
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await _open_dialog(app, pilot)
        dialog.query_one("#checklist", Select).clear()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "choose a checklist" in str(dialog.query_one("#error").render())
        # fixed, the refusal goes at once (not kept beside the corrected field)
        dialog.query_one("#checklist-path", Input).value = str(SAMPLE)
        await pilot.pause()
        assert not dialog.query_one("#error").display

        dialog.query_one("#checklist-path", Input).value = "/nonexistent/list.yaml"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "cannot read the file" in str(dialog.query_one("#error").render())

        dialog.query_one("#checklist-path", Input).value = str(SAMPLE)
        dialog.query_one("#jurisdiction", Select).value = "TX"
        dialog.query_one("#period-start", Input).value = "2024-12-31"
        dialog.query_one("#period-end", Input).value = "2024-01-01"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "swap the dates" in str(dialog.query_one("#error").render())
        assert app.screen is dialog

        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, NewAuditDialog)
        assert service.list_audits() == []


async def test_a_state_audit_gets_its_state_overlay(service: AuditService) -> None:
    from app.checklist.bundled import data_dir

    flagship = data_dir("checklists") / "nlets-dmv-data-sharing.yaml"
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await _open_dialog(app, pilot)
        dialog.query_one("#checklist-path", Input).value = str(flagship)
        dialog.query_one("#jurisdiction", Select).value = "MD"
        dialog.query_one("#period-start", Input).value = "2025-01-01"
        dialog.query_one("#period-end", Input).value = "2025-12-31"
        await pilot.pause()
        await pilot.click("#create")
        await pilot.pause()
        [summary] = service.list_audits()
        view = service.view(summary.audit.id)
        assert [o.overlay.overlay for o in view.overlays] == ["md-overlay"]
