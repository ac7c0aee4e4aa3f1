"""The screens' side of `AskDialog`: the dialog that answers each widget request."""

from __future__ import annotations

from typing import Any

from textual.screen import ModalScreen, Screen

from app.tui.dialogs.confirm import ConfirmDialog
from app.tui.dialogs.conflict import ConflictDialog
from app.tui.dialogs.evidence import EvidenceDialog
from app.tui.dialogs.reason import ReasonDialog
from app.tui.dialogs.table_import import TableImportDialog
from app.tui.dialogs.table_row import RowDialog
from app.tui.widgets.requests import (
    ConfirmRequest,
    ConflictRequest,
    DialogRequest,
    EvidenceRequest,
    ReasonRequest,
    RowRequest,
    TableImportRequest,
)


def open_dialog(screen: Screen[Any], request: DialogRequest) -> None:
    """Open the dialog that answers `request`; its result goes to `request.done`."""
    match request:
        case ConfirmRequest():
            screen.app.push_screen(ConfirmDialog(request.title, request.body,
                                                 confirm=request.confirm,
                                                 danger=request.danger), request.done)
        case RowRequest():
            screen.app.push_screen(RowDialog(request.question, request.row, request.submit,
                                             title=request.title, column=request.column),
                                   request.done)
        case ReasonRequest():
            dialog: ModalScreen[Any] = ReasonDialog(request.title, request.submit,
                                                    reason=request.reason)
            screen.app.push_screen(dialog, request.done)
        case ConflictRequest():
            screen.app.push_screen(ConflictDialog(request.prompt, request.refusal,
                                                  request.mine), request.done)
        case EvidenceRequest():
            screen.app.push_screen(EvidenceDialog(request.service, request.audit_id,
                                                  request.question), request.done)
        case TableImportRequest():
            screen.app.push_screen(TableImportDialog(request.question, request.saved_rows,
                                                     request.submit), request.done)
