"""Widgets: one editor module per kind of question, the question card and the section list."""

from app.tui.widgets.base import AnswerEditor
from app.tui.widgets.factory import editor_for

__all__ = ["AnswerEditor", "editor_for"]
