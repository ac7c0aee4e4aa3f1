"""The tamper-evident history: append-only events chained by SHA-256."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from sqlmodel import Session, col, select

from app.records import EventKind
from app.store.locks import hold_audit_lock
from app.store.tables import AuditRow, HistoryEventRow

GENESIS = "0" * 64


def canonical_text(value: Any) -> str:
    """JSON with sorted keys and no spaces: the same value always gives the same text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_json(value: Any) -> str | None:
    """`canonical_text` of a value, None for None (an event field left empty)."""
    return None if value is None else canonical_text(value)


def event_hash(row: HistoryEventRow, prev: str | None = None) -> str:
    """The SHA-256 of an event's fields and the hash of the event before it (`prev`, else
    the one the event records)."""
    payload = {
        "audit_id": row.audit_id,
        "seq": row.seq,
        "at": row.at,
        "actor": row.actor,
        "kind": row.kind,
        "question_id": row.question_id,
        "old": row.old_json,
        "new": row.new_json,
        "reason": row.reason,
        "prev": row.prev_hash if prev is None else prev,
    }
    return hashlib.sha256(canonical_text(payload).encode("utf-8")).hexdigest()


def append_event(session: Session, audit: AuditRow, *, at: str, actor: str, kind: EventKind,
                 question_id: str | None = None, old: Any = None, new: Any = None,
                 reason: str | None = None) -> HistoryEventRow:
    """Add the next event of `audit` to the session and move the audit's head to it.

    The change should hold the audit's lock from its start (`lock_audit`); the lock is taken
    here too, so that no two events can ever read the same last event.
    """
    hold_audit_lock(session, audit.id)
    last = session.exec(
        select(HistoryEventRow).where(HistoryEventRow.audit_id == audit.id)
        .order_by(col(HistoryEventRow.seq).desc()).limit(1)
    ).first()
    row = HistoryEventRow(
        audit_id=audit.id,
        seq=(last.seq + 1) if last else 1,
        at=at,
        actor=actor,
        kind=kind,
        question_id=question_id,
        old_json=canonical_json(old),
        new_json=canonical_json(new),
        reason=reason or None,
        prev_hash=last.hash if last else GENESIS,
        hash="",
    )
    row.hash = event_hash(row)
    session.add(row)
    audit.history_head = row.hash
    audit.history_length = row.seq
    audit.updated_at = at
    session.add(audit)
    return row


def chain_problems(events: Iterable[HistoryEventRow], audit: AuditRow) -> list[str]:
    """What is wrong with the chain itself: order, links, hashes, and the stored head.
    Reads `events` (oldest first) once, so that they may be streamed."""
    problems = []
    previous = GENESIS
    count, last = 0, None
    for expected_seq, row in enumerate(events, start=1):
        if row.seq != expected_seq:
            problems.append(f"event {expected_seq} is missing (found event {row.seq} instead)")
        if row.prev_hash != previous:
            problems.append(f"event {row.seq} does not link to the event before it")
        if event_hash(row) != row.hash:
            problems.append(f"event {row.seq} ({row.kind}) was altered: its hash does not match")
        previous = last = row.hash
        count = expected_seq
    if audit.history_length != count or audit.history_head != last:
        problems.append(
            f"the audit records {audit.history_length} events ending in "
            f"{(audit.history_head or 'none')[:12]}, but the history holds {count} "
            f"ending in {(last or 'none')[:12]}: events were removed "
            "or added behind the tool's back")
    return problems


def recomputed_heads(events: list[HistoryEventRow]) -> list[str]:
    """The chain's hashes recomputed from each event's stored fields, from the genesis: a
    rewritten event changes its own and every later one, whatever the stored hashes say."""
    heads = []
    previous = GENESIS
    for row in events:
        previous = event_hash(row, previous)
        heads.append(previous)
    return heads


def anchor_problems(events: Iterable[HistoryEventRow], head: str, length: int | None,
                    ) -> list[str]:
    """Problems when the chain recomputed from the stored events does not pass through
    `head` (at event `length` when given): a head recorded earlier, or the signed one.

    The events are read once, as they come, so a long history is checked in bounded memory.
    """
    previous, count, at_length, seen = GENESIS, 0, GENESIS, False
    for row in events:
        previous = event_hash(row, previous)
        count += 1
        seen = seen or previous == head
        if count == length:
            at_length = previous
    if length is not None:
        if length > count:
            return [f"the history holds {count} events, fewer than the {length} that "
                    "were recorded: events were removed"]
        if at_length == head or (length == 0 and head in (None, GENESIS)):
            return []
        return [f"the history recomputed up to event {length} ends in {at_length[:12]}, not "
                f"in the recorded head {head[:12]}: the history was rewritten"]
    if seen:
        return []
    return [f"the head {head[:12]} recorded earlier is not in this history: events up to "
            "it were rewritten or removed"]
