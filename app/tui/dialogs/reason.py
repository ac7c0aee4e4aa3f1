"""A dialog asking for a reason: why a question does not apply, why an earlier value is
restored, why an evidence file is withdrawn."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Static

from app.errors import UserFacingError
from app.tui.dialogs import show_message

ResultType = TypeVar("ResultType")

NOT_APPLICABLE_HELP = "Why does this question not apply? The reason is kept with the audit."
"""What the dialog asks by default."""


class ReasonDialog(ModalScreen[ResultType | None]):
    """Ask for a reason and pass it to `submit`; returns what `submit` returned.

    If `submit` raises `UserFacingError` (say, an empty reason) the message is shown in the
    dialog, which stays open. Cancelling returns `None`.
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "ok", "OK")]

    AUTO_FOCUS = "#reason"

    def __init__(self, title: str, submit: Callable[[str], ResultType], *,
                 reason: str = "", action: str = "Mark not applicable",
                 help_text: str = NOT_APPLICABLE_HELP) -> None:
        super().__init__(classes="dialog-screen")
        self._help = help_text
        self._title = title
        self._submit = submit
        self._reason = reason
        self._action = action

    def compose(self) -> ComposeResult:
        """The question, the reason field, an error line and the buttons."""
        with Vertical(classes="dialog"):
            yield Static(self._title, classes="dialog-title", markup=False)
            yield Static(self._help, classes="field-help", markup=False)
            yield Input(self._reason, placeholder="Reason", id="reason")
            yield Static("", id="reason-error", classes="dialog-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(self._action, id="ok", variant="primary")
                yield Button("Cancel", id="cancel")
        yield Footer(show_command_palette=False)

    def action_ok(self) -> None:
        """Submit the reason; close with the result, or show why it was refused."""
        try:
            result = self._submit(self.query_one("#reason", Input).value)
        except UserFacingError as exc:
            show_message(self.query_one("#reason-error", Static), str(exc))
            return
        self.dismiss(result)

    def on_mount(self) -> None:
        """No message until there is one."""
        show_message(self.query_one("#reason-error", Static), "")

    def action_cancel(self) -> None:
        """Close without changing anything."""
        self.dismiss(None)

    @on(Button.Pressed, "#ok")
    @on(Input.Submitted, "#reason")
    def _ok(self) -> None:
        self.action_ok()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_cancel()
