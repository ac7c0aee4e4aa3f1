"""Finding your way: the palette finds questions, a "to do only" view per section, next to
do wraps, and the focused card is wholly in view."""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandList, CommandPalette
from textual.containers import VerticalScroll
from textual.pilot import Pilot
from textual.widgets import Input, Static

from app.audit import AuditInfo, AuditService
from app.checklist import load_checklist
from app.tui.app import AuditApp
from app.tui.screens.audit import AuditScreen
from app.tui.screens.keys import keys_text
from app.tui.widgets.sections import SectionList

from .helpers import card, focus, focus_within, open_first_audit, opened, settle, text_of, type_text

FLAGSHIP = Path(__file__).resolve().parents[2] / "checklists" / "nlets-dmv-data-sharing.yaml"


async def palette_search(pilot: Pilot, text: str) -> list[str]:
    """Open the palette, type `text`, and return the prompts it lists."""
    await pilot.press("ctrl+p")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CommandPalette)
    await type_text(pilot, text)
    await pilot.pause(0.6)
    await settle(pilot)
    options = pilot.app.screen.query_one(CommandList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_palette_finds_questions_by_word_id_citation_and_answer(
        service: AuditService) -> None:
    flagship = load_checklist(FLAGSHIP)
    audit = service.create_audit(flagship, jurisdiction="WA", period_start="2025-01-01",
                                 period_end="2025-12-31")
    service.set_answer(audit.id, "nlets_connected", "yes")
    service.set_answer(audit.id, "orion_maintainer", "The Zanzibar records unit")
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_first_audit(pilot)
        assert screen.section_index == 0
        listed = await palette_search(pilot, "ORION")
        maintainer = flagship.checklist.question("orion_maintainer")
        assert maintainer is not None
        assert any(maintainer.prompt in prompt for prompt in listed)
        await pilot.press("escape")
        await settle(pilot)
        # "287": the 287(g) agreements question by its prompt, others by their citation
        listed = await palette_search(pilot, "287")
        agreements = flagship.checklist.question("agreements_287g")
        assert agreements is not None and any(agreements.prompt in p for p in listed)
        assert len(listed) > 1
        await pilot.press("escape")
        await settle(pilot)
        # by the current answer; Enter opens its section and focuses its card
        listed = await palette_search(pilot, "zanzibar")
        assert len(listed) == 1 and maintainer.prompt in listed[0]
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, CommandPalette)
        target = screen.section_of("orion_maintainer")
        assert target is not None and target != 0 and screen.section_index == target
        assert screen.current_question == "orion_maintainer"
        found = screen.card("orion_maintainer")
        assert found is not None and app.focused is not None
        assert found in app.focused.ancestors_with_self


async def test_next_to_do_wraps_within_the_section_then_around(
        service: AuditService, audit: AuditInfo) -> None:
    service.set_answer(audit.id, "connected", "no")
    # to do: reason_required and review_date in section 1, agencies in section 2
    app = AuditApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_first_audit(pilot)
        await focus(pilot, (await opened(pilot, "review_date")).query_one(Input))
        await pilot.press("ctrl+t")
        await settle(pilot)
        # past the section's last to-do: back to its first one, not on to section 2
        assert screen.section_index == 0 and screen.current_question == "reason_required"
        service.set_answer(audit.id, "reason_required", "always")
        service.set_answer(audit.id, "review_date", "2025-03-01")
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert screen.section_index == 1 and screen.current_question == "agencies"
        # from the end of the audit around to its start
        service.clear_answer(audit.id, "review_date", "wrong date")
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert screen.section_index == 0 and screen.current_question == "review_date"
        assert focus_within(app, card(app, "review_date"))


