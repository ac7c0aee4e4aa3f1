"""Everything the checklist says about one question: help, options, citations, condition."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from app.audit import EvidenceInfo
from app.checklist.conditions import describe
from app.checklist.model import Question, QuestionType


def question_details(question: Question, evidence: list[EvidenceInfo]) -> Content:
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
        parts += ["\n", ("Asked only when ", "italic"), describe(question.visible_if), "\n"]
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

    def __init__(self, question: Question, evidence: list[EvidenceInfo]) -> None:
        super().__init__(classes="dialog-screen")
        self.question = question
        """The question shown."""
        self._evidence = evidence

    def compose(self) -> ComposeResult:
        """The details in a scrolling pane."""
        with Vertical(classes="dialog"):
            yield Static("Help and sources", classes="dialog-title")
            with VerticalScroll(classes="dialog-body", id="info-body"):
                yield Static(question_details(self.question, self._evidence), id="info")
        yield Footer(show_command_palette=False)

    def action_close(self) -> None:
        """Back to the question."""
        self.dismiss(None)
