"""A section shows its questions as text; the question worked on opens its editor.

Tab goes from card to card without opening any; Enter, a click or typing opens the
focused card, and what is typed reaches the editor. One card is open at a time. A signed
audit never opens one. A long note is read in place, on the card as text and in the open
card's note area, which grows with the note.
"""

from __future__ import annotations

from textual.widgets import Input, TextArea

from app.audit import AuditInfo, AuditService
from app.tui.app import AuditApp
from app.tui.widgets.base import AnswerEditor
from app.tui.widgets.question import QuestionCard

from .helpers import (
    SETTLE,
    card,
    focus_within,
    open_first_audit,
    opened,
    settle,
    text_of,
    type_text,
)

LONG_NOTE = " ".join(f"Sentence {n} of the note, as the auditor wrote it." for n in range(24))


async def test_a_section_opens_with_every_card_as_text(service: AuditService,
                                                       audit: AuditInfo) -> None:
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_first_audit(pilot)
        await settle(pilot)
        cards = screen.cards()
        assert cards and not any(c.is_open for c in cards)
        assert not screen.query(AnswerEditor)
        # the first card has the focus, drawn as text with the keys that open it
        assert isinstance(app.focused, QuestionCard)
        assert "Enter: answer" in text_of(cards[0])
        assert "Enter: answer" not in text_of(cards[1])
        await pilot.press("tab")  # Tab moves on without opening anything
        await pilot.pause()
        assert not any(c.is_open for c in screen.cards())
        assert app.focused is not cards[0]


async def test_typing_on_a_card_opens_it_and_keeps_every_key(service: AuditService,
                                                             audit: AuditInfo) -> None:
    service.set_answer(audit.id, "connected", "yes")
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_first_audit(pilot)
        await settle(pilot)
        vendor = card(app, "switch_vendor")
        screen.focus_card(vendor, open_it=False)
        await pilot.pause()
        assert not vendor.is_open
        await type_text(pilot, "Acme Switch Co")  # typed before the editor is there
        await settle(pilot)
        assert vendor.is_open
        assert vendor.editor.query_one(Input).value == "Acme Switch Co"
        await pilot.pause(SETTLE)
        assert service.view(audit.id).answers["switch_vendor"].value == "Acme Switch Co"
        # opening another card closes this one, which shows the answer as text
        await opened(pilot, "review_date")
        await pilot.pause()
        assert not vendor.is_open
        assert "Answer: Acme Switch Co" in text_of(vendor)
        assert [c.question.id for c in screen.cards() if c.is_open] == ["review_date"]


async def test_enter_opens_a_card_without_choosing(service: AuditService,
                                                   audit: AuditInfo) -> None:
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first_audit(pilot)
        await settle(pilot)
        connected = card(app, "connected")
        assert app.focused is connected
        await pilot.press("enter")
        await settle(pilot)
        assert connected.is_open
        assert focus_within(app, connected)
    # Enter opened the choice; it did not pick one
    assert "connected" not in service.view(audit.id).answers


async def test_a_long_note_is_read_in_place(service: AuditService, audit: AuditInfo) -> None:
    service.set_answer(audit.id, "review_date", "2024-03-01", note=LONG_NOTE)
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first_audit(pilot)
        await settle(pilot)
        review = card(app, "review_date")
        shown = " ".join(text_of(review).split())
        assert "Sentence 0 of the note" in shown and "Sentence 23 of the note" in shown
        await opened(pilot, "review_date")
        await pilot.pause()
        note = review.query_one(".q-note", TextArea)
        assert note.text == LONG_NOTE
        assert note.size.height > 1  # the area grows with the note
        note.focus()
        await pilot.press("end", "enter")
        await type_text(pilot, "A second line.")
        await pilot.pause(SETTLE)
    assert service.view(audit.id).answers["review_date"].note == LONG_NOTE + "\nA second line."


async def test_a_signed_audit_never_opens_a_card(service: AuditService,
                                                 audit: AuditInfo) -> None:
    from sqlalchemy import text

    service.set_answer(audit.id, "connected", "yes")
    with service.store.engine.begin() as connection:
        connection.execute(text("UPDATE audit SET status='signed' WHERE id=:id"),
                           {"id": audit.id})
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_first_audit(pilot)
        await settle(pilot)
        connected = card(app, "connected")
        await pilot.click(connected)
        await pilot.press("enter", "n", "down")
        await settle(pilot)
        assert not any(c.is_open for c in screen.cards())
        assert "Answer: Yes" in text_of(connected)
    assert service.view(audit.id).answers["connected"].value == "yes"
