"""Visibility and findings conditions: structured data, evaluated without eval.

A condition is one of
  {all: [condition, ...]}   every one holds
  {any: [condition, ...]}   at least one holds
  {not: condition}          it does not hold
  {question: ID, OP: X}     a comparison on an earlier answer
and, inside `any_row` / `all_rows` of a table question, `{column: ID, OP: X}` compares a
cell of one row. OP is one of: equals, not_equals, in, not_in, contains, answered, gt, gte,
lt, lte (and any_row, all_rows for tables). A question with no answer (or a hidden one)
makes every comparison false except `answered: false`.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

COMPARISON_OPS = ("equals", "not_equals", "in", "not_in", "contains", "answered",
                  "gt", "gte", "lt", "lte")
ROW_OPS = ("any_row", "all_rows")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class _Ops(_Strict):
    """The comparison operators shared by question and column comparisons."""

    equals: Any = None
    not_equals: Any = None
    in_: list[Any] | None = Field(default=None, alias="in")
    not_in: list[Any] | None = None
    contains: Any = None
    answered: bool | None = None
    gt: float | str | None = None
    gte: float | str | None = None
    lt: float | str | None = None
    lte: float | str | None = None

    def _set_ops(self, allowed: tuple[str, ...]) -> list[str]:
        return [op for op in allowed if op in self.model_fields_set
                or (op == "in" and "in_" in self.model_fields_set)]

    @cached_property
    def op(self) -> str:
        """The one operator this comparison uses (found once: evaluations ask often)."""
        return self._set_ops(COMPARISON_OPS + ROW_OPS)[0]

    @cached_property
    def operand(self) -> Any:
        """The value the answer is compared with."""
        return getattr(self, "in_" if self.op == "in" else self.op)

    def _compare(self, value: Any) -> bool:
        op, operand = self.op, self.operand
        if op == "answered":
            return (value is not None) == operand
        if value is None:
            return False
        if op == "equals":
            return value == operand
        if op == "not_equals":
            return value != operand
        if op == "in":
            return value in operand
        if op == "not_in":
            return value not in operand
        if op == "contains":
            return isinstance(value, list) and operand in value
        try:
            if op == "gt":
                return value > operand
            if op == "gte":
                return value >= operand
            if op == "lt":
                return value < operand
            return value <= operand
        except TypeError:
            return False


def _exactly_one(data: Any, allowed: tuple[str, ...], subject: str) -> Any:
    if isinstance(data, dict):
        used = [op for op in allowed if op in data]
        if len(used) != 1:
            raise ValueError(
                f"a comparison on a {subject} needs exactly one operator of "
                f"{', '.join(allowed)}; found {', '.join(used) or 'none'}"
            )
    return data


class ColumnComparison(_Ops):
    """Compares one cell of a table row."""

    column: str

    @model_validator(mode="before")
    @classmethod
    def _one_op(cls, data: Any) -> Any:
        return _exactly_one(data, COMPARISON_OPS, "column")

    def holds(self, row: Mapping[str, Any]) -> bool:
        """Whether the comparison holds for this row."""
        return self._compare(row.get(self.column))


class QuestionComparison(_Ops):
    """Compares the answer to one earlier question."""

    question: str
    any_row: RowCondition | None = None
    all_rows: RowCondition | None = None

    @model_validator(mode="before")
    @classmethod
    def _one_op(cls, data: Any) -> Any:
        return _exactly_one(data, COMPARISON_OPS + ROW_OPS, "question")

    def holds(self, answers: Mapping[str, Any]) -> bool:
        """Whether the comparison holds for these answers (question id -> value)."""
        value = answers.get(self.question)
        if self.op in ROW_OPS:
            if not isinstance(value, list):
                return False
            rows = [row for row in value if isinstance(row, dict)]
            test = any if self.op == "any_row" else all
            return test(self.operand.holds(row) for row in rows)
        return self._compare(value)

    def questions(self) -> set[str]:
        """The question ids this condition reads."""
        return {self.question}


class AllOf(_Strict):
    """Every listed condition holds."""

    all: list[Condition] = Field(min_length=1)

    def holds(self, answers: Mapping[str, Any]) -> bool:
        """Whether every part holds."""
        return all(c.holds(answers) for c in self.all)

    def parts(self) -> list[Condition]:
        """The nested conditions."""
        return self.all


class AnyOf(_Strict):
    """At least one listed condition holds."""

    any: list[Condition] = Field(min_length=1)

    def holds(self, answers: Mapping[str, Any]) -> bool:
        """Whether at least one part holds."""
        return any(c.holds(answers) for c in self.any)

    def parts(self) -> list[Condition]:
        """The nested conditions."""
        return self.any


class NotOf(_Strict):
    """The nested condition does not hold."""

    not_: Condition = Field(alias="not")

    def holds(self, answers: Mapping[str, Any]) -> bool:
        """Whether the nested condition fails."""
        return not self.not_.holds(answers)

    def parts(self) -> list[Condition]:
        """The nested condition."""
        return [self.not_]


class RowAll(_Strict):
    """Every listed row condition holds."""

    all: list[RowCondition] = Field(min_length=1)

    def holds(self, row: Mapping[str, Any]) -> bool:
        """Whether every part holds for this row."""
        return all(c.holds(row) for c in self.all)


class RowAny(_Strict):
    """At least one listed row condition holds."""

    any: list[RowCondition] = Field(min_length=1)

    def holds(self, row: Mapping[str, Any]) -> bool:
        """Whether any part holds for this row."""
        return any(c.holds(row) for c in self.any)


class RowNot(_Strict):
    """The nested row condition does not hold."""

    not_: RowCondition = Field(alias="not")

    def holds(self, row: Mapping[str, Any]) -> bool:
        """Whether the nested condition fails for this row."""
        return not self.not_.holds(row)


def _tag(kind: str) -> Any:
    def pick(data: Any) -> str | None:
        if isinstance(data, BaseModel):
            data = data.model_dump(by_alias=True, exclude_unset=True)
        if not isinstance(data, dict):
            return None
        for key in ("all", "any", "not", kind):
            if key in data:
                return key
        return None

    return pick


_CONDITION_HELP = ("a condition must be a mapping with one of: all, any, not, or question "
                   "plus an operator")
_ROW_HELP = ("a row condition must be a mapping with one of: all, any, not, or column "
             "plus an operator")

Condition = Annotated[
    Annotated[AllOf, Tag("all")]
    | Annotated[AnyOf, Tag("any")]
    | Annotated[NotOf, Tag("not")]
    | Annotated[QuestionComparison, Tag("question")],
    Discriminator(_tag("question"), custom_error_type="condition",
                  custom_error_message=_CONDITION_HELP),
]

RowCondition = Annotated[
    Annotated[RowAll, Tag("all")]
    | Annotated[RowAny, Tag("any")]
    | Annotated[RowNot, Tag("not")]
    | Annotated[ColumnComparison, Tag("column")],
    Discriminator(_tag("column"), custom_error_type="row_condition",
                  custom_error_message=_ROW_HELP),
]

for _model in (QuestionComparison, AllOf, AnyOf, NotOf, RowAll, RowAny, RowNot):
    _model.model_rebuild()


LocatedComparison = tuple[tuple[str | int, ...], QuestionComparison]
LocatedColumnComparison = tuple[tuple[str | int, ...], ColumnComparison]


def comparisons(condition: Condition, at: tuple[str | int, ...] = ()) -> list[LocatedComparison]:
    """Every question comparison inside a condition, with its path below `at`."""
    if isinstance(condition, QuestionComparison):
        return [(at, condition)]
    if isinstance(condition, NotOf):
        return comparisons(condition.not_, (*at, "not"))
    key = "all" if isinstance(condition, AllOf) else "any"
    found: list[LocatedComparison] = []
    for i, part in enumerate(condition.parts()):
        found.extend(comparisons(part, (*at, key, i)))
    return found


def column_comparisons(
    condition: RowCondition, at: tuple[str | int, ...] = ()
) -> list[LocatedColumnComparison]:
    """Every column comparison inside a row condition, with its path below `at`."""
    if isinstance(condition, ColumnComparison):
        return [(at, condition)]
    if isinstance(condition, RowNot):
        return column_comparisons(condition.not_, (*at, "not"))
    key, parts = ("all", condition.all) if isinstance(condition, RowAll) else (
        "any", condition.any)
    found: list[LocatedColumnComparison] = []
    for i, part in enumerate(parts):
        found.extend(column_comparisons(part, (*at, key, i)))
    return found


def describe(condition: Condition | RowCondition) -> str:
    """A short plain-language rendering of a condition, for messages and help."""
    if isinstance(condition, (AllOf, RowAll)):
        return " and ".join(f"({describe(c)})" if _compound(c) else describe(c)
                            for c in condition.all)
    if isinstance(condition, (AnyOf, RowAny)):
        return " or ".join(f"({describe(c)})" if _compound(c) else describe(c)
                           for c in condition.any)
    if isinstance(condition, (NotOf, RowNot)):
        return f"not ({describe(condition.not_)})"
    subject = condition.question if isinstance(condition, QuestionComparison) else (
        condition.column)
    op, operand = condition.op, condition.operand
    if op in ROW_OPS:
        quantifier = "some row" if op == "any_row" else "every row"
        return f"{subject} has {quantifier} where {describe(operand)}"
    if op == "answered":
        return f"{subject} is {'answered' if operand else 'unanswered'}"
    words = {"equals": "is", "not_equals": "is not", "in": "is one of", "not_in":
             "is none of", "contains": "includes", "gt": ">", "gte": "≥", "lt": "<", "lte": "≤"}
    shown = ", ".join(map(str, operand)) if isinstance(operand, list) else str(operand)
    return f"{subject} {words[op]} {shown}"


def _compound(condition: Any) -> bool:
    return isinstance(condition, (AllOf, AnyOf, RowAll, RowAny))
