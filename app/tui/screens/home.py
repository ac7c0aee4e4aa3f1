"""The home screen: every audit with its status and progress; start, open, carry forward,
review, export, sign or delete one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from app.audit import AuditInfo, AuditService, AuditSummary
from app.errors import UserFacingError
from app.tui.config import load_settings
from app.tui.saving import FOLLOW_SECONDS, local_time
from app.tui.screens.home_table import HomeLayout, home_layout
from app.tui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from app.tui.screens.audit import PaletteEntry

EMPTY_TEXT = ("No audits yet.\n\nPress n to start one: choose a checklist, the state and the "
              "period the audit covers. Answers are saved as you type.\n\nF1 lists the keys; "
              "ctrl+p opens the command palette.")


class HomeScreen(Screen[None]):
    """The list of audits, most recently changed first."""

    BINDINGS = [
        Binding("enter", "open_audit", "Open"),
        Binding("n", "new_audit", "New"),
        Binding("f", "new_from_previous", "From previous"),
        Binding("r", "review", "Review"),
        Binding("h", "history", "History"),
        Binding("x", "export", "Export"),
        Binding("s", "sign", "Sign"),
        Binding("delete,d", "delete_draft", "Delete", key_display="del"),
        Binding("f1", "app.keys_help", "Keys"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, service: AuditService) -> None:
        super().__init__()
        self.service = service
        """The audit service."""
        self._summaries: dict[str, AuditSummary] = {}
        self._layout: HomeLayout | None = None
        self._laid_out_for: tuple[int, bool] | None = None

    def compose(self) -> ComposeResult:
        """Header, the audit table (or the empty state), a detail line, footer."""
        yield Header()
        yield Static(EMPTY_TEXT, id="empty", markup=False)
        yield DataTable(id="audits", cursor_type="row", zebra_stripes=True)
        yield Static("", id="audit-detail", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        """Follow the database (the table is filled when the screen is first shown)."""
        self.set_interval(FOLLOW_SECONDS, self.follow_database, name="follow database")

    def follow_database(self) -> bool:
        """Read the audits again when any changed elsewhere; True if they had."""
        try:
            heads = self.service.history_heads()
        except UserFacingError:
            return False  # the next look, or the next action, says what is wrong
        if heads == {s.audit.id: (s.audit.history_length, s.audit.history_head)
                     for s in self._summaries.values()}:
            return False
        self.reload()
        return True

    def on_screen_resume(self) -> None:
        """Shown (at start, or back from an audit): fill the table with the audits as
        they are now. Textual resumes a screen as it first shows it, so this is the one
        listing at start."""
        self.reload()

    def reload(self) -> None:
        """Read the audits from the service again, keeping the selection."""
        try:
            summaries = self.service.list_audits()
        except UserFacingError as exc:
            self.notify(str(exc), title="Cannot list audits", severity="error", markup=False)
            return
        self._summaries = {s.audit.id: s for s in summaries}
        self._fill(self.size.width)
        self.query_one("#empty").display = not summaries
        table = self.query_one("#audits", DataTable)
        table.display = bool(summaries)
        self._show_detail()
        if summaries:
            table.focus()

    def _fill(self, width: int) -> None:
        """Lay the list out for `width` columns and fill it, keeping the selection."""
        table: DataTable[Text] = self.query_one("#audits", DataTable)
        selected = self.selected_id()
        summaries = list(self._summaries.values())
        scrollbar = self._scrollbar()
        self._layout = home_layout(summaries, width, scrollbar=scrollbar)
        self._laid_out_for = (width, scrollbar)
        table.clear(columns=True)
        for column, column_width in self._layout.columns:
            table.add_column(Text(column.label), width=column_width, key=column.key)
        for summary in summaries:
            table.add_row(*self._layout.cells(summary), key=summary.audit.id)
        if selected in self._summaries:
            table.move_cursor(row=table.get_row_index(selected))

    def _scrollbar(self) -> bool:
        """Whether the list of audits is taller than the table shows (it scrolls)."""
        height = self.query_one("#audits", DataTable).size.height or self.size.height - 8
        return len(self._summaries) + 1 > height

    def on_resize(self, event: events.Resize) -> None:
        """Lay the list out again for the new width: the title takes what is left. A list
        already laid out for this width and scroll bar is left as it is."""
        if self._summaries and self._laid_out_for != (event.size.width, self._scrollbar()):
            self._fill(event.size.width)

    def selected_id(self) -> str | None:
        """The id of the audit under the cursor."""
        table = self.query_one("#audits", DataTable)
        if table.row_count == 0:
            return None
        row = min(max(table.cursor_row, 0), table.row_count - 1)
        return str(table.coordinate_to_cell_key(Coordinate(row, 0)).row_key.value)

    def _show_detail(self) -> None:
        summary = self._summaries.get(self.selected_id() or "")
        detail = self.query_one("#audit-detail", Static)
        if summary is None:
            detail.update("")
            return
        audit = summary.audit
        signed = (f" · signed by {audit.signed_by} {local_time(audit.signed_at)}"
                  if audit.signed_by else "")
        based = ""
        if audit.based_on:
            previous = self._summaries.get(audit.based_on)
            based = (f"\nFrom the previous audit {previous.audit.title}" if previous
                     else f"\nFrom the previous audit {audit.based_on[:8]}")
        detail.update(f"{audit.title}\nAuditor {audit.auditor} · created "
                      f"{local_time(audit.created_at)} · id {audit.id}{signed}{based}")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """Show the title and details of the audit under the cursor."""
        self._show_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a row opens the audit."""
        event.stop()
        self.open_audit(str(event.row_key.value))

    def action_open_audit(self) -> None:
        """Open the audit under the cursor."""
        audit_id = self.selected_id()
        if audit_id is not None:
            self.open_audit(audit_id)

    def open_audit(self, audit_id: str, start_at: str | None = None) -> None:
        """Show the audit screen of `audit_id` at the question `start_at`, else where work
        on it last stopped."""
        try:
            view = self.service.view(audit_id)
        except UserFacingError as exc:
            self.notify(str(exc), title="Cannot open the audit", severity="error",
                        markup=False)
            return
        start_at = start_at or load_settings().positions.get(audit_id)
        from app.tui.screens.audit import AuditScreen  # loaded when an audit opens

        self.app.push_screen(AuditScreen(self.service, view, start_at=start_at))

    def _selected_audit(self) -> AuditInfo | None:
        summary = self._summaries.get(self.selected_id() or "")
        if summary is None:
            self.notify("There is no audit yet: n starts one.", severity="warning")
            return None
        return summary.audit

    def action_new_from_previous(self) -> None:
        """Pick the previous audit, then start a new one from it (answers carried)."""
        if not self._summaries:
            self.notify("There is no previous audit to start from yet: n starts one.",
                        severity="warning")
            return

        def picked(audit_id: str | None) -> None:
            if audit_id is None:
                return
            try:
                previous = self.service.view(audit_id)
            except UserFacingError as exc:
                self.notify(str(exc), title="Cannot read the audit", severity="error",
                            markup=False)
                return
            self.app.push_screen(NewAuditDialog(self.service, previous=previous),
                                 self._created)

        from app.tui.dialogs.new_audit import NewAuditDialog
        from app.tui.dialogs.pick_audit import PickAuditDialog

        self.app.push_screen(PickAuditDialog(
            "New audit from a previous one",
            "Choose the audit to start from. Its answers, notes and evidence are copied into "
            "the new draft, and every copied answer must be confirmed again.",
            list(self._summaries.values()), selected=self.selected_id()), picked)

    def _created(self, audit: AuditInfo | None) -> None:
        if audit is not None:
            self.reload()
            self.open_audit(audit.id)

    def action_review(self) -> None:
        """Open the review of the selected audit; an entry opens the audit at it."""
        from app.tui.screens.review import ReviewOutcome, ReviewScreen

        audit = self._selected_audit()
        if audit is None:
            return

        def done(outcome: ReviewOutcome | None) -> None:
            self.reload()
            if outcome is not None and outcome.jump:
                self.open_audit(audit.id, start_at=outcome.jump)

        self.app.push_screen(ReviewScreen(self.service, audit.id), done)

    def action_history(self) -> None:
        """Show every change to the selected audit with its chain check; an event chosen
        opens the audit at its question."""
        from app.tui.screens.audit_history import AuditHistoryScreen

        audit = self._selected_audit()
        if audit is None:
            return
        try:
            view = self.service.view(audit.id)
        except UserFacingError as exc:
            self.notify(str(exc), title="Cannot read the audit", severity="error",
                        markup=False)
            return

        def done(question_id: str | None) -> None:
            self.reload()
            if question_id:
                self.open_audit(audit.id, start_at=question_id)

        self.app.push_screen(AuditHistoryScreen(self.service, audit.id,
                                                view.checklist.checklist, title=audit.title),
                             done)

    def action_export(self) -> None:
        """Export the selected audit."""
        from app.tui.dialogs.export import ExportDialog

        audit = self._selected_audit()
        if audit is not None:
            self.app.push_screen(ExportDialog(self.service, audit))

    def action_sign(self) -> None:
        """Sign the selected audit (the dialog says what blocks it, if anything does)."""
        from app.tui.dialogs.sign import REVIEW, SignDialog

        audit = self._selected_audit()
        if audit is None:
            return

        def done(result: str | None) -> None:
            self.reload()
            if result == REVIEW:
                self.action_review()

        self.app.push_screen(SignDialog(self.service, audit), done)

    def action_delete_draft(self) -> None:
        """Delete the selected draft, after a confirmation."""
        audit = self._selected_audit()
        if audit is None:
            return
        if audit.read_only:
            self.notify("A signed audit cannot be deleted: it is the record of an "
                        "attestation.", severity="warning")
            return

        def answer(confirmed: bool | None) -> None:
            if not confirmed:
                return
            try:
                self.service.delete_draft(audit.id)
            except UserFacingError as exc:
                self.notify(str(exc), title="Not deleted", severity="error", markup=False)
                return
            self.notify(f"Deleted the draft {audit.title}.", markup=False)
            self.reload()

        from app.tui.dialogs.confirm import ConfirmDialog

        self.app.push_screen(ConfirmDialog(
            "Delete this draft?",
            f"{audit.title}\n{audit.jurisdiction} · {audit.period_start} – {audit.period_end} · "
            f"id {audit.id[:8]}\n\nIts answers, notes, history and evidence records are "
            "deleted from the database. This cannot be undone.",
            confirm="Delete the draft", danger=True), answer)

    def palette(self) -> list[PaletteEntry]:
        """This screen's entries in the command palette."""
        return [
            ("New audit…", "Start a draft audit (n)", self.action_new_audit),
            ("New audit from a previous one…", "Carry a previous audit's answers "
             "forward (f)", self.action_new_from_previous),
            ("Open the selected audit", "Enter", self.action_open_audit),
            ("Review the selected audit", "What blocks signing, and the findings (r)",
             self.action_review),
            ("History of the selected audit", "Every change, newest first, with the chain "
             "check (h)", self.action_history),
            ("Export the selected audit…", "PDF, JSON or transparency report (x)",
             self.action_export),
            ("Sign the selected audit…", "With your certificate (s)", self.action_sign),
            ("Delete the selected draft…", "After a confirmation (delete)",
             self.action_delete_draft),
        ]

    def action_new_audit(self) -> None:
        """Ask for the new audit's details; open it once created."""
        from app.tui.dialogs.new_audit import NewAuditDialog

        self.app.push_screen(NewAuditDialog(self.service), self._created)
