"""Attach an evidence file to a question: a path and the date the evidence speaks for."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Footer, Input, Label, LoadingIndicator, Static

from app.audit import AuditService, EvidenceInfo
from app.checklist.model import Question
from app.tui.dialogs import unquoted
from app.tui.dialogs.job import JobDialog, JobWidgets
from app.tui.widgets.path_input import COMPLETION_HELP, PathInput


class EvidenceDialog(JobDialog[EvidenceInfo | None]):
    """Read a file, store it by its SHA-256 and attach it to `question`.

    The file is read and hashed in a worker thread (query-log extracts can be large).
    Returns the stored evidence, or `None` when cancelled. A refusal (no such file, a
    badly written date, a signed audit) is shown in the dialog, which stays open.
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "attach", "Attach"),
    ]

    AUTO_FOCUS = "#evidence-path"

    JOB_WIDGETS = JobWidgets(busy="#evidence-busy", error="#evidence-error", buttons="#attach")

    def __init__(self, service: AuditService, audit_id: str, question: Question) -> None:
        super().__init__(classes="dialog-screen")
        self.service = service
        """The service that stores the evidence."""
        self.audit_id = audit_id
        """The audit the evidence belongs to."""
        self.question = question
        """The question the evidence supports."""

    def compose(self) -> ComposeResult:
        """The path and date fields, a message line and the buttons."""
        with Vertical(classes="dialog"):
            yield Static(f"Attach evidence — {self.question.prompt}", classes="dialog-title",
                         markup=False)
            yield Static("The file is copied into the audit's database and identified by its "
                         "SHA-256; the original can move or change afterwards. Evidence "
                         "stays once attached (the history keeps it): to correct a file, "
                         "attach the corrected one and say why in the note.",
                         classes="field-help")
            yield Label("File", classes="field-label")
            yield PathInput(placeholder="path of the file, e.g. ~/evidence/query-log-2025.csv",
                            id="evidence-path")
            yield Static(COMPLETION_HELP,
                         classes="field-help", markup=False)
            yield Label("Effective date (optional)", classes="field-label")
            yield Input(placeholder="YYYY-MM-DD: the date the evidence speaks for",
                        id="evidence-date", compact=True)
            yield LoadingIndicator(id="evidence-busy")
            yield Static("", id="evidence-error", classes="dialog-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Attach", id="attach", variant="primary")
                yield Button("Cancel", id="cancel")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        """No message and no activity yet."""
        self.hide_job_status()

    def action_attach(self) -> None:
        """Store the file in a worker; the dialog closes with it once it is stored."""
        text = unquoted(self.query_one("#evidence-path", Input).value.strip())
        if not text:
            self.show_job_error("give the path of the file to attach")
            return
        date = self.query_one("#evidence-date", Input).value.strip() or None
        path = Path(text).expanduser()

        def store() -> EvidenceInfo:
            return self.service.add_evidence(self.audit_id, self.question.id, path, date)

        self.run_job(store, self.dismiss, unexpected="the file could not be attached")

    def action_cancel(self) -> None:
        """Close without attaching anything."""
        self.dismiss(None)

    @on(Button.Pressed, "#attach")
    @on(Input.Submitted)
    def _attach_pressed(self) -> None:
        self.action_attach()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()