def wholly_shown(screen: AuditScreen) -> tuple[str, bool]:
    """The focused card, and whether it is wholly in the question pane (a card taller than
    the pane counts as shown from its top, or when the focused field is wholly shown)."""
    found = screen.focused_card()
    assert found is not None
    view = screen.query_one("#questions", VerticalScroll).scrollable_content_region
    box = found.region
    if box.height > view.height:
        field = screen.app.focused
        assert field is not None
        return found.question.id, (view.y <= box.y < view.bottom
                                   or view.contains_region(field.region))
    return found.question.id, view.contains_region(box)


async def test_the_focused_card_is_wholly_in_view(service: AuditService) -> None:
    flagship = load_checklist(FLAGSHIP)
    audit = service.create_audit(flagship, jurisdiction="WA", period_start="2025-01-01",
                                 period_end="2025-12-31")
    service.set_answer(audit.id, "nlets_connected", "yes")
    app = AuditApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_first_audit(pilot)
        seen = []
        for key in ["tab"] * 8 + ["shift+tab"] * 8 + ["ctrl+down"] * 8 + ["ctrl+up"] * 4:
            await pilot.press(key)
            await settle(pilot)
            if screen.focused_card() is not None and app.focused is not None \
                    and screen.focused_card() in app.focused.ancestors_with_self:
                seen.append((key, *wholly_shown(screen)))
        # into the previous section, at its last card (mounted just before it is focused)
        await pilot.press("ctrl+n")
        await settle(pilot)
        await pilot.press("ctrl+up")
        await settle(pilot)
        last = [c for c in screen.cards() if c.display][-1]
        assert screen.section_index == 0 and screen.focused_card() is last
        seen.append(("ctrl+up", *wholly_shown(screen)))
        assert len({question for _, question, _ in seen}) > 4
        assert [s for s in seen if not s[2]] == []


def shown(screen: AuditScreen) -> list[str]:
    return [c.question.id for c in screen.cards() if c.display]


async def test_to_do_only_hides_answered_questions(service: AuditService,
                                                   audit: AuditInfo) -> None:
    service.import_answers(audit.id, {"connected": "no", "reason_required": "always"})
    app = AuditApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_first_audit(pilot)
        everything = shown(screen)
        assert everything == ["connected", "reason_required", "review_date", "query_count",
                              "description"]
        counts = screen.query_one("#section-counts", Static)
        assert "To do only" not in text_of(counts)
        await pilot.press("f8")
        await settle(pilot)
        assert shown(screen) == ["review_date", "query_count", "description"]
        assert "To do only (F8: all)" in text_of(counts)
        assert "2 answered not shown" in text_of(counts)
        assert focus_within(app, card(app, "review_date"))
        # answering keeps the card in place until the section is opened again
        await type_text(pilot, "2025-03-01")
        await pilot.press("tab")
        await settle(pilot)
        assert service.view(audit.id).answers["review_date"].value == "2025-03-01"
        assert "review_date" in shown(screen)
        await pilot.press("ctrl+n", "ctrl+pageup")  # section 2 and back
        await settle(pilot)
        assert screen.section_index == 0
        assert shown(screen) == ["query_count", "description"]
        # a question asked for by name is shown though answered
        screen.jump_to("connected")
        await settle(pilot)
        assert "connected" in shown(screen) and screen.current_question == "connected"
        # F8 again: every question
        await pilot.press("f8")
        await settle(pilot)
        assert shown(screen) == everything
        assert "To do only" not in text_of(counts)


async def test_to_do_only_with_nothing_left(service: AuditService, audit: AuditInfo) -> None:
    service.import_answers(audit.id, {"connected": "no", "reason_required": "always",
                                      "review_date": "2025-03-01", "query_count": 0,
                                      "description": "none"})
    app = AuditApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_first_audit(pilot)
        await pilot.press("f8")
        await settle(pilot)
        assert shown(screen) == []
        assert "nothing left to do here" in text_of(screen.query_one("#section-counts",
                                                                      Static))
        assert isinstance(app.focused, SectionList)
        # the help lists the key
        assert "To do only" in keys_text().plain
