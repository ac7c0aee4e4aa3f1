"""Keys meant for one field never change another: typing into a focused choice changes
nothing, Escape in a dialog with unsaved edits asks, ctrl+k kills to the end of a field."""

from __future__ import annotations

from textual.widgets import Input

from app.audit import AuditInfo, AuditService
from app.tui.app import AuditApp
from app.tui.widgets.choice import ChoiceRow

from .helpers import SETTLE, card, focus, open_first_audit, opened, text_of, type_text


async def test_typing_into_a_focused_choice_changes_nothing(
        service: AuditService, audit: AuditInfo) -> None:
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first_audit(pilot)
        radio = (await opened(pilot, "connected")).query_one(ChoiceRow)
        await focus(pilot, radio)
        # text meant for the next question, spaces and all, typed into the choice
        await type_text(pilot, "Acme Switch and Co")
        await pilot.pause(SETTLE)
        assert service.view(audit.id).answers.get("connected") is None
        assert radio.pressed_index == -1
        # its own keys still choose
        await pilot.press("enter")
        await pilot.pause()
        assert service.view(audit.id).answers["connected"].value == "yes"
        await pilot.press("right", "enter")
        await pilot.pause()
        assert service.view(audit.id).answers["connected"].value == "no"


async def test_ctrl_k_kills_to_the_end_of_a_field(
        service: AuditService, audit: AuditInfo) -> None:
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first_audit(pilot)
        field = (await opened(pilot, "switch_vendor")).query_one(Input)
        card(app, "switch_vendor").display = True
        await focus(pilot, field)
        await type_text(pilot, "Acme Switch")
        await pilot.press("home", "right", "right", "right", "right", "ctrl+k")
        await pilot.pause()
        assert field.value == "Acme"
        assert not app.screen.query("CommandPalette")
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "CommandPalette"


async def test_escape_with_unsaved_row_edits_asks(
        service: AuditService, audit: AuditInfo) -> None:
    from textual.widgets import DataTable

    from app.tui.dialogs.confirm import ConfirmDialog
    from app.tui.dialogs.table_row import RowDialog

    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first_audit(pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        await focus(pilot, (await opened(pilot, "agencies")).editor.query_one(DataTable))
        await pilot.press("a")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, RowDialog)
        # untouched: Escape closes at once
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, RowDialog)
        await pilot.press("a")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, RowDialog)
        await pilot.press("tab", "tab")
        await type_text(pilot, "switch ACL")
        typed = dialog.value()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")  # back to the row, as typed
        await pilot.pause()
        assert app.screen is dialog and dialog.value() == typed
        await pilot.press("escape")
        await pilot.pause()
        await pilot.click("#confirm")
        await pilot.pause()
        assert not isinstance(app.screen, (RowDialog, ConfirmDialog))
        assert service.view(audit.id).answers.get("agencies") is None


async def test_typing_into_saved_long_text_adds_at_the_end(
        service: AuditService, audit: AuditInfo) -> None:
    from textual.widgets import TextArea

    service.set_answer(audit.id, "connected", "yes")
    service.set_answer(audit.id, "description", "First line\nsecond line")
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first_audit(pilot)
        area = (await opened(pilot, "description")).editor.query_one(TextArea)
        await focus(pilot, area)
        await type_text(pilot, " and more")
        await pilot.pause()
        assert area.text == "First line\nsecond line and more"


async def test_card_state_is_never_stale(service: AuditService, audit: AuditInfo) -> None:
    from .helpers import SETTLE

    service.set_answer(audit.id, "connected", "yes")
    service.set_answer(audit.id, "switch_vendor", "Acme")
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first_audit(pilot)
        vendor = await opened(pilot, "switch_vendor")
        status = vendor.query_one(".q-status")
        assert status.render().plain.startswith("saved")
        await focus(pilot, vendor.query_one(Input))
        await type_text(pilot, " Switch")
        await pilot.pause()
        assert status.render().plain.startswith("unsaved")
        await pilot.pause(SETTLE)
        assert status.render().plain.startswith("saved")
        assert service.view(audit.id).answers["switch_vendor"].value == "Acme Switch"


async def test_a_click_on_an_option_picks_it(service: AuditService, audit: AuditInfo) -> None:
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first_audit(pilot)
        row = (await opened(pilot, "connected")).query_one(ChoiceRow)
        assert text_of(row) == "○ Yes  ○ No  ○ Unknown"
        await pilot.click(row, offset=(8, 0))  # on "No"
        await pilot.pause()
        assert service.view(audit.id).answers["connected"].value == "no"
        assert row.pressed_index == 1 and text_of(row).startswith("○ Yes  ◉ No")
