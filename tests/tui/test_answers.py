"""Answering every question type through its widget; each answer saved as it changes."""

from __future__ import annotations

from textual.widgets import Input, Select, SelectionList, TextArea

from app.audit import AuditInfo, AuditService
from app.checklist.evaluate import AnswerState
from app.tui.app import AuditApp
from app.tui.dialogs.reason import ReasonDialog
from app.tui.widgets.choice import ChoiceRow
from app.tui.widgets.ticklist import TickList

from .helpers import (
    SETTLE,
    card,
    click_action,
    focus,
    open_first_audit,
    opened,
    settle,
    type_text,
)


def stored(service: AuditService, audit: AuditInfo, question_id: str):
    """The answer as a fresh read from the service sees it."""
    return service.view(audit.id).answers.get(question_id)


async def test_every_question_type(service: AuditService, audit: AuditInfo) -> None:
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_first_audit(pilot)

        # yes/no/unknown: one row of options, saved at once
        await focus(pilot, (await opened(pilot, "connected")).query_one(ChoiceRow))
        await pilot.press("enter")  # the first button, Yes
        await pilot.pause()
        assert stored(service, audit, "connected").value == "yes"
        status = (await opened(pilot, "connected")).query_one(".q-status")
        assert status.render().plain.startswith("saved")

        # short text: debounced, saved after a pause
        await focus(pilot, (await opened(pilot, "switch_vendor")).query_one(Input))
        await type_text(pilot, "Acme Switch")
        await pilot.pause(SETTLE)
        assert stored(service, audit, "switch_vendor").value == "Acme Switch"

        # multiple choice: a SelectionList, saved at once
        await focus(pilot, (await opened(pilot, "keys")).query_one(SelectionList))
        await pilot.press("space", "down", "down", "space")
        await pilot.pause()
        assert stored(service, audit, "keys").value == ["dq", "rq"]
        await pilot.press("space")
        await pilot.pause()
        assert stored(service, audit, "keys").value == ["dq"]

        # single choice: a Select, saved at once
        await focus(pilot, (await opened(pilot, "reason_required")).query_one(Select))
        await pilot.press("enter", "down", "down", "enter")
        await pilot.pause()
        assert stored(service, audit, "reason_required").value == "sometimes"

        # date: refused text shows the service's message and is not saved
        review = await opened(pilot, "review_date")
        await focus(pilot, review.query_one(Input))
        await type_text(pilot, "2024-13-01")
        await pilot.pause(SETTLE)
        status = review.query_one(".q-status").render().plain
        assert status == ("Not saved: this answer takes a date; '2024-13-01' is not a day of "
                          "the calendar")
        assert review.editor.has_class("-invalid") and review.refused
        assert stored(service, audit, "review_date") is None
        await pilot.press(*["backspace"] * 5, *"06-30", "enter")  # Enter saves at once
        await pilot.pause()
        assert stored(service, audit, "review_date").value == "2024-06-30"
        assert not review.refused and not review.editor.has_class("-invalid")

        # number: parsed by the service; a refused one says what is allowed
        count = await opened(pilot, "query_count")
        await focus(pilot, count.query_one(Input))
        await type_text(pilot, "-3")
        await pilot.press("tab")  # leaving the field saves it
        await pilot.pause()
        assert "at least 0" in count.query_one(".q-status").render().plain
        count.query_one(Input).value = "1,200"
        await pilot.pause(SETTLE)
        assert stored(service, audit, "query_count").value == 1200

        # long text: a TextArea, flushed by ctrl+s before the pause ends
        await focus(pilot, (await opened(pilot, "description")).editor.query_one(TextArea))
        await type_text(pilot, "Two lines")
        await pilot.press("enter")
        await type_text(pilot, "of text")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert stored(service, audit, "description").value == "Two lines\nof text"

        # progress in the header and the section list follows the service
        view = service.view(audit.id)
        progress = view.evaluation.progress
        assert screen.sub_title.startswith(f"{progress.done} answered · {progress.to_do} to do")
        basics = view.evaluation.progress.sections[0]
        assert f"{basics.done}/{basics.total}" in screen.query_one("#sections").get_option_at_index(
            0).prompt.plain


async def test_conditional_questions_follow_answers(service: AuditService,
                                                    audit: AuditInfo) -> None:
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first_audit(pilot)
        assert not card(app, "switch_vendor").display and not card(app, "keys").display

        radio = (await opened(pilot, "connected")).query_one(ChoiceRow)
        await focus(pilot, radio)
        await pilot.press("right", "enter")  # No
        await pilot.pause()
        assert stored(service, audit, "connected").value == "no"
        assert not card(app, "switch_vendor").display and not card(app, "keys").display

        await pilot.press("left", "enter")  # Yes
        await pilot.pause()
        assert card(app, "switch_vendor").display and card(app, "keys").display

        await pilot.press("right", "enter")  # No again
        await pilot.pause()
        assert not card(app, "switch_vendor").display and not card(app, "keys").display
        assert service.view(audit.id).evaluation.visible["keys"] is False


