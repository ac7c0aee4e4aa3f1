"""Long histories: an audit of the flagship checklist with 100,000 history events.

- `history verify` and `history show` on the command line, each in a fresh process to
  exit: wall and CPU seconds and peak resident memory, against a floor measured the same
  way: a process that imports every module the command had loaded when it ended (listed
  by a first, untimed run of it: the CLI imports most of them only on use), then streams
  the same events from the same SQLite file with sqlite3 and re-hashes and links every one
  (verify) or prints one line per event (show): the least either command must do;
- `view()` and a save on that audit, against the same calls on an audit holding the same
  answers with a short history (so the ratio is what the long history costs).

The events are written straight into the store with the history module's own hashing, so
the chain is real (the bench asserts that `history verify` passes).
"""

from __future__ import annotations

import itertools
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import FLAGSHIP, child_env, figure, measure, median_cpu, peak_rss  # noqa: E402

EVENTS = 100_000
QUESTION = "switch_vendor"
RUNS = 3

CLI = """
import sys
from app.cli import main
sys.exit(main(sys.argv[1:]))
"""

_SAME_IMPORTS = """
import importlib, json, sys
for _name in json.loads(open(sys.argv[3]).read()):  # the modules the command had loaded
    if _name != "__main__" and not _name.endswith(".__main__"):
        try:
            importlib.import_module(_name)
        except ImportError:
            pass
"""

MODULES_AT_EXIT = """
import atexit, json, os, sys
atexit.register(lambda: open(os.environ["BENCH_MODULES"], "w").write(json.dumps(sorted(
    sys.modules))))
"""

FLOOR_VERIFY = _SAME_IMPORTS + """
import hashlib, json, sqlite3, sys
connection = sqlite3.connect(sys.argv[1])
previous, count = "0" * 64, 0
rows = connection.execute(
    "SELECT audit_id, seq, at, actor, kind, question_id, old_json, new_json, reason, "
    "prev_hash, hash FROM history_event WHERE audit_id = ? ORDER BY seq", (sys.argv[2],))
for audit_id, seq, at, actor, kind, question, old, new, reason, prev, digest in rows:
    payload = {"audit_id": audit_id, "seq": seq, "at": at, "actor": actor, "kind": kind,
               "question_id": question, "old": old, "new": new, "reason": reason,
               "prev": prev}
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert prev == previous and hashlib.sha256(text.encode()).hexdigest() == digest
    json.loads(new) if new else None
    previous, count = digest, count + 1
assert count > 0
"""

FLOOR_SHOW = _SAME_IMPORTS + """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1])
rows = connection.execute(
    "SELECT seq, at, actor, kind, question_id, reason FROM history_event "
    "WHERE audit_id = ? ORDER BY seq", (sys.argv[2],))
out = sys.stdout
for seq, at, actor, kind, question, reason in rows:
    subject = f" {question}" if question else ""
    why = f"  ({reason})" if reason else ""
    out.write(f"{seq:>5}  {at}  {actor}  {kind}{subject}{why}\\n")
"""


def seed_long_history(service, audit_id: str, events: int) -> None:
    """Append `events` note changes of QUESTION to the audit, chained as the service
    chains them, and leave the stored answer as the last event says."""
    from sqlmodel import select

    from app.audit.history import canonical_json, event_hash
    from app.store.tables import AnswerRow, AuditRow, HistoryEventRow

    with service.store.session() as session:
        audit = session.get(AuditRow, audit_id)
        answer = session.exec(select(AnswerRow).where(
            AnswerRow.audit_id == audit_id, AnswerRow.question_id == QUESTION)).one()
        value = answer.value_json
        seq, previous = audit.history_length, audit.history_head
        old = {"value": value and json.loads(value), "note": answer.note,
               "state": answer.state, "na_reason": answer.na_reason}
        for index in range(events):
            seq += 1
            at = f"2025-06-{1 + index % 28:02d}T12:{index % 60:02d}:00Z"
            new = {**old, "note": f"Checked again, round {index}."}
            row = HistoryEventRow(audit_id=audit_id, seq=seq, at=at, actor="bench",
                                  kind="note_set", question_id=QUESTION,
                                  old_json=canonical_json(old), new_json=canonical_json(new),
                                  reason=None, prev_hash=previous, hash="")
            row.hash = event_hash(row)
            previous, old = row.hash, new
            session.add(row)
            if index % 5000 == 0:
                session.flush()
        answer.note, answer.updated_by, answer.updated_at = old["note"], "bench", at
        session.add(answer)
        audit.history_head, audit.history_length, audit.updated_at = previous, seq, at
        session.add(audit)


