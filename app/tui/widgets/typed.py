"""Editors for typed one-line values: dates and numbers, checked by the service."""

from __future__ import annotations

from typing import Any

from app.tui.widgets.text import LineEditor


class DateEditor(LineEditor):
    """A date typed as YYYY-MM-DD."""

    PLACEHOLDER = "YYYY-MM-DD"


class NumberEditor(LineEditor):
    """A number; the service parses the text and checks whole numbers and limits."""

    PLACEHOLDER = "A number"

    def to_text(self, value: Any | None) -> str:
        """Numbers as typed: no thousands separators."""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return super().to_text(value)
