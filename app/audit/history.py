"""The tamper-evident history: append-only events chained by SHA-256."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from sqlmodel import Session, col, select

from app.records import EventKind
from app.store import schema
from app.store.errors import StoreError
from app.store.locks import hold_audit_lock

GENESIS = "0" * 64


class HistoryDiverged(StoreError):
    """The head an audit records is not its last stored event: the history was changed
    behind the tool's back, and nothing is chained onto it."""


_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_text(value: Any) -> str:
    """JSON with sorted keys and no spaces: the same value always gives the same text."""
    return _CANONICAL.encode(value)


def canonical_json(value: Any) -> str | None:
    """`canonical_text` of a value, None for None (an event field left empty)."""
    return None if value is None else canonical_text(value)


def event_hash(row: schema.HistoryEventRow, prev: str | None = None) -> str:
    """The SHA-256 of an event's fields and the hash of the event before it (`prev`, else
    the one the event records)."""
    return event_digest(row.audit_id, row.seq, row.at, row.actor, row.kind, row.question_id,
                        row.old_json, row.new_json, row.reason,
                        row.prev_hash if prev is None else prev)


def event_digest(audit_id: str, seq: int, at: str, actor: str, kind: str,
                 question_id: str | None, old_json: str | None, new_json: str | None,
                 reason: str | None, prev: str) -> str:
    """The SHA-256 that chains an event with these stored fields to the event before it
    (whose hash is `prev`): what `event_hash` computes from a row."""
    payload = {
        "audit_id": audit_id,
        "seq": seq,
        "at": at,
        "actor": actor,
        "kind": kind,
        "question_id": question_id,
        "old": old_json,
        "new": new_json,
        "reason": reason,
        "prev": prev,
    }
    return hashlib.sha256(canonical_text(payload).encode("utf-8")).hexdigest()


def next_link(audit_id: str, head: str | None, length: int,
              last: tuple[int, str] | None) -> tuple[int, str]:
    """The seq and previous hash of the next event of an audit, from the head the audit
    records (`head`, `length`) and the last stored event (`last`: its seq and hash). Read
    both with the audit's lock held: when they disagree, the history was changed behind
    the tool's back (an event removed or added), and no change is chained onto it."""
    stored = last or (0, GENESIS)
    if (length, head or GENESIS) != stored:
        raise HistoryDiverged(
            f"the history of audit {audit_id[:12]} was changed outside nlets-audit: the audit "
            f"records {length} events ending in {(head or 'none')[:12]}, but the history "
            f"holds {stored[0]} ending in {stored[1][:12] if last else 'none'}. Nothing was "
            f"saved; `nlets-audit history verify {audit_id[:12]}` names what changed — "
            "restore the database from a backup")
    return stored[0] + 1, stored[1]


def append_event(session: Session, audit: schema.AuditRow, *, at: str, actor: str, kind: EventKind,
                 question_id: str | None = None, old: Any = None, new: Any = None,
                 reason: str | None = None) -> schema.HistoryEventRow:
    """Add the next event of `audit` to the session and move the audit's head to it.

    The change should hold the audit's lock from its start (`lock_audit`); the lock is taken
    here too, so that no two events can ever read the same last event.
    """
    hold_audit_lock(session, audit.id)
    last = session.exec(
        select(schema.HistoryEventRow.seq, schema.HistoryEventRow.hash)
        .where(schema.HistoryEventRow.audit_id == audit.id)
        .order_by(col(schema.HistoryEventRow.seq).desc()).limit(1)
    ).first()
    seq, prev = next_link(audit.id, audit.history_head, audit.history_length,
                          (last[0], last[1]) if last else None)
    row = schema.HistoryEventRow(
        audit_id=audit.id,
        seq=seq,
        at=at,
        actor=actor,
        kind=kind,
        question_id=question_id,
        old_json=canonical_json(old),
        new_json=canonical_json(new),
        reason=reason or None,
        prev_hash=prev,
        hash="",
    )
    row.hash = event_hash(row)
    session.add(row)
    audit.history_head = row.hash
    audit.history_length = row.seq
    audit.updated_at = at
    session.add(audit)
    return row


def chain_problems(events: Iterable[schema.HistoryEventRow], audit: schema.AuditRow) -> list[str]:
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


def recomputed_heads(events: list[schema.HistoryEventRow]) -> list[str]:
    """The chain's hashes recomputed from each event's stored fields, from the genesis: a
    rewritten event changes its own and every later one, whatever the stored hashes say."""
    heads = []
    previous = GENESIS
    for row in events:
        previous = event_hash(row, previous)
        heads.append(previous)
    return heads


def anchor_problems(events: Iterable[schema.HistoryEventRow], head: str, length: int | None,
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
