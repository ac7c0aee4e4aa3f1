"""A yes/no question before something that cannot be undone from the interface."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static


class ConfirmDialog(ModalScreen[bool]):
    """Ask before acting; returns True only when the confirming button is pressed.

    The cancelling button has the focus, so a stray Enter changes nothing.
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    AUTO_FOCUS = "#cancel"

    def __init__(self, title: str, body: str, *, confirm: str = "Confirm",
                 danger: bool = False) -> None:
        super().__init__(classes="dialog-screen")
        self._title = title
        self._body = body
        self._confirm = confirm
        self._danger = danger

    def compose(self) -> ComposeResult:
        """The title, what will happen, and the two buttons."""
        with Vertical(classes="dialog confirm-dialog"):
            yield Static(self._title, classes="dialog-title", markup=False)
            with VerticalScroll(classes="dialog-body") as body:
                body.can_focus = False
                yield Static(self._body, classes="confirm-body", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(self._confirm, id="confirm",
                             variant="error" if self._danger else "primary")
                yield Button("Cancel", id="cancel")
        yield Footer(show_command_palette=False)

    def action_cancel(self) -> None:
        """Close, doing nothing."""
        self.dismiss(False)

    @on(Button.Pressed, "#confirm")
    def _confirmed(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def _cancelled(self) -> None:
        self.dismiss(False)
