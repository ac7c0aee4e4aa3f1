"""Open the database: SQLite pragmas, schema upgrade on open (where it is: `location`)."""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, make_url, text
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError
from sqlmodel import Session

from app.store.errors import StoreConflict, StoreError
from app.store.location import default_database_url
from app.store.locks import lock_schema
from app.store.messages import Failure, classify, failure_message

# The newest migration in app/store/migrations/versions; a test keeps the two in step.
HEAD_REVISION = "0005"
BUSY_TIMEOUT_MS = 10_000


class Store:
    """An open database: hands out sessions; every session commits on its own."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._database_user: str | None = None

    @property
    def is_server(self) -> bool:
        """True for a database server (PostgreSQL), False for a SQLite file."""
        return self.engine.dialect.name != "sqlite"

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
                error = StoreConflict if classify(exc) is Failure.CONFLICT else StoreError
                raise error(failure_message(self.engine.url, exc, opening=False)) from None
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A connection in one transaction, for SQLAlchemy Core statements alone (no ORM):
        committed when the block ends, rolled back if it raises, failures as `session`."""
        try:
            with self.engine.begin() as connection:
                yield connection
        except (DatabaseError, OperationalError) as exc:
            error = StoreConflict if classify(exc) is Failure.CONFLICT else StoreError
            raise error(failure_message(self.engine.url, exc, opening=False)) from None

    def database_user(self) -> str | None:
        """Who the server says is connected (its session user); None for a SQLite file,
        which knows no users."""
        if not self.is_server:
            return None
        if self._database_user is None:
            with self.session() as session:
                self._database_user = str(session.execute(text("SELECT session_user")
                                                          ).scalar_one())
        return self._database_user

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
        raise StoreError(failure_message(engine.url, exc, opening=True)) from None
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
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    _use_write_ahead_log(cursor)
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _use_write_ahead_log(cursor: sqlite3.Cursor) -> None:
    """Put the database in WAL mode, waiting as long as the busy timeout allows.

    Only the first change of mode needs the file to itself. When two connections make that
    change at the same moment, each holding a read lock the other must wait for, SQLite
    answers "database is locked" at once rather than calling the busy handler; so wait here.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode != sqlite3.SQLITE_BUSY or time.monotonic() >= deadline:
                raise
            time.sleep(random.uniform(0.001, 0.01))


def current_revision(engine: Engine) -> str | None:
    """The schema revision stamped in the database, or None for an empty database."""
    with engine.connect() as connection:
        return _revision(connection)


def _revision(connection: Connection) -> str | None:
    names = inspect(connection).get_table_names()
    if "alembic_version" not in names:
        if names:
            raise StoreError(
                f"the database {connection.engine.url.render_as_string(hide_password=True)} "
                "holds tables but is not an nlets-audit database; choose another with --db")
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _bring_schema_up_to_date(engine: Engine) -> None:
    """Upgrade to HEAD_REVISION under the schema lock, so parallel first opens wait for
    one another instead of creating the same tables twice."""
    if current_revision(engine) == HEAD_REVISION:
        return
    from app.store.migrate import known_revisions, upgrade

    with engine.connect() as connection, connection.begin():
        lock_schema(connection)
        revision = _revision(connection)
        if revision == HEAD_REVISION:
            return
        if revision is not None and revision not in known_revisions():
            raise StoreError(
                f"the database was made by a newer nlets-audit (schema {revision}); "
                "upgrade nlets-audit to open it")
        upgrade(connection, HEAD_REVISION)