def main() -> None:
    from app.audit import AuditService
    from app.checklist import load_checklist
    from app.store import open_store
    from tests.report.demo import fill_demo_answers

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        path = folder / "history.sqlite3"
        url = f"sqlite:///{path}"
        service = AuditService(open_store(url), actor="bench")
        loaded = load_checklist(FLAGSHIP)
        audits = []
        for _ in range(2):
            audit_id = service.create_audit(loaded, jurisdiction="WA",
                                            period_start="2025-01-01",
                                            period_end="2025-12-31").id
            fill_demo_answers(service, audit_id)
            audits.append(audit_id)
        long_id, short_id = audits
        seed_long_history(service, long_id, EVENTS)
        from sqlalchemy import func
        from sqlmodel import select

        from app.store.tables import HistoryEventRow

        def count(audit_id: str) -> int:  # counted, so that this process stays small
            with service.store.session() as session:
                return session.exec(select(func.count()).select_from(HistoryEventRow).where(
                    HistoryEventRow.audit_id == audit_id)).one()

        events, short_events = count(long_id), count(short_id)
        print(f"flagship audit with {events:,} history events; the short one has "
              f"{short_events}")

        env = child_env(folder / "home")
        for command, floor_code in (("verify", FLOOR_VERIFY), ("show", FLOOR_SHOW)):
            modules = folder / f"modules-{command}.json"
            subprocess.run([sys.executable, "-c", MODULES_AT_EXIT + CLI, "--db", url,
                            "history", command, long_id], stdout=subprocess.DEVNULL,
                           env={**env, "BENCH_MODULES": str(modules)}, cwd=ROOT, check=True)
            product, floor = [], []
            for _ in range(RUNS):
                product.append(peak_rss(CLI, ["--db", url, "history", command, long_id],
                                        env))
                floor.append(peak_rss(floor_code, [str(path), long_id, str(modules)], env))
            for index, what, unit in ((1, "CPU", "s"), (0, "wall", "s"),
                                      (2, "peak memory", "MB")):
                suffix = {"CPU": "", "wall": "_wall", "peak memory": "_memory"}[what]
                figure(f"history_{command}{suffix}",
                       f"history {command}, {events:,} events ({what}, median of {RUNS})",
                       statistics.median(p[index] for p in product),
                       statistics.median(f[index] for f in floor),
                       f"sqlite3 streaming the events{' and re-hashing' if command == 'verify' else ''}",  # noqa: E501
                       unit=unit)

        counter = itertools.count()
        for label, key, call in (
                ("view()", "view", lambda ref: service.view(ref)),
                ("save one answer", "save", lambda ref: service.set_answer(
                    ref, "dmv_agency", f"Department of Licensing {next(counter)}"))):
            long = [measure(lambda c=call: c(long_id))[0] for _ in range(7)]
            short = [measure(lambda c=call: c(short_id))[0] for _ in range(7)]
            figure(f"history_long_{key}", f"{label} on the audit of {events:,} events (CPU, "
                   "median of 7)", median_cpu(long), median_cpu(short),
                   f"the same on an audit of {short_events} events")

        # the TUI's history view reads one page at a time: the newest page (what opening
        # it costs) and a page filtered by a question's words (SQL scans the history)
        for label, key, words in (("the history view's first page", "page", ""),
                                  ("a history page filtered by a question's words",
                                   "page_filtered", "message switch")):
            long = [measure(lambda w=words: service.history_page(long_id, text=w))[0]
                    for _ in range(7)]
            short = [measure(lambda w=words: service.history_page(short_id, text=w))[0]
                     for _ in range(7)]
            figure(f"history_{key}", f"{label}, {events:,} events (CPU, median of 7)",
                   median_cpu(long), median_cpu(short),
                   f"the same on an audit of {short_events} events")
        service.store.close()


if __name__ == "__main__":
    main()
