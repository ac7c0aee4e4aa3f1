"""PostgreSQL for an office: identity from the database, roles enforced by grants, and
messages that fit a server. Each test runs on the server NLETS_AUDIT_TEST_PG names."""

from __future__ import annotations

import socket

import pytest
from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.exc import ProgrammingError

from app.audit import AuditService
from app.cli import main
from app.store import StoreError, open_store
from app.store.grants import grants_sql
from tests.conftest import pg_schema_url


@pytest.fixture
def schema_url(pg_admin: Engine, pg_schema: str) -> str:
    return pg_schema_url(pg_admin, pg_schema)


@pytest.fixture
def office(schema_url: str, pg_admin: Engine, pg_schema: str, sample) -> str:
    """A schema created by its owner, with the office's roles granted; an audit's id."""
    owner = AuditService(open_store(schema_url))
    audit_id = owner.create_audit(sample, jurisdiction="WA", period_start="2025-01-01",
                                  period_end="2025-12-31").id
    owner.store.close()
    with pg_admin.connect() as connection:
        connection.exec_driver_sql(grants_sql(pg_schema))
    return audit_id


def test_the_history_records_the_database_user_not_the_declared_one(office, pg_login,
                                                                    monkeypatch, capsys):
    url = pg_login("nlets_auditor")
    monkeypatch.setenv("NLETS_AUDIT_USER", "Attorney General (not really)")
    assert main(["--db", url, "answer", office, "connected", "yes"]) == 0
    service = AuditService(open_store(url), actor="Attorney General (not really)")
    try:
        role = make_url(url).username
        assert service.actor == role
        last = service.history(office)[-1]
        assert (last.kind, last.actor) == ("answer_set", role)
        assert service.view(office).answers["connected"].updated_by == role
        assert service.verify_history(office).ok
    finally:
        service.store.close()
    capsys.readouterr()
    assert main(["--db", url, "history", "show", office]) == 0
    shown = capsys.readouterr().out
    assert role in shown and "Attorney General" not in shown


def test_a_reviewer_reads_but_cannot_change_an_answer(office, pg_login, capsys):
    url = pg_login("nlets_reviewer")
    service = AuditService(open_store(url))
    try:
        assert service.view(office).answers.get("connected") is None
        # the list's counts are counted, though a reviewer may not keep them
        listed = next(s for s in service.list_audits() if s.audit.id == office)
        progress = service.view(office).evaluation.progress
        assert (listed.done, listed.total) == (progress.done, progress.total)
        with pytest.raises(StoreError) as caught:
            service.set_answer(office, "connected", "yes")
        message = str(caught.value)
        assert "may not make this change" in message
        assert "permission denied for table audit" in message
        assert "nlets-audit db grants" in message and "backup" not in message
        assert service.view(office).answers.get("connected") is None
    finally:
        service.store.close()
    code = main(["--db", url, "answer", office, "connected", "yes"])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("error: the database user ") and err.count("\n") == 1


def test_an_auditor_cannot_mark_an_audit_signed_behind_the_tool(office, pg_login):
    engine = create_engine(pg_login("nlets_auditor"))
    try:
        with pytest.raises(ProgrammingError, match="permission denied for table audit"), \
                engine.begin() as connection:
            connection.execute(text("UPDATE audit SET status = 'signed'"))
    finally:
        engine.dispose()


def test_an_official_can_lock_and_sign_but_not_answer(office, pg_login):
    url = pg_login("nlets_official")
    service = AuditService(open_store(url))
    try:
        with pytest.raises(StoreError, match="permission denied for table answer"):
            service.set_answer(office, "connected", "yes")
    finally:
        service.store.close()
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text("SELECT id FROM audit FOR UPDATE"))
            connection.execute(text("UPDATE audit SET status = status"))
    finally:
        engine.dispose()


