"""The last line of defence between stored text and the terminal: a line filter that takes
every control character and bidi override out of what the interface draws.

Answer values are already shown escaped (app.checklist.display); this filter covers
everything else (titles, names, notes, reasons, file names) however it was stored. The
characters it removes occupy no cell, so the layout is unchanged.
"""

from __future__ import annotations

import re

from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class ControlCharacterFilter(LineFilter):
    """Remove control characters (C0 but tab and newline, DEL, C1) and bidi controls
    from every segment of text drawn."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        """The segments with those characters taken out of their text."""
        cleaned = []
        for segment in segments:
            text, style, control = segment
            if control is None and _UNSAFE.search(text):
                segment = Segment(_UNSAFE.sub("", text), style)
            cleaned.append(segment)
        return cleaned
