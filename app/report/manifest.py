"""The machine-readable manifest: exactly the data an attestation speaks for.

The manifest is built from the stored audit alone, so building it twice from the same data
gives the same bytes: the attestation PDF embeds these bytes and prints their SHA-256, and
`nlets-audit export --format json` writes the very same bytes.

It leaves out what changes when an audit is signed (status, signer, `updated_at`), so a
verifier can rebuild it from the database after signing and compare; the history head and
length name the prefix of the hash chain that was attested.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from app.checklist.evaluate import AnswerState
from app.checklist.model import Column, Question, QuestionType
from app.records import Attestation, AuditView

MANIFEST_FORMAT = "nlets-audit/manifest"
MANIFEST_VERSION = 1
MANIFEST_FILENAME = "manifest.json"
PUBLIC_FORMAT = "nlets-audit/transparency"
PUBLIC_FILENAME = "transparency.json"
FREE_TEXT = (QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT)


@dataclass(frozen=True)
class ManifestBytes:
    """A manifest as the exact bytes that are embedded, exported and hashed."""

    data: dict[str, Any]
    content: bytes
    sha256: str


def build_manifest(attestation: Attestation) -> dict[str, Any]:
    """The manifest of an audit: metadata, checklist hash, answers, evidence, findings."""
    view = attestation.view
    audit, checklist, evaluation = view.audit, view.checklist.checklist, view.evaluation
    order = {q.id: (i, section.id) for i, (section, q) in enumerate(
        (s, q) for s in checklist.sections for q in s.questions)}
    answers = []
    for question_id in sorted(view.answers, key=lambda qid: (order.get(qid, (len(order),))[0],
                                                             qid)):
        answer = view.answers[question_id]
        answers.append({
            "question_id": question_id,
            "section_id": order[question_id][1] if question_id in order else None,
            "visible": bool(evaluation.visible.get(question_id, False)),
            "state": answer.state.value,
            "value": answer.value,
            "note": answer.note,
            "na_reason": answer.na_reason,
            "updated_by": answer.updated_by,
            "updated_at": answer.updated_at,
        })
    return {
        "format": MANIFEST_FORMAT,
        "format_version": MANIFEST_VERSION,
        "audit": {
            "id": audit.id,
            "title": audit.title,
            "jurisdiction": audit.jurisdiction,
            "period_start": audit.period_start,
            "period_end": audit.period_end,
            "based_on": audit.based_on,
            "auditor": audit.auditor,
            "created_at": audit.created_at,
        },
        "checklist": {
            "id": audit.checklist_id,
            "version": audit.checklist_version,
            "title": checklist.title,
            "sha256": audit.checklist_sha256,
            **({"overlays": [{"id": o.overlay.overlay, "version": o.overlay.version,
                              "sha256": o.sha256, "status": o.overlay.status.value}
                             for o in view.overlays]} if view.overlays else {}),
        },
        "history": dict(zip(("head", "length"), view.manifest_history, strict=True)),
        "attesting_official": _attesting_official(view),
        "evaluation": {
            "ready_to_sign": attestation.ready,
            "required_done": evaluation.progress.done,
            "required_total": evaluation.progress.total,
            "unanswered": list(evaluation.unanswered),
            "unconfirmed": list(evaluation.unconfirmed),
            "warnings": [{"check_id": w.check_id, "text": w.text,
                          "questions": list(w.questions), "rows": list(w.rows),
                          "explained": w.check_id in attestation.explained_checks}
                         for w in evaluation.warnings],
        },
        "answers": answers,
        "evidence": [{
            "question_id": item.question_id,
            "name": item.name,
            "sha256": item.sha256,
            "size": item.size,
            "media_type": item.media_type,
            "effective_date": item.effective_date,
            "added_at": item.added_at,
            "added_by": item.added_by,
        } for item in sorted(view.evidence, key=lambda e: e.id)],
        "findings": [{
            "rule_id": finding.rule_id,
            "severity": finding.severity.value,
            "title": finding.title,
            "detail": finding.detail,
            "recommendation": finding.recommendation,
            "citations": [{"text": c.text, "url": c.url} for c in finding.citations],
            "questions": list(finding.questions),
            "concerns": list(finding.concerns),
        } for finding in evaluation.findings],
    }


def _attesting_official(view: Any) -> dict[str, Any] | None:
    """The question naming the attesting official and its answer: what `verify` compares
    the signer's certificate with. None when the checklist names no such question."""
    attestation = view.checklist.checklist.attestation
    if attestation is None or attestation.official is None:
        return None
    value = view.evaluation.effective.get(attestation.official)
    return {"question_id": attestation.official,
            "name": value if isinstance(value, str) and value.strip() else None}