def test_the_grants_can_be_run_again(office, pg_admin, pg_schema):
    with pg_admin.connect() as connection:
        connection.exec_driver_sql(grants_sql(pg_schema))


def test_the_grants_command_prints_the_sql(capsys):
    assert main(["db", "grants", "--schema", "audits"]) == 0
    out = capsys.readouterr().out
    assert "GRANT SELECT ON ALL TABLES IN SCHEMA audits TO nlets_reviewer;" in out
    assert main(["db", "grants", "--schema", "x; DROP TABLE audit"]) == 2
    assert "not a plain schema name" in capsys.readouterr().err


# ---- messages that fit a server ----------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _tcp_url(admin: Engine, **changes: object) -> str:
    port = int(admin.url.query["port"])
    url = make_url(admin.url).set(host="127.0.0.1", port=port, query={}).set(**changes)
    return url.render_as_string(hide_password=False)


def _refusal(url: str) -> str:
    with pytest.raises(StoreError) as caught:
        open_store(url)
    message = str(caught.value)
    assert "backup" not in message and "\n" not in message
    return message


def test_connection_refused(pg_admin):
    message = _refusal(_tcp_url(pg_admin, port=_free_port()))
    assert message.startswith("cannot reach the PostgreSQL server at 127.0.0.1 port ")
    assert "start the server, or correct the host and port" in message


def test_authentication_failed(pg_admin):
    message = _refusal(_tcp_url(pg_admin, password="not-the-password"))
    assert "refused the login of user 'postgres'" in message
    assert "password authentication failed" in message
    assert "not-the-password" not in message


def test_database_missing(pg_admin):
    message = _refusal(make_url(pg_admin.url).set(database="no_such_db")
                       .render_as_string(hide_password=False))
    assert message.startswith("the database 'no_such_db' does not exist on the PostgreSQL")
    assert "createdb no_such_db" in message


def test_permission_denied_when_a_reader_opens_an_empty_schema(pg_login, pg_admin, pg_schema):
    url = pg_login("nlets_reviewer")
    with pg_admin.connect() as connection:
        connection.execute(text(f'GRANT USAGE ON SCHEMA "{pg_schema}" TO nlets_reviewer'))
    message = _refusal(url)
    assert "may not open this database (permission denied for schema" in message


def test_the_console_reports_a_refused_connection_in_one_line(pg_admin, capsys):
    code = main(["--db", _tcp_url(pg_admin, port=_free_port()), "list"])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("error: cannot reach the PostgreSQL server")
    assert err.count("\n") == 1


def test_before_the_grants_are_run_again_the_list_and_verify_work_without_kept_counts(
        office, pg_login, pg_admin, pg_schema, schema_url):
    owner = AuditService(open_store(schema_url))
    owner.list_audits()  # the owner keeps the list's counts
    owner.store.close()
    # an office upgraded to a schema with the list's kept counts, its grants not yet re-run
    with pg_admin.connect() as connection:
        assert connection.execute(text(
            f'SELECT COUNT(*) FROM "{pg_schema}".audit_counts')).scalar() == 1
        connection.execute(text(f'REVOKE ALL ON "{pg_schema}".audit_counts FROM '
                                "nlets_reviewer, nlets_auditor, nlets_official"))
    service = AuditService(open_store(pg_login("nlets_auditor")))
    try:
        service.set_answer(office, "connected", "yes")
        listed = next(s for s in service.list_audits() if s.audit.id == office)
        progress = service.view(office).evaluation.progress
        assert (listed.done, listed.total) == (progress.done, progress.total)
        assert service.verify_history(office).problems == []
        service.delete_draft(office)  # its kept counts go with it (the key cascades)
        assert all(s.audit.id != office for s in service.list_audits())
        with pg_admin.connect() as connection:
            assert connection.execute(text(
                f'SELECT COUNT(*) FROM "{pg_schema}".audit_counts')).scalar() == 0
    finally:
        service.store.close()
