"""The `nlets-audit` command group, the commands that create, list and delete audits, and
`main`, which turns every refusal into a message and an exit code (never a traceback)."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

import click

from app.cli.answers import (
    answer,
    clear,
    confirm,
    import_answers,
    not_applicable,
    note,
)
from app.cli.context import Context, pass_context
from app.cli.db import db_group
from app.cli.evidence import evidence_group
from app.cli.export import export_command, import_table_command
from app.cli.guard import guarded
from app.cli.history import history_group
from app.cli.logs import logs_group
from app.cli.output import echo
from app.cli.show import diff, review_command, show_audit
from app.cli.sign import (
    extend_command,
    sign_command,
    test_certificate_command,
    verify_command,
)
from app.errors import UserFacingError


@click.group(invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", metavar="URL", envvar="NLETS_AUDIT_DB",
              help="SQLAlchemy database URL (default: a SQLite file in the data directory).")
@click.version_option(package_name="nlets-audit")
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    """Audit and attest whether DMV records can reach immigration enforcement.

    Run without a command to open the terminal interface.
    """
    ctx.obj = Context(db)
    if ctx.invoked_subcommand is None:
        from app.tui.app import run_tui

        code = run_tui(db)
        if code:
            raise click.exceptions.Exit(code)


@cli.command("checklists")
def list_checklists() -> None:
    """List the bundled checklists (id, version, title)."""
    from app.checklist.bundled import bundled_checklists, bundled_overlays

    for loaded in bundled_checklists():
        meta = loaded.checklist
        echo(f"{meta.id}\t{meta.version}\t{meta.title}")
        for state in bundled_overlays(loaded):
            info = state.overlay
            echo(f"  overlay {info.overlay}\t{info.version}\t"
                 f"{','.join(info.jurisdictions).upper()}\t{info.status.value}\t"
                 f"{info.title}")


@cli.group("checklist")
def checklist_group() -> None:
    """Work with checklist files."""


@checklist_group.command("validate")
@click.argument("file", type=click.Path(path_type=Path))
def validate_checklist(file: Path) -> None:
    """Check a checklist or state overlay file; every error names the file and line."""
    from app.checklist import LoadedChecklist
    from app.checklist.bundled import validate_file

    loaded = validate_file(file)
    if not isinstance(loaded, LoadedChecklist):
        info = loaded.overlay
        echo(f"{file}: valid overlay — {info.overlay} version {info.version} for "
             f"{', '.join(info.jurisdictions).upper()} ({info.status.value}), on "
             f"{info.base.checklist} version {info.base.version}; "
             f"{len(loaded.changes)} changes; SHA-256 {loaded.sha256}")
        return
    meta = loaded.checklist
    echo(f"{file}: valid — {meta.id} version {meta.version}, "
         f"{len(meta.questions())} questions in {len(meta.sections)} sections, "
         f"{len(meta.findings)} findings rules; SHA-256 {loaded.sha256}")
    cited = sum(len(q.citations) for q in meta.questions()) + sum(
        len(f.citations) for f in meta.findings)
    if cited and not meta.authorities:
        echo(f"note: no `authorities` registry, so its {cited} citations are unsourced "
             "text; add a registry (docs/checklist-format.md) to have each one checked",
             err=True)


@cli.command("new")
@click.option("--checklist", "checklist_ref", required=True, metavar="ID|FILE",
              help="A bundled checklist id or a checklist file.")
@click.option("--jurisdiction", required=True, help="Two-letter code of the state, e.g. WA.")
@click.option("--period-start", required=True, metavar="DATE")
@click.option("--period-end", required=True, metavar="DATE")
@click.option("--title", help="A title (default: jurisdiction, checklist and period).")
@click.option("--auditor", help="The auditor's name (default: your user name).")
@click.option("--from", "from_audit", metavar="AUDIT",
              help="Start from a previous audit (carry its answers forward).")
@click.option("--overlay", "overlay_files", multiple=True, metavar="FILE",
              type=click.Path(dir_okay=False, path_type=Path),
              help="A state overlay file to apply (default: the bundled overlays for the "
                   "jurisdiction).")
@click.option("--no-overlays", is_flag=True, help="Apply no state overlay.")
@pass_context
def new_audit(ctx: Context, checklist_ref: str, jurisdiction: str, period_start: str,
              period_end: str, title: str | None, auditor: str | None,
              from_audit: str | None, overlay_files: tuple[Path, ...],
              no_overlays: bool) -> None:
    """Create an audit; prints its id alone on stdout."""
    from app.audit import state_overlays
    from app.checklist.bundled import resolve_checklist
    from app.checklist.overlay import load_overlay

    loaded = resolve_checklist(checklist_ref)
    if no_overlays:
        overlays = []
    elif overlay_files:
        overlays = [load_overlay(path, loaded) for path in overlay_files]
    else:
        overlays = state_overlays(loaded, jurisdiction)
    service = ctx.service()
    audit = service.create_audit(loaded, jurisdiction=jurisdiction, period_start=period_start,
                                 period_end=period_end, title=title, auditor=auditor,
                                 based_on=from_audit, overlays=overlays)
    echo(audit.id)
    for overlay in overlays:
        state = "" if overlay.overlay.approved else " (draft: the statement will be qualified)"
        echo(f"state overlay applied: {overlay.overlay.overlay} version "
             f"{overlay.overlay.version}{state}", err=True)
    carried = service.view(audit.id).carry_report if from_audit else None
    if carried is not None:
        echo(f"carried {len(carried.copied)} answer(s) and {carried.evidence} evidence "
             f"file(s) from {carried.from_audit[:12]}; confirm each with "
             "`nlets-audit confirm`", err=True)
        for question_id, reason in {**carried.dropped, **carried.not_copied}.items():
            echo(f"  not carried: {question_id}: {reason}", err=True)


@cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def list_audits(ctx: Context, as_json: bool) -> None:
    """List audits: status, questions done and to do, findings."""
    summaries = ctx.service().list_audits()
    if as_json:
        echo(json.dumps([{**asdict(s.audit), "progress": {
            "done": s.done, "to_do": s.to_do, "total": s.total},
            "findings": s.findings} for s in summaries], indent=2))
        return
    if not summaries:
        echo("No audits yet. Create one with `nlets-audit new` or in the interface.")
        return
    for s in summaries:
        a = s.audit
        echo(f"{a.id[:12]}  {a.jurisdiction}  {a.period_start}..{a.period_end}  "
             f"{a.checklist_id}@{a.checklist_version}  {a.status:<6} "
             f"{s.done} done · {s.to_do} to do  findings {s.findings}  "
             f"{a.title}")


@cli.command("delete")
@click.argument("audit")
@click.option("--yes", is_flag=True, help="Delete without asking.")
@pass_context
def delete_command(ctx: Context, audit: str, yes: bool) -> None:
    """Delete a draft audit, its answers, history and evidence."""
    service = ctx.service()
    info = service.get_audit(audit)
    if not yes:
        if not sys.stdin.isatty():
            raise UserFacingError("confirm with --yes (there is no terminal to ask)")
        if not click.confirm(f"Delete the draft {info.id[:12]} ({info.title})?", err=True):
            raise UserFacingError("nothing deleted")
    service.delete_draft(info.id)
    echo(f"deleted draft {info.id}")


for _command in (show_audit, answer, note, not_applicable, clear, export_command,
                 review_command, confirm, diff, import_answers, evidence_group, history_group,
                 sign_command, verify_command, extend_command, test_certificate_command,
                 logs_group, db_group, import_table_command):
    cli.add_command(_command)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code instead of raising."""
    return guarded(lambda: _run(argv))


def _run(argv: list[str] | None) -> int:
    try:
        cli.main(args=argv, prog_name="nlets-audit", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.exceptions.Abort:
        echo("aborted", err=True)
        return 2
    except click.ClickException as exc:
        # Click's own message may quote what was typed: shown escaped, like all output.
        echo(f"error: {exc.format_message()}", err=True)
        return 2
    return 0
