"""Concurrent writers on one audit: changes per second and failures, for 1, 2, 4 and 8
writer processes, on SQLite and on PostgreSQL side by side. One writer is the baseline.

PostgreSQL is the server NLETS_AUDIT_TEST_PG names; without it a throwaway cluster is
started with .ci/postgres (and removed) where the server binaries are installed.
"""

import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from app.audit import AuditService, open_store  # noqa: E402
from app.checklist import load_checklist  # noqa: E402

WRITERS = (1, 2, 4, 8)
ROUNDS = 25
CONTEXT = multiprocessing.get_context("fork")


def _write(url: str, audit_id: str, number: int, start, failures) -> None:
    store = open_store(url)
    service = AuditService(store, actor=f"writer-{number}")
    start.wait()
    failed = 0
    for round_ in range(ROUNDS):
        try:
            if round_ % 2:
                service.set_note(audit_id, "connected", f"writer {number} round {round_}")
            else:
                service.set_answer(audit_id, "query_count", number * 1000 + round_)
        except Exception:  # noqa: BLE001 - every failure is counted
            failed += 1
    store.close()
    with failures.get_lock():
        failures.value += failed


def run(url: str, writers: int) -> tuple[float, int, bool]:
    """Changes per second, failed changes, and whether the chain is intact afterwards."""
    service = AuditService(open_store(url), actor="bench")
    checklist = load_checklist(ROOT / "tests" / "fixtures" / "sample-checklist.yaml")
    audit_id = service.create_audit(checklist, jurisdiction="WA", period_start="2025-01-01",
                                    period_end="2025-12-31").id
    service.store.close()
    start = CONTEXT.Barrier(writers + 1)
    failures = CONTEXT.Value("i", 0)
    processes = [CONTEXT.Process(target=_write, args=(url, audit_id, n, start, failures))
                 for n in range(writers)]
    for process in processes:
        process.start()
    start.wait()
    began = time.perf_counter()
    for process in processes:
        process.join()
    elapsed = time.perf_counter() - began
    service = AuditService(open_store(url), actor="bench")
    intact = service.verify_history(audit_id).ok
    service.store.close()
    done = writers * ROUNDS - failures.value
    return done / elapsed, failures.value, intact


def _postgres(cluster: Path) -> tuple[str | None, str]:
    """A PostgreSQL URL, or None and the reason there is none."""
    url = os.environ.get("NLETS_AUDIT_TEST_PG")
    if not url:
        script = ROOT / ".ci" / "postgres"
        started = subprocess.run(["bash", str(script), "start", str(cluster)],
                                 capture_output=True, text=True, check=False)
        if started.returncode != 0:
            return None, (started.stderr.strip().splitlines() or ["cannot start"])[-1]
        url = started.stdout.strip()
    return url, ""


def _schema_url(url: str, schema: str) -> str:
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine_url = admin.url.update_query_dict({"options": f"-csearch_path={schema}"})
    admin.dispose()
    return engine_url.render_as_string(hide_password=False)


def _drop(url: str, schema: str) -> None:
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


def main() -> None:
    cluster = Path(tempfile.mkdtemp(prefix="nlets-bench-pg."))
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        pg_url, why = _postgres(cluster)
        try:
            print(f"{ROUNDS} changes per writer on one audit; writers are processes")
            print(f"{'writers':>7}  {'SQLite changes/s':>16}  {'failed':>6}  "
                  f"{'PostgreSQL changes/s':>20}  {'failed':>6}")
            for writers in WRITERS:
                sqlite = run(f"sqlite:///{folder / f'writers-{writers}.sqlite3'}", writers)
                cells = [f"{writers:>7}", f"{sqlite[0]:>16.1f}",
                         f"{sqlite[1]:>6}" + ("" if sqlite[2] else " (chain broken)")]
                if pg_url is None:
                    cells.append(f"{'skipped: ' + why:>28}")
                else:
                    schema = f"bench_writers_{writers}"
                    try:
                        server = run(_schema_url(pg_url, schema), writers)
                    finally:
                        _drop(pg_url, schema)
                    cells += [f"{server[0]:>20.1f}",
                              f"{server[1]:>6}" + ("" if server[2] else " (chain broken)")]
                print("  ".join(cells), flush=True)
        finally:
            subprocess.run(["bash", str(ROOT / ".ci" / "postgres"), "stop", str(cluster)],
                           check=False)


if __name__ == "__main__":
    main()
