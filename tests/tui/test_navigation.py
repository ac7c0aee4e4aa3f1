"""Moving around: next/previous question, next to do, sections, review jumps, help, palette."""

from __future__ import annotations

import asyncio
import gc

from textual.command import CommandPalette
from textual.widgets import Input

from app.audit import AuditInfo, AuditService
from app.tui.app import AuditApp
from app.tui.dialogs.question_info import QuestionInfoDialog
from app.tui.screens.audit import AuditScreen
from app.tui.screens.keys import KeysScreen
from app.tui.screens.review import ReviewScreen
from app.tui.widgets.jumplist import JumpList
from app.tui.widgets.sections import SectionList

from .helpers import (
    card,
    focus_within,
    open_first_audit,
    opened,
    settle,
    switch_back_and_forth,
    text_of,
    type_text,
)


async def test_next_and_previous_question(service: AuditService, audit: AuditInfo) -> None:
    service.set_answer(audit.id, "connected", "yes")
    app = AuditApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_first_audit(pilot)
        assert screen.current_question == "connected"
        visible = [c.question.id for c in screen.cards() if c.display]
        for expected in visible[1:]:
            await pilot.press("ctrl+down")
            await settle(pilot)
            assert screen.current_question == expected
            assert focus_within(app, card(app, expected))
        # past the last question of the section: the next section opens
        await pilot.press("ctrl+down")
        await settle(pilot)
        assert screen.section_index == 1 and screen.current_question == "agencies"
        # and back again, to the last question of the first section
        await pilot.press("ctrl+up")
        await settle(pilot)
        assert screen.section_index == 0 and screen.current_question == visible[-1]
        await pilot.press("ctrl+up")
        await settle(pilot)
        assert screen.current_question == visible[-2]


async def test_next_to_do_and_sections(service: AuditService, audit: AuditInfo) -> None:
    service.import_answers(audit.id, {"connected": "no", "reason_required": "always"})
    app = AuditApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_first_audit(pilot)
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert screen.current_question == "review_date"  # the first required unanswered
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert screen.section_index == 1 and screen.current_question == "agencies"
        # the section list marks required unanswered questions per section
        sections = screen.query_one(SectionList)
        assert "●1" in sections.get_option_at_index(0).prompt.plain
        assert "●1" in sections.get_option_at_index(1).prompt.plain
        # ctrl+g goes to the section list; Enter opens the highlighted one
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert app.focused is sections
        await pilot.press("up", "enter")
        await settle(pilot)
        assert screen.section_index == 0
        # nothing left: ctrl+t says so
        service.set_answer(audit.id, "review_date", "2024-05-01")
        service.set_answer(audit.id, "agencies", [{"agency": "ice", "blocked": "yes"}])
        screen.reload()
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert any("Nothing left" in n.message for n in app._notifications)


