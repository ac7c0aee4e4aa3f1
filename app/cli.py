"""The command line: every headless command calls the audit services."""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

import click

from app.errors import CheckFailed, UserFacingError

EXIT_INTERNAL = 3


class Context:
    """What every command shares: the database URL, opened on first use."""

    def __init__(self, db: str | None):
        self.db = db
        self._service: Any = None

    def service(self) -> Any:
        """The audit service on the chosen database."""
        if self._service is None:
            from app.audit import AuditService
            from app.store import open_store

            self._service = AuditService(open_store(self.db))
        return self._service


pass_context = click.make_pass_decorator(Context)


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
        click.echo(f"{meta.id}\t{meta.version}\t{meta.title}")
        for state in bundled_overlays(loaded):
            info = state.overlay
            click.echo(f"  overlay {info.overlay}\t{info.version}\t"
                       f"{','.join(info.jurisdictions).upper()}\t{info.status.value}\t"
                       f"{info.title}")


@cli.group("checklist")
def checklist_group() -> None:
    """Work with checklist files."""


@checklist_group.command("validate")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def validate_checklist(file: Path) -> None:
    """Check a checklist or state overlay file; every error names the file and line."""
    from app.checklist.bundled import validate_file
    from app.checklist.loader import LoadedChecklist

    loaded = validate_file(file)
    if not isinstance(loaded, LoadedChecklist):
        info = loaded.overlay
        click.echo(f"{file}: valid overlay — {info.overlay} version {info.version} for "
                   f"{', '.join(info.jurisdictions).upper()} ({info.status.value}), on "
                   f"{info.base.checklist} version {info.base.version}; "
                   f"{len(loaded.changes)} changes; SHA-256 {loaded.sha256}")
        return
    meta = loaded.checklist
    click.echo(f"{file}: valid — {meta.id} version {meta.version}, "
               f"{len(meta.questions())} questions in {len(meta.sections)} sections, "
               f"{len(meta.findings)} findings rules; SHA-256 {loaded.sha256}")


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
@pass_context
def new_audit(ctx: Context, checklist_ref: str, jurisdiction: str, period_start: str,
              period_end: str, title: str | None, auditor: str | None,
              from_audit: str | None) -> None:
    """Create an audit; prints its id alone on stdout."""
    from app.checklist.bundled import resolve_checklist

    loaded = resolve_checklist(checklist_ref)
    service = ctx.service()
    audit = service.create_audit(loaded, jurisdiction=jurisdiction, period_start=period_start,
                                 period_end=period_end, title=title, auditor=auditor,
                                 based_on=from_audit)
    click.echo(audit.id)
    if from_audit:
        carried = service.view(audit.id).carry_report
        click.echo(f"carried {len(carried.copied)} answer(s) and {carried.evidence} evidence "
                   f"file(s) from {carried.from_audit[:12]}; confirm each with "
                   "`nlets-audit confirm`", err=True)
        for question_id, reason in {**carried.dropped, **carried.not_copied}.items():
            click.echo(f"  not carried: {question_id}: {reason}", err=True)


@cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def list_audits(ctx: Context, as_json: bool) -> None:
    """List audits with status and progress."""
    summaries = ctx.service().list_audits()
    if as_json:
        click.echo(json.dumps([{**_audit_json(s.audit), "progress": {
            "done": s.done, "total": s.total, "percent": round(s.percent, 1)},
            "findings": s.findings} for s in summaries], indent=2))
        return
    if not summaries:
        click.echo("No audits yet. Create one with `nlets-audit new` or in the interface.")
        return
    for s in summaries:
        a = s.audit
        click.echo(f"{a.id[:12]}  {a.jurisdiction}  {a.period_start}..{a.period_end}  "
                   f"{a.checklist_id}@{a.checklist_version}  {a.status:<6} "
                   f"{s.percent:5.1f}% ({s.done}/{s.total})  findings {s.findings}  "
                   f"{a.title}")


@cli.command("show")
@click.argument("audit")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def show_audit(ctx: Context, audit: str, as_json: bool) -> None:
    """Show an audit's answers, progress and findings."""
    from app.cli_show import show_json, show_text

    view = ctx.service().view(audit)
    click.echo(show_json(view) if as_json else show_text(view))


@cli.command("answer")
@click.argument("audit")
@click.argument("question")
@click.argument("value")
@click.option("--note", help="A note on the answer.")
@click.option("--reason", help="Why the answer changed (kept in the history).")
@pass_context
def answer(ctx: Context, audit: str, question: str, value: str, note: str | None,
           reason: str | None) -> None:
    """Answer a question; VALUE is JSON when it parses as JSON, else text."""
    saved = ctx.service().set_answer(audit, question, _parse_value(value), note=note,
                                     reason=reason)
    click.echo(f"saved {question} = {json.dumps(saved.value, ensure_ascii=False)}")


@cli.command("note")
@click.argument("audit")
@click.argument("question")
@click.argument("text")
@pass_context
def note(ctx: Context, audit: str, question: str, text: str) -> None:
    """Set the note on a question (an empty TEXT removes it)."""
    ctx.service().set_note(audit, question, text)
    click.echo(f"saved note on {question}")


@cli.command("not-applicable")
@click.argument("audit")
@click.argument("question")
@click.argument("reason")
@pass_context
def not_applicable(ctx: Context, audit: str, question: str, reason: str) -> None:
    """Mark a question not applicable, with the reason."""
    ctx.service().set_not_applicable(audit, question, reason)
    click.echo(f"marked {question} not applicable")


