"""Importing a query log from the audit screen: preview, import, the filled table shown."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input

from app.audit import AuditService
from app.checklist import load_checklist
from app.tui.app import AuditApp
from app.tui.dialogs.query_log import QueryLogDialog
from app.tui.screens.audit import AuditScreen

from .helpers import open_first_audit, settle, text_of

FLAGSHIP = Path(__file__).resolve().parents[2] / "checklists" / "nlets-dmv-data-sharing.yaml"

LOG = """\
When,ORI,message_key,destination,Outcome
2025-03-02T10:00:00,WAICE0100,DQ,WA,OK
2025-11-20T08:00:00,WAICE0100,KQ,WA,DENIED
2025-06-01T12:00:00,WACBP0200,RQ,WA,OK
"""


def blocked_ice(service: AuditService, folder: Path) -> tuple[str, Path]:
    """A flagship audit whose only agency, ICE ERO, is blocked; and a log to import."""
    audit = service.create_audit(load_checklist(FLAGSHIP), jurisdiction="WA",
                                 period_start="2025-01-01", period_end="2025-12-31").id
    service.import_answers(audit, {"agency_access": [
        {"agency": "ice_ero", "oris": "WAICE0100", "blocked": "yes",
         "blocked_since": "2025-11-19"}]})
    log = folder / "switch.csv"
    log.write_text(LOG, encoding="utf-8")
    return audit, log


async def open_dialog(pilot: Pilot, log: Path) -> QueryLogDialog:
    """Open the first audit, then the import dialog (ctrl+l) with the log's path in it."""
    await open_first_audit(pilot)
    await pilot.press("ctrl+l")
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, QueryLogDialog)
    dialog.query_one("#log-path", Input).value = str(log)
    return dialog


async def test_preview_then_import(service: AuditService, tmp_path: Path) -> None:
    audit, log = blocked_ice(service, tmp_path)
    events = len(service.history(audit))

    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await open_dialog(pilot, log)
        dialog.query_one("#log-map", Input).value = "time=When, ori=ORI, result=Outcome"
        dialog.query_one("#log-answered", Input).value = "OK"

        await pilot.press("ctrl+r")
        await settle(pilot)
        shown = text_of(dialog.query_one("#log-result"))
        assert "switch.csv: 3 queries" in shown and "block HOLDS" in shown
        assert "dry run: nothing recorded" in shown
        assert len(service.history(audit)) == events

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "kept as evidence: query-log-analysis-switch.json" in text_of(
            dialog.query_one("#log-result"))
        await pilot.press("escape")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AuditScreen)
        assert screen.current_question == "agency_access"
        editor = screen.card("agency_access").editor
        assert editor.rows[0]["verified_in_logs"] == "yes"
        assert editor.rows[0]["queries_after_block"] == 0


async def test_a_refused_log_is_explained_in_the_dialog(service: AuditService,
                                                        tmp_path: Path) -> None:
    _audit, log = blocked_ice(service, tmp_path)  # its columns are not named as the defaults
    app = AuditApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_dialog(pilot, log)
        await pilot.press("ctrl+s")
        await settle(pilot)
        error = text_of(dialog.query_one("#log-error"))
        assert "switch.csv" in error and "time" in error
        assert app.screen is dialog


async def test_a_checklist_without_log_analysis_says_what_to_do(
        service: AuditService, audit) -> None:
    app = AuditApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_audit(pilot)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, AuditScreen)
        assert any("no `log_analysis` section" in n.message and "f on the audit list"
                   in n.message for n in app._notifications)
