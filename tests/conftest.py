"""Shared fixtures: a private data directory, a real database, the sample checklist.

The database is a fresh SQLite file. Modules marked `both_engines` run every test that uses
it twice: on SQLite and on PostgreSQL, in a schema of its own on the server that
NLETS_AUDIT_TEST_PG names (`.ci/run` starts one and sets it; `.ci/postgres start DIR` does
the same by hand). Without that variable the PostgreSQL runs are skipped, saying so.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.exc import OperationalError

from app.audit import AuditService
from app.checklist import LoadedChecklist, load_checklist
from app.store import Store, open_store
from app.store.grants import ROLES

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE = FIXTURES / "sample-checklist.yaml"
PG_ENV = "NLETS_AUDIT_TEST_PG"
ENGINES = ("sqlite", "postgresql")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "both_engines: run the module's database tests on SQLite and PostgreSQL")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if ("db_engine" in metafunc.fixturenames
            and metafunc.definition.get_closest_marker("both_engines")):
        metafunc.parametrize("db_engine", ENGINES, indirect=True)


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the data directory at a temp dir so no test touches the user's data."""
    home = tmp_path / "home"
    monkeypatch.setenv("NLETS_AUDIT_HOME", str(home))
    monkeypatch.delenv("NLETS_AUDIT_DB", raising=False)
    monkeypatch.setenv("NLETS_AUDIT_USER", "test-auditor")
    return home


@pytest.fixture(scope="session")
def pg_admin() -> Iterator[Engine]:
    """A superuser connection (autocommit) to the test server; skips where none is given."""
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"PostgreSQL not tested: {PG_ENV} is not set (.ci/run starts a server "
                    "and sets it; `.ci/postgres start DIR` prints a URL to set it to)")
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as exc:
        pytest.fail(f"{PG_ENV} names a server that does not answer: {exc.orig}")
    make_office_roles(engine)
    yield engine
    engine.dispose()


OFFICE_ROLES_LOCK = 727_001
"""The advisory lock key under which test processes create the office's group roles."""


def make_office_roles(admin: Engine) -> None:
    """Create the office's group roles once on the server, before any test runs its grants.

    Roles belong to the whole server, not to a test's schema: when parallel test processes
    ran `CREATE ROLE` for a role neither had yet, one of them would fail on the unique index
    of role names (an error the grants' `duplicate_object` handler does not catch). Made
    here under an advisory lock, every later `CREATE ROLE` finds the role and moves on.
    """
    with admin.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": OFFICE_ROLES_LOCK})
        try:
            for entry in ROLES:
                connection.execute(text(f"DO $$ BEGIN CREATE ROLE {entry.role.value} NOLOGIN; "
                                        "EXCEPTION WHEN duplicate_object THEN NULL; END $$"))
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"),
                               {"key": OFFICE_ROLES_LOCK})


def pg_schema_url(admin: Engine, schema: str, **query: str) -> str:
    """The admin URL narrowed to `schema` (by search_path), with extra query settings."""
    url = admin.url.update_query_dict({"options": f"-csearch_path={schema}",
                                       "application_name": schema, **query})
    return url.render_as_string(hide_password=False)


def as_role(url: str, role: str) -> str:
    """The same database URL, connecting as `role` (trusted on the local socket)."""
    return make_url(url).set(username=role).render_as_string(hide_password=False)


def drop_pg_schema(admin: Engine, schema: str) -> None:
    """Drop a test schema, ending any connection a test left open on it first."""
    with admin.connect() as connection:
        connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                "WHERE application_name = :name AND pid <> pg_backend_pid()"),
                           {"name": schema})
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))


@pytest.fixture
def pg_schema(pg_admin: Engine) -> Iterator[str]:
    """A fresh, empty schema on the test server, dropped afterwards."""
    schema = f"test_{uuid.uuid4().hex[:16]}"
    with pg_admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield schema
    drop_pg_schema(pg_admin, schema)


@pytest.fixture
def pg_login(pg_admin: Engine, pg_schema: str) -> Iterator[Callable[[str], str]]:
    """Make a login role in one of the office's roles; its URL on the test schema."""
    made: list[str] = []

    def make(group: str) -> str:
        name = f"t_{group.removeprefix('nlets_')}_{uuid.uuid4().hex[:8]}"
        with pg_admin.connect() as connection:
            connection.execute(text(f"DO $$ BEGIN CREATE ROLE {group} NOLOGIN; EXCEPTION "
                                    "WHEN duplicate_object THEN NULL; END $$"))
            connection.execute(text(f'CREATE ROLE "{name}" LOGIN IN ROLE {group}'))
        made.append(name)
        return as_role(pg_schema_url(pg_admin, pg_schema), name)

    yield make
    with pg_admin.connect() as connection:
        for name in made:
            connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                    "WHERE usename = :name"), {"name": name})
            connection.execute(text(f'DROP ROLE "{name}"'))


@pytest.fixture
def db_engine(request: pytest.FixtureRequest) -> str:
    """Which engine the test's database is on: SQLite unless the module runs on both."""
    return getattr(request, "param", "sqlite")


@pytest.fixture
def db_url(db_engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A fresh database: a SQLite file in the test's temp dir, or a PostgreSQL schema."""
    if db_engine == "sqlite":
        return f"sqlite:///{tmp_path / 'audit.sqlite3'}"
    admin: Engine = request.getfixturevalue("pg_admin")
    return pg_schema_url(admin, request.getfixturevalue("pg_schema"))


def run_sql(url: str, sql: str, **params: Any) -> None:
    """Run one statement behind the tool's back, as a tamperer with database access would."""
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text(sql), params)
    finally:
        engine.dispose()


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """An open store on a fresh database."""
    opened = open_store(db_url)
    yield opened
    opened.close()


@pytest.fixture
def service(store: Store) -> AuditService:
    """The audit services on the fresh store."""
    return AuditService(store, actor="test-auditor")


@pytest.fixture
def sample() -> LoadedChecklist:
    """The sample checklist that uses every question type."""
    return load_checklist(SAMPLE)


@pytest.fixture
def audit_id(service: AuditService, sample: LoadedChecklist) -> str:
    """A new draft audit of the sample checklist."""
    return service.create_audit(sample, jurisdiction="WA", period_start="2025-01-01",
                                period_end="2025-12-31").id
