"""Checking one question's visibility agrees with evaluating the whole checklist."""

from __future__ import annotations

import random
from pathlib import Path

from app.checklist import load_checklist
from app.checklist.evaluate import (
    AnswerFacts,
    AnswerState,
    evaluate,
    is_visible,
    visibility_inputs,
)
from app.checklist.model import QuestionType

ROOT = Path(__file__).resolve().parents[2]
FLAGSHIP = ROOT / "checklists" / "nlets-dmv-data-sharing.yaml"
SAMPLE = ROOT / "tests" / "fixtures" / "sample-checklist.yaml"


def _values(question):
    """A few values of the question's type that its conditions may compare against."""
    options = [o.value for o in getattr(question, "options", None) or []]
    if question.type == QuestionType.YES_NO_UNKNOWN:
        return ["yes", "no", "unknown"]
    if question.type == QuestionType.SINGLE_CHOICE:
        return options
    if question.type == QuestionType.MULTIPLE_CHOICE:
        return [[], options[:1], options[:2], options]
    if question.type == QuestionType.NUMBER:
        return [0, 1, 5, 1000]
    if question.type == QuestionType.TABLE:
        columns = [c.id for c in question.columns]
        return [[], [dict.fromkeys(columns, "yes")], [dict.fromkeys(columns, "no")]]
    return ["", "text", "2025-06-30"]


def test_one_question_visibility_matches_the_whole_evaluation():
    generator = random.Random(17)
    for path in (FLAGSHIP, SAMPLE):
        checklist = load_checklist(path).checklist
        questions = checklist.questions()
        hidden_seen = shown_seen = 0
        for _ in range(150):
            answers = {}
            for question in questions:
                roll = generator.random()
                if roll < 0.3:
                    continue
                state = (AnswerState.NOT_APPLICABLE if roll < 0.38 else
                         AnswerState.CARRIED_UNCONFIRMED if roll < 0.45 else
                         AnswerState.ANSWERED)
                values = _values(question) or ["x"]
                value = None if state == AnswerState.NOT_APPLICABLE else generator.choice(values)
                answers[question.id] = AnswerFacts(value, state)
            whole = evaluate(checklist, answers).visible
            for question in questions:
                assert is_visible(checklist, question.id, answers) == whole[question.id], (
                    path.name, question.id)
                inputs = visibility_inputs(checklist, question.id)
                only_inputs = {qid: facts for qid, facts in answers.items() if qid in inputs}
                assert is_visible(checklist, question.id, only_inputs) == whole[question.id]
                hidden_seen += not whole[question.id]
                shown_seen += whole[question.id]
        assert hidden_seen and shown_seen  # both outcomes were exercised
