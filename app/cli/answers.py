"""The commands that record answers: answer, note, not-applicable, clear, confirm and
import-answers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from app.audit import UNCHECKED
from app.cli.context import Context, pass_context
from app.cli.output import echo
from app.errors import UserFacingError

EXPECT_HELP = ("Refuse the change unless the stored answer is VALUE (what you last saw; JSON "
               "or text as for the answer, null for no answer), naming who changed it.")


def _expected(text: str | None) -> Any:
    """The answer the writer expects, or UNCHECKED when --expect was not given."""
    return UNCHECKED if text is None else _parse_value(text)


@click.command("answer")
@click.argument("audit")
@click.argument("question")
@click.argument("value")
@click.option("--note", help="A note on the answer.")
@click.option("--reason", help="Why the answer changed (kept in the history).")
@click.option("--expect", "expected", metavar="VALUE", help=EXPECT_HELP)
@pass_context
def answer(ctx: Context, audit: str, question: str, value: str, note: str | None,
           reason: str | None, expected: str | None) -> None:
    """Answer a question; VALUE is JSON when it parses as JSON, else text."""
    saved = ctx.service().set_answer(audit, question, _parse_value(value), note=note,
                                     reason=reason, expected=_expected(expected))
    echo(f"saved {question} = {json.dumps(saved.value, ensure_ascii=False)}")


@click.command("note")
@click.argument("audit")
@click.argument("question")
@click.argument("text")
@click.option("--expect", "expected", metavar="TEXT",
              help="Refuse the change unless the stored note is TEXT (what you last saw).")
@pass_context
def note(ctx: Context, audit: str, question: str, text: str, expected: str | None) -> None:
    """Set the note on a question (an empty TEXT removes it)."""
    ctx.service().set_note(audit, question, text,
                           expected=UNCHECKED if expected is None else expected)
    echo(f"saved note on {question}")


@click.command("not-applicable")
@click.argument("audit")
@click.argument("question")
@click.argument("reason")
@click.option("--expect", "expected", metavar="VALUE", help=EXPECT_HELP)
@pass_context
def not_applicable(ctx: Context, audit: str, question: str, reason: str,
                   expected: str | None) -> None:
    """Mark a question not applicable, with the reason."""
    ctx.service().set_not_applicable(audit, question, reason, expected=_expected(expected))
    echo(f"marked {question} not applicable")


@click.command("clear")
@click.argument("audit")
@click.argument("question")
@click.option("--reason", help="Why the answer was removed (kept in the history).")
@click.option("--expect", "expected", metavar="VALUE", help=EXPECT_HELP)
@pass_context
def clear(ctx: Context, audit: str, question: str, reason: str | None,
          expected: str | None) -> None:
    """Remove the answer to a question (its note stays)."""
    ctx.service().clear_answer(audit, question, reason, expected=_expected(expected))
    echo(f"cleared {question}")


@click.command("confirm")
@click.argument("audit")
@click.argument("questions", nargs=-1, required=True)
@pass_context
def confirm(ctx: Context, audit: str, questions: tuple[str, ...]) -> None:
    """Confirm carried-forward answers as still true."""
    count = ctx.service().confirm(audit, list(questions))
    echo(f"confirmed {count} answer(s)")


@click.command("import-answers")
@click.argument("audit")
@click.argument("file", type=click.Path(path_type=Path))
@pass_context
def import_answers(ctx: Context, audit: str, file: Path) -> None:
    """Record answers from a YAML or JSON map of question id to value, all or nothing."""
    entries = _read_answer_file(file)
    changed = ctx.service().import_answers(audit, entries, source=str(file))
    echo(f"imported {changed} change(s) from {file}")


def _parse_value(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def _read_answer_file(file: Path) -> Any:
    from app.checklist.yaml_source import YamlProblem, parse_located_yaml
    from app.inputs import InputKind, read_input_text

    text = read_input_text(file, InputKind.ANSWERS)
    try:
        return parse_located_yaml(text).data
    except YamlProblem as problem:
        where = f"{file}:{problem.line}" if problem.line else str(file)
        raise UserFacingError(f"{where}: not valid YAML or JSON ({problem.message}); "
                              f"{problem.fix}") from None
