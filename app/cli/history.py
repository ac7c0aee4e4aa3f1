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
@pass_context
def history_verify(ctx: Context, audit: str) -> None:
    """Check the hash chain and that the stored answers match it (exit 1 if not)."""
    report = ctx.service().verify_history(audit)
    if report.ok:
        click.echo(f"history of {report.audit_id[:12]} intact: {report.events} events, "
                   f"head {report.head}; answers and evidence match it")
        return
    raise CheckFailed(f"history of {report.audit_id[:12]} does NOT match:\n" +
                      "\n".join(f"  - {p}" for p in report.problems))


@history_group.command("show")
@click.argument("audit")
@pass_context
def history_show(ctx: Context, audit: str) -> None:
    """List every recorded change, oldest first."""
    for event in ctx.service().iter_history(audit):
        subject = f" {event.question_id}" if event.question_id else ""
        reason = f"  ({event.reason})" if event.reason else ""
        click.echo(f"{event.seq:>5}  {event.at}  {event.actor}  {event.kind}{subject}{reason}")
