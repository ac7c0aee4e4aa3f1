"""Everything the checklist says about one question: help, options, citations, condition."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from app.audit import EvidenceInfo
from app.checklist.conditions import (
    ROW_OPS,
    AllOf,
    AnyOf,
    NotOf,
    QuestionComparison,
    RowAll,
    RowAny,
    RowNot,
    describe,
)
from app.checklist.model import Checklist, Column, Question, QuestionType

WORDS = {"equals": "is", "not_equals": "is not", "in": "is one of", "not_in": "is none of",
         "contains": "includes", "gt": "is more than", "gte": "is at least",
         "lt": "is less than", "lte": "is at most"}


def condition_in_words(condition: Any, checklist: Checklist,
                       table: Question | None = None) -> str:
    """A condition as a reader says it: the questions by their prompt and the values by
    their labels ("“Is the state connected?” is Yes or Unknown"), not by their ids."""
    def join(parts: list[Any], word: str) -> str:
        return f" {word} ".join(
            f"({condition_in_words(c, checklist, table)})"
            if isinstance(c, (AllOf, AnyOf, RowAll, RowAny))
            else condition_in_words(c, checklist, table) for c in parts)

    if isinstance(condition, (AllOf, RowAll)):
        return join(condition.all, "and")
    if isinstance(condition, (AnyOf, RowAny)):
        return join(condition.any, "or")
    if isinstance(condition, (NotOf, RowNot)):
        return f"not ({condition_in_words(condition.not_, checklist, table)})"
    subject: Question | Column | None
    if isinstance(condition, QuestionComparison):
        subject = checklist.question(condition.question)
        name = f"“{subject.prompt}”" if subject is not None else condition.question
    else:
        subject = next((c for c in (table.columns if table else []) if c.id == condition.column),
                       None)
        name = f"its “{subject.label}”" if subject is not None else condition.column
    op, operand = condition.op, condition.operand
    if op in ROW_OPS:
        rows = "some row" if op == "any_row" else "every row"
        inner = subject if isinstance(subject, Question) else None
        return f"{name} has {rows} where {condition_in_words(operand, checklist, inner)}"
    if op == "answered":
        return f"{name} is {'answered' if operand else 'unanswered'}"

    def label(value: Any) -> str:
        if subject is not None and isinstance(value, str):
            return subject.label_for(value)
        return str(value)

    if isinstance(operand, list):
        labels = [label(v) for v in operand]
        shown = labels[0] if len(labels) == 1 else (
            ", ".join(labels[:-1]) + (" or " if op in ("in", "not_in") else " and ")
            + labels[-1])
        word = {"in": "is", "not_in": "is neither"}.get(op, WORDS[op]) if len(labels) > 1 \
            else {"in": "is", "not_in": "is not"}.get(op, WORDS[op])
        if op == "not_in" and len(labels) > 1:
            shown = shown.replace(" or ", " nor ")
        return f"{name} {word} {shown}"
    return f"{name} {WORDS[op]} {label(operand)}"


def question_details(question: Question, evidence: list[EvidenceInfo],
                     checklist: Checklist | None = None) -> Content:
    """The question's help text, options, columns, citations, condition and evidence."""
    parts: list[Content | str | tuple[str, str]] = [
        (question.prompt, "bold"), "\n",
        (f"{question.id} · {question.type.value.replace('_', ' ')} · "
         f"{'required' if question.required else 'optional'} · "
         f"{'may be marked not applicable' if question.allow_not_applicable else 'must be answered (no not-applicable)'}",  # noqa: E501
         "dim"), "\n"]
    if question.help:
        parts += ["\n", question.help, "\n"]
    if question.visible_if is not None:
        said = (condition_in_words(question.visible_if, checklist) if checklist is not None
                else describe(question.visible_if))
        parts += ["\n", ("Asked only when ", "italic"), said, "\n"]
    if question.options and question.type != QuestionType.YES_NO_UNKNOWN:
        parts += ["\n", ("Options", "bold"), "\n"]
        for option in question.options:
            extra = f" — {option.help}" if option.help else ""
            parts += [f"  • {option.label}{extra}\n"]
    if question.columns:
        parts += ["\n", ("Columns", "bold"), "\n"]
        for column in question.columns:
            kind = column.type.value.replace("_", " ")
            extra = f" — {column.help}" if column.help else ""
            parts += [f"  • {column.label} ({kind}{', required' if column.required else ''})"
                      f"{extra}\n"]
    parts += ["\n", ("Sources", "bold"), "\n"]
    if question.citations:
        for citation in question.citations:
            parts += [f"  • {citation.text}"]
            if citation.url:
                parts += ["\n    ", (citation.url, "underline")]
            parts += ["\n"]
    else:
        parts += ["  none cited\n"]
    if evidence:
        parts += ["\n", ("Evidence", "bold"), "\n"]
        for item in evidence:
            date = f", effective {item.effective_date}" if item.effective_date else ""
            parts += [f"  • {item.name} ({item.size:,} bytes{date})\n",
                      ("    SHA-256 " + item.sha256, "dim"), "\n"]
    return Content.assemble(*parts)


class QuestionInfoDialog(ModalScreen[None]):
    """Show a question's help and citations in full; any key that closes returns."""

    BINDINGS = [
        Binding("escape,f2,enter", "close", "Close"),
    ]

    def __init__(self, question: Question, evidence: list[EvidenceInfo],
                 checklist: Checklist | None = None) -> None:
        super().__init__(classes="dialog-screen")
        self.question = question
        """The question shown."""
        self._evidence = evidence
        self._checklist = checklist

    def compose(self) -> ComposeResult:
        """The details in a scrolling pane."""
        with Vertical(classes="dialog"):
            yield Static("Help and sources", classes="dialog-title")
            with VerticalScroll(classes="dialog-body", id="info-body"):
                yield Static(question_details(self.question, self._evidence,
                                              self._checklist), id="info")
        yield Footer(show_command_palette=False)

    def action_close(self) -> None:
        """Back to the question."""
        self.dismiss(None)