async def test_review_jumps_to_questions(service: AuditService, audit: AuditInfo) -> None:
    service.import_answers(audit.id, {"connected": "yes", "reason_required": "never"})
    app = AuditApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_first_audit(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert "Not ready to sign" in text_of(review.query_one("#review-verdict"))
        listing = review.query_one(JumpList)
        lines = [listing.get_option_at_index(i).prompt.plain
                 for i in range(listing.option_count)]
        assert "Required questions unanswered (4)" in lines[0]
        assert any("MEDIUM" in line and "Queries need no reason" in line for line in lines)
        # the first entry (highlighted) is the first unanswered question
        assert listing.target(listing.highlighted) == "switch_vendor"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen and screen.current_question == "switch_vendor"
        assert app.focused is (await opened(pilot, "switch_vendor")).query_one(Input)
        # a jump into another section opens it
        await pilot.press("ctrl+r")
        await settle(pilot)
        listing = app.screen.query_one(JumpList)
        agencies = next(i for i in range(listing.option_count)
                        if listing.target(i) == "agencies")
        listing.highlighted = agencies
        await pilot.press("enter")
        await settle(pilot)
        assert screen.section_index == 1 and screen.current_question == "agencies"
        # a finding jumps to the question it is about
        await pilot.press("ctrl+r")
        await settle(pilot)
        listing = app.screen.query_one(JumpList)
        finding = next(i for i in range(listing.option_count)
                       if "Queries need no reason" in listing.get_option_at_index(i).prompt.plain)
        listing.highlighted = finding
        await pilot.press("enter")
        await settle(pilot)
        assert screen.section_index == 0 and screen.current_question == "reason_required"


async def test_help_screens_and_palette(service: AuditService, audit: AuditInfo) -> None:
    service.set_answer(audit.id, "connected", "yes")
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, KeysScreen)
        keys = text_of(app.screen.query_one("#keys"))
        for expected in ("ctrl+p", "ctrl+t", "ctrl+o", "ctrl+down", "Delete", "From previous"):
            assert expected in keys
        await pilot.press("escape")
        await settle(pilot)
        screen = await open_first_audit(pilot)
        # question help and sources, on F2, even while typing in a field
        await pilot.press("ctrl+down", "ctrl+down")
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        info = app.screen
        assert isinstance(info, QuestionInfoDialog)
        assert info.question.id == "keys"
        details = text_of(info.query_one("#info"))
        assert "Network user guide" in details and "KQ driver history" in details
        # the condition in words: the question by its prompt, the value by its label
        assert "Asked only when “Is the state connected to the network?” is Yes" in details
        assert "connected is yes" not in details
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        # the command palette opens on ctrl+p (also from a text field) with our entries
        await pilot.click((await opened(pilot, "review_date")).query_one(Input))
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        await type_text(pilot, "Go to section 2")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen and screen.section_index == 1
        await pilot.press("ctrl+p")
        await settle(pilot)
        await type_text(pilot, "Review")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)


async def test_small_terminal_and_resize(service: AuditService, audit: AuditInfo) -> None:
    app = AuditApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_first_audit(pilot)
        for size in ((60, 20), (200, 60), (80, 24)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
        # a burst of keys from every screen does not crash it
        await pilot.press("ctrl+r", "down", "down", "escape", "ctrl+n", "ctrl+n", "ctrl+pageup",
                          "ctrl+t", "ctrl+o", "f2", "escape", "f1", "escape", "ctrl+b",
                          "ctrl+up", "ctrl+down", "ctrl+g", "up", "enter")
        await settle(pilot)
        assert isinstance(app.screen, AuditScreen)
        assert app.screen is screen


async def test_switching_sections_frees_the_fields_it_removes(
        service: AuditService, audit: AuditInfo) -> None:
    """Each switch mounts new fields; the removed ones must not stay reachable."""
    app = AuditApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_first_audit(pilot)
        await switch_back_and_forth(pilot, screen)
        gc.collect()
        mounted = sum(len(shown.query(Input)) for shown in app.screen_stack)
        alive = sum(isinstance(thing, Input) for thing in gc.get_objects())
        assert screen.section_index == 0
        assert alive <= mounted, f"{alive} Inputs alive, {mounted} mounted"


async def test_section_keys_pressed_fast_never_break_the_screen(
        service: AuditService, tmp_path) -> None:
    """Keys faster than sections mount: each change finishes before the next one starts."""
    from pathlib import Path

    from app.checklist import load_checklist

    flagship = load_checklist(Path(__file__).resolve().parents[2] / "checklists"
                              / "nlets-dmv-data-sharing.yaml")
    last_year = service.create_audit(flagship, jurisdiction="WA", period_start="2024-01-01",
                                     period_end="2024-12-31")
    service.import_answers(last_year.id, {"block_directive": "yes", "rand_log_obtained": "no"})
    service.create_audit(flagship, jurisdiction="WA", period_start="2025-01-01",
                         period_end="2025-12-31", based_on=last_year.id)
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_first_audit(pilot)
        for _ in range(7):  # as a held key: the next press lands while a section mounts
            screen.action_next_section()
            await asyncio.sleep(0.02)
        await settle(pilot)
        assert screen.section_index == 7
        for action in [screen.action_previous_section] * 7 + [screen.action_next_section] * 2:
            action()
            await asyncio.sleep(0.01)
        await settle(pilot)
        assert app.screen is screen and screen.section_index == 2
        assert [c.question.id for c in screen.cards()] == [
            q.id for q in flagship.checklist.sections[2].questions]
    assert app.return_code in (None, 0)
