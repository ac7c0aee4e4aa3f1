"""Checks across answers: two answers that cannot both be true raise a warning.

A check compares one answer (or each row's cell of a table) with another:

    checks:
      - id: immigration-over-federal
        left: {question: immigration_queries}
        op: gt
        right: {question: federal_queries}
        warning: More immigration queries than federal queries in all.

`op` is one of gt, gte, lt, lte, equals, not_equals; it states what must NOT be (the
warning is raised when the comparison holds). A side that is unanswered (or hidden) raises
nothing. When a side names a table `column`, each row is compared and the warning names the
rows it concerns by their first column. Each warning must be resolved (the answers
corrected) or explained in a note on one of its questions before the audit is signed.
The warnings themselves are worked out with the rest of an evaluation (app.checklist.evaluate).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

CHECK_OPS = ("gt", "gte", "lt", "lte", "equals", "not_equals")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AnswerRef(_Strict):
    """One side of a check: a question's answer, or a column of a table question."""

    question: str
    column: str | None = None


class Check(_Strict):
    """A comparison of two answers that must not hold, with the warning it raises."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    left: AnswerRef
    op: Literal["gt", "gte", "lt", "lte", "equals", "not_equals"]
    right: AnswerRef
    warning: str = Field(min_length=1)
    questions: list[str] = Field(default_factory=list)
    """The questions the warning concerns; by default the two compared."""

    def concerned(self) -> list[str]:
        """The questions whose cards and notes the warning belongs to."""
        return self.questions or list(dict.fromkeys([self.left.question,
                                                     self.right.question]))
