"""Attach an evidence file to a question: a path and the date the evidence speaks for."""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, LoadingIndicator, Static
from textual.worker import Worker, WorkerState

from app.audit import AuditService, EvidenceInfo
from app.checklist.model import Question
from app.errors import UserFacingError
from app.tui.dialogs import show_message, unquoted


class EvidenceDialog(ModalScreen[EvidenceInfo | None]):
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
            yield Input(placeholder="path of the file, e.g. ~/evidence/query-log-2025.csv",
                        id="evidence-path", compact=True)
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
        show_message(self.query_one("#evidence-error", Static), "")
        self.query_one("#evidence-busy").display = False

    def action_attach(self) -> None:
        """Store the file in a worker; the dialog closes when it is stored."""
        text = unquoted(self.query_one("#evidence-path", Input).value.strip())
        if not text:
            show_message(self.query_one("#evidence-error", Static),
                         "give the path of the file to attach")
            return
        date = self.query_one("#evidence-date", Input).value.strip() or None
        show_message(self.query_one("#evidence-error", Static), "")
        self.query_one("#evidence-busy").display = True
        self.query_one("#attach", Button).disabled = True
        self._store(Path(text).expanduser(), date)

    @work(thread=True, exclusive=True, exit_on_error=False, group="evidence")
    def _store(self, path: Path, date: str | None) -> EvidenceInfo:
        return self.service.add_evidence(self.audit_id, self.question.id, path, date)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Close with the stored evidence, or say why it was refused."""
        if event.worker.group != "evidence" or event.state not in (
                WorkerState.SUCCESS, WorkerState.ERROR):
            return
        self.query_one("#evidence-busy").display = False
        self.query_one("#attach", Button).disabled = False
        if event.state == WorkerState.SUCCESS:
            self.dismiss(event.worker.result)
            return
        error = event.worker.error
        message = str(error) if isinstance(error, UserFacingError) else (
            f"the file could not be attached: {error}")
        show_message(self.query_one("#evidence-error", Static), message)

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
