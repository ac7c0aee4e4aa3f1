"""Pick one audit from a list: the previous audit to start a new one from."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, OptionList, Static
from textual.widgets.option_list import Option

from app.audit import AuditSummary


def audit_line(summary: AuditSummary) -> Content:
    """One audit as a two-line option: title, then state, period, status and progress."""
    audit = summary.audit
    return Content.assemble(
        (audit.title, "bold"), "\n",
        (f"  {audit.jurisdiction} · {audit.period_start} – {audit.period_end} · "
         f"{audit.status} · {summary.done} done, {summary.total - summary.done} to do · "
         f"{audit.checklist_id} "
         f"v{audit.checklist_version}", "dim"))


class PickAuditDialog(ModalScreen[str | None]):
    """Choose an audit; returns its id, or `None` when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    AUTO_FOCUS = "#pick-list"

    def __init__(self, title: str, help_text: str, summaries: list[AuditSummary], *,
                 selected: str | None = None) -> None:
        super().__init__(classes="dialog-screen")
        self._title = title
        self._help = help_text
        self.summaries = summaries
        """The audits offered."""
        self._selected = selected

    def compose(self) -> ComposeResult:
        """The explanation, the list of audits and the buttons."""
        with Vertical(classes="dialog"):
            yield Static(self._title, classes="dialog-title", markup=False)
            yield Static(self._help, classes="field-help", markup=False)
            yield OptionList(*[Option(audit_line(s), id=s.audit.id) for s in self.summaries],
                             id="pick-list")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Continue", id="ok", variant="primary")
                yield Button("Cancel", id="cancel")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        """Put the cursor on the audit that was selected behind the dialog."""
        options = self.query_one(OptionList)
        ids = [s.audit.id for s in self.summaries]
        options.highlighted = ids.index(self._selected) if self._selected in ids else 0

    def action_cancel(self) -> None:
        """Close without choosing."""
        self.dismiss(None)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self.dismiss(options.get_option_at_index(options.highlighted).id)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
