"""`nlets-audit export`: the attestation, its manifest, the public report, working copies and
OSCAL assessment results."""

from __future__ import annotations

from pathlib import Path

import click

from app.audit import FORMATS as EXPORT_FORMATS
from app.cli.context import Context, pass_context
from app.cli.output import echo


@click.command("export")
@click.argument("audit")
@click.option("-o", "--output", required=True, metavar="FILE",
              type=click.Path(path_type=Path),
              help="The file to write (replaced if it exists); for transparency-web and "
                   "csv, the folder to write into (created when missing).")
@click.option("--format", "fmt", type=click.Choice(list(EXPORT_FORMATS)),
              default="pdf", show_default=True,
              help="pdf: the attestation (tagged PDF/A-3a and PDF/UA-1, manifest embedded); "
                   "json: the manifest; transparency: the public report (PDF); "
                   "transparency-web: the public report as a web page with its figures as "
                   "JSON and CSV; xlsx: a workbook of every answer, finding, evidence file "
                   "and change; csv: answers in long form and one file per table question; "
                   "oscal-ar: OSCAL assessment results JSON.")
@pass_context
def export_command(ctx: Context, audit: str, output: Path, fmt: str) -> None:
    """Export an audit: attestation, manifest, public report, working copies or OSCAL.

    Drafts (required questions unanswered or carried answers unconfirmed) carry a DRAFT
    watermark on every page; a signed audit's PDF is the signed file itself.
    """
    result = ctx.service().export(audit, output, fmt)
    echo(result.describe())
    warning = result.font_warning()
    if warning:
        echo(f"warning: {warning}", err=True)


@click.command("import-table")
@click.argument("audit")
@click.argument("question")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_context
def import_table_command(ctx: Context, audit: str, question: str, file: Path) -> None:
    """Answer the table QUESTION from a CSV or XLSX FILE (as `export` writes them).

    The first line names the columns by id; every cell is checked as if typed in, and
    nothing is recorded unless the whole table is valid.
    """
    saved = ctx.service().import_table(audit, question, file)
    rows = len(saved.value) if isinstance(saved.value, list) else 0
    echo(f"saved {question}: {rows} row{'s' if rows != 1 else ''} from {file}")
