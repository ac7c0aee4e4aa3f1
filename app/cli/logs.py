"""`nlets-audit logs import`: a query log counted against the audit's agencies and blocks."""

from __future__ import annotations

import json
from pathlib import Path

import click

from app.cli.context import Context, pass_context
from app.cli.output import echo


@click.group("logs")
def logs_group() -> None:
    """Query logs from the state switch or Nlets, as evidence that blocks work."""


@logs_group.command("import")
@click.argument("audit")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--map", "pairs", multiple=True, metavar="FIELD=COLUMN",
              help="The log's column for a field (time, ori, message_key, destination, "
                   "result); repeat for each field whose column has another name.")
@click.option("--answered", multiple=True, metavar="VALUE",
              help="A result value meaning the query was answered (default: answered); "
                   "repeat for several.")
@click.option("--format", "file_format", type=click.Choice(["csv", "parquet"]),
              help="The file's format (default: from its name).")
@click.option("--dry-run", is_flag=True, help="Analyse and show; record nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the analysis as JSON.")
@pass_context
def logs_import(ctx: Context, audit: str, file: Path, pairs: tuple[str, ...],
                answered: tuple[str, ...], file_format: str | None, dry_run: bool,
                as_json: bool) -> None:
    """Count FILE's queries by agency, month and message key; check each block; fill the
    answers the checklist names and keep the analysis as evidence."""
    from app.audit import ColumnMapping

    result = ctx.service().import_query_log(audit, file, mapping=ColumnMapping.parse(pairs),
                                            answered=answered, file_format=file_format,
                                            dry_run=dry_run)
    if as_json:
        echo(json.dumps({**result.analysis.to_json(), "filled": result.filled,
                         "not_filled": result.not_filled, "warnings": result.warnings,
                         "evidence_sha256": result.evidence.sha256
                         if result.evidence else None}, indent=2, ensure_ascii=False))
        return
    echo(result.describe())
