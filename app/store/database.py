"""Open the database: default location, SQLite pragmas, schema upgrade on open."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, make_url, text
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError
from sqlmodel import Session

from app.errors import UserFacingError

APP_NAME = "nlets-audit"
DATABASE_FILE = "nlets-audit.sqlite3"
# The newest migration in app/store/migrations/versions; a test keeps the two in step.
HEAD_REVISION = "0004"


class StoreError(UserFacingError):
    """The database could not be opened or used."""


def data_home() -> Path:
    """The user's data directory: NLETS_AUDIT_HOME, else the platform's user data dir."""
    configured = os.environ.get("NLETS_AUDIT_HOME")
    if configured:
        return Path(configured).expanduser()
    import platformdirs

    return platformdirs.user_data_path(APP_NAME)


def default_database_url() -> str:
    """NLETS_AUDIT_DB if set, else the SQLite file in the user's data directory."""
    return os.environ.get("NLETS_AUDIT_DB") or f"sqlite:///{data_home() / DATABASE_FILE}"


class Store:
    """An open database: hands out sessions; every session commits on its own."""

    def __init__(self, engine: Engine):
        self.engine = engine

    @property
    def display_url(self) -> str:
        """The database URL with any password hidden."""
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits when the block ends and rolls back if it raises."""
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except (DatabaseError, OperationalError) as exc:
                session.rollback()
                raise StoreError(f"the database {self.display_url} failed: "
                                 f"{_reason(exc)}. Nothing was saved by this change.") from None
            except BaseException:
                session.rollback()
                raise

    def close(self) -> None:
        """Release every connection."""
        self.engine.dispose()


def open_store(url: str | None = None) -> Store:
    """Open (creating or upgrading as needed) the database at `url` or the default one."""
    url = url or default_database_url()
    try:
        engine = _engine(url)
    except (ArgumentError, ImportError) as exc:
        raise StoreError(f"cannot use the database URL {_shown_url(url)}: {exc}. Give a "
                         "SQLAlchemy URL such as sqlite:///path/to/file.sqlite3") from None
    except OSError as exc:
        raise StoreError(f"cannot create the database folder for {_shown_url(url)}: "
                         f"{exc.strerror or exc}") from None
    store = Store(engine)
    try:
        _bring_schema_up_to_date(engine)
    except (DatabaseError, OperationalError) as exc:
        store.close()
        raise StoreError(
            f"cannot open the database {store.display_url}: {_reason(exc)}. If the file is "
            "damaged, restore it from a backup, or choose another database with --db"
        ) from None
    return store


def _shown_url(url: str) -> str:
    """The URL with any password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "given (it could not be parsed)"


def _engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:"):
        raise ArgumentError("an in-memory database keeps nothing after the program ends")
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).expanduser().parent.mkdir(parents=True,
                                                                      exist_ok=True)
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def current_revision(engine: Engine) -> str | None:
    """The schema revision stamped in the database, or None for an empty database."""
    with engine.connect() as connection:
        names = inspect(connection).get_table_names()
        if "alembic_version" not in names:
            if names:
                raise StoreError(
                    f"the database {engine.url.render_as_string(hide_password=True)} holds "
                    "tables but is not an nlets-audit database; choose another with --db")
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _bring_schema_up_to_date(engine: Engine) -> None:
    revision = current_revision(engine)
    if revision == HEAD_REVISION:
        return
    from app.store.migrate import known_revisions, upgrade

    if revision is not None and revision not in known_revisions():
        raise StoreError(
            f"the database was made by a newer nlets-audit (schema {revision}); "
            "upgrade nlets-audit to open it")
    upgrade(engine, HEAD_REVISION)


def _reason(exc: Exception) -> str:
    original = getattr(exc, "orig", None)
    return str(original or exc).splitlines()[0]
