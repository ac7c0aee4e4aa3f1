"""`nlets-audit history verify` and `history show`: the audit's tamper-evident history."""

from __future__ import annotations

import json

import click

from app.audit import RecordedAnswer
from app.cli.context import Context, pass_context
from app.cli.output import echo
from app.errors import CheckFailed


@click.group("history")
def history_group() -> None:
    """Inspect and check an audit's tamper-evident history."""


@history_group.command("verify")
@click.argument("audit")
@click.option("--head", metavar="HASH",
              help="A history head recorded earlier (printed by every export): the chain "
                   "recomputed from the stored events must still pass through it.")
@pass_context
def history_verify(ctx: Context, audit: str, head: str | None) -> None:
    """Check the hash chain and that the stored answers match it (exit 1 if not).

    Without --head this shows only that the database is consistent in itself: someone who
    can write to it can rewrite an event and re-hash the chain. A head recorded earlier
    (or the signed one, which `verify FILE` uses) catches such a rewrite.
    """
    report = ctx.service().verify_history(audit, head=head.strip().lower() if head else None)
    if report.ok:
        anchored = (f"; it passes through the recorded head {head.strip()[:12]}" if head
                    else "; give --head HASH from an earlier export to catch a rewrite")
        echo(f"history of {report.audit_id[:12]} intact: {report.events} events, "
             f"head {report.head}; answers and evidence match it{anchored}")
        return
    raise CheckFailed(f"history of {report.audit_id[:12]} does NOT match:\n" +
                      "\n".join(f"  - {p}" for p in report.problems))


@history_group.command("show")
@click.argument("audit")
@click.option("--question", metavar="QUESTION",
              help="Only the recorded states of this question's answer.")
@pass_context
def history_show(ctx: Context, audit: str, question: str | None) -> None:
    """List every recorded change, oldest first."""
    service = ctx.service()
    events = (service.answer_history(audit, question) if question
              else service.iter_history(audit))
    for event in events:
        subject = f" {event.question_id}" if event.question_id else ""
        reason = f"  ({event.reason})" if event.reason else ""
        value = f"  -> {_recorded(event.new)}" if question else ""
        echo(f"{event.seq:>5}  {event.at}  {event.actor}  {event.kind}{subject}{reason}"
             f"{value}")


@history_group.command("restore")
@click.argument("audit")
@click.argument("question")
@click.argument("event", type=int)
@click.option("--reason", required=True, help="Why the earlier answer is restored.")
@pass_context
def history_restore(ctx: Context, audit: str, question: str, event: int, reason: str,
                    ) -> None:
    """Make QUESTION's answer what history EVENT recorded (a new event, with a reason)."""
    answer = ctx.service().restore_answer(audit, question, event, reason)
    echo(f"{question}: restored the answer of event {event} "
         f"({_recorded({'value': answer.value, 'na_reason': answer.na_reason})})")


def _recorded(snapshot: object) -> str:
    """An answer as a history event recorded it, on one line."""
    recorded = RecordedAnswer.of(snapshot)
    if recorded is None:
        return "—"
    if recorded.not_applicable:
        return f"not applicable: {recorded.na_reason or '—'}"
    if recorded.empty:
        return "no answer"
    return json.dumps(recorded.value, ensure_ascii=False)
