"""Widgets: one editor module per kind of question, the question card and the section list.

The editors load with the first of them used (opening an audit), not with the package: the
home screen needs only the footer."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.tui.widgets.base import AnswerEditor
    from app.tui.widgets.factory import editor_for

__all__ = ["AnswerEditor", "editor_for"]

_HOMES = {"AnswerEditor": "app.tui.widgets.base", "editor_for": "app.tui.widgets.factory"}


def __getattr__(name: str) -> Any:
    """`AnswerEditor` and `editor_for`, imported on first use."""
    if name in _HOMES:
        return getattr(import_module(_HOMES[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
