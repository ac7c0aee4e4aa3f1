"""A table's rows imported from a CSV file in the interface: `i` on the table, a path with
completion, every cell checked, a red confirmation before saved rows are replaced, the card
saved and the findings refreshed; refusals shown in the dialog with nothing saved."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from sqlalchemy import text
from textual.widgets import Button, DataTable, Input

from app.audit import AuditInfo, AuditService
from app.checklist import load_checklist
from app.tui.app import AuditApp
from app.tui.dialogs.confirm import ConfirmDialog
from app.tui.dialogs.table_import import TableImportDialog
from app.tui.widgets.table import TableEditor

from .helpers import card, focus, open_first_audit, opened, settle, text_of

FLAGSHIP = Path(__file__).resolve().parents[2] / "checklists" / "nlets-dmv-data-sharing.yaml"
COMPLIANT = Path(__file__).resolve().parents[1] / "fixtures" / "flagship-compliant.yaml"
TABLE = "agency_access"
UNBLOCKED = "An immigration enforcement agency can reach DMV data, unblocked"

GOOD_CSV = (
    "agency,oris,driver_data,blocked,blocked_since,mechanism,queries_after_block\n"
    "ice_ero,WAICE0100,yes,no,,,\n"
    "cbp,WACBP*,no,yes,2025-02-10,switch_ori,0\n"
)
BAD_CSV = (
    "agency,blocked,blocked_since\n"
    "ice_ero,yes,2025-02-10\n"
    "cbp,yes,2025-02-30\n"
)


def _flagship(service: AuditService, *, with_rows: bool = True) -> AuditInfo:
    """A flagship audit answered as the compliant fixture (its agencies table: 12 rows),
    or with the agencies table left unanswered."""
    audit = service.create_audit(load_checklist(FLAGSHIP), jurisdiction="CO",
                                 period_start="2025-01-01", period_end="2025-12-31")
    service.import_answers(audit.id, yaml.safe_load(COMPLIANT.read_text(encoding="utf-8")))
    if not with_rows:
        service.clear_answer(audit.id, TABLE)
    return audit


async def _open_table(pilot, app: AuditApp) -> TableEditor:
    screen = await open_first_audit(pilot)
    screen.jump_to(TABLE)
    await settle(pilot)
    editor = (await opened(pilot, TABLE)).editor
    assert isinstance(editor, TableEditor)
    await focus(pilot, editor.query_one(DataTable))
    return editor


async def _import(pilot, app: AuditApp, path: Path) -> TableImportDialog:
    """Press i, type the path and ctrl+s; return the dialog once the file is read."""
    await pilot.press("i")
    await settle(pilot)
    dialog = app.screen
    assert isinstance(dialog, TableImportDialog)
    dialog.query_one("#import-path", Input).value = str(path)
    await pilot.press("ctrl+s")
    await settle(pilot)
    return dialog


async def test_a_csv_replaces_the_agencies_rows_after_a_red_confirmation(
        service: AuditService, tmp_path: Path) -> None:
    audit = _flagship(service)
    before = service.view(audit.id).answers[TABLE].value
    assert len(before) == 12
    source = tmp_path / "agencies.csv"
    source.write_text(GOOD_CSV, encoding="utf-8")
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await _open_table(pilot, app)
        agencies = card(app, TABLE)
        assert UNBLOCKED not in "".join(text_of(w) for w in agencies.query(".q-findings"))
        await pilot.press("i")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, TableImportDialog)
        # the dialog says what the import does before anything is typed
        assert "REPLACES the 12 rows saved in this table" in text_of(
            dialog.query_one("#import-replaces"))
        dialog.query_one("#import-path", Input).value = str(source)
        await pilot.press("ctrl+s")
        await settle(pilot)
        confirm = app.screen
        assert isinstance(confirm, ConfirmDialog)
        body = text_of(confirm.query_one(".confirm-body"))
        assert "The 12 rows saved" in body and "the 2 rows of agencies.csv" in body
        button = confirm.query_one("#confirm", Button)
        assert button.variant == "error" and str(button.label) == "Replace 12 rows"
        # Cancel (the focused button) goes back to the dialog; nothing is saved
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog
        assert service.view(audit.id).answers[TABLE].value == before
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.click("#confirm")
        await settle(pilot)
        assert not isinstance(app.screen, (ConfirmDialog, TableImportDialog))

        stored = service.view(audit.id).answers[TABLE]
        assert stored.value == [
            {"agency": "ice_ero", "oris": "WAICE0100", "driver_data": "yes",
             "blocked": "no"},
            {"agency": "cbp", "oris": "WACBP*", "driver_data": "no", "blocked": "yes",
             "blocked_since": "2025-02-10", "mechanism": "switch_ori",
             "queries_after_block": 0},
        ]
        # one change in the history, its reason naming the file
        events = [e for e in service.history(audit.id) if e.question_id == TABLE]
        assert events[-1].reason == "imported from agencies.csv"
        # the card shows the rows and its saved state; the screen's findings follow
        table = editor.query_one(DataTable)
        assert table.row_count == 2
        assert [c.plain for c in table.get_row_at(0)][0].startswith("ICE")
        assert re.fullmatch(r"saved \d\d:\d\d:\d\d", text_of(agencies.query_one(".q-status")))
        assert UNBLOCKED in "".join(text_of(w) for w in agencies.query(".q-findings"))
        assert app.focused is table


async def test_a_bad_cell_is_refused_in_the_dialog_and_nothing_is_saved(
        service: AuditService, tmp_path: Path) -> None:
    audit = _flagship(service)
    before = service.view(audit.id).answers[TABLE].value
    (tmp_path / "bad.csv").write_text(BAD_CSV, encoding="utf-8")
    (tmp_path / "columns.csv").write_text("agency,colour\nice_ero,red\n", encoding="utf-8")
    (tmp_path / "unblocked.csv").write_text("agency,oris\nice_ero,WAICE0100\n",
                                            encoding="utf-8")
    (tmp_path / "folder.csv").mkdir()
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_table(pilot, app)
        dialog = await _import(pilot, app, tmp_path / "bad.csv")
        assert app.screen is dialog  # no confirmation for a file that is refused
        error = text_of(dialog.query_one("#import-error"))
        assert "bad.csv" in error and "line 3" in error and "blocked_since" in error
        assert "2025-02-30" in error and "nothing was recorded" in error
        assert "\n" not in error
        assert service.view(audit.id).answers[TABLE].value == before
        # an unknown column, a required column missing, a file that cannot be read, one
        # that is not a table file: each named, and still nothing saved
        for name, words in (("columns.csv", ["line 1", "unknown column 'colour'"]),
                            ("unblocked.csv", ["line 2", "(blocked) is required"]),
                            ("missing.csv", ["missing.csv"]),
                            ("folder.csv", ["folder.csv"]),
                            ("notes.txt", ["give a .csv or .xlsx file"])):
            dialog.query_one("#import-path", Input).value = str(tmp_path / name)
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert app.screen is dialog
            error = text_of(dialog.query_one("#import-error"))
            for word in words:
                assert word in error, (word, error)
            assert "Traceback" not in error and "Error:" not in error
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, TableImportDialog)
        assert service.view(audit.id).answers[TABLE].value == before


async def test_a_table_without_saved_rows_imports_without_a_confirmation(
        service: AuditService, tmp_path: Path) -> None:
    audit = _flagship(service, with_rows=False)
    source = tmp_path / "agencies.csv"
    source.write_text(GOOD_CSV, encoding="utf-8")
    app = AuditApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_table(pilot, app)
        await pilot.press("i")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, TableImportDialog)
        assert "saved" not in text_of(dialog.query_one("#import-replaces"))
        dialog.query_one("#import-path", Input).value = str(source)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, (ConfirmDialog, TableImportDialog)), app.screen
        assert [r["agency"] for r in service.view(audit.id).answers[TABLE].value] == [
            "ice_ero", "cbp"]


async def test_a_signed_audit_offers_no_import(service: AuditService,
                                               tmp_path: Path) -> None:
    audit = _flagship(service)
    before = service.view(audit.id).answers[TABLE].value
    with service.store.engine.begin() as connection:
        connection.execute(text(
            "UPDATE audit SET status='signed', signed_by='Jane Roe', "
            "signed_at='2025-03-02T09:00:00.000000Z' WHERE id=:id"), {"id": audit.id})
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_first_audit(pilot)
        screen.jump_to(TABLE)
        await settle(pilot)
        agencies = card(app, TABLE)
        # a signed audit shows its tables as text: no grid, no buttons, no import key
        agencies.focus()
        await pilot.press("i", "enter")
        await settle(pilot)
        assert not agencies.is_open and not agencies.query(TableEditor)
        assert not isinstance(app.screen, TableImportDialog)
        assert service.view(audit.id).answers[TABLE].value == before


@pytest.mark.parametrize("typed", ["agen", "sub"])
async def test_the_path_is_completed_in_the_import_dialog(
        service: AuditService, tmp_path: Path, typed: str) -> None:
    _flagship(service)
    (tmp_path / "agencies.csv").write_text(GOOD_CSV, encoding="utf-8")
    (tmp_path / "subfolder").mkdir()
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_table(pilot, app)
        await pilot.press("i")
        await settle(pilot)
        field = app.screen.query_one("#import-path", Input)
        assert app.focused is field
        field.value = f"{tmp_path}/"
        field.cursor_position = len(field.value)
        await pilot.press(*typed)
        await settle(pilot)
        await pilot.press("right")  # at the end of the field: takes the suggestion
        await pilot.pause()
        expected = "agencies.csv" if typed == "agen" else "subfolder/"
        assert field.value == f"{tmp_path}/{expected}"


async def test_an_xlsx_sheet_imports_through_the_dialog(service: AuditService,
                                                        tmp_path: Path) -> None:
    from openpyxl import Workbook

    audit = _flagship(service, with_rows=False)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for line in GOOD_CSV.splitlines():
        sheet.append([cell or None for cell in line.split(",")])
    source = tmp_path / "agencies.xlsx"
    book.save(source)
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_table(pilot, app)
        await _import(pilot, app, source)
        assert not isinstance(app.screen, TableImportDialog)
        rows = service.view(audit.id).answers[TABLE].value
        assert [(r["agency"], r["blocked"]) for r in rows] == [("ice_ero", "no"),
                                                               ("cbp", "yes")]
        assert rows[1]["queries_after_block"] == 0
