"""Time to save one answer on the shipped flagship checklist, through the services on a
SQLite file: alone, with the whole view read back (`service.view`, what the audit screen
did after every save), and with the screen's refresh now (`view_with`, where it exists),
against a bare SQLAlchemy insert + commit on the same file (same pragmas)
measured the same way in the same run. The audit holds the demo answers to every visible
question, as an audit in progress does; the saved question (`switch_vendor`, short text)
has a visibility condition, as most of the flagship's have.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, event

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import FLAGSHIP, Sample, figure, measure, median_cpu, median_wall  # noqa: E402

ROUNDS = 200
QUESTION = "switch_vendor"


def bench_service(url: str) -> tuple[list[Sample], list[Sample], list[Sample], int]:
    from app.audit import AuditService
    from app.checklist import load_checklist
    from app.store import open_store
    from tests.report.demo import fill_demo_answers

    service = AuditService(open_store(url), actor="bench")
    audit_id = service.create_audit(load_checklist(FLAGSHIP), jurisdiction="WA",
                                    period_start="2025-01-01", period_end="2025-12-31").id
    fill_demo_answers(service, audit_id)
    answered = len(service.view(audit_id).answers)
    save, with_reload, with_refresh = [], [], []
    for i in range(ROUNDS):
        sample, _ = measure(lambda i=i: service.set_answer(audit_id, QUESTION, f"Vendor {i}"),
                            collect=i % 20 == 0)
        save.append(sample)

        def save_and_reload(i: int = i) -> None:
            service.set_answer(audit_id, QUESTION, f"Vendor {i} again")
            service.view(audit_id)

        sample, _ = measure(save_and_reload, collect=False)
        with_reload.append(sample)
        if hasattr(service, "view_with"):
            view = service.view(audit_id)

            def save_and_refresh(i: int = i, view=view) -> None:
                saved = service.set_answer(audit_id, QUESTION, f"Vendor {i} once more")
                service.view_with(view, saved)

            sample, _ = measure(save_and_refresh, collect=False)
            with_refresh.append(sample)
    service.store.close()
    return save, with_reload, with_refresh, answered


def bench_bare(url: str) -> list[Sample]:
    engine = create_engine(url)

    @event.listens_for(engine, "connect")
    def _pragmas(connection, _record):
        connection.execute("PRAGMA busy_timeout=10000")
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=FULL")
        connection.execute("PRAGMA foreign_keys=ON")

    table = Table("bare", MetaData(), Column("id", Integer, primary_key=True),
                  Column("value", String))
    table.create(engine)
    samples = []
    for i in range(ROUNDS):
        def insert(i: int = i) -> None:
            with engine.begin() as connection:
                connection.execute(table.insert().values(value=str(i)))

        sample, _ = measure(insert, collect=i % 20 == 0)
        samples.append(sample)
    engine.dispose()
    return samples


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        save, with_reload, with_refresh, answered = bench_service(url)
        bare = bench_bare(url)
    print(f"flagship checklist, {answered} answers held; {ROUNDS} saves of {QUESTION!r}")
    for what, pick in (("CPU", median_cpu), ("wall", median_wall)):
        suffix = "" if what == "CPU" else "_wall"
        figure(f"save{suffix}", f"save one answer, shipped checklist ({what}, median)",
               pick(save), pick(bare), "bare insert+commit, same file")
        figure(f"save_reload{suffix}", f"save + reading the whole view back (service.view, "
               f"the screen's old reload) ({what}, median)", pick(with_reload), pick(bare),
               "bare insert+commit, same file")
        if with_refresh:
            figure(f"save_refresh{suffix}", f"save + the screen's refresh (view_with) ({what}, "
                   "median)", pick(with_refresh), pick(bare), "bare insert+commit, same file")


if __name__ == "__main__":
    main()
