"""The list of an audit's sections with each one's progress and what is left in it."""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from app.checklist.evaluate import Evaluation
from app.checklist.model import Section


@dataclass(frozen=True)
class SectionMarks:
    """What one section still holds, as the service's evaluation says."""

    done: int = 0
    total: int = 0
    unanswered: int = 0
    unconfirmed: int = 0
    findings: int = 0


def section_marks(sections: list[Section], evaluation: Evaluation) -> dict[str, SectionMarks]:
    """Per section: progress, required unanswered, carried unconfirmed, and findings whose
    questions are in it (sorting the service's lists by section; nothing is recomputed)."""
    home = {q.id: s.id for s in sections for q in s.questions}
    progress = {p.section_id: p for p in evaluation.progress.sections}
    unanswered = [home.get(q) for q in evaluation.unanswered]
    unconfirmed = [home.get(q) for q in evaluation.unconfirmed]
    findings: dict[str, int] = {}
    for finding in evaluation.findings:
        for section_id in dict.fromkeys(home.get(q) for q in finding.questions):
            if section_id is not None:
                findings[section_id] = findings.get(section_id, 0) + 1
    marks = {}
    for section in sections:
        item = progress.get(section.id)
        marks[section.id] = SectionMarks(
            item.done if item else 0, item.total if item else 0,
            unanswered.count(section.id), unconfirmed.count(section.id),
            findings.get(section.id, 0))
    return marks


def section_prompt(section: Section, marks: SectionMarks, *, current: bool) -> Content:
    """Two lines: the title, then done/total and the markers."""
    complete = marks.done >= marks.total and not marks.unconfirmed
    parts: list[Content | str | tuple[str, str]] = [
        ("▸ " if current else "  ", "bold $accent"),
        (section.title, "bold" if current else ""), "\n  ",
        ("✓ " if complete else "  ", "$success"),
        (f"{marks.done}/{marks.total}", "dim")]
    if marks.unanswered:
        parts += ["  ", (f"●{marks.unanswered}", "$error")]
    if marks.unconfirmed:
        parts += ["  ", (f"↻{marks.unconfirmed}", "bold $warning")]
    if marks.findings:
        parts += ["  ", (f"⚑{marks.findings}", "bold $error")]
    return Content.assemble(*parts)


class SectionList(OptionList):
    """The sections, each with required questions done over shown, and markers:
    ● required unanswered, ↻ carried forward and not yet confirmed, ⚑ findings.

    Enter or a click opens a section (`OptionList.OptionSelected`, index = section).
    """

    def __init__(self, sections: list[Section], *, id: str | None = None) -> None:
        super().__init__(*[Option(section_prompt(section, SectionMarks(), current=False))
                           for section in sections], id=id)
        self.sections = sections
        """The checklist's sections, in order."""
        self.marks: dict[str, SectionMarks] = {}
        """What each section holds, as last shown."""
        self._shown: list[tuple[SectionMarks, bool] | None] = [None] * len(sections)

    def show_marks(self, evaluation: Evaluation, current: int) -> None:
        """Show each section's progress and markers, and which one is open."""
        self.marks = section_marks(self.sections, evaluation)
        for index, section in enumerate(self.sections):
            shown = (self.marks[section.id], index == current)
            if shown != self._shown[index]:  # an unchanged prompt is not drawn again
                self._shown[index] = shown
                self.replace_option_prompt_at_index(
                    index, section_prompt(section, shown[0], current=shown[1]))
