"""A long history is checked and listed in bounded memory: the events are streamed."""

from __future__ import annotations

import gc
import json
import tracemalloc

from sqlmodel import select

from app.audit import AuditService
from app.audit.history import canonical_json, event_hash
from app.store.tables import AnswerRow, AuditRow, HistoryEventRow

QUESTION = "switch_vendor"


def _add_note_events(service: AuditService, audit_id: str, count: int) -> None:
    """`count` more note changes of QUESTION, chained as the service chains them."""
    with service.store.session() as session:
        audit = session.get(AuditRow, audit_id)
        answer = session.exec(select(AnswerRow).where(
            AnswerRow.audit_id == audit_id, AnswerRow.question_id == QUESTION)).one()
        old = {"value": json.loads(answer.value_json), "note": answer.note,
               "state": answer.state, "na_reason": answer.na_reason}
        seq, previous, at = audit.history_length, audit.history_head, audit.updated_at
        for index in range(count):
            seq += 1
            new = {**old, "note": f"Checked again, round {index}, " + "x" * 200}
            row = HistoryEventRow(audit_id=audit_id, seq=seq, at=at, actor="tester",
                                  kind="note_set", question_id=QUESTION,
                                  old_json=canonical_json(old), new_json=canonical_json(new),
                                  reason=None, prev_hash=previous, hash="")
            row.hash = event_hash(row)
            previous, old = row.hash, new
            session.add(row)
            if index % 2000 == 0:
                session.flush()
        answer.note, answer.updated_by, answer.updated_at = old["note"], "tester", at
        session.add(answer)
        audit.history_head, audit.history_length = previous, seq


def _peak(run) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_verify_and_listing_memory_do_not_grow_with_the_history(service, audit_id):
    service.set_answer(audit_id, "connected", "yes")
    service.set_answer(audit_id, QUESTION, "WSP ACCESS")
    _add_note_events(service, audit_id, 1000)
    report = service.verify_history(audit_id)
    assert report.ok, report.problems
    short_verify = _peak(lambda: service.verify_history(audit_id))
    short_listing = _peak(lambda: sum(1 for _ in service.iter_history(audit_id)))

    _add_note_events(service, audit_id, 7000)
    report = service.verify_history(audit_id)
    assert report.ok and report.events > 8000, report.problems
    long_verify = _peak(lambda: service.verify_history(audit_id))
    long_listing = _peak(lambda: sum(1 for _ in service.iter_history(audit_id)))
    # eight times the events; held all at once, the peak would grow about eight times over
    assert long_verify < 2 * short_verify, (short_verify, long_verify)
    assert long_listing < 2 * short_listing, (short_listing, long_listing)


def test_a_streamed_check_still_finds_an_altered_event(service, audit_id):
    service.set_answer(audit_id, "connected", "yes")
    service.set_answer(audit_id, QUESTION, "WSP ACCESS")
    _add_note_events(service, audit_id, 1600)
    with service.store.session() as session:
        event = session.exec(select(HistoryEventRow).where(
            HistoryEventRow.audit_id == audit_id, HistoryEventRow.seq == 900)).one()
        event.actor = "someone else"
        session.add(event)
    report = service.verify_history(audit_id)
    assert not report.ok
    assert any("event 900" in problem and "altered" in problem for problem in report.problems)
    assert report.events == len(service.history(audit_id))
