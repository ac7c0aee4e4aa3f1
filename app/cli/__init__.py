"""The command line (`nlets-audit`): every headless command calls the audit services.

Run without arguments, `main` opens the terminal interface without loading the commands
(nor Click): that is the start a user waits on. Anything else goes through `app.cli.main`.
"""

from __future__ import annotations

import sys
import types
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


class _Package(types.ModuleType):
    """Importing the submodule `app.cli.main` would bind the package's name `main` to it;
    the name stays this entry point (the submodule is reached as `app.cli.main`)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "main" and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

__all__ = ["cli", "main"]
