"""Median time to save one answer through the services on a SQLite file, against a bare
SQLAlchemy insert + commit on the same file measured in the same run."""

import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, event

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.audit import AuditService  # noqa: E402
from app.checklist import load_checklist  # noqa: E402
from app.store import open_store  # noqa: E402

ROUNDS = 300


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def bench_service(url: str) -> list[float]:
    service = AuditService(open_store(url), actor="bench")
    checklist = load_checklist(ROOT / "tests" / "fixtures" / "sample-checklist.yaml")
    audit_id = service.create_audit(checklist, jurisdiction="WA", period_start="2025-01-01",
                                    period_end="2025-12-31").id
    samples = []
    for i in range(ROUNDS):
        start = time.perf_counter()
        service.set_answer(audit_id, "query_count", i)
        samples.append(time.perf_counter() - start)
    service.store.close()
    return samples


def bench_bare(url: str) -> list[float]:
    engine = create_engine(url)

    @event.listens_for(engine, "connect")
    def _pragmas(connection, _record):
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=FULL")

    table = Table("bare", MetaData(), Column("id", Integer, primary_key=True),
                  Column("value", String))
    table.create(engine)
    samples = []
    for i in range(ROUNDS):
        start = time.perf_counter()
        with engine.begin() as connection:
            connection.execute(table.insert().values(value=str(i)))
        samples.append(time.perf_counter() - start)
    engine.dispose()
    return samples


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        service = _median_ms(bench_service(url))
        bare = _median_ms(bench_bare(url))
    print(f"save one answer (service, SQLite file): median {service:.2f} ms over {ROUNDS}")
    print(f"bare SQLAlchemy insert+commit, same file: median {bare:.2f} ms over {ROUNDS}")
    print(f"ratio service / bare: {service / bare:.1f}x")


if __name__ == "__main__":
    main()
