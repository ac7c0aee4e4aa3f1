"""What changed since the previous audit: answers, questions and findings."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Static

from app.audit import AuditService
from app.errors import UserFacingError
from app.tui.labels import SEVERITY_STYLE, question_label
from app.tui.widgets.footer import KeyFooter
from app.tui.widgets.jumplist import JumpList


class DiffScreen(Screen[str | None]):
    """The service's diff of two audits; Enter on a changed or new question goes to it.

    Returns the question id to go to in the newer audit, or `None`.
    """

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("f1", "app.keys_help", "Keys"),
    ]

    def __init__(self, service: AuditService, old_id: str, new_id: str) -> None:
        super().__init__()
        self.service = service
        """The audit service."""
        self.old_id = old_id
        """The earlier audit."""
        self.new_id = new_id
        """The later audit (the one being worked on)."""

    def compose(self) -> ComposeResult:
        """Header, a summary line, the list of changes, footer."""
        yield Header()
        yield Static("", id="diff-summary", markup=False)
        yield JumpList(id="diff-list")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Ask the service for the diff and show it."""
        try:
            old, new = self.service.view(self.old_id), self.service.view(self.new_id)
            diff = self.service.diff(self.old_id, self.new_id)
        except UserFacingError as exc:
            self.notify(str(exc), title="Cannot compare the audits", severity="error",
                        markup=False)
            return
        self.title = f"Changes since {old.audit.title}"
        self.sub_title = (f"{old.audit.period_start} – {old.audit.period_end} → "
                          f"{new.audit.period_start} – {new.audit.period_end}")
        checklist, old_checklist = new.checklist.checklist, old.checklist.checklist
        summary = self.query_one("#diff-summary", Static)
        if diff.empty:
            summary.update("Nothing changed: every answer is as it was in the previous audit.")
        else:
            summary.update(
                f"{len(diff.changed)} answer(s) changed · {len(diff.new_questions)} new "
                f"question(s) · {len(diff.dropped_questions)} dropped · "
                f"{len(diff.findings_resolved)} finding(s) resolved · "
                f"{len(diff.findings_new)} new finding(s)")
        items = self.query_one(JumpList)
        items.begin()
        items.heading("Answers changed", len(diff.changed))
        for change in diff.changed:
            items.item(Content.assemble(
                question_label(checklist, change.question_id), "\n    ",
                (change.old, "$error"), " → ", (change.new, "$success")), change.question_id)
        if not diff.changed:
            items.note("none")
        items.heading("New questions", len(diff.new_questions))
        for question_id in diff.new_questions:
            items.item(question_label(checklist, question_id), question_id)
        if not diff.new_questions:
            items.note("none")
        items.heading("Questions dropped", len(diff.dropped_questions))
        for question_id in diff.dropped_questions:
            items.item(question_label(old_checklist, question_id), None)
        if not diff.dropped_questions:
            items.note("none")
        items.heading("Findings resolved", len(diff.findings_resolved))
        for finding in diff.findings_resolved:
            items.item(Content.assemble((f"{finding.severity.upper():<8} ", "dim"),
                                        finding.title), None)
        if not diff.findings_resolved:
            items.note("none")
        items.heading("New findings", len(diff.findings_new))
        for finding in diff.findings_new:
            style = next((s for sev, s in SEVERITY_STYLE.items() if sev.value ==
                          finding.severity), "bold")
            items.item(Content.assemble((f"{finding.severity.upper():<8} ", style),
                                        finding.title), None)
        if not diff.findings_new:
            items.note("none")
        items.finish()
        items.focus()

    def on_jump_list_jump(self, event: JumpList.Jump) -> None:
        """Go to that question of the newer audit."""
        event.stop()
        self.dismiss(event.question_id)

    def action_back(self) -> None:
        """Back to where the diff was opened."""
        self.dismiss(None)
