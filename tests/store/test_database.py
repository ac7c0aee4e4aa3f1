import threading

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from app.store import StoreError, database, open_store
from app.store.database import HEAD_REVISION, current_revision, default_database_url
from app.store.migrate import head_revision, upgrade
from tests.conftest import run_sql

pytestmark = pytest.mark.both_engines


def test_head_revision_constant_matches_the_shipped_migrations():
    assert head_revision() == HEAD_REVISION


def test_default_database_lives_in_the_data_directory(private_home):
    assert default_database_url() == f"sqlite:///{private_home / 'nlets-audit.sqlite3'}"
    store = open_store()
    try:
        assert (private_home / "nlets-audit.sqlite3").is_file()
    finally:
        store.close()


def test_env_var_chooses_the_database(monkeypatch, tmp_path):
    monkeypatch.setenv("NLETS_AUDIT_DB", f"sqlite:///{tmp_path / 'other.db'}")
    assert default_database_url().endswith("other.db")


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'wal.sqlite3'}")
    with store.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    store.close()


def test_connections_that_first_set_wal_mode_at_once_all_connect(tmp_path):
    # When two connections first change a new file's journal mode at the same moment, SQLite
    # refuses one at once, without waiting; 200 rounds of 12 did that about 10 times.
    failures: list[str] = []
    for number in range(200):
        engines = [database._engine(f"sqlite:///{tmp_path / f'new-{number}.sqlite3'}")
                   for _ in range(12)]
        start = threading.Barrier(len(engines))

        def connect(engine, start=start):
            start.wait()
            try:
                engine.connect().close()
            except OperationalError as exc:
                failures.append(str(exc.orig))

        threads = [threading.Thread(target=connect, args=(engine,)) for engine in engines]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for engine in engines:
            engine.dispose()
    assert failures == []


def test_foreign_keys_are_enforced(store):
    with pytest.raises(StoreError, match="(?i)foreign key"), store.session() as session:
        session.execute(text(
            "INSERT INTO evidence (audit_id, question_id, sha256, name, size, media_type,"
            " added_at, added_by) VALUES ('nope', 'q', 'x', 'n', 1, 't', 'a', 'b')"))


def test_upgrade_from_the_first_migration_keeps_data(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    engine = create_engine(url)
    upgrade(engine, "0001")
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO checklist_source VALUES ('c' , 'sample', '1', 'f.yaml', x'00', 't')"))
        connection.execute(text(
            "INSERT INTO audit (id, title, jurisdiction, period_start, period_end,"
            " checklist_id, checklist_version, checklist_sha256, status, auditor, created_at,"
            " updated_at) VALUES ('a1', 'Old', 'WA', '2024-01-01', '2024-12-31', 'sample',"
            " '1', 'c', 'draft', 'me', 't', 't')"))
        for seq, digest in ((1, "h1"), (2, "h2")):
            connection.execute(text(
                "INSERT INTO history_event (audit_id, seq, at, actor, kind, prev_hash, hash)"
                f" VALUES ('a1', {seq}, 't', 'me', 'k', 'p', '{digest}')"))
    assert current_revision(engine) == "0001"
    engine.dispose()

    store = open_store(url)
    try:
        assert current_revision(store.engine) == HEAD_REVISION
        with store.engine.connect() as connection:
            row = connection.execute(text(
                "SELECT title, history_head, history_length FROM audit")).one()
        assert tuple(row) == ("Old", "h2", 2)
    finally:
        store.close()


def test_a_file_that_is_not_a_database_gets_a_clear_error(tmp_path):
    path = tmp_path / "garbage.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError) as caught:
        open_store(f"sqlite:///{path}")
    message = str(caught.value)
    assert "garbage.sqlite3" in message and "not a database" in message
    assert "backup" in message
    assert path.read_bytes() == b"this is not a database" * 100


def test_a_foreign_database_is_refused(db_url):
    run_sql(db_url, "CREATE TABLE payroll (id INTEGER)")
    with pytest.raises(StoreError, match="not an nlets-audit database"):
        open_store(db_url)


def test_a_database_from_a_newer_version_is_refused(db_url):
    open_store(db_url).close()
    run_sql(db_url, "UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(StoreError, match="newer nlets-audit"):
        open_store(db_url)


def test_a_bad_url_is_explained():
    with pytest.raises(StoreError, match="cannot use the database URL"):
        open_store("not a url")


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///", "sqlite:///:memory:"])
def test_in_memory_databases_are_refused(url):
    with pytest.raises(StoreError, match="in-memory database keeps nothing"):
        open_store(url)


def test_passwords_stay_out_of_messages():
    with pytest.raises(StoreError) as caught:
        open_store("postgresql+nosuchdriver://auditor:s3cret@localhost/audits")
    assert "s3cret" not in str(caught.value) and "auditor:***@localhost" in str(caught.value)
