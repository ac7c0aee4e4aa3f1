"""New from previous: carried answers marked, confirmed one by one or per section, changed,
and the change seen in the diff view; the review lists dropped and not-copied answers."""

from __future__ import annotations

from textual.widgets import Input, OptionList, Select

from app.audit import AuditInfo, AuditService
from app.checklist import load_checklist
from app.checklist.evaluate import AnswerState
from app.tui.app import AuditApp
from app.tui.dialogs.confirm import ConfirmDialog
from app.tui.dialogs.new_audit import NewAuditDialog
from app.tui.dialogs.pick_audit import PickAuditDialog
from app.tui.screens.audit import AuditScreen
from app.tui.screens.diff import DiffScreen
from app.tui.screens.review import ReviewScreen
from app.tui.widgets.jumplist import JumpList

from .helpers import SAMPLE_V2, card, opened, settle, text_of

PREVIOUS_ANSWERS = {
    "connected": "yes", "switch_vendor": "Acme Switch", "keys": ["dq", "rq"],
    "reason_required": "never", "review_date": "2024-06-30", "query_count": 12,
    "description": "Via the state switch.",
}


def previous_audit(service: AuditService, audit: AuditInfo) -> AuditInfo:
    service.import_answers(audit.id, PREVIOUS_ANSWERS)
    return audit


def states(service: AuditService, audit_id: str) -> dict[str, AnswerState]:
    return {q: a.state for q, a in service.view(audit_id).answers.items()}


async def start_from_previous(app: AuditApp, pilot, checklist_path: str | None) -> AuditScreen:
    await pilot.pause()
    await pilot.press("f")
    await settle(pilot)
    assert isinstance(app.screen, PickAuditDialog)
    await pilot.press("enter")
    await settle(pilot)
    dialog = app.screen
    assert isinstance(dialog, NewAuditDialog)
    # prefilled from the previous audit: same state, the following period
    assert dialog.query_one("#jurisdiction", Select).value == "WA"
    assert dialog.query_one("#period-start", Input).value == "2025-01-01"
    assert dialog.query_one("#period-end", Input).value == "2025-12-31"
    assert "carried forward" in text_of(dialog.query_one("#based-on"))
    if checklist_path:
        dialog.query_one("#checklist-path", Input).value = checklist_path
    await pilot.press("ctrl+s")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, AuditScreen)
    return screen


async def test_new_from_previous_confirm_change_and_diff(service: AuditService,
                                                         audit: AuditInfo) -> None:
    previous = previous_audit(service, audit)
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start_from_previous(app, pilot, str(SAMPLE_V2))
        new_id = screen.audit_id
        assert service.get_audit(new_id).based_on == previous.id
        assert service.get_audit(new_id).checklist_version == "2"
        carried = [q for q, s in states(service, new_id).items()
                   if s == AnswerState.CARRIED_UNCONFIRMED]
        assert sorted(carried) == ["connected", "reason_required", "review_date",
                                   "switch_operator"]
        # carried answers are marked, on the card and in the section list
        connected = await opened(pilot, "connected")
        assert connected.carried and connected.has_class("-carried")
        assert connected.query_one(".q-carried").display
        assert "↻4" in screen.query_one("#sections").get_option_at_index(0).prompt.plain
        assert screen.query_one("#carry-banner").display
        assert not card(app, "keys").carried  # its old answer was not copied

        # confirm one by one: ctrl+t goes to the next thing to do, ctrl+o confirms
        assert screen.current_question == "connected"
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert states(service, new_id)["connected"] == AnswerState.ANSWERED
        assert not connected.carried and not connected.query_one(".q-carried").display
        assert text_of(connected.query_one(".q-status")).startswith("confirmed")

        await pilot.press("ctrl+t")
        await settle(pilot)
        assert screen.current_question == "switch_operator"
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert states(service, new_id)["switch_operator"] == AnswerState.ANSWERED

        # change one instead of confirming it: that makes it answered too
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert screen.current_question == "keys"  # required, unanswered
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert screen.current_question == "reason_required"
        (await opened(pilot, "reason_required")).query_one(Select).value = "always"
        await settle(pilot)
        answer = service.view(new_id).answers["reason_required"]
        assert answer.value == "always" and answer.state == AnswerState.ANSWERED

        await pilot.press("ctrl+t")
        await settle(pilot)
        assert screen.current_question == "review_date"
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert service.view(new_id).evaluation.unconfirmed == []
        assert not screen.query_one("#carry-banner").display
        kinds = [e.kind for e in service.history(new_id)]
        assert kinds.count("answer_confirmed") == 3

        # the diff view shows the change; Enter on it comes back to the question
        await pilot.press("ctrl+b")
        await settle(pilot)
        diff = app.screen
        assert isinstance(diff, DiffScreen)
        listing = diff.query_one(JumpList)
        lines = [listing.get_option_at_index(i).prompt.plain
                 for i in range(listing.option_count)]
        text = "\n".join(lines)
        assert "Is a reason code required?" in text and "never → always" in text
        assert "Can licence photos be reached?" in text  # new question
        assert "Queries from federal agencies in the period" in text  # dropped
        index = next(i for i, line in enumerate(lines) if "reason code" in line)
        listing.highlighted = index
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert screen.current_question == "reason_required"