def public_columns(question: Question) -> list[Column]:
    """The columns of a table question that the public report shows.

    Structured columns (choices, dates, numbers) and the required text columns that name a
    row (such as the agency); optional free-text columns stay internal.
    """
    return [c for c in question.columns
            if c.type not in FREE_TEXT or (c.type == QuestionType.SHORT_TEXT and c.required)]


def withheld_from_public(view: AuditView) -> tuple[list[Any], set[str]]:
    """The findings marked not public that fired, and the questions whose answers show them.

    The public report leaves both out (an unremediated technical gap is an operational-
    security exposure) and says how many findings it withheld.
    """
    withheld = [f for f in view.evaluation.findings if not f.public]
    return withheld, {qid for f in withheld for qid in f.questions}


def build_public_data(attestation: Attestation, attestation_manifest_sha256: str,
                      signed_attestation_sha256: str | None = None) -> dict[str, Any]:
    """The public subset: structured answers of visible questions and findings.

    No notes, no not-applicable reasons, no evidence, no free-text answers or optional
    free-text table columns, no recommendations, no people's names (the seal's certificate
    names the official). `attested` ties it to the signed attestation: that file's SHA-256,
    the capacity and the date of the attestation; None while the audit is not attested.
    """
    view = attestation.view
    audit, checklist, evaluation = view.audit, view.checklist.checklist, view.evaluation
    withheld, withheld_questions = withheld_from_public(view)
    answers = []
    for section in checklist.sections:
        for question in section.questions:
            if not evaluation.visible.get(question.id, False):
                continue
            answer = view.answers.get(question.id)
            entry: dict[str, Any] = {"question_id": question.id, "section_id": section.id}
            if question.id in withheld_questions:
                entry.update(state="withheld", value=None, withheld=True)
            elif answer is None or (answer.value is None
                                  and answer.state != AnswerState.NOT_APPLICABLE):
                entry.update(state="unanswered", value=None)
            elif answer.state == AnswerState.NOT_APPLICABLE:
                entry.update(state="not_applicable", value=None)
            elif question.type in FREE_TEXT:
                entry.update(state=answer.state.value, value=None, withheld=True)
            elif question.type == QuestionType.TABLE:
                keep = [c.id for c in public_columns(question)]
                entry.update(state=answer.state.value,
                             value=[{k: row[k] for k in keep if k in row}
                                    for row in answer.value or []])
            else:
                entry.update(state=answer.state.value, value=answer.value)
            answers.append(entry)
    return {
        "format": PUBLIC_FORMAT,
        "format_version": MANIFEST_VERSION,
        "audit": {"id": audit.id, "title": audit.title, "jurisdiction": audit.jurisdiction,
                  "period_start": audit.period_start, "period_end": audit.period_end},
        "checklist": {"id": audit.checklist_id, "version": audit.checklist_version,
                      "title": checklist.title, "sha256": audit.checklist_sha256},
        "attestation_manifest_sha256": attestation_manifest_sha256,
        "attested": attested_block(attestation, signed_attestation_sha256),
        "complete": attestation.ready,
        "answers": answers,
        "findings": [{
            "rule_id": finding.rule_id,
            "severity": finding.severity.value,
            "title": finding.title,
            "detail": finding.detail,
            "citations": [{"text": c.text, "url": c.url} for c in finding.citations],
        } for finding in evaluation.findings if finding.public],
        "withheld_findings": len(withheld),
    }


def attested_block(attestation: Attestation, signed_attestation_sha256: str | None,
                   ) -> dict[str, Any] | None:
    """What the public report says of the signed attestation it derives from."""
    signatory = attestation.signatory
    if signed_attestation_sha256 is None or not signatory.signed:
        return None
    return {"signed_pdf_sha256": signed_attestation_sha256, "capacity": signatory.title,
            "date": signatory.date}


def manifest_bytes(data: dict[str, Any]) -> bytes:
    """The canonical bytes of a manifest: sorted keys, two-space indent, UTF-8, final LF."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2, allow_nan=False)
    return (text + "\n").encode("utf-8")


def encode_manifest(attestation: Attestation) -> ManifestBytes:
    """Build the manifest of an attestation and its canonical bytes and SHA-256."""
    data = build_manifest(attestation)
    content = manifest_bytes(data)
    return ManifestBytes(data, content, hashlib.sha256(content).hexdigest())


def encode_public_data(attestation: Attestation, attestation_manifest_sha256: str,
                       signed_attestation_sha256: str | None = None) -> ManifestBytes:
    """The public subset of an attestation as canonical bytes with their SHA-256."""
    data = build_public_data(attestation, attestation_manifest_sha256,
                             signed_attestation_sha256)
    content = manifest_bytes(data)
    return ManifestBytes(data, content, hashlib.sha256(content).hexdigest())
