"""The audit list's progress and finding counts.

Each audit is counted against the checklist it is answered against (its base with the state
overlays it applies), from its answers read in bulk. The counts are derived data: kept in
memory and in the database (`audit_counts`) with the SHA-256 of what they were counted from
(the audit's history head and length, which every change moves; its checklist, overlays and
jurisdiction; the code that counts). Counts whose source moved on are counted again, so the
list at start-up evaluates only the audits changed since they were last listed.
`stored_counts_problem` lets `history verify` count again any stored counts that claim to
be current.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import secrets
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, delete, insert
from sqlalchemy import select as core_select
from sqlalchemy.exc import ProgrammingError
from sqlmodel import Session, col, select

from app.store import Store, StoreError, schema

if TYPE_CHECKING:
    from app.checklist.evaluate import AnswerFacts, Evaluation
    from app.checklist.model import Checklist

Counts = tuple[int, int, int]
"""Required questions resolved, required questions shown, findings."""

_BATCH = 500
_APP = Path(__file__).resolve().parents[1]


@functools.cache
def counting_code_digest() -> str:
    """The SHA-256 of the code that turns a stored checklist and answers into counts (the
    checklist package, this module, and the service core that merges overlays): counts
    kept by another version of it are counted again. Where the source cannot be read (an
    installation without it), a digest of this process alone: every count is taken again."""
    digest = hashlib.sha256()
    try:
        for path in sorted((_APP / "checklist").glob("*.py")) + [
                _APP / "audit" / "listing.py", _APP / "audit" / "core.py"]:
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    except OSError:
        return secrets.token_hex(32)
    return digest.hexdigest()


def derived_from(row: schema.AuditRecord) -> str:
    """The SHA-256 of what the counts of the audit `row` derive from."""
    source = [row.id, row.history_head, row.history_length, row.checklist_sha256,
              row.overlay_sha256s, row.jurisdiction, counting_code_digest()]
    return hashlib.sha256(json.dumps(source).encode()).hexdigest()


def counts_of(evaluation: Evaluation) -> Counts:
    """The list's counts of an evaluated audit."""
    return evaluation.progress.done, evaluation.progress.total, len(evaluation.findings)


class ListingCounts:
    """Progress and finding counts of listed audits, each evaluated again only when what
    it was counted from has changed."""

    def __init__(self) -> None:
        self._known: dict[str, tuple[str, Counts]] = {}

    def counts(self, session: Session, rows: Sequence[schema.AuditRecord],
               checklist_of: Callable[[schema.AuditRecord], Checklist]) -> tuple[
                   dict[str, Counts], dict[str, tuple[str, Counts]]]:
        """The counts of every audit in `rows` (`checklist_of` gives an audit's effective
        checklist), and those that were counted now (to be kept with `keep`). Counts are
        taken from memory, then from the database, and only then counted, reading the
        answers in a few queries of plain columns."""
        sources = {row.id: derived_from(row) for row in rows}

        def current(audit_id: str) -> bool:
            return self._known.get(audit_id, ("", (0, 0, 0)))[0] == sources[audit_id]

        unknown = [row.id for row in rows if not current(row.id)]
        for audit_id, kept in _stored(session, unknown).items():
            if kept[0] == sources[audit_id]:
                self._known[audit_id] = kept
        stale = [row for row in rows if not current(row.id)]
        fresh: dict[str, tuple[str, Counts]] = {}
        if stale:
            from app.checklist.evaluate import evaluate

            facts = _answer_facts(session, [row.id for row in stale])
            for row in stale:
                evaluation = evaluate(checklist_of(row), facts.get(row.id, {}))
                fresh[row.id] = self._known[row.id] = (sources[row.id], counts_of(evaluation))
        return {row.id: self._known[row.id][1] for row in rows}, fresh

    @staticmethod
    def keep(store: Store, fresh: dict[str, tuple[str, Counts]]) -> None:
        """Keep counts in the database for the next listing, if this user may and nobody
        else is writing: a read-only database, a role without the right (a reviewer) or a
        SQLite file another process is writing to (never waited for: the list is on screen)
        leaves them counted in memory only."""
        if not fresh:
            return
        try:
            with store.transaction() as connection, _not_waiting(connection):
                ids = list(fresh)
                for start in range(0, len(ids), _BATCH):
                    connection.execute(delete(schema.COUNTS).where(
                        schema.COUNTS.c.audit_id.in_(ids[start:start + _BATCH])))
                connection.execute(insert(schema.COUNTS), [
                    {"audit_id": audit_id, "derived_from": source, "done": done,
                     "total": total, "findings": findings}
                    for audit_id, (source, (done, total, findings)) in fresh.items()])
        except StoreError:
            pass  # derived data: the next listing counts them again


