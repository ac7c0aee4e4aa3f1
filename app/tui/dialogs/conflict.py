"""When someone else changed an answer since the card last showed it: keep theirs, or use
mine. Nothing is overwritten without the choice."""

from __future__ import annotations

import json
from typing import Any, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static

from app.audit import StaleAnswer
from app.tui.saving import local_time

Choice = Literal["theirs", "mine"]


class ConflictDialog(ModalScreen[Choice | None]):
    """Say who changed the answer, when and to what, beside the value typed here; returns
    "theirs", "mine", or None (Escape: decide later, the card keeps the typed value unsaved).

    "Keep theirs" has the focus, so a stray Enter overwrites nothing.
    """

    BINDINGS = [Binding("escape", "cancel", "Decide later")]

    AUTO_FOCUS = "#theirs"

    def __init__(self, prompt: str, refusal: StaleAnswer, mine: Any) -> None:
        super().__init__(classes="dialog-screen")
        self._prompt = prompt
        self._refusal = refusal
        self._mine = mine

    def compose(self) -> ComposeResult:
        """Who changed it and when, theirs beside mine, and the two choices."""
        refusal = self._refusal
        what = "answer" if refusal.field == "value" else "note"
        if refusal.changed_by:
            said = (f"{refusal.changed_by} changed this {what} at "
                    f"{local_time(refusal.changed_at)}, after this screen last showed it.")
        else:
            said = f"The stored {what} is not the one this screen showed."
        body = (f"{said}\n\nTheirs: {_shown(refusal.stored)}\nYours:  {_shown(self._mine)}\n\n"
                "Nothing was saved. Keep theirs, or use yours in its place (the history keeps "
                "both).")
        with Vertical(classes="dialog confirm-dialog"):
            yield Static(f"Changed by someone else — {self._prompt}", classes="dialog-title",
                         markup=False)
            with VerticalScroll(classes="dialog-body") as scroll:
                scroll.can_focus = False
                yield Static(body, classes="confirm-body", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Keep theirs", id="theirs", variant="primary")
                yield Button("Use mine", id="mine", variant="warning")
        yield Footer(show_command_palette=False)

    def action_cancel(self) -> None:
        """Close without choosing."""
        self.dismiss(None)

    @on(Button.Pressed, "#theirs")
    def _theirs(self) -> None:
        self.dismiss("theirs")

    @on(Button.Pressed, "#mine")
    def _mine_pressed(self) -> None:
        self.dismiss("mine")


def _shown(value: Any) -> str:
    if value is None:
        return "(no answer)"
    if isinstance(value, str):
        return value or "(empty)"
    return json.dumps(value, ensure_ascii=False)
