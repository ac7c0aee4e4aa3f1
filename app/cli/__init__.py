"""The command line (`nlets-audit`): every headless command calls the audit services."""

from app.cli.main import cli, main

__all__ = ["cli", "main"]
