"""What every run of the command line shares, without Click: quiet library logging, and
one message (never a traceback) for whatever a command raises."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable

from app.errors import UserFacingError

EXIT_INTERNAL = 3


def guarded(run: Callable[[], int]) -> int:
    """Run `run`; its exit code, or the exit code of what it raised, shown as one line."""
    _configure_logging()
    try:
        return run()
    except UserFacingError as exc:
        _say(f"error: {exc}")
        return exc.exit_code
    except KeyboardInterrupt:
        _say("interrupted")
        return 130
    except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
        if os.environ.get("NLETS_AUDIT_DEBUG"):
            raise
        _say(f"internal error: {type(exc).__name__}: {exc}. Nothing was lost; "
             "set NLETS_AUDIT_DEBUG=1 to see the details and report them.")
        return EXIT_INTERNAL


def _say(text: str) -> None:
    from app.cli.output import echo

    echo(text, err=True)


def _configure_logging() -> None:
    """Libraries log warnings (and tracebacks) that mean nothing to a user: keep them quiet
    unless NLETS_AUDIT_DEBUG is set."""
    if os.environ.get("NLETS_AUDIT_DEBUG"):
        logging.basicConfig(level=logging.DEBUG)
    else:
        logging.getLogger().addHandler(logging.NullHandler())
