"""The list of an audit's sections with each one's progress."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from app.checklist.evaluate import SectionProgress
from app.checklist.model import Section


class SectionList(OptionList):
    """The sections, each with required questions done over required questions shown.

    Enter or a click opens a section (`OptionList.OptionSelected`, index = section).
    """

    def __init__(self, sections: list[Section], *, id: str | None = None) -> None:
        super().__init__(*[Option(Content(section.title)) for section in sections], id=id)
        self.sections = sections
        """The checklist's sections, in order."""

    def set_progress(self, progress: list[SectionProgress], current: int) -> None:
        """Show each section's done/total and mark the one open."""
        by_id = {p.section_id: p for p in progress}
        for index, section in enumerate(self.sections):
            item = by_id.get(section.id)
            done, total = (item.done, item.total) if item else (0, 0)
            mark = "✓" if done >= total else " "
            pointer = "▸" if index == current else " "
            line = Content.assemble(f"{pointer}{mark}", (f"{done:>2}/{total:<2} ", "dim"),
                                    (section.title, "bold" if index == current else ""))
            self.replace_option_prompt_at_index(index, line)
