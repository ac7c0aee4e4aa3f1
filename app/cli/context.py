"""What every command shares: the database it works on, opened on first use."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from app.audit import AuditService


class Context:
    """The database URL given with --db (or NLETS_AUDIT_DB), and the service on it."""

    def __init__(self, db: str | None):
        self.db = db
        """The database URL, or None for the default SQLite file."""
        self._service: AuditService | None = None

    def service(self) -> AuditService:
        """The audit service on the chosen database."""
        if self._service is None:
            from app.audit import AuditService, open_store

            self._service = AuditService(open_store(self.db))
        return self._service

    def database_given(self) -> bool:
        """True when a database was named or the default one exists (so `verify` compares
        the file with it)."""
        from app.audit import DATABASE_FILE, data_home

        return bool(self.db) or (data_home() / DATABASE_FILE).is_file()


pass_context = click.make_pass_decorator(Context)
"""Hand a command the shared `Context`."""
