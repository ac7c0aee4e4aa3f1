"""Everything the command line prints passes through `echo`, which escapes control
characters and bidi overrides (app.safe_text): text already stored, however it got there,
never reaches a terminal raw."""

from __future__ import annotations

import click

from app.safe_text import terminal_safe


def echo(message: object = "", *, err: bool = False, nl: bool = True) -> None:
    """Print `message` with control characters escaped (to stderr when `err`)."""
    click.echo(terminal_safe(str(message)), err=err, nl=nl)
