"""The dialog that starts a new audit: checklist, jurisdiction, period, title, auditor."""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.validation import Function
from textual.widgets import Button, Footer, Input, Label, Select, Static

from app.audit import AuditInfo, AuditService
from app.audit.jurisdictions import JURISDICTIONS
from app.checklist.bundled import bundled_checklists, resolve_checklist
from app.checklist.loader import LoadedChecklist
from app.errors import UserFacingError
from app.tui.dialogs import show_message

DATE_HINT = "write the date as YYYY-MM-DD"


def _looks_like_date(text: str) -> bool:
    """Whether `text` reads as a YYYY-MM-DD date (only to flag typing early)."""
    try:
        dt.date.fromisoformat(text.strip())
    except ValueError:
        return False
    return True


class NewAuditDialog(ModalScreen[AuditInfo | None]):
    """Create a draft audit through the service; returns it, or `None` when cancelled.

    Anything the service refuses (an unreadable checklist file, an unknown jurisdiction, a
    period that ends before it starts) is shown inside the dialog.
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "create", "Create"),
    ]

    AUTO_FOCUS = ""

    def __init__(self, service: AuditService,
                 checklists: list[LoadedChecklist] | None = None) -> None:
        super().__init__(classes="dialog-screen")
        self.service = service
        """The service that creates the audit."""
        self._load_problem = ""
        if checklists is None:
            try:
                checklists = bundled_checklists()
            except UserFacingError as exc:
                checklists, self._load_problem = [], f"A bundled checklist is broken: {exc}"
        self.checklists = checklists
        """The bundled checklists offered in the picker."""

    def compose(self) -> ComposeResult:
        """The form: a label and a field per line."""
        choices = [(Text(f"{c.checklist.title} ({c.checklist.id} v{c.checklist.version})"),
                    index) for index, c in enumerate(self.checklists)]
        with Vertical(classes="dialog", id="new-audit"):
            yield Static("New audit", classes="dialog-title")
            with VerticalScroll(classes="dialog-body") as body:
                body.can_focus = False  # Tab goes from field to field
                yield Label("Checklist", classes="field-label")
                yield Select(choices, id="checklist", allow_blank=True, compact=True,
                             prompt="Choose a bundled checklist…" if choices
                             else "No bundled checklists: give a file below",
                             value=0 if len(choices) == 1 else Select.NULL,
                             disabled=not choices)
                yield Input(placeholder="…or the path of a checklist file (.yaml)",
                            id="checklist-path", compact=True)
                yield Label("Jurisdiction", classes="field-label")
                yield Select([(Text(f"{code} — {name}"), code)
                              for code, name in JURISDICTIONS.items()],
                             id="jurisdiction", prompt="Choose a state or territory…",
                             compact=True)
                yield Label("Period (first and last day)", classes="field-label")
                with Horizontal(classes="period"):
                    yield Input(placeholder="start YYYY-MM-DD", id="period-start", compact=True,
                                validators=[Function(_looks_like_date, DATE_HINT)],
                                valid_empty=False)
                    yield Input(placeholder="end YYYY-MM-DD", id="period-end", compact=True,
                                validators=[Function(_looks_like_date, DATE_HINT)],
                                valid_empty=False)
                yield Static("", id="period-error", classes="field-error", markup=False)
                yield Label("Title (optional)", classes="field-label")
                yield Input(placeholder="default: state, checklist and period", id="title",
                            compact=True)
                yield Label("Auditor (optional)", classes="field-label")
                yield Input(placeholder="default: your user name", id="auditor", compact=True)
            yield Static(self._load_problem, id="error", classes="dialog-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Create", id="create", variant="primary")
                yield Button("Cancel", id="cancel")
        yield Footer()

    @on(Input.Changed, "#period-start, #period-end")
    def _check_period(self) -> None:
        """Flag a date that does not read as YYYY-MM-DD while it is typed."""
        problems = []
        for field_id, what in (("#period-start", "start"), ("#period-end", "end")):
            field = self.query_one(field_id, Input)
            if field.value.strip() and not _looks_like_date(field.value):
                problems.append(f"The period {what} {field.value.strip()!r} is not a date: "
                                f"{DATE_HINT}.")
        show_message(self.query_one("#period-error", Static), " ".join(problems))

    def _checklist(self) -> LoadedChecklist:
        path = self.query_one("#checklist-path", Input).value.strip()
        if path:
            return resolve_checklist(path)
        chosen = self.query_one("#checklist", Select).value
        if chosen is Select.NULL:
            raise UserFacingError("choose a checklist, or give the path of a checklist file")
        return self.checklists[int(chosen)]

    def action_create(self) -> None:
        """Create the audit through the service and close, or show why it was refused."""
        jurisdiction = self.query_one("#jurisdiction", Select).value
        try:
            checklist = self._checklist()
            if jurisdiction is Select.NULL:
                raise UserFacingError("choose the jurisdiction the audit covers")
            audit = self.service.create_audit(
                checklist, jurisdiction=str(jurisdiction),
                period_start=self.query_one("#period-start", Input).value,
                period_end=self.query_one("#period-end", Input).value,
                title=self.query_one("#title", Input).value or None,
                auditor=self.query_one("#auditor", Input).value or None)
        except UserFacingError as exc:
            self._show_error(str(exc))
            return
        self.dismiss(audit)

    def on_mount(self) -> None:
        """Focus the first field (keeping its label in view); hide the empty messages."""
        first = self.query_one("#checklist", Select)
        (self.query_one("#checklist-path", Input) if first.disabled else first).focus(
            scroll_visible=False)
        show_message(self.query_one("#period-error", Static), "")
        self._show_error(self._load_problem)

    def _show_error(self, text: str) -> None:
        show_message(self.query_one("#error", Static), text)

    def action_cancel(self) -> None:
        """Close without creating anything."""
        self.dismiss(None)

    @on(Button.Pressed, "#create")
    @on(Input.Submitted)
    def _create_pressed(self) -> None:
        self.action_create()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()
