"""Signed audits are read-only; quitting and reopening keeps everything."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import text
from textual.widgets import Input, SelectionList, TextArea

from app.audit import AuditInfo, AuditService
from app.tui.app import AuditApp
from app.tui.widgets import question
from app.tui.widgets.base import AnswerEditor
from app.tui.widgets.card_actions import CardActions
from app.tui.widgets.choice import ChoiceRow

from .helpers import card, focus, focus_within, open_first_audit, opened, settle, text_of, type_text


@pytest.fixture
def slow_autosave(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the typing pause far longer than a test, so only a flush can save text."""
    monkeypatch.setattr(question, "DEBOUNCE_SECONDS", 60.0)


async def test_signed_audit_is_read_only(service: AuditService, audit: AuditInfo) -> None:
    service.set_answer(audit.id, "connected", "yes")
    with service.store.engine.begin() as connection:
        connection.execute(text("UPDATE audit SET status='signed' WHERE id=:id"),
                           {"id": audit.id})
    events = len(service.history(audit.id))
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_first_audit(pilot)
        banner = screen.query_one("#banner")
        assert banner.display and "read-only" in banner.render().plain
        assert "read-only" in screen.sub_title
        for question_card in screen.cards():
            # a signed audit shows its answers as text: no editor, note field or actions
            assert not await question_card.open()
            assert not question_card.query(AnswerEditor)
            assert not question_card.query(".q-note")
            assert not question_card.query(CardActions)
            assert "Enter: answer" not in text_of(question_card)
        assert "Answer: Yes" in text_of(card(app, "connected"))
        await pilot.click(card(app, "connected"))
        await pilot.press("right", "enter", "n", "ctrl+s")
        await pilot.pause()
        assert not card(app, "connected").is_open
        await pilot.press("ctrl+n")
        await pilot.pause()
        agencies = card(app, "agencies")
        await pilot.click(agencies)
        await pilot.press("a", "enter")
        await pilot.pause()
        # no suggested rows stand in for a missing answer
        assert not agencies.is_open and "no answer yet" in text_of(agencies)
        await pilot.press("escape")
        await pilot.pause()
    assert len(service.history(audit.id)) == events
    assert service.view(audit.id).answers["connected"].value == "yes"


@pytest.mark.usefixtures("slow_autosave")
async def test_quit_and_reopen(fresh_app: Callable[[], AuditApp], audit: AuditInfo,
                               service: AuditService) -> None:
    app = fresh_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_audit(pilot)
        await focus(pilot, (await opened(pilot, "connected")).query_one(ChoiceRow))
        await pilot.press("enter")
        await pilot.pause()
        await focus(pilot, (await opened(pilot, "keys")).query_one(SelectionList))
        await pilot.press("down", "space")
        await pilot.pause()
        await focus(pilot, (await opened(pilot, "switch_vendor")).query_one(Input))
        await type_text(pilot, "Acme")
        # quit at once, before the pause that would save the text
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0

    reopened = fresh_app()
    async with reopened.run_test(size=(120, 40)) as pilot:
        await open_first_audit(pilot)
        assert (await opened(pilot, "connected")).query_one(ChoiceRow).pressed_index == 0
        keys = (await opened(pilot, "keys")).query_one(SelectionList)
        assert list(keys.selected) == ["kq"]
        assert (await opened(pilot, "switch_vendor")).editor.query_one(Input).value == "Acme"
        assert card(reopened, "switch_vendor").display
    answers = service.view(audit.id).answers
    assert answers["connected"].value == "yes"
    assert answers["keys"].value == ["kq"]
    assert answers["switch_vendor"].value == "Acme"


@pytest.mark.usefixtures("slow_autosave")
async def test_escape_saves_pending_text(service: AuditService, audit: AuditInfo) -> None:
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first_audit(pilot)
        await focus(pilot, (await opened(pilot, "review_date")).query_one(".q-note", TextArea))
        await type_text(pilot, "pending")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query_one("#audits").row_count == 1
    assert service.view(audit.id).answers["review_date"].note == "pending"


