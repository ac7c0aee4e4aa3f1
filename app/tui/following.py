"""Screens follow the database: every few seconds a cheap look at the audit's history head
(its length and last hash); when someone else changed the audit, the cards they changed,
the progress and the markers are brought up to date, saying who changed what."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.errors import UserFacingError

if TYPE_CHECKING:
    from app.tui.screens.audit import AuditScreen

FOLLOW_SECONDS = 3.0
"""How often an open audit looks for changes made elsewhere."""


def follow_database(screen: AuditScreen) -> list[str]:
    """Bring `screen` up to date if its audit changed elsewhere; the question ids whose
    cards were updated. A card with typing not yet saved keeps it: saving it then meets
    the other change and asks which to keep."""
    before = screen.view
    try:
        audit = screen.service.get_audit(before.audit.id)
    except UserFacingError:
        return []  # the next look, or the next save, says what is wrong
    if (audit.history_length, audit.history_head) == (before.audit.history_length,
                                                      before.audit.history_head):
        return []
    screen.reload()
    after = screen.view
    changed: list[str] = []
    people: set[str] = set()
    for card in screen.cards():
        qid = card.question.id
        new = after.answers.get(qid)
        if new == before.answers.get(qid) or new == card.answer:
            continue
        if not card.has_pending:
            card.take_stored(new)
        changed.append(qid)
        if new is not None:
            people.add(new.updated_by)
    screen.show_view()
    if changed:
        who = ", ".join(sorted(people)) or "someone"
        prompts = ", ".join(f"“{card.question.prompt}”" for card in screen.cards()
                            if card.question.id in changed)
        screen.notify(f"{who} changed {prompts}.", title="Changed elsewhere", markup=False)
    return changed
