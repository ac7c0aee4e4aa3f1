"""Checklists: YAML data validated into models, conditions, value rules and findings.

Pure: nothing here touches a database or a user interface.
"""

from app.checklist.errors import ChecklistError, ChecklistIssue
from app.checklist.loader import LoadedChecklist, load_checklist, load_checklist_bytes
from app.checklist.model import Checklist, Question, QuestionType, Section

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
