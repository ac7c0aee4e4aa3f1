"""`nlets-audit history verify` and `history show`: the audit's tamper-evident history."""

from __future__ import annotations

import click

from app.cli.context import Context, pass_context
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
        click.echo(f"history of {report.audit_id[:12]} intact: {report.events} events, "
                   f"head {report.head}; answers and evidence match it{anchored}")
        return
    raise CheckFailed(f"history of {report.audit_id[:12]} does NOT match:\n" +
                      "\n".join(f"  - {p}" for p in report.problems))


@history_group.command("show")
@click.argument("audit")
@pass_context
def history_show(ctx: Context, audit: str) -> None:
    """List every recorded change, oldest first."""
    for event in ctx.service().history(audit):
        subject = f" {event.question_id}" if event.question_id else ""
        reason = f"  ({event.reason})" if event.reason else ""
        click.echo(f"{event.seq:>5}  {event.at}  {event.actor}  {event.kind}{subject}{reason}")
