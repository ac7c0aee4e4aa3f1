"""Export an audit: the attestation PDF, the manifest JSON, the public report (PDF, or a
web page with its open data), working copies (XLSX, CSV) and OSCAL assessment results."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import (
    Button,
    Footer,
    Input,
    Label,
    LoadingIndicator,
    RadioButton,
    RadioSet,
    Static,
)

from app.audit import AuditInfo, AuditService, ExportResult
from app.tui.config import load_settings, remember
from app.tui.dialogs import show_message, unquoted
from app.tui.dialogs.job import JobDialog, JobWidgets
from app.tui.jobs import default_folder, file_stem

FORMATS: list[tuple[str, str, str]] = [
    ("pdf", "Attestation PDF (PDF/A-3a, PDF/UA-1, with the manifest)", ".pdf"),
    ("json", "Manifest JSON (the machine-readable record)", ".json"),
    ("transparency", "Transparency report PDF (public: no notes or evidence)",
     "-transparency.pdf"),
    ("transparency-web", "Transparency web page, open data CSV and JSON (folder)",
     "-transparency-web"),
    ("xlsx", "Working copy XLSX (sections, findings, evidence, history)", ".xlsx"),
    ("csv", "Working copy CSV (long form, a file per table; folder)", "-csv"),
    ("oscal-ar", "OSCAL assessment results JSON", "-oscal-ar.json"),
]
"""Format, label, and the ending of the default file (or folder) name."""


class ExportDialog(JobDialog[Path | None]):
    """Choose a format and a file; the export runs in a worker with its steps shown.

    Returns the path written (after the user closes the result), or `None`.
    """

    BINDINGS = [
        Binding("escape", "cancel", "Close"),
        Binding("ctrl+s", "export", "Export"),
    ]

    AUTO_FOCUS = "#export-format"

    JOB_WIDGETS = JobWidgets(busy="#export-busy", error="#export-error", buttons="#export",
                             progress="#export-progress")

    def __init__(self, service: AuditService, audit: AuditInfo) -> None:
        super().__init__(classes="dialog-screen")
        self.service = service
        """The service the audit is read through."""
        self.audit = audit
        """The audit to export."""
        self.written: Path | None = None
        """The file written, once the export succeeded."""
        self._folder = default_folder(load_settings().export_folder)
        self._format = "pdf"
        self._confirm_replace: Path | None = None

    def compose(self) -> ComposeResult:
        """Format, file, a progress line and the buttons."""
        with Vertical(classes="dialog"):
            yield Static(f"Export — {self.audit.title}", classes="dialog-title", markup=False)
            yield Label("Format", classes="field-label")
            with RadioSet(id="export-format", compact=True):
                for index, (_fmt, label, _ext) in enumerate(FORMATS):
                    yield RadioButton(Content(label), value=index == 0)
            yield Label("File", classes="field-label")
            yield Input(str(self._default_path("pdf")), id="export-path", compact=True)
            with Horizontal(classes="job-status"):
                yield LoadingIndicator(id="export-busy")
                yield Static("", id="export-progress", markup=False)
            yield Static("", id="export-error", classes="dialog-error", markup=False)
            yield Static("", id="export-result", classes="dialog-ok", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Export", id="export", variant="primary")
                yield Button("Close", id="cancel")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        """Nothing running yet."""
        self.hide_job_status()
        show_message(self.query_one("#export-result", Static), "")

    def _default_path(self, fmt: str) -> Path:
        extension = next(ext for f, _label, ext in FORMATS if f == fmt)
        return self._folder / f"{file_stem(self.audit)}{extension}"

    @on(RadioSet.Changed, "#export-format")
    def _format_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        old_default = str(self._default_path(self._format))
        self._format = FORMATS[event.index][0]
        path = self.query_one("#export-path", Input)
        if path.value.strip() in ("", old_default):
            path.value = str(self._default_path(self._format))

    @on(Input.Changed, "#export-path")
    def _path_changed(self) -> None:
        self._confirm_replace = None

    def action_export(self) -> None:
        """Start the export in a worker (asking first before replacing a file)."""
        if self.job_running or self.query_one("#export", Button).disabled:
            return
        text = self.query_one("#export-path", Input).value.strip()
        if not text:
            self.show_job_error("give the file to write")
            return
        target = Path(unquoted(text)).expanduser()
        if target.exists() and self._confirm_replace != target:
            self._confirm_replace = target
            show_message(self.query_one("#export-result", Static), "")
            self.show_job_error(f"{target} exists: press Export again to replace it.")
            return
        show_message(self.query_one("#export-result", Static), "")
        fmt = self._format

        def export() -> ExportResult:
            return self.service.export(self.audit.id, target, fmt,
                                       progress=lambda step: self.progress_from_thread(
                                           f"Exporting: {step}…"))

        self.run_job(export, self._exported, unexpected="the export failed",
                     progress="Exporting: starting…",
                     failed=lambda text: self.show_job_error(f"Nothing written: {text}"))

    def _exported(self, result: ExportResult) -> None:
        """Show where the file went."""
        self.written = Path(result.path)
        message = result.describe()
        warning = result.font_warning()
        show_message(self.query_one("#export-result", Static),
                     message[:1].upper() + message[1:])
        if warning:
            self.show_job_error(f"Warning: {warning}")
        self.query_one("#cancel", Button).focus()
        self._confirm_replace = None
        problem = remember(export_folder=str(self.written.resolve().parent))
        if problem:
            self.app.notify(problem, severity="warning", markup=False)
        self.app.notify(f"Exported to {self.written}", title="Export", markup=False)

    def action_cancel(self) -> None:
        """Close, once no export is running."""
        if self.job_running:
            self.notify("The export is still running: it takes a few seconds.",
                        severity="warning")
            return
        self.dismiss(self.written)

    @on(Button.Pressed, "#export")
    @on(Input.Submitted, "#export-path")
    def _export_pressed(self) -> None:
        self.action_export()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()
