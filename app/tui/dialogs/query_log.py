"""Import a query log: preview what it shows, then record it into the audit."""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, LoadingIndicator, Static
from textual.worker import Worker, WorkerState

from app.audit import AuditService, LogImport
from app.errors import UserFacingError
from app.tui.dialogs import show_message, unquoted


class QueryLogDialog(ModalScreen[LogImport | None]):
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
        show_message(self.query_one("#log-error", Static), "")
        self.query_one("#log-busy").display = False
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
            show_message(self.query_one("#log-error", Static),
                         "give the path of the log file")
            return
        pairs = [p.strip() for p in self.query_one("#log-map", Input).value.split(",")
                 if p.strip()]
        answered = [v.strip() for v in self.query_one("#log-answered", Input).value.split(",")
                    if v.strip()]
        show_message(self.query_one("#log-error", Static), "")
        self._busy(True)
        self._analyse(Path(path).expanduser(), pairs, answered, dry_run)

    def _busy(self, busy: bool) -> None:
        self.query_one("#log-busy").display = busy
        for button in self.query(Button).filter("#preview, #record"):
            button.disabled = busy

    @work(thread=True, exclusive=True, exit_on_error=False, group="query-log")
    def _analyse(self, path: Path, pairs: list[str], answered: list[str],
                 dry_run: bool) -> LogImport:
        from app.logs import ColumnMapping

        return self.service.import_query_log(self.audit_id, path,
                                             mapping=ColumnMapping.parse(pairs),
                                             answered=answered, dry_run=dry_run)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Show the analysis, or why the log was refused."""
        if event.worker.group != "query-log" or event.state not in (
                WorkerState.SUCCESS, WorkerState.ERROR):
            return
        self._busy(False)
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            message = str(error) if isinstance(error, UserFacingError) else (
                f"the log could not be analysed: {error}")
            show_message(self.query_one("#log-error", Static), message)
            return
        result: LogImport = event.worker.result
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