@cli.command("clear")
@click.argument("audit")
@click.argument("question")
@click.option("--reason", help="Why the answer was removed (kept in the history).")
@pass_context
def clear(ctx: Context, audit: str, question: str, reason: str | None) -> None:
    """Remove the answer to a question (its note stays)."""
    ctx.service().clear_answer(audit, question, reason)
    click.echo(f"cleared {question}")


@cli.command("export")
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
    from app.audit.export import export_audit

    result = export_audit(ctx.service(), audit, output, fmt)
    click.echo(result.describe())
    warning = result.font_warning()
    if warning:
        click.echo(f"warning: {warning}", err=True)


@cli.command("review")
@click.argument("audit")
@pass_context
def review_command(ctx: Context, audit: str) -> None:
    """What stands between the audit and its signature, and what else to look at."""
    from app.cli_show import show_review

    click.echo(show_review(ctx.service().review(audit)))


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
    click.echo(f"deleted draft {info.id}")


@cli.command("confirm")
@click.argument("audit")
@click.argument("questions", nargs=-1, required=True)
@pass_context
def confirm(ctx: Context, audit: str, questions: tuple[str, ...]) -> None:
    """Confirm carried-forward answers as still true."""
    count = ctx.service().confirm(audit, list(questions))
    click.echo(f"confirmed {count} answer(s)")


@cli.command("diff")
@click.argument("audit")
@click.argument("other")
@pass_context
def diff(ctx: Context, audit: str, other: str) -> None:
    """Show what changed from AUDIT (the earlier) to OTHER (the later)."""
    from app.cli_show import show_diff

    service = ctx.service()
    click.echo(show_diff(service.diff(audit, other), service.get_audit(audit),
                         service.get_audit(other)))


@cli.command("import-answers")
@click.argument("audit")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_context
def import_answers(ctx: Context, audit: str, file: Path) -> None:
    """Record answers from a YAML or JSON map of question id to value, all or nothing."""
    entries = _read_answer_file(file)
    changed = ctx.service().import_answers(audit, entries, source=str(file))
    click.echo(f"imported {changed} change(s) from {file}")


@cli.group("evidence")
def evidence_group() -> None:
    """Attach and list evidence files."""


@evidence_group.command("add")
@click.argument("audit")
@click.argument("question")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--effective", metavar="DATE", help="The date the evidence speaks for.")
@pass_context
def evidence_add(ctx: Context, audit: str, question: str, file: Path,
                 effective: str | None) -> None:
    """Attach FILE to QUESTION; it is stored by its SHA-256."""
    added = ctx.service().add_evidence(audit, question, file, effective)
    click.echo(f"{added.sha256}  {added.name} ({added.size} bytes) -> {question}")


@evidence_group.command("list")
@click.argument("audit")
@pass_context
def evidence_list(ctx: Context, audit: str) -> None:
    """List the evidence of an audit with SHA-256 hashes."""
    for item in ctx.service().view(audit).evidence:
        click.echo(f"{item.sha256}  {item.question_id}  {item.name}  {item.size} bytes  "
                   f"effective {item.effective_date or '—'}")


@cli.group("history")
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
    for event in ctx.service().history(audit):
        subject = f" {event.question_id}" if event.question_id else ""
        reason = f"  ({event.reason})" if event.reason else ""
        click.echo(f"{event.seq:>5}  {event.at}  {event.actor}  {event.kind}{subject}{reason}")


def _register_commands() -> None:
    from app.cli_logs import logs_group
    from app.cli_sign import sign_command, test_certificate_command, verify_command
    for command in (sign_command, verify_command, test_certificate_command, logs_group):
        cli.add_command(command)


_register_commands()


def _parse_value(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def _read_answer_file(file: Path) -> Any:
    from app.checklist.yaml_source import YamlProblem, parse_located_yaml

    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserFacingError(f"cannot read {file}: {getattr(exc, 'strerror', None) or exc}"
                              ) from None
    try:
        return parse_located_yaml(text).data
    except YamlProblem as problem:
        where = f"{file}:{problem.line}" if problem.line else str(file)
        raise UserFacingError(f"{where}: not valid YAML or JSON ({problem.message}); "
                              f"{problem.fix}") from None


def _audit_json(audit: Any) -> dict[str, Any]:
    from dataclasses import asdict

    return asdict(audit)


def _configure_logging() -> None:
    """Libraries log warnings (and tracebacks) that mean nothing to a user: keep them quiet
    unless NLETS_AUDIT_DEBUG is set."""
    if os.environ.get("NLETS_AUDIT_DEBUG"):
        logging.basicConfig(level=logging.DEBUG)
    else:
        logging.getLogger().addHandler(logging.NullHandler())


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code instead of raising."""
    _configure_logging()
    try:
        cli.main(args=argv, prog_name="nlets-audit", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 2
    except click.ClickException as exc:
        exc.show()
        return 2
    except UserFacingError as exc:
        click.echo(f"error: {exc}", err=True)
        return exc.exit_code
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        return 130
    except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
        if os.environ.get("NLETS_AUDIT_DEBUG"):
            raise
        click.echo(f"internal error: {type(exc).__name__}: {exc}. Nothing was lost; "
                   "set NLETS_AUDIT_DEBUG=1 to see the details and report them.", err=True)
        return EXIT_INTERNAL
    return 0


if __name__ == "__main__":
    sys.exit(main())
