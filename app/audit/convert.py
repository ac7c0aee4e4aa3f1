"""ORM rows to the plain models the services hand out."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any, TypeVar, overload

from app.checklist.answer_state import AnswerFacts, AnswerState
from app.records import AnswerInfo, AuditInfo, AuditStatus, EventKind, EvidenceInfo, HistoryEvent
from app.store import schema
from app.store.database import StoreError

_VALUE_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True)


def value_json(value: Any) -> str:
    """An answer's value as its `value_json` column stores it."""
    return _VALUE_JSON.encode(value)


_ANSWER_STATES = {state.value: state for state in AnswerState}


def answer_state(text: str) -> AnswerState:
    """A stored answer state as its enum; one this tool never writes means tampering."""
    state = _ANSWER_STATES.get(text)
    return state if state is not None else _known(AnswerState, text, "answer state")


def audit_info(row: schema.AuditRecord) -> AuditInfo:
    """The plain model of an audit row."""
    return AuditInfo(
        id=row.id, title=row.title, jurisdiction=row.jurisdiction,
        period_start=row.period_start, period_end=row.period_end,
        checklist_id=row.checklist_id, checklist_version=row.checklist_version,
        checklist_sha256=row.checklist_sha256,
        status=_known(AuditStatus, row.status, "status"), based_on=row.based_on,
        auditor=row.auditor, created_at=row.created_at, updated_at=row.updated_at,
        signed_by=row.signed_by, signed_at=row.signed_at,
        signed_pdf_sha256=row.signed_pdf_sha256,
        signer_certificate_sha256=row.signer_certificate_sha256, history_head=row.history_head,
        history_length=row.history_length,
        overlay_sha256s=tuple(json.loads(row.overlay_sha256s)) if row.overlay_sha256s else (),
    )


def answer_info(row: schema.AnswerRow) -> AnswerInfo:
    """The plain model of an answer row."""
    return AnswerInfo(
        question_id=row.question_id,
        value=json.loads(row.value_json) if row.value_json is not None else None,
        note=row.note, state=answer_state(row.state), na_reason=row.na_reason,
        updated_by=row.updated_by, updated_at=row.updated_at,
    )


def answer_facts(answer: AnswerInfo) -> AnswerFacts:
    """What evaluation needs of an answer."""
    return AnswerFacts(answer.value, answer.state)


@overload
def answer_snapshot(row: schema.AnswerRow) -> dict[str, Any]: ...
@overload
def answer_snapshot(row: None) -> None: ...
def answer_snapshot(row: schema.AnswerRow | None) -> dict[str, Any] | None:
    """The recorded state of an answer, as history events carry it."""
    if row is None:
        return None
    return {
        "value": json.loads(row.value_json) if row.value_json is not None else None,
        "note": row.note,
        "state": row.state,
        "na_reason": row.na_reason,
    }


def evidence_info(row: schema.EvidenceRow) -> EvidenceInfo:
    """The plain model of an evidence row."""
    assert row.id is not None
    return EvidenceInfo(
        id=row.id, question_id=row.question_id, sha256=row.sha256, name=row.name,
        size=row.size, media_type=row.media_type, effective_date=row.effective_date,
        added_at=row.added_at, added_by=row.added_by,
    )


def evidence_snapshot(row: schema.EvidenceRow) -> dict[str, Any]:
    """The recorded facts of an evidence file, as history events carry them."""
    return {
        "question_id": row.question_id, "sha256": row.sha256, "name": row.name,
        "size": row.size, "media_type": row.media_type, "effective_date": row.effective_date,
    }


def history_event(row: schema.HistoryEventRow) -> HistoryEvent:
    """The plain model of a history event row."""
    return HistoryEvent(
        seq=row.seq, at=row.at, actor=row.actor,
        kind=_known(EventKind, row.kind, "history event kind"), question_id=row.question_id,
        old=json.loads(row.old_json) if row.old_json else None,
        new=json.loads(row.new_json) if row.new_json else None,
        reason=row.reason, hash=row.hash,
    )


_Word = TypeVar("_Word", bound=StrEnum)


def _known(kind: type[_Word], text: str, what: str) -> _Word:
    """A stored domain word as its enum; one this tool never writes means tampering."""
    try:
        return kind(text)
    except ValueError:
        raise StoreError(f"the stored {what} {text!r} is not one this tool writes: the "
                         "database was changed behind the tool's back; `nlets-audit history "
                         "verify AUDIT` shows what else changed") from None