async def test_note_not_applicable_and_clear(service: AuditService, audit: AuditInfo) -> None:
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first_audit(pilot)
        review = await opened(pilot, "review_date")
        await focus(pilot, review.query_one(".q-note", TextArea))
        await type_text(pilot, "Asked the CJIS officer")
        await pilot.pause(SETTLE)
        assert stored(service, audit, "review_date").note == "Asked the CJIS officer"

        await click_action(pilot, review, "not_applicable")
        dialog = app.screen
        assert isinstance(dialog, ReasonDialog)
        await pilot.press("enter")  # an empty reason is refused, in the dialog
        await pilot.pause()
        assert app.screen is dialog
        assert "reason is required" in dialog.query_one("#reason-error").render().plain
        await type_text(pilot, "No review process exists")
        await pilot.press("enter")
        await pilot.pause()
        answer = stored(service, audit, "review_date")
        assert answer.state == AnswerState.NOT_APPLICABLE
        assert answer.na_reason == "No review process exists"
        assert answer.note == "Asked the CJIS officer"
        assert review.query_one(".q-na").display
        assert "No review process exists" in review.query_one(".q-na").render().plain

        await click_action(pilot, review, "clear")
        answer = stored(service, audit, "review_date")
        assert answer.state == AnswerState.ANSWERED and answer.value is None
        assert answer.na_reason is None and answer.note == "Asked the CJIS officer"
        assert not review.query_one(".q-na").display

        # clearing yes/no/unknown un-presses the radio buttons and hides what it revealed
        connected = await opened(pilot, "connected")
        await focus(pilot, connected.query_one(ChoiceRow))
        await pilot.press("enter")
        await pilot.pause()
        assert card(app, "switch_vendor").display
        await pilot.press("f5")  # the key does what the link does
        await pilot.pause()
        assert stored(service, audit, "connected").value is None
        assert connected.query_one(ChoiceRow).pressed_index == -1
        assert not card(app, "switch_vendor").display

        # clearing an answered choice empties the widget too
        reason = await opened(pilot, "reason_required")
        reason.query_one(Select).value = "always"
        await pilot.pause()
        assert stored(service, audit, "reason_required").value == "always"
        await click_action(pilot, reason, "clear")
        assert stored(service, audit, "reason_required").value is None
        assert reason.query_one(Select).value is Select.NULL

        # choosing the blank entry removes the answer, and says so
        reason.query_one(Select).value = "never"
        await pilot.pause()
        reason.query_one(Select).clear()
        await pilot.pause()
        assert stored(service, audit, "reason_required").value is None
        assert reason.query_one(".q-status").render().plain.startswith("cleared")


async def test_loading_saved_answers_saves_nothing(service: AuditService,
                                                   audit: AuditInfo) -> None:
    service.set_answer(audit.id, "connected", "yes")
    service.set_answer(audit.id, "switch_vendor", "Acme", note="from the contract")
    service.set_answer(audit.id, "keys", ["kq"])
    service.set_answer(audit.id, "reason_required", "never")
    service.set_answer(audit.id, "review_date", "2024-03-01")
    service.set_answer(audit.id, "query_count", 7)
    service.set_answer(audit.id, "description", "Line\nline")
    service.set_not_applicable(audit.id, "agencies", "No agency access at all")
    events = len(service.history(audit.id))
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first_audit(pilot)
        await pilot.pause(SETTLE)
        assert (await opened(pilot, "switch_vendor")).query_one(Input).value == "Acme"
        note = (await opened(pilot, "switch_vendor")).query_one(".q-note", TextArea)
        assert note.text == "from the contract"
        assert (await opened(pilot, "connected")).query_one(ChoiceRow).pressed_index == 0
        assert list((await opened(pilot, "keys")).query_one(SelectionList).selected) == ["kq"]
        assert (await opened(pilot, "reason_required")).query_one(Select).value == "never"
        assert (await opened(pilot, "review_date")).query_one(Input).value == "2024-03-01"
        assert (await opened(pilot, "query_count")).query_one(Input).value == "7"
        assert (await opened(pilot, "description")).editor.query_one(TextArea).text == "Line\nline"
        await pilot.press("ctrl+n")
        await pilot.pause()
        mark = (await opened(pilot, "agencies")).query_one(".q-na")
        assert "No agency access at all" in mark.render().plain
        await pilot.press("ctrl+pageup", "escape")
        await pilot.pause()
    assert len(service.history(audit.id)) == events


async def test_section_list_opens_sections(service: AuditService, audit: AuditInfo) -> None:
    app = AuditApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_first_audit(pilot)
        await focus(pilot, screen.query_one("#sections"))
        await pilot.press("down", "enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.section_index == 1
        assert [c.question.id for c in screen.cards()] == ["agencies"]
        assert "Agencies" in screen.query_one("#section-title").render().plain
        await pilot.press("ctrl+pageup")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.section_index == 0


async def test_unticked_options_are_blank_not_a_grey_x(service: AuditService,
                                                       audit: AuditInfo) -> None:
    service.import_answers(audit.id, {"connected": "yes", "keys": ["kq"]})
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first_audit(pilot)
        ticks = (await opened(pilot, "keys")).query_one(TickList)
        boxes = [ticks.render_line(y).text[:3] for y in range(3)]
        assert boxes == ["▐ ▌", "▐X▌", "▐ ▌"]  # dq, kq (ticked), rq


async def test_action_links_and_clearing_long_text(service: AuditService, audit: AuditInfo,
                                                   tmp_path) -> None:
    from app.tui.dialogs.confirm import ConfirmDialog
    from app.tui.dialogs.evidence import EvidenceDialog

    service.import_answers(audit.id, {"connected": "yes",
                                      "description": "Through the state message switch."})
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_first_audit(pilot)
        screen.jump_to("description")
        await settle(pilot)
        description = card(app, "description")
        await click_action(pilot, description, "evidence")
        assert isinstance(app.screen, EvidenceDialog)
        await pilot.press("escape")
        await pilot.pause()
        await click_action(pilot, description, "clear")
        assert isinstance(app.screen, ConfirmDialog)  # a long text is cleared only if confirmed
        await pilot.press("enter")  # Cancel has the focus
        await pilot.pause()
        assert stored(service, audit, "description").value == "Through the state message switch."
        await click_action(pilot, description, "clear")
        await pilot.click("#confirm")
        await pilot.pause()
        assert stored(service, audit, "description").value is None
