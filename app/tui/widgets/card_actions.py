"""A question's actions (evidence, not applicable, clear) as one line of links.

One widget instead of a button each: a section mounts a dozen cards, and Tab then moves
between answers and notes only. The same actions have keys (F3, F4, F5).
"""

from __future__ import annotations

from textual.content import Content
from textual.message import Message
from textual.widgets import Static

ACTIONS: dict[str, tuple[str, str]] = {
    "evidence": ("Evidence…", "F3"),
    "not_applicable": ("N/A…", "F4"),
    "clear": ("Clear", "F5"),
}
"""Each action's label and key, in the order shown."""

LINK_STYLE = "bold $button-foreground on $surface"


class CardActions(Static):
    """Links for a question's actions; a click posts `CardActions.Chosen`."""

    DEFAULT_CSS = """
    CardActions {
        width: auto;
        height: 1;
    }
    """

    class Chosen(Message):
        """An action was clicked."""

        def __init__(self, action: str) -> None:
            super().__init__()
            self.action = action
            """One of the keys of `ACTIONS`."""

    def __init__(self, *, not_applicable: bool, clear: bool = True,
                 classes: str | None = None) -> None:
        offered = {"evidence": True, "not_applicable": not_applicable, "clear": clear}
        shown = [name for name in ACTIONS if offered[name]]
        parts: list[Content | str | tuple[str, str]] = []
        for name in shown:
            label, key = ACTIONS[name]
            parts += [" ", Content.styled(f" {label} ", f"{LINK_STYLE} @click=choose('{name}')"),
                      (f" {key}", "$text-muted")]
        super().__init__(Content.assemble(*parts), classes=classes)
        self.shown = shown
        """The actions offered, in order."""

    def action_choose(self, action: str) -> None:
        """Tell the card which action was clicked."""
        self.post_message(self.Chosen(action))
