"""What went wrong with the database, in one sentence that fits the engine and says what to do."""

from __future__ import annotations

import getpass
import sqlite3
from enum import Enum

from sqlalchemy import URL


class Failure(Enum):
    """The kinds of database failure a person can act on."""

    UNREACHABLE = "unreachable"
    LOGIN_REFUSED = "login refused"
    DATABASE_MISSING = "database missing"
    PERMISSION_DENIED = "permission denied"
    CONFLICT = "conflict"
    OTHER = "other"


# PostgreSQL SQLSTATE codes (Appendix A of its manual).
_SQLSTATES = {
    "28P01": Failure.LOGIN_REFUSED,       # invalid_password
    "28000": Failure.LOGIN_REFUSED,       # invalid_authorization_specification
    "3D000": Failure.DATABASE_MISSING,    # invalid_catalog_name
    "42501": Failure.PERMISSION_DENIED,   # insufficient_privilege
    "40001": Failure.CONFLICT,            # serialization_failure
    "40P01": Failure.CONFLICT,            # deadlock_detected
    "55P03": Failure.CONFLICT,            # lock_not_available
    "23505": Failure.CONFLICT,            # unique_violation: another writer got there first
}
# libpq reports a failed connection without a SQLSTATE; its text says which.
_PG_TEXTS = (
    ("password authentication failed", Failure.LOGIN_REFUSED),
    ("no password supplied", Failure.LOGIN_REFUSED),
    ("authentication failed", Failure.LOGIN_REFUSED),
    ("role \"", Failure.LOGIN_REFUSED),  # role "x" does not exist
    ("database \"", Failure.DATABASE_MISSING),  # database "x" does not exist
    ("connection refused", Failure.UNREACHABLE),
    ("no such file or directory", Failure.UNREACHABLE),
    ("could not translate host name", Failure.UNREACHABLE),
    ("timeout expired", Failure.UNREACHABLE),
    ("network is unreachable", Failure.UNREACHABLE),
    ("permission denied", Failure.PERMISSION_DENIED),
)
_SQLITE_NAMES = {
    "SQLITE_BUSY": Failure.CONFLICT,
    "SQLITE_LOCKED": Failure.CONFLICT,
    "SQLITE_CONSTRAINT_UNIQUE": Failure.CONFLICT,
    "SQLITE_CONSTRAINT_PRIMARYKEY": Failure.CONFLICT,
    "SQLITE_READONLY": Failure.PERMISSION_DENIED,
    "SQLITE_PERM": Failure.PERMISSION_DENIED,
    "SQLITE_CANTOPEN": Failure.UNREACHABLE,
}


def classify(exc: BaseException) -> Failure:
    """Which kind of failure a driver error (as SQLAlchemy wraps it) is."""
    original = getattr(exc, "orig", None) or exc
    if isinstance(original, sqlite3.Error):
        return _SQLITE_NAMES.get(getattr(original, "sqlite_errorname", ""), Failure.OTHER)
    state = getattr(original, "sqlstate", None)
    if state in _SQLSTATES:
        return _SQLSTATES[state]
    if state is None:
        text = str(original).lower()
        for fragment, failure in _PG_TEXTS:
            if fragment in text and (failure is not Failure.DATABASE_MISSING
                                     or "does not exist" in text):
                return failure
    return Failure.OTHER


def reason(exc: BaseException) -> str:
    """The driver's own first line, without SQLAlchemy's wrapping."""
    original = getattr(exc, "orig", None) or exc
    text = str(original).strip()
    for line in text.splitlines():
        if line.strip().startswith(("FATAL:", "ERROR:")):
            return line.split(":", 1)[1].strip()
    first = text.splitlines()[0] if text else type(original).__name__
    return first.removeprefix("connection failed: ")


def where(url: URL) -> str:
    """Where a server is: host and port, or the socket directory."""
    host = url.host or url.query.get("host") or "the local socket"
    port = url.port or url.query.get("port") or 5432
    return f"{host} port {port}"


def failure_message(url: URL, exc: BaseException, *, opening: bool) -> str:
    """One sentence on a database failure, saying what to do; `opening` when the database
    was being opened, else a change or a read failed."""
    shown = url.render_as_string(hide_password=True)
    failure = classify(exc)
    if url.get_backend_name() == "sqlite":
        if failure is Failure.CONFLICT:
            return (f"the database {shown} stayed busy with other changes for too long; "
                    "nothing was saved by this change — try again")
        if failure is Failure.PERMISSION_DENIED:
            return (f"the database file {url.database} cannot be written ({reason(exc)}); "
                    "check its permissions, or choose another database with --db")
        if opening:
            return (f"cannot open the database {shown}: {reason(exc)}. If the file is "
                    "damaged, restore it from a backup, or choose another database with --db")
        return f"the database {shown} failed: {reason(exc)}. Nothing was saved by this change."
    user = url.username or _login_name()
    if failure is Failure.UNREACHABLE:
        return (f"cannot reach the PostgreSQL server at {where(url)} ({reason(exc)}); start "
                "the server, or correct the host and port in --db or NLETS_AUDIT_DB")
    if failure is Failure.LOGIN_REFUSED:
        return (f"the PostgreSQL server at {where(url)} refused the login of user {user!r} "
                f"({reason(exc)}); check the user name and the password (kept in ~/.pgpass "
                "or PGPASSWORD, not in the URL)")
    if failure is Failure.DATABASE_MISSING:
        return (f"the database {url.database!r} does not exist on the PostgreSQL server at "
                f"{where(url)}; create it (createdb {url.database}) or correct its name in "
                "--db or NLETS_AUDIT_DB")
    if failure is Failure.PERMISSION_DENIED:
        doing = "open this database" if opening else "make this change"
        return (f"the database user {user!r} may not {doing} ({reason(exc)}); nothing was "
                "saved — "
                "ask the database administrator for a role that may "
                "(`nlets-audit db grants` prints the roles and their grants)")
    if failure is Failure.CONFLICT:
        return ("other changes to this audit kept the database busy; nothing was saved by "
                "this change — try again")
    if opening:
        return (f"cannot open the database {shown}: {reason(exc)}; check the server and "
                "the URL given with --db or NLETS_AUDIT_DB")
    return f"the database {shown} failed: {reason(exc)}. Nothing was saved by this change."


def _login_name() -> str:
    """The user PostgreSQL assumes when the URL names none: the operating-system login."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
