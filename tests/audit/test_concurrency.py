"""Several writers on one audit at once, as in an office sharing one database."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading

import pytest

from app.audit import AuditService
from app.checklist import LoadedChecklist
from app.store import open_store
from app.store.database import HEAD_REVISION, current_revision

pytestmark = pytest.mark.both_engines


def _writers(db_url: str, audit_id: str, writers: int, rounds: int) -> list[str]:
    """Run `writers` threads, each with its own connection, each changing the audit
    `rounds` times; the failures they met."""
    failures: list[str] = []
    start = threading.Barrier(writers)

    def write(number: int) -> None:
        store = open_store(db_url)
        service = AuditService(store, actor=f"writer-{number}")
        start.wait()
        try:
            for round_ in range(rounds):
                try:
                    if round_ % 2:
                        service.set_note(audit_id, "connected", f"writer {number} round "
                                                                f"{round_}")
                    else:
                        service.set_answer(audit_id, "query_count", number * 1000 + round_)
                except Exception as exc:  # noqa: BLE001 - every failure is counted
                    failures.append(f"{type(exc).__name__}: {exc}")
        finally:
            store.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures


def test_four_writers_on_one_audit_all_succeed_and_the_chain_holds(service, db_url,
                                                                     audit_id):
    before = service.verify_history(audit_id).events
    failures = _writers(db_url, audit_id, writers=4, rounds=25)
    assert failures == []
    report = service.verify_history(audit_id)
    assert report.ok, report.problems
    assert report.events == before + 100
    history = service.history(audit_id)
    # Each event records as "old" exactly what the event before it on that question left.
    last: dict[str, object] = {}
    for event in history[before:]:
        if event.question_id in last:
            assert event.old == last[event.question_id]
        last[event.question_id] = event.new


def test_cli_processes_answering_at_once_all_succeed(service, db_url, audit_id):
    def writer(number: int) -> subprocess.Popen[str]:
        script = textwrap.dedent(f"""
            import sys
            from app.cli import main
            failures = 0
            for round_ in range(10):
                code = main(["--db", {db_url!r}, "answer", {audit_id!r}, "query_count",
                             str({number} * 1000 + round_)])
                failures += code != 0
            sys.exit(failures)
        """)
        return subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)

    processes = [writer(n) for n in range(3)]
    errors = [process.communicate()[1] for process in processes]
    assert [(p.returncode, e) for p, e in zip(processes, errors, strict=True)] == [(0, "")] * 3
    report = service.verify_history(audit_id)
    assert report.ok, report.problems


def test_parallel_first_opens_of_an_empty_database_all_succeed(db_url):
    # 18 openers: 3 processes of 6 threads, each opener on its own connection.
    opener = textwrap.dedent(f"""
        import threading
        from app.store import open_store
        failures = []
        start = threading.Barrier(6)

        def open_once():
            start.wait()
            try:
                open_store({db_url!r}).close()
            except Exception as exc:
                failures.append(f"{{type(exc).__name__}}: {{exc}}")

        threads = [threading.Thread(target=open_once) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        print("\\n".join(failures))
    """)
    processes = [subprocess.Popen([sys.executable, "-c", opener], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(3)]
    results = [process.communicate() for process in processes]
    assert [p.returncode for p in processes] == [0, 0, 0], results
    failures = [line for out, _ in results for line in out.splitlines() if line]
    assert failures == []
    store = open_store(db_url)
    try:
        assert current_revision(store.engine) == HEAD_REVISION
    finally:
        store.close()


def test_audits_created_at_once_from_one_new_checklist_all_succeed(db_url,
                                                                    sample: LoadedChecklist):
    open_store(db_url).close()
    failures: list[str] = []
    created: list[str] = []
    start = threading.Barrier(6)

    def create(number: int) -> None:
        store = open_store(db_url)
        try:
            start.wait()
            created.append(AuditService(store, actor=f"creator-{number}").create_audit(
                sample, jurisdiction="WA", period_start="2025-01-01",
                period_end="2025-12-31").id)
        except Exception as exc:  # noqa: BLE001 - every failure is counted
            failures.append(f"{type(exc).__name__}: {exc}")
        finally:
            store.close()

    threads = [threading.Thread(target=create, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == [] and len(created) == 6


def test_the_same_evidence_attached_at_once_to_two_audits(db_url, sample, tmp_path):
    store = open_store(db_url)
    service = AuditService(store)
    audits = [service.create_audit(sample, jurisdiction="WA", period_start="2025-01-01",
                                   period_end="2025-12-31").id for _ in range(4)]
    store.close()
    evidence = tmp_path / "agreement.pdf"
    evidence.write_bytes(b"%PDF-1.4 the same agreement")
    failures: list[str] = []
    start = threading.Barrier(len(audits))

    def attach(audit: str) -> None:
        store = open_store(db_url)
        try:
            start.wait()
            AuditService(store).add_evidence(audit, "connected", evidence)
        except Exception as exc:  # noqa: BLE001 - every failure is counted
            failures.append(f"{type(exc).__name__}: {exc}")
        finally:
            store.close()

    threads = [threading.Thread(target=attach, args=(a,)) for a in audits]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []

