"""The audit's history a page at a time, newest first, optionally filtered by words: a
history of any length is shown without reading more of it than is looked at."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, and_, false, func, or_
from sqlmodel import Session, col, select

from app.audit import convert
from app.records import EventKind, HistoryEvent
from app.store import schema

if TYPE_CHECKING:
    from app.checklist.model import Checklist


HISTORY_PAGE = 200
"""Events read per page unless the caller asks for another number."""
PAGE_LIMIT = 2000
"""The most events one page may hold."""


@dataclass(frozen=True)
class HistoryPage:
    """Events of an audit's history, newest first, and whether older ones match too."""

    events: list[HistoryEvent]
    more: bool
    """True when events older than the last one match the filter too."""
    matching: int | None = None
    """How many events match the filter in all (counted for a first page only)."""

    @property
    def next_before(self) -> int | None:
        """The `before` that reads the next page, or None when there is none."""
        return self.events[-1].seq if self.more and self.events else None


@dataclass(frozen=True)
class HistoryTerm:
    """One word of a filter: an event matches it when its actor or reason holds the word,
    its kind's words do, or it concerns a question whose id or prompt does."""

    word: str
    questions: frozenset[str]
    kinds: frozenset[EventKind]


def history_terms(checklist: Checklist, text: str) -> list[HistoryTerm]:
    """The filter typed as `text`: each word must match (see `HistoryTerm`), in any case."""
    terms = []
    for word in text.casefold().split():
        questions = frozenset(
            q.id for section in checklist.sections for q in section.questions
            if word in q.id.casefold() or word in q.prompt.casefold())
        kinds = frozenset(k for k in EventKind
                          if word in k.label.casefold() or word in k.value)
        terms.append(HistoryTerm(word, questions, kinds))
    return terms


def _matches(term: HistoryTerm) -> ColumnElement[bool]:
    conditions: list[ColumnElement[bool]] = [
        func.lower(col(schema.HistoryEventRow.actor)).contains(term.word, autoescape=True),
        func.lower(col(schema.HistoryEventRow.reason)).contains(term.word, autoescape=True),
    ]
    if term.questions:
        conditions.append(col(schema.HistoryEventRow.question_id).in_(sorted(term.questions)))
    if term.kinds:
        conditions.append(col(schema.HistoryEventRow.kind).in_(sorted(k.value for k in term.kinds)))
    return or_(false(), *conditions)


def read_page(session: Session, audit_id: str, terms: list[HistoryTerm], *,
              before: int | None, limit: int) -> HistoryPage:
    """Up to `limit` events of the audit older than event `before` (from the newest when
    None) that match every term, newest first; one more is read to know if there are more.
    """
    where = and_(col(schema.HistoryEventRow.audit_id) == audit_id, *map(_matches, terms))
    statement = select(schema.HistoryEventRow).where(where)
    if before is not None:
        statement = statement.where(col(schema.HistoryEventRow.seq) < before)
    rows = session.exec(statement.order_by(col(schema.HistoryEventRow.seq).desc())
                        .limit(limit + 1)).all()
    matching = None
    if before is None:
        matching = session.exec(select(func.count()).select_from(schema.HistoryEventRow)
                                .where(where)).one()
    return HistoryPage([convert.history_event(row) for row in rows[:limit]],
                       len(rows) > limit, matching)
