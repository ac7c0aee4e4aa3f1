"""The command palette's question search: the questions of the open audit that hold every
word typed, as `app.audit.search_questions` finds them; choosing one goes to it."""

from __future__ import annotations

from functools import partial
from typing import Protocol, cast

from textual.command import Hit, Hits, Provider
from textual.content import Content

from app.audit import (
    AuditView,
    SearchEntry,
    SearchField,
    SearchHit,
    search_index,
    search_questions,
)

MAX_HITS = 40
"""Questions listed at most for one search (the best first)."""
SHOWN_TEXT = 60
"""Characters of a matching citation, answer or note shown under a question."""
FIELD_NAMES = {SearchField.PROMPT: "prompt", SearchField.ID: "id",
               SearchField.CITATION: "cites", SearchField.ANSWER: "answer",
               SearchField.NOTE: "note"}


class SearchableScreen(Protocol):
    """What the search needs of the audit screen."""

    view: AuditView

    def flush_all(self) -> bool:
        """Save typing still waiting."""
        ...

    def jump_to(self, question_id: str) -> None:
        """Open the section of the question and focus its card."""
        ...


def _highlight(text: str, words: list[str]) -> Content:
    content = Content(text)
    folded = text.casefold()
    for word in words:
        start = folded.find(word)
        while word and start >= 0:
            content = content.stylize("bold underline", start, start + len(word))
            start = folded.find(word, start + len(word))
    return content


def _help(hit: SearchHit) -> str:
    entry = hit.entry
    parts = [f"{entry.question_id} · section {entry.section_index + 1}: {entry.section_title}"]
    for field, text in hit.where:
        if field in (SearchField.PROMPT, SearchField.ID):
            continue
        one_line = " ".join(text.split())
        cut = one_line if len(one_line) <= SHOWN_TEXT else one_line[:SHOWN_TEXT - 1] + "…"
        parts.append(f"{FIELD_NAMES[field]}: {cut}")
    if not entry.visible:
        parts.append("hidden by earlier answers")
    return " · ".join(parts)


class QuestionSearch(Provider):
    """Finds the audit's questions by words of their prompt, id, citations, answer and note."""

    _entries: list[SearchEntry] | None = None

    def _screen(self) -> SearchableScreen | None:
        screen = self.screen
        if all(callable(getattr(screen, name, None)) for name in ("flush_all", "jump_to")) \
                and isinstance(getattr(screen, "view", None), AuditView):
            return cast(SearchableScreen, screen)
        return None

    async def startup(self) -> None:
        """Read the questions once per opening of the palette, with what was typed saved."""
        screen = self._screen()
        if screen is not None:
            screen.flush_all()
            self._entries = search_index(screen.view)

    async def search(self, query: str) -> Hits:
        """The questions that hold every word of `query`, best first."""
        screen = self._screen()
        if screen is None or self._entries is None:
            return
        words = query.casefold().split()
        for hit in search_questions(self._entries, query)[:MAX_HITS]:
            yield Hit(hit.score, _highlight(hit.entry.prompt, words),
                      partial(screen.jump_to, hit.entry.question_id),
                      text=hit.entry.prompt, help=_help(hit))
