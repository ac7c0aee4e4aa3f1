"""`nlets-audit evidence add` and `evidence list`."""

from __future__ import annotations

from pathlib import Path

import click

from app.cli.context import Context, pass_context
from app.cli.output import echo


@click.group("evidence")
def evidence_group() -> None:
    """Attach and list evidence files."""


@evidence_group.command("add")
@click.argument("audit")
@click.argument("question")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--effective", metavar="DATE", help="The date the evidence speaks for.")
@pass_context
def evidence_add(ctx: Context, audit: str, question: str, file: Path,
                 effective: str | None) -> None:
    """Attach FILE to QUESTION; it is stored by its SHA-256."""
    added = ctx.service().add_evidence(audit, question, file, effective)
    echo(f"{added.sha256}  {added.name} ({added.size} bytes) -> {question}")


@evidence_group.command("withdraw")
@click.argument("audit")
@click.argument("sha256")
@click.option("--reason", required=True, help="Why the file is withdrawn.")
@click.option("--question", metavar="QUESTION",
              help="Which question's copy, when the file supports several.")
@pass_context
def evidence_withdraw(ctx: Context, audit: str, sha256: str, reason: str,
                      question: str | None) -> None:
    """Withdraw a file attached by mistake: its bytes are purged; the history keeps its
    hash, who withdrew it, when and why."""
    withdrawn = ctx.service().withdraw_evidence(audit, sha256, reason, question_id=question)
    echo(f"withdrew {withdrawn.name} (SHA-256 {withdrawn.sha256}) from "
         f"{withdrawn.question_id}")


@evidence_group.command("list")
@click.argument("audit")
@pass_context
def evidence_list(ctx: Context, audit: str) -> None:
    """List the evidence of an audit with SHA-256 hashes."""
    for item in ctx.service().view(audit).evidence:
        echo(f"{item.sha256}  {item.question_id}  {item.name}  {item.size} bytes  "
             f"effective {item.effective_date or '—'}")