async def test_confirm_all_shown_in_a_section(service: AuditService, audit: AuditInfo,
                                              sample) -> None:
    previous_audit(service, audit)
    new = service.create_audit(sample, jurisdiction="WA", period_start="2025-01-01",
                               period_end="2025-12-31", based_on=audit.id)
    app = AuditApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#audits")
        table.move_cursor(row=0)  # the newest audit first
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AuditScreen) and screen.audit_id == new.id
        button = screen.query_one("#confirm-all")
        assert button.display and "7" in str(button.label)
        # cancelling the question confirms nothing
        await pilot.click("#confirm-all")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert len(service.view(new.id).evaluation.unconfirmed) == 7
        await pilot.click("#confirm-all")
        await settle(pilot)
        await pilot.click("#confirm")
        await settle(pilot)
        assert service.view(new.id).evaluation.unconfirmed == []
        assert not button.display
        assert all(not c.carried for c in screen.cards())


async def test_review_lists_dropped_not_copied_and_stale(service: AuditService,
                                                         audit: AuditInfo, tmp_path) -> None:
    previous_audit(service, audit)
    extract = tmp_path / "log-extract.csv"
    extract.write_text("time,ori\n")
    service.add_evidence(audit.id, "review_date", extract, "2023-03-01")
    new = service.create_audit(load_checklist(SAMPLE_V2), jurisdiction="WA",
                               period_start="2025-01-01", period_end="2025-12-31",
                               based_on=audit.id)
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.screen.query_one("#audits").move_cursor(row=0)
        await pilot.press("r")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        listing = review.query_one(JumpList)
        lines = [listing.get_option_at_index(i).prompt.plain
                 for i in range(listing.option_count)]
        text = "\n".join(lines)
        assert "Carried-forward answers not yet confirmed (4)" in text
        assert "Stale evidence (dated before the audit period) (1)" in text
        assert "log-extract.csv — effective 2023-03-01, before 2025-01-01" in text
        assert "Questions dropped from the checklist (2)" in text
        assert "query_count: counted from the query logs instead" in text
        assert "Previous answers not copied (1)" in text
        assert "keys:" in text and "rq" in text
        # Enter on the stale evidence opens the audit at its question
        listing.highlighted = next(i for i, line in enumerate(lines) if "log-extract" in line)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AuditScreen) and screen.audit_id == new.id
        assert screen.current_question == "review_date"
        evidence = text_of((await opened(pilot, "review_date")).query_one(".q-evidence"))
        assert "STALE" in evidence and "log-extract.csv" in evidence


async def test_pick_dialog_can_be_cancelled(service: AuditService, audit: AuditInfo) -> None:
    app = AuditApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, PickAuditDialog)
        assert app.screen.query_one(OptionList).option_count == 1
        await pilot.press("escape")
        await settle(pilot)
    assert len(service.list_audits()) == 1
