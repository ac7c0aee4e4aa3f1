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

A chained save cannot write without reading: the event it appends records the answer it
replaces and links to the head it found. So a third floor, for reference too, reads first
what a save reads (the write lock taken, then one SELECT on the driver's cursor of the
audit's row, its last event and the two answers concerned), then writes the three rows.
Each round measures the product and every floor in turn, so that the shared machine's load
falls on all of them alike.
"""

from __future__ import annotations

import operator
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

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


def _same_rows_writer(url: str, audit_id: str,
                      ) -> tuple[Callable[[int], None], Callable[[Any, int], None], Any]:
    """The three rows of a save written bare into the product's own tables, for a second
    audit of its own: the saved answer's row updated, one history event of the same size
    inserted, the audit's head moved; one commit. Returned with the writer: the same
    three writes for a transaction already begun, and the engine. (It breaks that audit's
    chain: the file is thrown away.)"""
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

    def rows_in(connection: Any, i: int) -> None:
        seq = last.seq + 1 + i
        connection.execute(update_answer, {
            "answer_id": row.id, "value_json": f'"Bare {i}"', "note": row.note,
            "state": row.state, "na_reason": None, "updated_by": "bench",
            "updated_at": last.at})
        connection.execute(insert_event, {**template, "seq": seq})
        connection.execute(move_head, {"audit_id": audit_id, "head": last.hash,
                                       "length": seq, "at": last.at})

    def write(i: int) -> None:
        with engine.begin() as connection:
            rows_in(connection, i)

    return write, rows_in, engine


_READ = """
SELECT audit.id, audit.status, audit.jurisdiction, audit.period_start, audit.period_end,
       audit.checklist_sha256, audit.overlay_sha256s, audit.history_head, audit.history_length,
       (SELECT seq FROM history_event WHERE audit_id = audit.id ORDER BY seq DESC LIMIT 1),
       (SELECT hash FROM history_event WHERE audit_id = audit.id ORDER BY seq DESC LIMIT 1),
       a0.id, a0.question_id, a0.value_json, a0.note, a0.state, a0.na_reason, a0.updated_by,
       a0.updated_at, a1.id, a1.question_id, a1.value_json, a1.note, a1.state, a1.na_reason,
       a1.updated_by, a1.updated_at
FROM audit
LEFT OUTER JOIN answer AS a0 ON a0.audit_id = audit.id AND a0.question_id = ?
LEFT OUTER JOIN answer AS a1 ON a1.audit_id = audit.id AND a1.question_id = ?
WHERE audit.id = ?
"""
"""What a save of QUESTION reads, written out: it depends on one other answer."""


def _read_then_rows_writer(url: str, audit_id: str) -> tuple[Callable[[int], None], Any]:
    """`_same_rows_writer`, after taking the write lock and reading what a save reads."""
    _, rows_in, engine = _same_rows_writer(url, audit_id)

    def read_then_write(i: int) -> None:
        with engine.begin() as connection:
            driver = connection.connection.dbapi_connection
            driver.execute("BEGIN IMMEDIATE")
            cursor = driver.cursor()
            cursor.execute(_READ, (QUESTION, "nlets_connected", audit_id))
            cursor.fetchall()
            cursor.close()
            rows_in(connection, i)

    return read_then_write, engine


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


class _Setup(NamedTuple):
    service: Any
    audit_id: str
    answered: int
    writers: dict[str, Callable[[int], None]]
    engines: list[Any]


def _set_up(url: str) -> _Setup:
    """The service with an audit holding the demo answers, and the floors' writers, on
    a second audit of their own."""
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
    rows, _, rows_engine = _same_rows_writer(url, floor_id)
    read_rows, read_engine = _read_then_rows_writer(url, floor_id)
    bare, bare_engine = _single_insert_writer(url)
    writers = {
        "save": lambda i: service.set_answer(audit_id, QUESTION, f"Vendor {i}"),
        "rows": rows,
        "read_rows": lambda i: read_rows(10 * ROUNDS + i),  # its own seqs
        "bare": bare}
    return _Setup(service, audit_id, answered, writers,
                  [rows_engine, read_engine, bare_engine])


def _close(setup: _Setup) -> None:
    setup.service.store.close()
    for engine in setup.engines:
        engine.dispose()


def bench(url: str) -> tuple[dict[str, list[Sample]], int]:
    """Every figure's samples, taken in turn in each round (so that a change in the load of
    the shared machine falls on product and floor alike)."""
    setup = _set_up(url)
    service, audit_id = setup.service, setup.audit_id
    samples: dict[str, list[Sample]] = {
        "save": [], "reload": [], "refresh": [], "rows": [], "read_rows": [], "bare": []}
    for i in range(ROUNDS):
        def save_and_reload(i: int = i) -> None:
            service.set_answer(audit_id, QUESTION, f"Vendor {i} again")
            service.view(audit_id)

        view = service.view(audit_id)

        def save_and_refresh(i: int = i, view=view) -> None:
            saved = service.set_answer(audit_id, QUESTION, f"Vendor {i} once more")
            service.view_with(view, saved)

        for key, run in (*((key, lambda i=i, write=write: write(i))
                           for key, write in setup.writers.items()),
                         ("reload", save_and_reload), ("refresh", save_and_refresh)):
            sample, _ = measure(run, collect=i % 20 == 0 and key == "save")
            samples[key].append(sample)
    _close(setup)
    return samples, setup.answered


COUNTED = 100


def _count_in_child(kind: str) -> None:
    """Run COUNTED writes of `kind` (after as many uncounted) inside `operator.call`, the
    one function callgrind is told to count in (run by `instructions_per_write`)."""
    with tempfile.TemporaryDirectory() as folder:
        setup = _set_up(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        write = setup.writers[kind]
        for i in range(COUNTED):
            write(ROUNDS + i)

        def counted() -> None:
            for i in range(COUNTED):
                write(2 * ROUNDS + i)

        operator.call(counted)
        _close(setup)


def instructions_per_write(kinds: tuple[str, ...]) -> dict[str, float] | None:
    """Instructions per write of each kind, counted by valgrind's callgrind over COUNTED
    writes with a fixed hash seed (the count repeats where CPU seconds move with the
    machine's load); None without valgrind."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        return None
    counts = {}
    with tempfile.TemporaryDirectory() as folder:
        for kind in kinds:
            result = subprocess.run(
                [valgrind, "--tool=callgrind", "--collect-atstart=no",
                 "--toggle-collect=_operator_call",
                 f"--callgrind-out-file={Path(folder) / 'callgrind.out'}", sys.executable,
                 __file__, "--count", kind],
                capture_output=True, text=True, cwd=ROOT, check=False,
                env={**os.environ, "PYTHONHASHSEED": "0"})
            found = re.search(r"Collected : (\d+)", result.stderr)
            if result.returncode != 0 or found is None:
                raise RuntimeError(f"callgrind failed: {result.stderr[-2000:]}")
            counts[kind] = int(found.group(1)) / COUNTED
    return counts


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
        figure(f"save_read_rows{suffix}", f"save one answer, against reading first what it "
               f"reads ({what}, median)", pick(samples["save"]), pick(samples["read_rows"]),
               "the write lock, the one read of a save, then the 3 rows bare")
        figure(f"save_single_insert{suffix}", f"save one answer, against one row ({what}, "
               "median)", pick(samples["save"]), pick(samples["bare"]),
               "bare single-row insert+commit, same file")
        figure(f"save_reload{suffix}", f"save + reading the whole view back (service.view, "
               f"the screen's old reload) ({what}, median)", pick(samples["reload"]), rows,
               floor)
        figure(f"save_refresh{suffix}", f"save + the screen's refresh (view_with) ({what}, "
               "median)", pick(samples["refresh"]), rows, floor)
    counts = instructions_per_write(("save", "rows", "read_rows"))
    if counts is None:
        print("save in instructions: skipped, valgrind is not installed")
        return
    figure("save_instructions", "save one answer, in instructions (callgrind)",
           counts["save"], counts["rows"], floor, unit="K instructions")
    figure("save_read_rows_instructions", "save one answer, against reading first what it "
           "reads, in instructions (callgrind)", counts["save"], counts["read_rows"],
           "the write lock, the one read of a save, then the 3 rows bare",
           unit="K instructions")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--count"]:
        _count_in_child(sys.argv[2])
    else:
        main()
