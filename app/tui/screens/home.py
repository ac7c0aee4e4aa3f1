"""The home screen: every audit with its status and progress; start or open one."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from app.audit import AuditInfo, AuditService, AuditSummary
from app.errors import UserFacingError
from app.tui.dialogs.new_audit import NewAuditDialog
from app.tui.saving import local_time
from app.tui.screens.audit import AuditScreen

COLUMNS = ("ID", "State", "Period", "Status", "Progress", "Findings", "Checklist", "Updated")
EMPTY_TEXT = ("No audits yet.\n\nPress n to start one: choose a checklist, the state and the "
              "period the audit covers. Answers are saved as you type.")


def summary_cells(summary: AuditSummary) -> list[Text]:
    """One row of the audit table."""
    audit = summary.audit
    return [Text(text) for text in (
        audit.id[:8], audit.jurisdiction, f"{audit.period_start} – {audit.period_end}",
        audit.status, f"{summary.percent:.0f}% ({summary.done}/{summary.total})",
        str(summary.findings), f"{audit.checklist_id}@{audit.checklist_version}",
        local_time(audit.updated_at))]


class HomeScreen(Screen[None]):
    """The list of audits, most recently changed first."""

    BINDINGS = [
        Binding("n", "new_audit", "New audit"),
        Binding("enter", "open_audit", "Open"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, service: AuditService) -> None:
        super().__init__()
        self.service = service
        """The audit service."""
        self._summaries: dict[str, AuditSummary] = {}

    def compose(self) -> ComposeResult:
        """Header, the audit table (or the empty state), a detail line, footer."""
        yield Header()
        yield Static(EMPTY_TEXT, id="empty", markup=False)
        table: DataTable[Text] = DataTable(id="audits", cursor_type="row",
                                              zebra_stripes=True)
        table.add_columns(*COLUMNS)
        yield table
        yield Static("", id="audit-detail", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        """Fill the table."""
        self.reload()

    def on_screen_resume(self) -> None:
        """Coming back from an audit: show its new progress."""
        self.reload()

    def reload(self) -> None:
        """Read the audits from the service again, keeping the selection."""
        try:
            summaries = self.service.list_audits()
        except UserFacingError as exc:
            self.notify(str(exc), title="Cannot list audits", severity="error", markup=False)
            return
        table = self.query_one("#audits", DataTable)
        selected = self.selected_id()
        table.clear()
        self._summaries = {s.audit.id: s for s in summaries}
        for summary in summaries:
            table.add_row(*summary_cells(summary), key=summary.audit.id)
        if selected in self._summaries:
            table.move_cursor(row=table.get_row_index(selected))
        self.query_one("#empty").display = not summaries
        table.display = bool(summaries)
        self._show_detail()
        if summaries:
            table.focus()

    def selected_id(self) -> str | None:
        """The id of the audit under the cursor."""
        table = self.query_one("#audits", DataTable)
        if table.row_count == 0:
            return None
        row = min(max(table.cursor_row, 0), table.row_count - 1)
        return str(table.coordinate_to_cell_key((row, 0)).row_key.value)

    def _show_detail(self) -> None:
        summary = self._summaries.get(self.selected_id() or "")
        detail = self.query_one("#audit-detail", Static)
        if summary is None:
            detail.update("")
            return
        audit = summary.audit
        signed = (f" · signed by {audit.signed_by} {local_time(audit.signed_at)}"
                  if audit.signed_by else "")
        detail.update(f"{audit.title}\nAuditor {audit.auditor} · created "
                      f"{local_time(audit.created_at)} · id {audit.id}{signed}")

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

    def open_audit(self, audit_id: str) -> None:
        """Show the audit screen of `audit_id`."""
        try:
            view = self.service.view(audit_id)
        except UserFacingError as exc:
            self.notify(str(exc), title="Cannot open the audit", severity="error",
                        markup=False)
            return
        self.app.push_screen(AuditScreen(self.service, view))

    def action_new_audit(self) -> None:
        """Ask for the new audit's details; open it once created."""
        def created(audit: AuditInfo | None) -> None:
            if audit is not None:
                self.reload()
                self.open_audit(audit.id)

        self.app.push_screen(NewAuditDialog(self.service), created)
