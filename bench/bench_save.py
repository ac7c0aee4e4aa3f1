"""Time to save one answer on the shipped flagship checklist, through the services on a
SQLite file: alone, with the whole view read back (`service.view`, what the audit screen
did after every save), and with the screen's refresh now (`view_with`, where it exists).
The audit holds the demo answers to every visible question, as an audit in progress does;
the saved question (`switch_vendor`, short text) has a visibility condition, as most of the
flagship's have.

The floor is the rows a save must write, written bare: a save changes the answer row,
appends its history event (the tamper-evident record of the change, which cannot be left
out or deferred) and moves the audit's recorded head, in one transaction. So the floor does
exactly these three writes, with prepared SQLAlchemy Core statements and one commit, on the
same tables of the same file (same pragmas, indexes and foreign keys) and nothing else: no
lock taken first, no row read, no check, no hash. One bare single-row insert + commit on the
same file, the floor this figure used to have, is printed beside it for reference; it
leaves out two of the three rows a save writes by design.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    create_engine,
    event,
    select,
)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import FLAGSHIP, Sample, figure, measure, median_cpu, median_wall  # noqa: E402

ROUNDS = 200
QUESTION = "switch_vendor"


def bench_service(url: str) -> tuple[list[Sample], list[Sample], list[Sample], int, str]:
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
    return save, with_reload, with_refresh, answered, audit_id


def _pragmas(connection, _record) -> None:
    connection.execute("PRAGMA busy_timeout=10000")
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute("PRAGMA foreign_keys=ON")


def bench_same_rows(url: str, audit_id: str) -> list[Sample]:
    """The three rows of a save written bare into the product's own tables: the saved
    answer's row updated, one history event of the same size inserted, the audit's head
    moved; one commit. (It leaves the bench audit's chain broken: the file is thrown away.)"""
    from app.store.tables import AnswerRow, AuditRow, HistoryEventRow, table_of

    audit, answer, events = (table_of(AuditRow), table_of(AnswerRow),
                             table_of(HistoryEventRow))
    engine = create_engine(url)
    event.listen(engine, "connect", _pragmas)
    with engine.connect() as connection:
        row = connection.execute(select(answer).where(answer.c.audit_id == audit_id,
                                                      answer.c.question_id == QUESTION)).one()
        last = connection.execute(select(events).where(events.c.audit_id == audit_id)
                                  .order_by(events.c.seq.desc()).limit(1)).one()
    update_answer = answer.update().where(answer.c.id == bindparam("answer_id"))
    insert_event = events.insert()
    move_head = audit.update().where(audit.c.id == bindparam("audit_id")).values(
        history_head=bindparam("head"), history_length=bindparam("length"),
        updated_at=bindparam("at"))
    template = {k: v for k, v in last._mapping.items() if k != "id"}
    samples = []
    for i in range(ROUNDS):
        seq = last.seq + 1 + i

        def write(i: int = i, seq: int = seq) -> None:
            with engine.begin() as connection:
                connection.execute(update_answer, {
                    "answer_id": row.id, "value_json": f'"Bare {i}"', "note": row.note,
                    "state": row.state, "na_reason": None, "updated_by": "bench",
                    "updated_at": last.at})
                connection.execute(insert_event, {**template, "seq": seq})
                connection.execute(move_head, {"audit_id": audit_id, "head": last.hash,
                                               "length": seq, "at": last.at})

        sample, _ = measure(write, collect=i % 20 == 0)
        samples.append(sample)
    engine.dispose()
    return samples


def bench_bare(url: str) -> list[Sample]:
    engine = create_engine(url)
    event.listen(engine, "connect", _pragmas)
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
        save, with_reload, with_refresh, answered, audit_id = bench_service(url)
        rows = bench_same_rows(url, audit_id)
        bare = bench_bare(url)
    print(f"flagship checklist, {answered} answers held; {ROUNDS} saves of {QUESTION!r}")
    floor = "the same 3 rows written bare, same tables, one commit"
    for what, pick in (("CPU", median_cpu), ("wall", median_wall)):
        suffix = "" if what == "CPU" else "_wall"
        figure(f"save{suffix}", f"save one answer, shipped checklist ({what}, median)",
               pick(save), pick(rows), floor)
        figure(f"save_single_insert{suffix}", f"save one answer, against one row ({what}, "
               "median)", pick(save), pick(bare), "bare single-row insert+commit, same file")
        figure(f"save_reload{suffix}", f"save + reading the whole view back (service.view, "
               f"the screen's old reload) ({what}, median)", pick(with_reload), pick(rows),
               floor)
        if with_refresh:
            figure(f"save_refresh{suffix}", f"save + the screen's refresh (view_with) ({what}, "
                   "median)", pick(with_refresh), pick(rows), floor)


if __name__ == "__main__":
    main()
