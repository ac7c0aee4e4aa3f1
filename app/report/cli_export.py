"""`nlets-audit export`: the click command, registered by app.cli with `cli.add_command`."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("export")
@click.argument("audit")
@click.option("-o", "--output", "output", required=True, metavar="FILE",
              type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="The file to write (replaced if it exists).")
@click.option("--format", "fmt", type=click.Choice(["pdf", "json", "transparency"]),
              default="pdf", show_default=True,
              help="pdf: the attestation (PDF/A-3b, manifest embedded); json: the manifest; "
                   "transparency: the public report (PDF/A-3b).")
def export_command(audit: str, output: Path, fmt: str) -> None:
    """Export an audit as the attestation PDF, its manifest JSON or the public report.

    Drafts (required questions unanswered or carried answers unconfirmed) are exported
    with a DRAFT watermark on every page.
    """
    from app.report.export import export_audit

    service = click.get_current_context().obj.service()
    result = export_audit(service, audit, output, fmt)
    click.echo(result.describe())
    warning = result.font_warning()
    if warning:
        click.echo(f"warning: {warning}", err=True)
