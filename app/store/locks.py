"""Serialising writers: one change to an audit at a time, one schema upgrade at a time.

On PostgreSQL a change locks the audit's row (`SELECT … FOR UPDATE`) before it reads
anything, and a schema upgrade holds a transaction-level advisory lock. On SQLite both begin
with `BEGIN IMMEDIATE`, which takes the database's single write lock. A change that still
meets another writer (two audits storing the same new checklist or evidence file at once,
a deadlock, a busy timeout) is run again, a bounded number of times.
"""

from __future__ import annotations

import functools
import random
import sqlite3
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from sqlalchemy import Connection, text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, select

from app.store import schema
from app.store.errors import StoreConflict

ATTEMPTS = 6
P = ParamSpec("P")
T = TypeVar("T")


def lock_audit(session: Session, audit_id: str) -> schema.AuditRow | None:
    """Take the audit's write lock for the rest of the session's transaction; its row, read
    after the lock. Call it before reading anything the change depends on."""
    hold_audit_lock(session, audit_id)
    return session.exec(select(schema.AuditRow).where(schema.AuditRow.id == audit_id)
                        .execution_options(populate_existing=True)).first()


def hold_audit_lock(session: Session, audit_id: str) -> None:
    """Take the audit's write lock (as `lock_audit` does) without reading its row again."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        begin_immediate(connection)
    else:
        session.execute(select(schema.AuditRow.id).where(schema.AuditRow.id == audit_id)
                        .with_for_update())


def begin_immediate(connection: Connection) -> None:
    """On SQLite, start the transaction holding the write lock (waiting for it as long as
    the busy timeout allows); nothing if this transaction already writes."""
    raw = connection.connection.dbapi_connection
    if raw is not None and not raw.in_transaction:
        try:  # on the driver's connection: SQLAlchemy's statement machinery costs more
            raw.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:  # as SQLAlchemy would wrap it, for the same handling
            raise OperationalError("BEGIN IMMEDIATE", None, exc) from exc


def lock_schema(connection: Connection) -> None:
    """Hold the lock that schema upgrades take, until the connection's transaction ends."""
    if connection.dialect.name == "sqlite":
        begin_immediate(connection)
    else:
        connection.execute(text(
            "SELECT pg_advisory_xact_lock(hashtextextended("
            "'nlets-audit schema ' || coalesce(current_schema(), ''), 0))"))


def retry_conflicts(change: Callable[P, T]) -> Callable[P, T]:
    """Run `change` again when it met another writer, up to ATTEMPTS times in all."""

    @functools.wraps(change)
    def attempt(*args: P.args, **kwargs: P.kwargs) -> T:
        for number in range(1, ATTEMPTS + 1):
            try:
                return change(*args, **kwargs)
            except StoreConflict:
                if number == ATTEMPTS:
                    raise
                time.sleep(random.uniform(0.005, 0.02) * number)
        raise AssertionError("unreachable")

    return attempt
