"""Import a query log: preview what it shows, then record it into the audit."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Footer, Input, Label, LoadingIndicator, Static

from app.audit import AuditService, LogImport
from app.tui.dialogs import unquoted
from app.tui.dialogs.job import JobDialog, JobWidgets


class QueryLogDialog(JobDialog[LogImport | None]):
    """Analyse a CSV or Parquet query log against the audit's agencies and blocks.

    "Preview" analyses and records nothing; "Import" fills the answers the checklist names
    and keeps the analysis as evidence. The analysis runs in a worker thread. Returns the
    recorded import, or `None` if nothing was recorded.
    """

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("ctrl+p", "preview", "Preview"),
        Binding("ctrl+s", "record", "Import"),
    ]

    AUTO_FOCUS = "#log-path"

    JOB_WIDGETS = JobWidgets(busy="#log-busy", error="#log-error", buttons="#preview, #record")

    def __init__(self, service: AuditService, audit_id: str, table_prompt: str) -> None:
        super().__init__(classes="dialog-screen")
        self.service = service
        """The service that records the import."""
        self.audit_id = audit_id
        """The audit the log is evidence for."""
        self.table_prompt = table_prompt
        """The prompt of the agencies table the log is checked against."""
        self.recorded: LogImport | None = None
        """The import once recorded."""

    def compose(self) -> ComposeResult:
        """The file, column and answered-value fields, the result and the buttons."""
        with Vertical(classes="dialog"):
            yield Static("Import a query log", classes="dialog-title")
            yield Static(f"Each query is counted against the agencies, ORIs and block dates "
                         f"in “{self.table_prompt}”. Import fills that table and the log's "
                         "period, and keeps the analysis as evidence.",
                         classes="field-help", markup=False)
            yield Label("File (CSV or Parquet)", classes="field-label")
            yield Input(placeholder="e.g. ~/evidence/switch-log-2025.csv", id="log-path",
                        compact=True)
            yield Label("Columns, if named otherwise (optional)", classes="field-label")
            yield Input(placeholder="e.g. time=Timestamp, ori=Originating ORI, result=Status",
                        id="log-map", compact=True)
            yield Label("Result values meaning answered", classes="field-label")
            yield Input(value="answered", id="log-answered", compact=True)
            yield LoadingIndicator(id="log-busy")
            yield Static("", id="log-error", classes="dialog-error", markup=False)
            with VerticalScroll(id="log-result-box"):
                yield Static("", id="log-result", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Preview", id="preview")
                yield Button("Import", id="record", variant="primary")
                yield Button("Close", id="close")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        """Nothing analysed yet."""
        self.hide_job_status()
        self.query_one("#log-result-box").display = False

    def action_preview(self) -> None:
        """Analyse the log and show what an import would fill; record nothing."""
        self._start(dry_run=True)

    def action_record(self) -> None:
        """Analyse the log and record it."""
        self._start(dry_run=False)

    def _start(self, *, dry_run: bool) -> None:
        path = unquoted(self.query_one("#log-path", Input).value.strip())
        if not path:
            self.show_job_error("give the path of the log file")
            return
        pairs = [p.strip() for p in self.query_one("#log-map", Input).value.split(",")
                 if p.strip()]
        answered = [v.strip() for v in self.query_one("#log-answered", Input).value.split(",")
                    if v.strip()]
        log = Path(path).expanduser()

        def analyse() -> LogImport:
            from app.audit import ColumnMapping

            return self.service.import_query_log(self.audit_id, log,
                                                 mapping=ColumnMapping.parse(pairs),
                                                 answered=answered, dry_run=dry_run)

        self.run_job(analyse, self._analysed, unexpected="the log could not be analysed")

    def _analysed(self, result: LogImport) -> None:
        """Show the analysis (and keep the import, once recorded)."""
        if result.recorded:
            self.recorded = result
        self.query_one("#log-result", Static).update(result.describe())
        self.query_one("#log-result-box").display = True

    def action_close(self) -> None:
        """Close, returning the recorded import if there was one."""
        self.dismiss(self.recorded)

    @on(Button.Pressed, "#preview")
    def _preview_pressed(self) -> None:
        self.action_preview()

    @on(Button.Pressed, "#record")
    def _record_pressed(self) -> None:
        self.action_record()

    @on(Button.Pressed, "#close")
    def _close_pressed(self) -> None:
        self.action_close()
