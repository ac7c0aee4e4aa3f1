"""`nlets-audit export`: the attestation PDF, its manifest JSON or the public report."""

from __future__ import annotations

from pathlib import Path

import click

from app.cli.context import Context, pass_context
from app.cli.output import echo


@click.command("export")
@click.argument("audit")
@click.option("-o", "--output", required=True, metavar="FILE",
              type=click.Path(dir_okay=False, path_type=Path),
              help="The file to write (replaced if it exists).")
@click.option("--format", "fmt", type=click.Choice(["pdf", "json", "transparency"]),
              default="pdf", show_default=True,
              help="pdf: the attestation (PDF/A-3b, manifest embedded); json: the manifest; "
                   "transparency: the public report (PDF/A-3b).")
@pass_context
def export_command(ctx: Context, audit: str, output: Path, fmt: str) -> None:
    """Export an audit as the attestation PDF, its manifest JSON or the public report.

    Drafts (required questions unanswered or carried answers unconfirmed) carry a DRAFT
    watermark on every page; a signed audit's PDF is the signed file itself.
    """
    result = ctx.service().export(audit, output, fmt)
    echo(result.describe())
    warning = result.font_warning()
    if warning:
        echo(f"warning: {warning}", err=True)
