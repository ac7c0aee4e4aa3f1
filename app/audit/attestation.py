"""The attestation's content, decided once per export or signing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.audit.query_logs import recorded_analyses
from app.audit.review import review
from app.audit.statement import attestation_statement, attesting_signatory
from app.records import Attestation, AuditView, Signatory

if TYPE_CHECKING:
    from app.audit.service import AuditService


def assemble_attestation(service: AuditService, view: AuditView, *,
                         signatory: Signatory | None = None) -> Attestation:
    """Everything the attestation of `view` prints: readiness and what blocks it, the
    statement, the changes since the previous audit and the recorded log analyses."""
    gaps = review(view)
    changes = service.changes_since_previous(view)
    return Attestation(
        view=view, ready=gaps.ready, blockers=tuple(gaps.blockers),
        draft_reasons=tuple(gaps.draft_reasons), statement=attestation_statement(view),
        changes=None if changes is None else tuple(changes),
        logs=tuple(recorded_analyses(service, view)),
        signatory=signatory or _recorded_signatory(view),
        explained_checks=frozenset(w.check_id for w in gaps.explained))


def _recorded_signatory(view: AuditView) -> Signatory:
    """Who signs, as the answers record it; for a signed audit, who signed."""
    recorded = attesting_signatory(view)
    if not view.audit.read_only:
        return recorded
    return Signatory(name=recorded.name or view.audit.signed_by, title=recorded.title,
                     date=recorded.date or (view.audit.signed_at or "")[:10] or None,
                     signed=True)