@contextlib.contextmanager
def _not_waiting(connection: Connection) -> Iterator[None]:
    """On SQLite, fail at once instead of waiting for another writer's lock."""
    if connection.dialect.name != "sqlite":
        yield
        return
    waited = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
    connection.exec_driver_sql("PRAGMA busy_timeout=0")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA busy_timeout={int(waited or 0)}")


def stored_counts_problem(session: Session, row: schema.AuditRow,
                          evaluation: Callable[[], Evaluation]) -> str | None:
    """What is wrong with the audit's stored list counts, if they claim to be current and
    differ from `evaluation()` (the audit evaluated from its answers); None when they agree
    or are not current (those are counted again before they are shown)."""
    kept = _stored(session, [row.id]).get(row.id)
    if kept is None or kept[0] != derived_from(row):
        return None
    real = counts_of(evaluation())
    if kept[1] == real:
        return None
    return (f"the audit list's stored counts ({_said(kept[1])}) do not match the answers "
            f"({_said(real)}): the database was changed outside nlets-audit")


def _said(counts: Counts) -> str:
    done, total, findings = counts
    return f"{done} of {total} done, {findings} finding{'' if findings == 1 else 's'}"


def _stored(session: Session, audit_ids: list[str]) -> dict[str, tuple[str, Counts]]:
    """The kept counts of these audits; none where this user may not read them (an office
    whose grants were not run again since the upgrade that added them)."""
    if not audit_ids:
        return {}
    if session.get_bind().dialect.name == "sqlite":
        return _read_stored(session, audit_ids)
    try:
        with session.begin_nested():  # a refusal must not end the listing's transaction
            return _read_stored(session, audit_ids)
    except ProgrammingError:
        return {}


def _read_stored(session: Session, audit_ids: list[str]) -> dict[str, tuple[str, Counts]]:
    kept: dict[str, tuple[str, Counts]] = {}
    counts = schema.COUNTS
    for start in range(0, len(audit_ids), _BATCH):
        for audit_id, source, done, total, findings in session.execute(
                core_select(counts.c.audit_id, counts.c.derived_from, counts.c.done,
                            counts.c.total, counts.c.findings).where(
                    counts.c.audit_id.in_(audit_ids[start:start + _BATCH]))):
            kept[audit_id] = (source, (done, total, findings))
    return kept


def _answer_facts(session: Session, audit_ids: list[str]) -> dict[str, dict[str, AnswerFacts]]:
    from app.audit.convert import answer_state
    from app.checklist.evaluate import AnswerFacts

    facts: dict[str, dict[str, AnswerFacts]] = defaultdict(dict)
    for start in range(0, len(audit_ids), _BATCH):
        batch = audit_ids[start:start + _BATCH]
        for audit_id, question_id, value_json, state in session.exec(
                select(schema.AnswerRow.audit_id, schema.AnswerRow.question_id,
                       schema.AnswerRow.value_json, schema.AnswerRow.state)
                .where(col(schema.AnswerRow.audit_id).in_(batch))):
            facts[audit_id][question_id] = AnswerFacts(
                json.loads(value_json) if value_json is not None else None,
                answer_state(state))
    return facts
