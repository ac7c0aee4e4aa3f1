"""Where the audit screen leads: the review, the changes, export, signing, a query-log
import, and the dialogs its question cards ask for."""

from __future__ import annotations

from textual import on

from app.audit import query_log_map
from app.errors import UserFacingError
from app.tui.screens.audit_navigation import AuditNavigation
from app.tui.screens.dialog_routes import open_dialog
from app.tui.widgets.requests import AskDialog


class AuditRoutes(AuditNavigation):
    """Opens the screens and dialogs the audit screen leads to, and acts on their results."""

    @on(AskDialog)
    def _open_asked(self, event: AskDialog) -> None:
        """A question card or editor asked for a dialog."""
        event.stop()
        open_dialog(self, event.request)

    def action_review(self) -> None:
        """Open the review; a chosen entry comes back here at its question."""
        from app.tui.screens.review import ReviewOutcome, ReviewScreen

        self.flush_all()

        def done(outcome: ReviewOutcome | None) -> None:
            self.after_review(outcome)

        self.app.push_screen(ReviewScreen(self.service, self.audit_id), done)

    def after_review(self, outcome: object) -> None:
        """Act on how the review was left: reopen signed, or jump, or just refresh."""
        from app.tui.screens.review import ReviewOutcome

        if isinstance(outcome, ReviewOutcome) and outcome.signed:
            self.reopen()
            return
        self.reload()
        self.show_view()
        if isinstance(outcome, ReviewOutcome) and outcome.jump:
            self.jump_to(outcome.jump, row=outcome.row)

    def _back_at(self, question_id: str | None) -> None:
        """Back from a list of changes: show the audit as it is now, at the chosen question."""
        self.reload()
        self.show_view()
        if question_id:
            self.jump_to(question_id)

    def action_audit_history(self) -> None:
        """Show every change to the audit, newest first; a chosen event comes back here at
        its question."""
        from app.tui.screens.audit_history import AuditHistoryScreen

        self.flush_all()

        self.app.push_screen(AuditHistoryScreen(
            self.service, self.audit_id, self.view.checklist.checklist,
            title=self.view.audit.title), self._back_at)

    def action_diff(self) -> None:
        """Show what changed since the previous audit; a chosen entry comes back here."""
        from app.tui.screens.diff import DiffScreen

        if not self.view.audit.based_on:
            self.notify("This audit was not started from a previous one.")
            return
        self.flush_all()

        self.app.push_screen(DiffScreen(self.service, self.view.audit.based_on,
                                        self.audit_id), self._back_at)

    def action_export(self) -> None:
        """Export the audit (PDF, JSON or transparency report)."""
        from app.tui.dialogs.export import ExportDialog

        self.flush_all()
        self.app.push_screen(ExportDialog(self.service, self.view.audit))

    def action_sign(self) -> None:
        """Sign the attestation (the dialog says what blocks it, if anything does)."""
        from app.tui.dialogs.sign import REVIEW, SIGNED, SignDialog

        self.flush_all()
        self.reload()

        def done(result: str | None) -> None:
            if result == SIGNED:
                self.reopen()
            elif result == REVIEW:
                self.action_review()

        self.app.push_screen(SignDialog(self.service, self.view.audit), done)

    def action_import_log(self) -> None:
        """Import a query log against this audit's agencies and blocks."""
        from app.tui.dialogs.query_log import QueryLogDialog

        try:
            plan = query_log_map(self.view)
        except UserFacingError as exc:
            self.notify(str(exc), severity="warning", markup=False)
            return
        self.flush_all()
        table = self.view.checklist.checklist.question(plan.table)

        async def show_filled() -> None:  # the filled answers, in fields built afresh
            await self.show_section(self.section_of(plan.table) or 0, focus=False)
            await self._jump(plan.table)

        def done(result: object) -> None:
            if result is not None:
                self.after_section_changes(show_filled)

        self.app.push_screen(QueryLogDialog(self.service, self.audit_id,
                                            table.prompt if table else plan.table), done)

    def reopen(self) -> None:
        """Show the audit afresh (after signing: read-only)."""
        try:
            view = self.service.view(self.audit_id)
        except UserFacingError as exc:
            self.notify(str(exc), title="Cannot read the audit", severity="error", markup=False)
            return
        self.app.switch_screen(type(self)(self.service, view))
