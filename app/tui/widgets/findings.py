"""The line of a question card that shows the findings its answers raise."""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from app.checklist.evaluate import Finding
from app.tui.labels import finding_line


def findings_text(findings: list[Finding]) -> Content:
    """One entry per finding: a flag, the severity, the title and the rows concerned."""
    return Content("\n").join(Content.assemble(("⚑ ", "bold $error"), finding_line(finding))
                              for finding in findings)


class FindingsLine(Static):
    """The findings raised on a question; mounted only on cards that have some."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__(findings_text(findings), classes="q-findings", markup=False)

    def show(self, findings: list[Finding]) -> None:
        """Show `findings` instead; hidden when there are none."""
        self.update(findings_text(findings))
        self.display = bool(findings)

    @classmethod
    def show_in(cls, card: Widget, findings: list[Finding], *, after: Widget) -> None:
        """Show `findings` in the card's line, mounting one below `after` the first time
        there are some."""
        if line := next(iter(card.query(cls)), None):
            line.show(findings)
        elif findings:
            card.mount(cls(findings), after=after)
