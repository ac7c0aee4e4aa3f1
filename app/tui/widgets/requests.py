"""What a widget asks of its screen when it needs a dialog.

Widgets never open dialogs themselves: they post `AskDialog` with a request saying what to
ask and what to do with the answer, and the screen opens the dialog (see
`app.tui.screens.dialog_routes`). Dialogs may use widgets; widgets do not know dialogs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual.message import Message

from app.audit import AnswerInfo, AuditService, EvidenceInfo, StaleAnswer
from app.checklist.model import Question


@dataclass(frozen=True)
class ConfirmRequest:
    """Ask yes or no before something that cannot be undone from the interface."""

    title: str
    body: str
    confirm: str
    done: Callable[[bool | None], None]
    """Receives True only when the user confirmed."""
    danger: bool = False


@dataclass(frozen=True)
class RowRequest:
    """Add or edit one row of a table question; `submit` saves it (or raises)."""

    question: Question
    row: dict[str, Any] | None
    submit: Callable[[dict[str, Any]], object]
    title: str
    done: Callable[[dict[str, Any] | None], None]
    """Receives the row saved, or None when the dialog was cancelled."""
    column: int = 0
    """The column whose field gets the focus (the cell the table cursor was on)."""


@dataclass(frozen=True)
class ReasonRequest:
    """Ask for a reason and hand it to `submit` (which records it, or raises)."""

    title: str
    submit: Callable[[str], AnswerInfo]
    reason: str
    done: Callable[[AnswerInfo | None], None]
    """Receives what `submit` recorded, or None when the dialog was cancelled."""


@dataclass(frozen=True)
class EvidenceRequest:
    """Ask for a file and attach it as evidence for `question`."""

    service: AuditService
    audit_id: str
    question: Question
    done: Callable[[EvidenceInfo | None], None]
    """Receives the evidence stored, or None when the dialog was cancelled."""


@dataclass(frozen=True)
class TableImportRequest:
    """Ask for a CSV or XLSX file whose rows replace those of the table `question`."""

    question: Question
    saved_rows: int
    """How many saved rows the import replaces (0 when the table has none saved)."""
    submit: Callable[[list[dict[str, Any]], str], object]
    """Saves the validated rows with the reason for the history (or raises)."""
    done: Callable[[int | None], None]
    """Receives the number of rows saved, or None when the dialog was cancelled."""


@dataclass(frozen=True)
class ConflictRequest:
    """Someone else changed the answer since the card showed it: keep theirs or use mine."""

    prompt: str
    refusal: StaleAnswer
    mine: Any
    done: Callable[[str | None], None]
    """Receives "theirs", "mine", or None when the user decides later."""


DialogRequest = (ConfirmRequest | RowRequest | ReasonRequest | EvidenceRequest
                 | ConflictRequest | TableImportRequest)
"""Every dialog a widget can ask for."""


class AskDialog(Message):
    """A widget asks its screen to open the dialog `request` describes."""

    def __init__(self, request: DialogRequest) -> None:
        super().__init__()
        self.request = request
        """What to ask and what to do with the answer."""
