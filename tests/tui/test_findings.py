"""Findings where one works: on the question card they concern, with the table rows they
are about; in the review, with the rows named and Enter going to the row. And progress that
counts instead of a percentage that falls as follow-ups appear."""

from __future__ import annotations

import re
from pathlib import Path

from textual.widgets import DataTable, Select

from app.audit import AuditInfo, AuditService
from app.checklist import load_checklist
from app.tui.app import AuditApp
from app.tui.dialogs.table_row import RowDialog
from app.tui.screens.audit import AuditScreen
from app.tui.screens.review import ReviewScreen
from app.tui.widgets.choice import ChoiceRow
from app.tui.widgets.jumplist import JumpList
from app.tui.widgets.question import QuestionCard

from .helpers import focus, open_first_audit, opened, settle, text_of

FLAGSHIP = Path(__file__).resolve().parents[2] / "checklists" / "nlets-dmv-data-sharing.yaml"
UNBLOCKED = "An immigration enforcement agency can reach DMV data, unblocked"
ERO = "ICE Enforcement and Removal Operations (ERO)"


def _findings_text(question: QuestionCard) -> str:
    """What the card's findings line shows ('' when it is absent or hidden)."""
    lines = [w for w in question.query(".q-findings") if w.display]
    return "\n".join(text_of(w) for w in lines)


def _flagship_audit(service: AuditService) -> AuditInfo:
    return service.create_audit(load_checklist(FLAGSHIP), jurisdiction="WA",
                                period_start="2025-01-01", period_end="2025-12-31")


async def _fill_row(pilot, app: AuditApp, **cells: str) -> None:
    dialog = app.screen
    assert isinstance(dialog, RowDialog)
    for index, column in enumerate(dialog.question.columns):
        if column.id in cells:
            widget = dialog.query_one(f"#col-{index}", Select)
            widget.value = cells[column.id]
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert app.screen is not dialog


async def test_the_card_shows_the_findings_its_answer_raises(service: AuditService) -> None:
    audit = _flagship_audit(service)
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_first_audit(pilot)
        screen.jump_to("agency_access")
        await settle(pilot)
        agencies = await opened(pilot, "agency_access")
        assert _findings_text(agencies) == ""
        await focus(pilot, agencies.query_one(DataTable))
        agencies.query_one(DataTable).move_cursor(row=0)  # the suggested ICE ERO row
        await pilot.press("e")
        await settle(pilot)
        await _fill_row(pilot, app, agency="ice_ero", driver_data="yes", blocked="no")
        assert service.view(audit.id).answers["agency_access"].value[0]["blocked"] == "no"
        shown = _findings_text(agencies)
        assert "CRITICAL" in shown and UNBLOCKED in shown
        assert f"concerns: {ERO}" in shown
        # the line follows the answer: blocking the agency takes the finding off the card
        agencies.query_one(DataTable).move_cursor(row=0)
        await pilot.press("e")
        await settle(pilot)
        await _fill_row(pilot, app, blocked="yes")
        assert UNBLOCKED not in _findings_text(agencies)
        # a card that no finding is about has no findings line at all
        about = {q for f in service.view(audit.id).evaluation.findings for q in f.questions}
        quiet = [c for c in screen.cards() if c.question.id not in about]
        assert quiet and all(not c.query(".q-findings") for c in quiet)


async def test_review_names_the_rows_and_enter_goes_to_the_row(
        service: AuditService) -> None:
    audit = _flagship_audit(service)
    service.import_answers(audit.id, {"agency_access": [
        {"agency": "cbp", "driver_data": "no", "vehicle_data": "no", "photos": "no",
         "blocked": "yes", "blocked_since": "2025-03-01", "verified_in_logs": "yes",
         "queries_after_block": 0},
        {"agency": "ice_ero", "driver_data": "yes", "blocked": "no"},
    ]})
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_first_audit(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        items = review.query_one(JumpList)
        index = next(i for i in range(items.option_count)
                     if UNBLOCKED in items.get_option_at_index(i).prompt.plain)
        prompt = items.get_option_at_index(index).prompt.plain
        assert f"concerns: {ERO}" in prompt and "Customs and Border" not in prompt
        items.highlighted = index
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen and screen.current_question == "agency_access"
        table = (await opened(pilot, "agency_access")).query_one(DataTable)
        assert table.cursor_row == 1  # the ICE row, not the first one
        assert app.focused is table


def _answered(screen: AuditScreen) -> int:
    found = re.match(r"(\d+) answered · (\d+) to do", screen.sub_title)
    assert found, screen.sub_title
    return int(found[1])


async def test_answering_never_lowers_the_answered_count(service: AuditService,
                                                         audit: AuditInfo) -> None:
    service.import_answers(audit.id, {"reason_required": "always",
                                      "review_date": "2024-05-01"})
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_first_audit(pilot)
        before = _answered(screen)
        assert "2 to do" in screen.sub_title and "newly revealed" not in screen.sub_title
        await focus(pilot, (await opened(pilot, "connected")).query_one(ChoiceRow))
        await pilot.press("enter")  # Yes: the switch and the message keys follow
        await settle(pilot)
        assert service.view(audit.id).answers["connected"].value == "yes"
        assert _answered(screen) == before + 1
        assert "3 to do (2 newly revealed)" in screen.sub_title
        counts = text_of(screen.query_one("#section-counts"))
        assert counts.startswith("3 answered · 2 to do (2 newly revealed)")
        assert "%" not in screen.sub_title
