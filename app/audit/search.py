"""Finding questions in an audit: a search over what a person sees of each question (its
prompt, id, citations, answer and note), the questions still to do, and the order in which
"next to do" visits them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from app.checklist.display import format_value
from app.checklist.evaluate import AnswerState
from app.checklist.model import Question, QuestionType
from app.records import AuditView


class SearchField(StrEnum):
    """The part of a question a search word was found in."""

    PROMPT = "prompt"
    ID = "id"
    CITATION = "citation"
    ANSWER = "answer"
    NOTE = "note"


FIELD_WEIGHT = {SearchField.PROMPT: 1.0, SearchField.ID: 0.9, SearchField.CITATION: 0.7,
                SearchField.ANSWER: 0.6, SearchField.NOTE: 0.5}
"""How strongly a word found in each part speaks for the question (0 to 1)."""


@dataclass(frozen=True)
class SearchEntry:
    """One question as the search reads it: the text of each of its parts."""

    question_id: str
    section_index: int
    section_title: str
    prompt: str
    fields: tuple[tuple[SearchField, str], ...]
    visible: bool


@dataclass(frozen=True)
class SearchHit:
    """A question that holds every word searched for."""

    entry: SearchEntry
    score: float
    """Between 0 and 1: higher when the words are in the prompt or id than in a note."""
    where: tuple[tuple[SearchField, str], ...]
    """The parts that hold a word, with their text."""


def _answer_text(question: Question, value: Any) -> str:
    if value is None:
        return ""
    if question.type == QuestionType.TABLE and isinstance(value, list):
        cells = [format_value(column, row.get(column.id))
                 for row in value if isinstance(row, dict)
                 for column in question.columns if row.get(column.id) is not None]
        return "; ".join(cells)
    return format_value(question, value)


def search_index(view: AuditView) -> list[SearchEntry]:
    """Every question of the audit's checklist with the texts a search looks at, in
    checklist order."""
    entries = []
    for index, section in enumerate(view.checklist.checklist.sections):
        for question in section.questions:
            answer = view.answers.get(question.id)
            fields: list[tuple[SearchField, str]] = [(SearchField.PROMPT, question.prompt),
                                               (SearchField.ID, question.id)]
            fields += [(SearchField.CITATION, citation.text) for citation in question.citations]
            if answer is not None:
                if answer.state == AnswerState.NOT_APPLICABLE:
                    fields.append((SearchField.ANSWER, f"not applicable: {answer.na_reason or ''}"))
                else:
                    fields.append((SearchField.ANSWER, _answer_text(question, answer.value)))
                fields.append((SearchField.NOTE, answer.note))
            entries.append(SearchEntry(
                question_id=question.id, section_index=index, section_title=section.title,
                prompt=question.prompt, fields=tuple((f, t) for f, t in fields if t),
                visible=view.evaluation.visible.get(question.id, True)))
    return entries


def search_questions(entries: list[SearchEntry], query: str) -> list[SearchHit]:
    """The entries that hold every word of `query` (case-insensitive, anywhere in a part),
    best first; questions hidden by earlier answers after the shown ones. An empty query
    finds nothing."""
    words = query.casefold().split()
    if not words:
        return []
    hits: list[tuple[int, SearchHit]] = []
    for order, entry in enumerate(entries):
        folded = [(field, text, text.casefold()) for field, text in entry.fields]
        weights = []
        for word in words:
            found = [FIELD_WEIGHT[field] for field, _, low in folded if word in low]
            if not found:
                break
            weights.append(max(found))
        else:
            where = tuple((field, text) for field, text, low in folded
                          if any(word in low for word in words))
            score = sum(weights) / len(weights)
            if any(low == " ".join(words) for field, _, low in folded if field == SearchField.ID):
                score = 1.0
            hits.append((order, SearchHit(entry, score if entry.visible else score / 2, where)))
    return [hit for _, hit in sorted(hits, key=lambda pair: (-pair[1].score, pair[0]))]


def questions_to_do(view: AuditView) -> set[str]:
    """The shown questions still to do: without an answer (required or not), or with a
    carried-forward answer not yet confirmed. A question marked not applicable is done."""
    evaluation = view.evaluation
    todo = set(evaluation.unanswered) | set(evaluation.unconfirmed)
    for question in view.checklist.checklist.questions():
        if not evaluation.visible.get(question.id, True) or question.from_audit:
            continue
        answer = view.answers.get(question.id)
        if answer is None or (answer.value is None
                              and answer.state != AnswerState.NOT_APPLICABLE):
            todo.add(question.id)
    return todo


def next_to_do(view: AuditView, current: str | None) -> str | None:
    """The question "next to do" goes to from `current`: the next required unanswered or
    unconfirmed question after it in its section, else from the start of its section
    (wrapping within it), else in the following sections and on around the audit. None
    when nothing is left; `current` itself only when it alone is left."""
    evaluation = view.evaluation
    todo = set(evaluation.unanswered) | set(evaluation.unconfirmed)
    sections = [[q.id for q in section.questions] for section in view.checklist.checklist.sections]
    here = next((i for i, ids in enumerate(sections) if current in ids), 0)
    own = sections[here]
    at = own.index(current) + 1 if current in own else 0
    order = own[at:] + own[:max(at - 1, 0)]
    for ids in sections[here + 1:] + sections[:here]:
        order += ids
    order += own[at - 1:at]  # `current` itself, last
    return next((question_id for question_id in order if question_id in todo), None)
