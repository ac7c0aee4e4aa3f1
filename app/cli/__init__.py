"""The command line (`nlets-audit`): every headless command calls the audit services.

Run without arguments, `main` opens the terminal interface without loading the commands
(nor Click): that is the start a user waits on. Anything else goes through `app.cli.main`.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.cli.main import cli


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code instead of raising."""
    args = sys.argv[1:] if argv is None else argv
    if not args:
        from app.cli.guard import guarded

        def interface() -> int:
            from app.tui.app import run_tui

            return run_tui(None)  # the database: NLETS_AUDIT_DB, else the default file

        return guarded(interface)
    from app.cli.main import main as run

    return run(args)


def __getattr__(name: str) -> Any:
    if name == "cli":
        from app.cli.main import cli as group

        return group
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["cli", "main"]
