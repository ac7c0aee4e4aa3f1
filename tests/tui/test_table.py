"""Table questions: rows added, edited and deleted through the row dialog and keys."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from textual.widgets import DataTable, Input, Select

from app.audit import AuditInfo, AuditService
from app.checklist import load_checklist
from app.tui.app import AuditApp
from app.tui.dialogs.confirm import ConfirmDialog
from app.tui.dialogs.table_row import RowDialog
from app.tui.widgets.table import TableEditor

from .helpers import card, click_action, focus, open_first_audit, opened, text_of


async def _agencies(app: AuditApp, pilot) -> TableEditor:
    await pilot.press("ctrl+n")
    await pilot.pause()
    editor = (await opened(pilot, "agencies")).editor
    assert isinstance(editor, TableEditor)
    await focus(pilot, editor.query_one(DataTable))
    return editor


def _fill(dialog: RowDialog, **cells: str) -> None:
    for index, column in enumerate(dialog.question.columns):
        if column.id in cells:
            widget = dialog.query_one(f"#col-{index}")
            if isinstance(widget, Select):
                widget.value = cells[column.id]
            else:
                assert isinstance(widget, Input)
                widget.value = cells[column.id]


async def test_add_edit_delete_rows(service: AuditService, audit: AuditInfo) -> None:
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first_audit(pilot)
        editor = await _agencies(app, pilot)
        table = editor.query_one(DataTable)
        # the checklist's suggested rows are shown but not saved
        assert table.row_count == 2
        assert editor.query_one("#use-defaults").display
        assert service.view(audit.id).answers.get("agencies") is None

        await pilot.press("a")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, RowDialog)
        _fill(dialog, agency="other", blocked="yes", since="2024-02-30", queries="12")
        await pilot.press("ctrl+s")
        await pilot.pause()
        # refused by the service: the dialog stays open with the reason
        assert app.screen is dialog
        assert dialog.query_one("#row-error").render().plain == (
            "“Since” (since) takes a date; '2024-02-30' is not a day of the calendar")
        _fill(dialog, since="2024-02-29", method="switch ACL")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is not dialog
        rows = service.view(audit.id).answers["agencies"].value
        assert rows == [
            {"agency": "ice", "blocked": "unknown"},
            {"agency": "cbp", "blocked": "unknown"},
            {"agency": "other", "blocked": "yes", "since": "2024-02-29", "queries": 12,
             "method": "switch ACL"},
        ]
        assert table.row_count == 3 and not editor.query_one("#use-defaults").display
        assert [c.plain for c in table.get_row_at(2)][:2] == ["other", "Yes"]

        # edit the first row
        table.move_cursor(row=0)
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, RowDialog)
        assert dialog.query_one("#col-0", Select).value == "ice"
        _fill(dialog, blocked="yes", since="2023-05-01")
        await pilot.click("#save")
        await pilot.pause()
        rows = service.view(audit.id).answers["agencies"].value
        assert rows[0] == {"agency": "ice", "blocked": "yes", "since": "2023-05-01"}

        # delete the second row (cbp): a saved row is deleted only once confirmed
        table.move_cursor(row=1)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "cbp" in text_of(app.screen.query_one(".confirm-body"))
        await pilot.press("enter")  # Cancel has the focus
        await pilot.pause()
        assert len(service.view(audit.id).answers["agencies"].value) == 3
        await pilot.press("d")
        await pilot.pause()
        await pilot.click("#confirm")
        await pilot.pause()
        rows = service.view(audit.id).answers["agencies"].value
        assert [r["agency"] for r in rows] == ["ice", "other"]
        assert table.row_count == 2

        # cancelling a dialog changes nothing
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert len(service.view(audit.id).answers["agencies"].value) == 2

        # deleting every row removes the answer
        for _ in range(2):
            await pilot.press("d")
            await pilot.pause()
            await pilot.click("#confirm")
            await pilot.pause()
        answer = service.view(audit.id).answers["agencies"]
        assert answer.value is None
        assert editor.query_one("#use-defaults").display  # suggestions again


async def test_accept_suggested_rows(service: AuditService, audit: AuditInfo) -> None:
    app = AuditApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_audit(pilot)
        editor = await _agencies(app, pilot)
        button = editor.query_one("#use-defaults")
        button.focus()
        await pilot.press("enter")
        await pilot.pause()
        rows = service.view(audit.id).answers["agencies"].value
        assert rows == [{"agency": "ice", "blocked": "unknown"},
                        {"agency": "cbp", "blocked": "unknown"}]
        assert not button.display
        assert service.view(audit.id).evaluation.progress.sections[1].done == 1


async def test_clearing_a_table_asks_first(service: AuditService, audit: AuditInfo) -> None:
    rows = [{"agency": "ice", "blocked": "yes"}, {"agency": "cbp", "blocked": "no"}]
    service.set_answer(audit.id, "agencies", rows)
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first_audit(pilot)
        await _agencies(app, pilot)
        await pilot.press("f5")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert "its 2 rows" in text_of(dialog.query_one(".confirm-body"))
        await pilot.press("enter")  # the focus is on Cancel: nothing happens
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmDialog)
        assert service.view(audit.id).answers["agencies"].value == rows

        await click_action(pilot, card(app, "agencies"), "clear")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.click("#confirm")
        await pilot.pause()
        assert service.view(audit.id).answers["agencies"].value is None
        # the table offers the checklist's suggested rows again, unsaved
        editor = (await opened(pilot, "agencies")).editor
        assert editor.query_one("#use-defaults").display
        assert editor.rows == [{"agency": "ice", "blocked": "unknown"},
                               {"agency": "cbp", "blocked": "unknown"}]


FLAGSHIP = Path(__file__).resolve().parents[2] / "checklists" / "nlets-dmv-data-sharing.yaml"
COMPLIANT = Path(__file__).resolve().parents[1] / "fixtures" / "flagship-compliant.yaml"


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_agencies_blocked_column_is_reachable_and_editable_by_cell(
        service: AuditService, size: tuple[int, int]) -> None:
    loaded = load_checklist(FLAGSHIP)
    checklist = loaded.checklist
    created = service.create_audit(loaded, jurisdiction="CO", period_start="2025-01-01",
                                   period_end="2025-12-31")
    service.import_answers(created.id, yaml.safe_load(COMPLIANT.read_text(encoding="utf-8")))
    question = checklist.question("agency_access")
    blocked = [column.id for column in question.columns].index("blocked")
    app = AuditApp(service)
    async with app.run_test(size=size) as pilot:
        screen = await open_first_audit(pilot)
        for _ in range(len(checklist.sections)):
            if screen.card("agency_access") is not None:
                break
            await pilot.press("ctrl+n")
            await pilot.pause()
        editor = (await opened(pilot, "agency_access")).editor
        assert isinstance(editor, TableEditor)
        table = editor.query_one(DataTable)
        await focus(pilot, table)
        assert table.fixed_columns == 1
        for _ in range(blocked):
            await pilot.press("right")  # one column per press
        await pilot.pause()
        assert table.cursor_coordinate.column == blocked
        # the cell is on screen: the grid scrolled to it, the first column still frozen
        column_x = sum(c.get_render_width(table) for c in table.ordered_columns[:blocked])
        first_width = table.ordered_columns[0].get_render_width(table)
        assert first_width <= column_x - table.scroll_x < table.scrollable_content_region.width
        row = service.view(created.id).answers["agency_access"].value[0]
        detail = text_of(editor.query_one(".table-row-detail"))
        rows = service.view(created.id).answers["agency_access"].value
        assert detail.startswith(f"Row 1 of {len(rows)} · ")
        assert f"▸{question.columns[blocked].label}: " in detail
        await pilot.press("enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, RowDialog)
        assert app.focused is dialog.query_one(f"#col-{blocked}")
        field = dialog.query_one(f"#col-{blocked}", Select)
        field.value = "unknown" if row["blocked"] != "unknown" else "no"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, RowDialog)
    saved = service.view(created.id).answers["agency_access"].value[0]
    assert saved["blocked"] == field.value and saved["agency"] == row["agency"]
