"""The audit as OSCAL assessment results (NIST OSCAL 1.1 JSON).

The audit is one result (its period is the assessment's start and end); each finding of the
checklist's rules is an OSCAL finding whose target is the rule, "not-satisfied", related to
an observation (what the answers show, with the evidence files of the finding's questions
as relevant evidence, each a back-matter resource carrying its SHA-256) and to a risk whose
remediation (lifecycle "recommendation") is the finding's recommendation. Every answered
question is an observation too (method EXAMINE), so the record the findings rest on is in
the file. UUIDs are derived from the audit id and the element (version 5), so exporting the
same audit twice gives the same identifiers.

The import-ap link names the checklist by id, version and SHA-256 (there is no OSCAL
assessment plan); the checklist is not an OSCAL catalog, so reviewed controls are "all".
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from app.checklist.display import format_value
from app.checklist.model import QuestionType
from app.records import Attestation

OSCAL_VERSION = "1.1.2"
NAMESPACE = uuid.UUID("6b7d5c1e-1f0a-5a55-9c39-6e6c657473a1")
PROP_NS = "https://github.com/nlets-audit/ns/oscal"


def assessment_results(attestation: Attestation, manifest_sha256: str) -> dict[str, Any]:
    """The OSCAL assessment-results document (a JSON object) of an audit."""
    view = attestation.view
    audit, checklist, evaluation = view.audit, view.checklist.checklist, view.evaluation

    def uid(*parts: str) -> str:
        return str(uuid.uuid5(NAMESPACE, "/".join((audit.id, *parts))))

    start = _when(audit.period_start)
    end = _when(audit.period_end, end=True)
    collected = _stamp(audit.updated_at)
    resources, evidence_refs = [], {}
    for item in view.evidence:
        resource_id = uid("evidence", item.sha256)
        if item.sha256 not in evidence_refs:
            evidence_refs[item.sha256] = resource_id
            resources.append({
                "uuid": resource_id, "title": item.name,
                "description": f"Evidence file attached to question {item.question_id}"
                               + (f", effective {item.effective_date}"
                                  if item.effective_date else ""),
                "rlinks": [{"href": f"evidence/{item.sha256}",
                            "media-type": item.media_type or "application/octet-stream",
                            "hashes": [{"algorithm": "SHA-256", "value": item.sha256}]}],
            })

    def relevant(question_ids: list[str]) -> list[dict[str, Any]]:
        found = []
        for item in view.evidence:
            if item.question_id in question_ids:
                found.append({"href": f"#{evidence_refs[item.sha256]}",
                              "description": f"{item.name} (SHA-256 {item.sha256})"})
        return found

    observations = []
    for question in checklist.questions():
        answer = view.answers.get(question.id)
        if answer is None or not evaluation.visible.get(question.id, False):
            continue
        if question.type == QuestionType.TABLE:
            shown = f"a table of {len(answer.value or [])} row(s)"
        elif answer.value is None:
            shown = "not applicable" if answer.na_reason else "no answer"
        else:
            shown = format_value(question, answer.value)
        observation: dict[str, Any] = {
            "uuid": uid("answer", question.id), "title": question.prompt,
            "description": f"Answer: {shown}",
            "props": [{"name": "question-id", "ns": PROP_NS, "value": question.id},
                      {"name": "answer-state", "ns": PROP_NS, "value": answer.state.value}],
            "methods": ["EXAMINE"], "collected": collected}
        evidence = relevant([question.id])
        if evidence:
            observation["relevant-evidence"] = evidence
        observations.append(observation)

    findings, risks = [], []
    for index, finding in enumerate(evaluation.findings, start=1):
        observation_id = uid("finding-observation", finding.rule_id, str(index))
        observation = {
            "uuid": observation_id, "title": finding.title, "description": finding.detail,
            "methods": ["EXAMINE"], "types": ["finding"], "collected": collected,
            "props": [{"name": "question-id", "ns": PROP_NS, "value": q}
                      for q in finding.questions]}
        evidence = relevant(list(finding.questions))
        if evidence:
            observation["relevant-evidence"] = evidence
        observations.append(observation)
        risk_id = uid("risk", finding.rule_id, str(index))
        risk: dict[str, Any] = {
            "uuid": risk_id, "title": finding.title, "description": finding.detail,
            "statement": finding.detail, "status": "open",
            "props": [{"name": "severity", "ns": PROP_NS, "value": finding.severity.value}],
        }
        if finding.recommendation:
            risk["remediations"] = [{
                "uuid": uid("recommendation", finding.rule_id, str(index)),
                "lifecycle": "recommendation", "title": "Recommendation",
                "description": finding.recommendation}]
        risks.append(risk)
        findings.append({
            "uuid": uid("finding", finding.rule_id, str(index)), "title": finding.title,
            "description": finding.detail,
            "props": [{"name": "severity", "ns": PROP_NS, "value": finding.severity.value}]
                     + [{"name": "citation", "ns": PROP_NS, "value": c.text}
                        for c in finding.citations],
            "target": {"type": "objective-id", "target-id": _token(finding.rule_id),
                       "status": {"state": "not-satisfied"}},
            "related-observations": [{"observation-uuid": observation_id}],
            "related-risks": [{"risk-uuid": risk_id}]})

    result: dict[str, Any] = {
        "uuid": uid("result"), "title": audit.title,
        "description": f"Audit {audit.id} of {audit.jurisdiction} against the checklist "
                       f"{checklist.title} ({audit.checklist_id} {audit.checklist_version})."
                       + ("" if attestation.ready else " DRAFT: the audit is not complete."),
        "start": start, "end": end,
        "props": [{"name": "manifest-sha256", "ns": PROP_NS, "value": manifest_sha256},
                  {"name": "audit-status", "ns": PROP_NS, "value": audit.status.value}],
        "reviewed-controls": {"control-selections": [{"include-all": {}}]},
    }
    if observations:
        result["observations"] = observations
    if risks:
        result["risks"] = risks
    if findings:
        result["findings"] = findings
    document: dict[str, Any] = {
        "uuid": uid("assessment-results"),
        "metadata": {
            "title": f"Assessment results: {audit.title}",
            "last-modified": collected, "version": str(audit.history_length),
            "oscal-version": OSCAL_VERSION,
            "props": [{"name": "checklist-sha256", "ns": PROP_NS,
                       "value": audit.checklist_sha256}],
        },
        "import-ap": {"href": f"urn:nlets-audit:checklist:{_token(audit.checklist_id)}:"
                              f"{_token(audit.checklist_version)}:{audit.checklist_sha256}"},
        "results": [result],
    }
    if resources:
        document["back-matter"] = {"resources": resources}
    return {"assessment-results": document}


def assessment_results_bytes(attestation: Attestation, manifest_sha256: str) -> bytes:
    """The assessment results as UTF-8 JSON (two-space indent, final newline)."""
    data = assessment_results(attestation, manifest_sha256)
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _token(text: str) -> str:
    cleaned = "".join(c if c.isalnum() or c in "-_." else "-" for c in str(text))
    return cleaned if cleaned[:1].isalpha() or cleaned[:1] == "_" else f"x{cleaned}"


def _when(day: str, *, end: bool = False) -> str:
    return f"{day}T23:59:59Z" if end else f"{day}T00:00:00Z"


def _stamp(text: str) -> str:
    import datetime as dt

    try:
        moment = dt.datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
