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
leaves out two of the three rows a save writes by design. Each round measures the product
and both floors in turn, so that the shared machine's load falls on all of them alike.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

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


def _pragmas(connection, _record) -> None:
    connection.execute("PRAGMA busy_timeout=10000")
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute("PRAGMA foreign_keys=ON")


def _same_rows_writer(url: str, audit_id: str) -> tuple[Callable[[int], None], Any]:
    """The three rows of a save written bare into the product's own tables, for a second
    audit of its own: the saved answer's row updated, one history event of the same size
    inserted, the audit's head moved; one commit. (It breaks that audit's chain: the file
    is thrown away.)"""
    from app.store.tables import AnswerRow, AuditRow, HistoryEventRow

    audit, answer, events = AuditRow.__table__, AnswerRow.__table__, HistoryEventRow.__table__
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

    def write(i: int) -> None:
        seq = last.seq + 1 + i
        with engine.begin() as connection:
            connection.execute(update_answer, {
                "answer_id": row.id, "value_json": f'"Bare {i}"', "note": row.note,
                "state": row.state, "na_reason": None, "updated_by": "bench",
                "updated_at": last.at})
            connection.execute(insert_event, {**template, "seq": seq})
            connection.execute(move_head, {"audit_id": audit_id, "head": last.hash,
                                           "length": seq, "at": last.at})

    return write, engine


def _single_insert_writer(url: str) -> tuple[Callable[[int], None], Any]:
    """One row inserted into a two-column table and committed, on the same file."""
    engine = create_engine(url)
    event.listen(engine, "connect", _pragmas)
    table = Table("bare", MetaData(), Column("id", Integer, primary_key=True),
                  Column("value", String))
    table.create(engine)

    def insert(i: int) -> None:
        with engine.begin() as connection:
            connection.execute(table.insert().values(value=str(i)))

    return insert, engine


def bench(url: str) -> tuple[dict[str, list[Sample]], int]:
    """Every figure's samples, taken in turn in each round (so that a change in the load of
    the shared machine falls on product and floor alike)."""
    from app.audit import AuditService
    from app.checklist import load_checklist
    from app.store import open_store
    from tests.report.demo import fill_demo_answers

    service = AuditService(open_store(url), actor="bench")
    checklist = load_checklist(FLAGSHIP)
    audit_id, floor_id = (service.create_audit(
        checklist, jurisdiction="WA", period_start="2025-01-01", period_end="2025-12-31").id
        for _ in range(2))
    for audit in (audit_id, floor_id):
        fill_demo_answers(service, audit)
    answered = len(service.view(audit_id).answers)
    rows, rows_engine = _same_rows_writer(url, floor_id)
    bare, bare_engine = _single_insert_writer(url)
    samples: dict[str, list[Sample]] = {
        "save": [], "reload": [], "refresh": [], "rows": [], "bare": []}
    for i in range(ROUNDS):
        def save_and_reload(i: int = i) -> None:
            service.set_answer(audit_id, QUESTION, f"Vendor {i} again")
            service.view(audit_id)

        view = service.view(audit_id)

        def save_and_refresh(i: int = i, view=view) -> None:
            saved = service.set_answer(audit_id, QUESTION, f"Vendor {i} once more")
            service.view_with(view, saved)

        for key, run in (("save", lambda i=i: service.set_answer(audit_id, QUESTION,
                                                                 f"Vendor {i}")),
                         ("rows", lambda i=i: rows(i)), ("bare", lambda i=i: bare(i)),
                         ("reload", save_and_reload), ("refresh", save_and_refresh)):
            sample, _ = measure(run, collect=i % 20 == 0 and key == "save")
            samples[key].append(sample)
    service.store.close()
    rows_engine.dispose()
    bare_engine.dispose()
    return samples, answered


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        samples, answered = bench(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
    print(f"flagship checklist, {answered} answers held; {ROUNDS} saves of {QUESTION!r}, "
          "each round measuring product and floors in turn")
    floor = "the same 3 rows written bare, same tables, one commit"
    for what, pick in (("CPU", median_cpu), ("wall", median_wall)):
        suffix = "" if what == "CPU" else "_wall"
        rows = pick(samples["rows"])
        figure(f"save{suffix}", f"save one answer, shipped checklist ({what}, median)",
               pick(samples["save"]), rows, floor)
        figure(f"save_single_insert{suffix}", f"save one answer, against one row ({what}, "
               "median)", pick(samples["save"]), pick(samples["bare"]),
               "bare single-row insert+commit, same file")
        figure(f"save_reload{suffix}", f"save + reading the whole view back (service.view, "
               f"the screen's old reload) ({what}, median)", pick(samples["reload"]), rows,
               floor)
        figure(f"save_refresh{suffix}", f"save + the screen's refresh (view_with) ({what}, "
               "median)", pick(samples["refresh"]), rows, floor)


if __name__ == "__main__":
    main()
