"""Export an audit to a file (attestation PDF, manifest JSON or transparency report)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
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
from textual.worker import Worker, WorkerState

from app.audit import AuditInfo, AuditService
from app.errors import UserFacingError
from app.tui.config import load_settings, remember
from app.tui.dialogs import show_message, unquoted
from app.tui.jobs import default_folder, file_stem

FORMATS: list[tuple[str, str, str]] = [
    ("pdf", "Attestation PDF (PDF/A-3b, with the manifest)", ".pdf"),
    ("json", "Manifest JSON (the machine-readable record)", ".json"),
    ("transparency", "Transparency report PDF (public: no notes, no internal evidence)",
     "-transparency.pdf"),
]


class ExportDialog(ModalScreen[Path | None]):
    """Choose a format and a file; the export runs in a worker with its steps shown.

    Returns the path written (after the user closes the result), or `None`.
    """

    BINDINGS = [
        Binding("escape", "cancel", "Close"),
        Binding("ctrl+s", "export", "Export"),
    ]

    AUTO_FOCUS = "#export-format"

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
        self._busy = False

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
        self.query_one("#export-busy").display = False
        for line in ("#export-progress", "#export-error", "#export-result"):
            show_message(self.query_one(line, Static), "")

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
        if self._busy or self.query_one("#export", Button).disabled:
            return
        text = self.query_one("#export-path", Input).value.strip()
        if not text:
            show_message(self.query_one("#export-error", Static), "give the file to write")
            return
        target = Path(unquoted(text)).expanduser()
        if target.exists() and self._confirm_replace != target:
            self._confirm_replace = target
            show_message(self.query_one("#export-result", Static), "")
            show_message(self.query_one("#export-error", Static),
                         f"{target} exists: press Export again to replace it.")
            return
        self._busy = True
        show_message(self.query_one("#export-error", Static), "")
        show_message(self.query_one("#export-result", Static), "")
        self.query_one("#export-busy").display = True
        self.query_one("#export", Button).disabled = True
        self._progress("starting")
        self._run(target, self._format)

    def _progress(self, step: str) -> None:
        show_message(self.query_one("#export-progress", Static), f"Exporting: {step}…")

    @work(thread=True, exclusive=True, exit_on_error=False, group="export")
    def _run(self, target: Path, fmt: str) -> Any:

        def progress(step: str) -> None:
            self.app.call_from_thread(self._progress, step)

        return self.service.export(self.audit.id, target, fmt, progress=progress)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Show where the file went, or why nothing was written."""
        if event.worker.group != "export" or event.state not in (
                WorkerState.SUCCESS, WorkerState.ERROR):
            return
        self._busy = False
        self.query_one("#export-busy").display = False
        self.query_one("#export", Button).disabled = False
        show_message(self.query_one("#export-progress", Static), "")
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            text = str(error) if isinstance(error, UserFacingError) else (
                f"the export failed: {type(error).__name__}: {error}")
            show_message(self.query_one("#export-error", Static), f"Nothing written: {text}")
            return
        result = event.worker.result
        self.written = Path(result.path)
        message = result.describe()
        warning = result.font_warning()
        show_message(self.query_one("#export-result", Static),
                     message[:1].upper() + message[1:])
        if warning:
            show_message(self.query_one("#export-error", Static), f"Warning: {warning}")
        self.query_one("#cancel", Button).focus()
        self._confirm_replace = None
        problem = remember(export_folder=str(self.written.resolve().parent))
        if problem:
            self.app.notify(problem, severity="warning", markup=False)
        self.app.notify(f"Exported to {self.written}", title="Export", markup=False)

    def action_cancel(self) -> None:
        """Close, once no export is running."""
        if self._busy:
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
