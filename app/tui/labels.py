"""How the screens name things: a question by its section and prompt, a severity by its
style."""

from __future__ import annotations

from textual.content import Content

from app.checklist.evaluate import Finding
from app.checklist.model import Checklist, Severity

SEVERITY_STYLE = {
    Severity.CRITICAL: "bold $error", Severity.HIGH: "bold $error",
    Severity.MEDIUM: "bold $warning", Severity.LOW: "bold $secondary", Severity.INFO: "dim",
}
"""The style a finding's severity is shown in."""


def question_label(checklist: Checklist, question_id: str) -> Content:
    """`Section · prompt` for a question of the checklist (its id when it is unknown)."""
    for section in checklist.sections:
        for question in section.questions:
            if question.id == question_id:
                return Content.assemble((f"{section.title} · ", "dim"), question.prompt)
    return Content(question_id)


def finding_line(finding: Finding, *, indent: str = "    ") -> Content:
    """Severity and title; then, for a finding about table rows, the rows it concerns (by
    their first column, as the command line and the PDF name them)."""
    parts: list[Content | str | tuple[str, str]] = [
        (f"{finding.severity.value.upper():<8} ", SEVERITY_STYLE[finding.severity]),
        finding.title]
    if finding.concerns:
        parts += [f"\n{indent}", ("concerns: ", "dim"), "; ".join(finding.concerns)]
    return Content.assemble(*parts)