@pytest.mark.usefixtures("slow_autosave")
async def test_section_change_saves_pending_text(service: AuditService,
                                                 audit: AuditInfo) -> None:
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_first_audit(pilot)
        await focus(pilot, (await opened(pilot, "review_date")).query_one(Input))
        await type_text(pilot, "2024-01-15")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert screen.section_index == 1
        assert card(app, "agencies")
    assert service.view(audit.id).answers["review_date"].value == "2024-01-15"


async def test_refused_text_warns_before_leaving(service: AuditService,
                                                 audit: AuditInfo) -> None:
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_first_audit(pilot)
        await focus(pilot, (await opened(pilot, "review_date")).query_one(Input))
        await type_text(pilot, "soon")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen  # warned, still here
        assert card(app, "review_date").refused
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not screen
    assert service.view(audit.id).answers.get("review_date") is None


async def test_an_audit_reopens_where_work_stopped(service: AuditService,
                                                   audit: AuditInfo) -> None:
    app = AuditApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_first_audit(pilot)
        screen.jump_to("agencies")
        await settle(pilot)
        assert screen.section_index == 1
        await pilot.press("escape")
        await settle(pilot)
        again = await open_first_audit(pilot)
        await settle(pilot)
        assert again is not screen
        assert again.section_index == 1 and again.current_question == "agencies"


async def test_a_remembered_question_now_hidden_opens_its_section(
        service: AuditService, audit: AuditInfo) -> None:
    service.set_answer(audit.id, "connected", "yes")
    app = AuditApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_first_audit(pilot)
        screen.jump_to("switch_vendor")  # shown only while connected is yes
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        service.set_answer(audit.id, "connected", "no")
        again = await open_first_audit(pilot)
        await settle(pilot)
        assert not again.card("switch_vendor").display
        assert again.current_question == "connected"  # the first question shown, focused
        assert focus_within(app, again.card("connected"))


def _position_writes(monkeypatch: pytest.MonkeyPatch, delay: float) -> list[dict[str, str]]:
    """The positions written to the settings from now on, with the rest before a write
    set to `delay` seconds."""
    from app.tui import config
    from app.tui.screens import audit_pane

    monkeypatch.setattr(audit_pane, "POSITION_DELAY", delay)
    writes: list[dict[str, str]] = []
    save = config.save_settings

    def counted(settings: config.TuiSettings, path=None) -> None:
        writes.append(dict(settings.positions))
        save(settings, path)

    monkeypatch.setattr(config, "save_settings", counted)
    return writes


async def test_moving_through_questions_writes_the_position_once_on_leaving(
        service: AuditService, audit: AuditInfo, monkeypatch: pytest.MonkeyPatch) -> None:
    service.set_answer(audit.id, "connected", "yes")
    writes = _position_writes(monkeypatch, 60.0)
    app = AuditApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_first_audit(pilot)
        visited = [screen.current_question]
        for _ in range(30):  # from field to field, and so from question to question
            await pilot.press("tab")
            await settle(pilot)
            if screen.current_question != visited[-1]:
                visited.append(screen.current_question)
        assert len(visited) >= 4, visited
        assert writes == []  # not one disk write per move
        await pilot.press("escape")
        await settle(pilot)
    assert [w[audit.id] for w in writes] == [visited[-1]]


async def test_the_position_is_written_once_the_focus_rests(
        service: AuditService, audit: AuditInfo, monkeypatch: pytest.MonkeyPatch) -> None:
    writes = _position_writes(monkeypatch, 0.05)
    app = AuditApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_first_audit(pilot)
        screen.jump_to("review_date")
        await settle(pilot)
        await pilot.pause(0.3)  # longer than the rest: a killed program reopens here
        assert writes and writes[-1][audit.id] == "review_date"
