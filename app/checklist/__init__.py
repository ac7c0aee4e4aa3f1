"""Checklists: YAML data validated into models, conditions, value rules and findings.

Pure: nothing here touches a database or a user interface. Each name is imported when it
is first used, so that a caller that only reads stored answers (the audit list) does not
load the models or the YAML reader.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.lazy_names import lazy_dir, lazy_getattr

if TYPE_CHECKING:
    from app.checklist.errors import ChecklistError, ChecklistIssue
    from app.checklist.loader import LoadedChecklist, load_checklist, load_checklist_bytes
    from app.checklist.model import Checklist, Question, QuestionType, Section

_WHERE = {
    "ChecklistError": "app.checklist.errors",
    "ChecklistIssue": "app.checklist.errors",
    "LoadedChecklist": "app.checklist.loader",
    "load_checklist": "app.checklist.loader",
    "load_checklist_bytes": "app.checklist.loader",
    "Checklist": "app.checklist.model",
    "Question": "app.checklist.model",
    "QuestionType": "app.checklist.model",
    "Section": "app.checklist.model",
}


__getattr__ = lazy_getattr(__name__, _WHERE)
__dir__ = lazy_dir(__name__)


__all__ = [
    "Checklist",
    "ChecklistError",
    "ChecklistIssue",
    "LoadedChecklist",
    "Question",
    "QuestionType",
    "Section",
    "load_checklist",
    "load_checklist_bytes",
]
