"""The review: what stands between the audit and a signature, and the findings, with jumps."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Static

from app.audit import AuditService, AuditView, Review
from app.checklist.model import Checklist, Severity
from app.errors import UserFacingError
from app.tui.labels import finding_line, question_label
from app.tui.widgets.footer import KeyFooter
from app.tui.widgets.jumplist import JumpList


@dataclass(frozen=True)
class ReviewOutcome:
    """How the review was left: a question to jump to, or signed, or neither."""

    jump: str | None = None
    signed: bool = False
    row: int | None = None
    """For a table question, the row to put the cursor on."""


def current_question(checklist: Checklist, old_id: str) -> str | None:
    """The question of this checklist that stands for `old_id` (same id, or renamed)."""
    if checklist.question(old_id) is not None:
        return old_id
    return next((q.id for q in checklist.questions() if old_id in q.renamed_from), None)


class ReviewScreen(Screen[ReviewOutcome]):
    """Required unanswered, carried unconfirmed, findings by severity, stale evidence,
    dropped questions and answers not copied; Enter on an entry goes to its question."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("s", "sign", "Sign…"),
        Binding("x", "export", "Export…"),
        Binding("b", "diff", "Changes"),
        Binding("f1", "app.keys_help", "Keys"),
    ]

    def __init__(self, service: AuditService, audit_id: str) -> None:
        super().__init__()
        self.service = service
        """The audit service."""
        self.audit_id = audit_id
        """The audit reviewed."""
        self.view: AuditView | None = None
        """The audit as last read."""
        self.review: Review | None = None
        """The service's review, as last read."""

    def compose(self) -> ComposeResult:
        """Header, the verdict line, the list, footer."""
        yield Header()
        yield Static("", id="review-verdict", markup=False)
        yield JumpList(id="review-list")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Read the review."""
        self.refresh_review()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The changes view needs a previous audit; signing a draft."""
        if action == "diff":
            return bool(self.view and self.view.audit.based_on)
        if action == "sign":
            return not (self.view and self.view.audit.read_only) or None
        return True

    def refresh_review(self) -> None:
        """Ask the service for the review again and show it."""
        try:
            self.view = self.service.view(self.audit_id)
            self.review = self.service.review(self.audit_id)
        except UserFacingError as exc:
            self.notify(str(exc), title="Cannot review the audit", severity="error",
                        markup=False)
            return
        view, review = self.view, self.review
        checklist = view.checklist.checklist
        self.title = f"Review — {view.audit.title}"
        progress = view.evaluation.progress
        self.sub_title = f"{progress.done} answered · {progress.to_do} to do"
        verdict = self.query_one("#review-verdict", Static)
        if view.audit.read_only:
            verdict.update(Content.styled(
                f"Signed by {view.audit.signed_by}: read-only.", "bold $success"))
        elif review.ready:
            verdict.update(Content.styled(
                "Ready to sign: every required question is answered and every carried answer "
                "confirmed. s signs.", "bold $success"))
        else:
            verdict.update(Content.styled(
                f"Not ready to sign: {len(review.blockers)} thing"
                f"{'s' if len(review.blockers) != 1 else ''} to do. Enter on an entry goes "
                "to its question.", "bold $warning"))
        items = self.query_one(JumpList)
        items.begin()
        items.heading("Required questions unanswered", len(review.unanswered))
        for question_id in review.unanswered:
            items.item(question_label(checklist, question_id), question_id)
        if not review.unanswered:
            items.note("none")
        if view.audit.based_on or review.unconfirmed:
            items.heading("Carried-forward answers not yet confirmed", len(review.unconfirmed))
            for question_id in review.unconfirmed:
                items.item(question_label(checklist, question_id), question_id)
            if not review.unconfirmed:
                items.note("none")
        items.heading("Findings", len(review.findings))
        for severity in Severity:
            found = [f for f in review.findings if f.severity == severity]
            for finding in found:
                target = next((q for q in finding.questions
                               if view.evaluation.visible.get(q)), None)
                rows = finding.rows.get(target or "")
                items.item(Content.assemble(finding_line(finding),
                                            ("\n    " + finding.recommendation, "dim")),
                           target, row=rows[0] if rows else None)
        if not review.findings:
            items.note("none")
        if review.stale_evidence:
            items.heading("Stale evidence (dated before the audit period)",
                          len(review.stale_evidence))
            for evidence in review.stale_evidence:
                items.item(Content.assemble(
                    f"{evidence.name} — effective {evidence.effective_date}, before "
                    f"{view.audit.period_start}", "\n    ",
                    question_label(checklist, evidence.question_id)), evidence.question_id)
        if review.dropped:
            items.heading("Questions dropped from the checklist", len(review.dropped))
            for old_id, reason in review.dropped.items():
                items.item(Content.assemble((old_id, "bold"), f": {reason}"), None)
        if review.not_copied:
            items.heading("Previous answers not copied", len(review.not_copied))
            for old_id, reason in review.not_copied.items():
                items.item(Content.assemble((old_id, "bold"), f": {reason}"),
                           current_question(checklist, old_id))
        items.finish()
        items.focus()

    def on_jump_list_jump(self, event: JumpList.Jump) -> None:
        """Go back to the audit, at that question."""
        event.stop()
        self.dismiss(ReviewOutcome(jump=event.question_id, row=event.row))

    def action_back(self) -> None:
        """Back to the audit."""
        self.dismiss(ReviewOutcome())

    def action_sign(self) -> None:
        """Open the sign dialog (it lists what blocks signing, if anything does)."""
        from app.tui.dialogs.sign import REVIEW, SIGNED, SignDialog

        if self.view is None:
            return

        def done(result: str | None) -> None:
            if result == SIGNED:
                self.dismiss(ReviewOutcome(signed=True))
            elif result != REVIEW:
                self.refresh_review()

        self.app.push_screen(SignDialog(self.service, self.view.audit), done)

    def action_export(self) -> None:
        """Open the export dialog."""
        from app.tui.dialogs.export import ExportDialog

        if self.view is not None:
            self.app.push_screen(ExportDialog(self.service, self.view.audit))

    def action_diff(self) -> None:
        """Show what changed since the previous audit."""
        from app.tui.screens.diff import DiffScreen

        if self.view is None or not self.view.audit.based_on:
            self.notify("This audit was not started from a previous one.")
            return

        def done(question_id: str | None) -> None:
            if question_id:
                self.dismiss(ReviewOutcome(jump=question_id))

        self.app.push_screen(DiffScreen(self.service, self.view.audit.based_on,
                                        self.audit_id), done)
