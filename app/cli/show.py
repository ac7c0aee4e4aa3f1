"""`nlets-audit show`, `review` and `diff`: an audit, what blocks its signature, and what
changed between two audits, as text or JSON."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import TYPE_CHECKING

import click

from app.cli.context import Context, pass_context
from app.cli.output import echo

if TYPE_CHECKING:
    from app.audit import AuditDiff, AuditInfo, AuditView, Review


@click.command("show")
@click.argument("audit")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def show_audit(ctx: Context, audit: str, as_json: bool) -> None:
    """Show an audit's answers, questions done and to do, and findings."""
    view = ctx.service().view(audit)
    echo(show_json(view) if as_json else show_text(view))


@click.command("review")
@click.argument("audit")
@pass_context
def review_command(ctx: Context, audit: str) -> None:
    """What stands between the audit and its signature, and what else to look at."""
    echo(show_review(ctx.service().review(audit)))


@click.command("diff")
@click.argument("audit")
@click.argument("other")
@pass_context
def diff(ctx: Context, audit: str, other: str) -> None:
    """Show what changed from AUDIT (the earlier) to OTHER (the later)."""
    service = ctx.service()
    echo(show_diff(service.diff(audit, other), service.get_audit(audit),
                   service.get_audit(other)))


def show_json(view: AuditView) -> str:
    """The audit, its answers, progress and findings as JSON."""
    evaluation = view.evaluation
    data = {
        "audit": asdict(view.audit),
        "progress": {"done": evaluation.progress.done, "to_do": evaluation.progress.to_do,
                     "total": evaluation.progress.total,
                     "sections": [{**asdict(s), "to_do": s.total - s.done}
                                  for s in evaluation.progress.sections]},
        "questions": [
            {"id": q.id, "section": section.id, "type": q.type.value, "required": q.required,
             "visible": evaluation.visible[q.id],
             "answer": asdict(view.answers[q.id]) if q.id in view.answers else None,
             "evidence": [asdict(e) for e in view.evidence_for(q.id)]}
            for section in view.checklist.checklist.sections for q in section.questions
        ],
        "unanswered": evaluation.unanswered,
        "findings": [{**asdict(f), "citations": [c.text for c in f.citations]}
                     for f in evaluation.findings],
        "warnings": [asdict(w) for w in evaluation.warnings],
    }
    return json.dumps(data, indent=2, ensure_ascii=False)


def show_text(view: AuditView) -> str:
    """The audit, its answers, progress and findings as readable text."""
    from app.checklist.display import format_table, format_value
    from app.checklist.evaluate import AnswerState
    from app.checklist.model import QuestionType

    audit, evaluation = view.audit, view.evaluation
    progress = evaluation.progress
    lines = [
        f"{audit.title}",
        f"  id {audit.id}  status {audit.status}  jurisdiction {audit.jurisdiction}  "
        f"period {audit.period_start}..{audit.period_end}",
        f"  checklist {audit.checklist_id} version {audit.checklist_version} "
        f"(SHA-256 {audit.checklist_sha256})",
        f"  progress {progress.done} done · {progress.to_do} to do (required questions "
        "shown)",
        "",
    ]
    for section, section_progress in zip(view.checklist.checklist.sections,
                                         progress.sections, strict=True):
        lines.append(f"[{section.id}] {section.title}  "
                     f"({section_progress.done} done · "
                     f"{section_progress.total - section_progress.done} to do)")
        for question in section.questions:
            if not evaluation.visible[question.id]:
                continue
            answer = view.answers.get(question.id)
            if answer is None or (answer.value is None
                                  and answer.state != AnswerState.NOT_APPLICABLE):
                mark, shown = ("!" if question.required else " "), "(unanswered)"
            elif answer.state == AnswerState.NOT_APPLICABLE:
                mark, shown = "-", f"not applicable: {answer.na_reason}"
            else:
                mark = "~" if answer.state == AnswerState.CARRIED_UNCONFIRMED else "x"
                shown = format_value(question, answer.value)
            lines.append(f"  [{mark}] {question.id}: {question.prompt}")
            lines.append(f"        {shown}")
            if answer and answer.value and question.type == QuestionType.TABLE:
                for cells in format_table(question, answer.value):
                    lines.append("          | " + " | ".join(cells))
            if answer and answer.note:
                lines.append(f"        note: {answer.note}")
            for item in view.evidence_for(question.id):
                lines.append(f"        evidence: {item.name} sha256 {item.sha256}")
        lines.append("")
    lines.append(f"Findings ({len(evaluation.findings)})")
    for finding in evaluation.findings:
        lines.append(f"  {finding.severity.value.upper():<8} {finding.title}")
        if finding.concerns:
            lines.append(f"           concerns: {'; '.join(finding.concerns)}")
        lines.append(f"           {finding.recommendation}")
    if evaluation.warnings:
        lines.append(f"Checks across answers ({len(evaluation.warnings)})")
        for warning in evaluation.warnings:
            rows = f" (rows: {', '.join(warning.rows)})" if warning.rows else ""
            lines.append(f"  WARNING  {warning.text}{rows}; questions "
                         f"{', '.join(warning.questions)}")
    return "\n".join(lines)


def show_diff(diff: AuditDiff, old: AuditInfo, new: AuditInfo) -> str:
    """A diff between two audits as readable text."""
    lines = [f"from {old.id[:12]} ({old.period_start}..{old.period_end}, checklist version "
             f"{old.checklist_version})",
             f"  to {new.id[:12]} ({new.period_start}..{new.period_end}, checklist version "
             f"{new.checklist_version})"]
    if diff.empty:
        return "\n".join([*lines, "no changes"])
    if diff.changed:
        lines.append("changed answers:")
        lines += [f"  {c.question_id}: {c.old} -> {c.new}" for c in diff.changed]
    if diff.new_questions:
        lines.append("new questions: " + ", ".join(diff.new_questions))
    if diff.dropped_questions:
        lines.append("dropped questions: " + ", ".join(diff.dropped_questions))
    if diff.findings_new:
        lines.append("new findings:")
        lines += [f"  {f.severity.upper()} {f.label}" for f in diff.findings_new]
    if diff.findings_resolved:
        lines.append("resolved findings:")
        lines += [f"  {f.severity.upper()} {f.label}" for f in diff.findings_resolved]
    return "\n".join(lines)


def show_review(review: Review) -> str:
    """The review of an audit as readable text."""
    lines = ["ready to sign" if review.ready else "NOT ready to sign:"]
    lines += [f"  - {reason}" for reason in review.blockers]
    if review.stale_evidence:
        lines.append("evidence older than the audit period:")
        lines += [f"  - {e.name} ({e.question_id}, effective {e.effective_date})"
                  for e in review.stale_evidence]
    if review.dropped:
        lines.append("questions dropped since the previous audit:")
        lines += [f"  - {qid}: {why}" for qid, why in review.dropped.items()]
    if review.not_copied:
        lines.append("previous answers not carried forward:")
        lines += [f"  - {qid}: {why}" for qid, why in review.not_copied.items()]
    lines.append(f"findings: {len(review.findings)}")
    lines += [f"  - {f.severity.value.upper()} {f.title}" for f in review.findings]
    return "\n".join(lines)
