"""A list of options to tick whose unticked boxes are empty."""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import Checkbox, SelectionList

BOX_INNER = Checkbox.BUTTON_INNER
"""What SelectionList draws inside each box (the toggle buttons' mark)."""


class TickList(SelectionList[str]):
    """Textual's SelectionList draws the same "X" in ticked and unticked boxes and tells
    them apart by colour alone; here an unticked box is blank, so a monochrome terminal,
    or a reader who cannot see the colours, still sees what is ticked."""

    def render_line(self, y: int) -> Strip:
        """The option's line, with its box emptied when it is not ticked."""
        strip = super().render_line(y)
        segments = list(strip)
        if len(segments) < 2 or segments[1].text != BOX_INNER:
            return strip
        style = segments[1].style
        index = style.meta.get("option") if style is not None else None
        if index is None or self.get_option_at_index(index).value in self.selected:
            return strip
        segments[1] = Segment(" " * len(BOX_INNER), style)
        return Strip(segments, strip.cell_length)
