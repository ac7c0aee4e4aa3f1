"""Saving one answer: one short transaction of SQLAlchemy Core statements built once.

A save locks the audit and reads its row, reads in one statement its own answer and the
answers that decide whether the question is shown, reads the last history event to check
the head the audit records, then writes the answer, appends its event and moves the head.
What was saved is returned as it was written, not read back. The chain and the checks are
those of `append_event` and `refuse_stale`; only the ORM's bookkeeping is left out.
"""

from __future__ import annotations

import functools
import json
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import Compiled, Connection, Insert, Select, Table, Update, and_, bindparam, select
from sqlalchemy.exc import DBAPIError

from app.audit import convert
from app.audit.clock import utc_now
from app.audit.conflicts import refuse_stale
from app.audit.core import ServiceCore, normal_ref
from app.audit.history import canonical_json, event_digest, next_link
from app.audit.inputs import NOTE_LIMIT, REASON_LIMIT, limited
from app.audit.unchecked import UNCHECKED
from app.checklist.answer_state import AnswerFacts, AnswerState
from app.errors import UserFacingError
from app.records import AnswerInfo, AuditStatus, EventKind
from app.store import schema
from app.store.errors import StoreConflict
from app.store.locks import begin_immediate, retry_conflicts

if TYPE_CHECKING:
    from app.checklist.model import Question


_ID_LENGTH = 32  # uuid4().hex: a full id is looked up directly, a prefix resolved first


class _Statements(NamedTuple):
    """The statements of a save, built on the first one (the tables load with them)."""

    audit: Table
    answer: Table
    event: Table
    lock_audit: Select[Any]
    insert_answer: Insert
    update_answer: Update
    insert_event: Insert
    move_head: Update
    """Moves the head only from where this change read it: with the lock held it always
    does."""


@functools.cache
def _sql() -> _Statements:
    audit = schema.table_of(schema.AuditRow)
    answer = schema.table_of(schema.AnswerRow)
    event = schema.table_of(schema.HistoryEventRow)
    return _Statements(
        audit, answer, event,
        lock_audit=select(audit.c.id).where(audit.c.id == bindparam("audit_id"))
        .with_for_update(),
        insert_answer=answer.insert(),
        update_answer=answer.update().where(answer.c.id == bindparam("answer_id")),
        insert_event=event.insert(),
        move_head=(audit.update()
                   .where(audit.c.id == bindparam("audit_id"),
                          audit.c.history_length == bindparam("old_length"),
                          audit.c.history_head.is_not_distinct_from(bindparam("old_head")))
                   .values(history_head=bindparam("head"), history_length=bindparam("length"),
                           updated_at=bindparam("at"))))


def _last_event(column: Any) -> Any:
    event = _sql().event
    return (select(column).where(event.c.audit_id == bindparam("audit_id"))
            .order_by(event.c.seq.desc()).limit(1).scalar_subquery())


class _Prepared:
    """A SELECT compiled once per dialect by SQLAlchemy and run on the driver's cursor, in
    the connection's transaction: SQLAlchemy's machinery for running a statement and
    reading its rows costs several times what the database takes to answer this one.
    A driver error is wrapped as SQLAlchemy wraps it, so that it is told and retried as
    any other."""

    def __init__(self, statement: Select[Any]):
        self.statement = statement
        self._compiled: dict[str, Compiled] = {}

    def tuples(self, connection: Connection, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        """The statement's rows for `params`, as the driver gives them."""
        dialect = connection.dialect
        compiled = self._compiled.get(dialect.name)
        if compiled is None:
            compiled = self._compiled[dialect.name] = self.statement.compile(dialect=dialect)
        values = compiled.construct_params(params) or {}
        positions = getattr(compiled, "positiontup", None)
        args: Any = tuple(values[name] for name in positions) if positions else values
        driver = connection.connection.dbapi_connection
        assert driver is not None
        cursor = driver.cursor()
        try:
            cursor.execute(compiled.string, args)
            return list(cursor.fetchall())
        except dialect.loaded_dbapi.Error as exc:
            raise DBAPIError.instance(compiled.string, args, exc,
                                      dialect.loaded_dbapi.Error) from exc
        finally:
            cursor.close()


class _AuditRead(NamedTuple):
    """The audit's row as a save reads it, with its last stored event's seq and hash."""

    id: str
    status: str
    jurisdiction: str
    period_start: str
    period_end: str
    checklist_sha256: str
    overlay_sha256s: str | None
    history_head: str | None
    history_length: int
    last_seq: int | None
    last_hash: str | None


class _StoredAnswer(NamedTuple):
    """An answer's row as a save reads it."""

    answer_id: int
    question_id: str
    value_json: str | None
    note: str
    state: str
    na_reason: str | None
    updated_by: str
    updated_at: str


_AUDIT_FIELDS = _AuditRead._fields[:-2]
_ANSWER_FIELDS = ("id", *_StoredAnswer._fields[1:])
_AUDIT_SIZE, _ANSWER_SIZE = len(_AuditRead._fields), len(_StoredAnswer._fields)


@functools.cache
def _read_audit(answers: int) -> _Prepared:
    """The audit's row, its last event's seq and hash, and then, for each of `answers`
    questions (bound as q0, q1, …), its stored answer's columns (all None for none): one
    row, or none when there is no such audit. Each answer is joined by equality on its
    own, where an IN list would have SQLite build a temporary table on every save. Run it
    with the audit's lock held (it takes none itself), so that all of it is current."""
    sql = _sql()
    audit, answer, event = sql.audit, sql.answer, sql.event
    joined: Any = audit
    columns: list[Any] = [audit.c[name] for name in _AUDIT_FIELDS]
    columns += [_last_event(event.c.seq), _last_event(event.c.hash)]
    for i in range(answers):
        found = answer.alias(f"a{i}")
        joined = joined.outerjoin(found, and_(found.c.audit_id == audit.c.id,
                                              found.c.question_id == bindparam(f"q{i}")))
        columns += [found.c[name] for name in _ANSWER_FIELDS]
    return _Prepared(select(*columns).select_from(joined)
                     .where(audit.c.id == bindparam("audit_id")))


def _audit_and_answers(connection: Connection, audit_id: str, questions: list[str],
                       ) -> tuple[_AuditRead, dict[str, _StoredAnswer]] | None:
    """The audit's row and the stored answers to `questions` by question id, read by
    `_read_audit`; None when there is no such audit."""
    found = _read_audit(len(questions)).tuples(connection, {
        "audit_id": audit_id, **{f"q{i}": q for i, q in enumerate(questions)}})
    if not found:
        return None
    row = found[0]
    answers = {}
    for i, question in enumerate(questions):
        start = _AUDIT_SIZE + i * _ANSWER_SIZE
        if row[start] is not None:
            answers[question] = _StoredAnswer._make(row[start:start + _ANSWER_SIZE])
    return _AuditRead._make(row[:_AUDIT_SIZE]), answers


@functools.cache
def _read_answers(answers: int) -> _Prepared:
    """The stored answers to `answers` questions (q0, q1, …) of the audit."""
    answer = _sql().answer
    return _Prepared(select(*(answer.c[name] for name in _ANSWER_FIELDS)).where(
        answer.c.audit_id == bindparam("audit_id"),
        answer.c.question_id.in_([bindparam(f"q{i}") for i in range(answers)])))


class SaveOps(ServiceCore):
    """The one-answer change that every set/note/not-applicable/clear/restore goes through."""

    @retry_conflicts
    def _change(self, ref: str, question_id: str, kind: EventKind, reason: str | None,
                expected: Any = UNCHECKED, **change: Any) -> AnswerInfo:
        """Apply `change` to one answer in one transaction; the answer as now stored."""
        from app.checklist.evaluate import is_visible, visibility_inputs
        from app.checklist.values import validate_value

        with self.store.transaction() as connection:
            audit_id = self._lock(connection, ref)
            # Which answers decide the question's visibility depends on the audit's
            # checklist; the one this service saw last for the audit is a guess, checked
            # below: whatever it missed is read too, with the lock still held.
            decides = "value" in change or "na_reason" in change
            guess = self._checklist_seen.get(audit_id) if decides else None
            guessed = visibility_inputs(guess, question_id) if guess is not None else set()
            wanted = [question_id, *sorted(guessed - {question_id})]
            read = _audit_and_answers(connection, audit_id, wanted)
            if read is None:
                self.resolve_in(connection, audit_id)  # says why: no such audit
                raise UserFacingError(f"no audit with id {audit_id!r}; it may have been deleted")
            audit, answers = read
            if audit.status == AuditStatus.SIGNED:
                raise UserFacingError(f"audit {audit.id[:12]} is signed and read-only; to "
                                      "change it, start an amendment (a new audit based on it)")
            checklist = self._for_audit(connection, audit).checklist
            self._checklist_seen[audit_id] = checklist
            question = checklist.question(question_id)
            if question is None:
                raise UserFacingError(f"the checklist has no question {question_id!r}; "
                                      "`nlets-audit show AUDIT` lists the question ids")
            if "na_reason" in change and not question.allow_not_applicable:
                raise UserFacingError(f"question {question_id!r} cannot be marked not "
                                      "applicable: every audit must answer it")
            if "value" in change:
                change["value"] = validate_value(question, change["value"])
            refuse_audit_record_change(question, audit, change)
            if "note" in change and change["note"] is not None:
                change["note"] = limited(change["note"], NOTE_LIMIT, "note")
            inputs = set() if not decides else guessed if checklist is guess else (
                visibility_inputs(checklist, question_id))
            missing = sorted(inputs - set(wanted))
            if missing:
                for row in _read_answers(len(missing)).tuples(connection, {
                        "audit_id": audit_id, **{f"q{i}": q for i, q in enumerate(missing)}}):
                    answers[row[1]] = _StoredAnswer._make(row)
            if decides and not is_visible(checklist, question_id, {
                    qid: AnswerFacts(_value(row), convert.answer_state(row.state))
                    for qid, row in answers.items() if qid in inputs}):
                raise UserFacingError(hidden_message(question))
            current = answers.get(question_id)
            refuse_stale(connection, audit.id, question,
                         "note" if kind is EventKind.NOTE_SET else "value", expected,
                         row=current)
            return self._write(connection, audit, question_id, current, kind, reason, **change)

    def _lock(self, connection: Connection, ref: str) -> str:
        """The id of the audit named by `ref`, its write lock taken first (on SQLite the
        database's write lock, on PostgreSQL its row's) so that nothing read after it can
        change before the commit."""
        audit_id = normal_ref(ref)
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            begin_immediate(connection)
        if len(audit_id) != _ID_LENGTH:
            audit_id = self.resolve_in(connection, audit_id)
        if not sqlite:
            connection.execute(_sql().lock_audit, {"audit_id": audit_id})
        return audit_id

    def _write(self, connection: Connection, audit: _AuditRead, question_id: str,
               current: _StoredAnswer | None, kind: EventKind, reason: str | None, *,
               value: Any = None, note: str | None = None, state: AnswerState | None = None,
               na_reason: str | None = None, clear: bool = False) -> AnswerInfo:
        """Write the answer and its event as `AnswerOps._apply` does; nothing when nothing
        changed. The answer as stored afterwards."""
        stored = _value(current) if current is not None else None
        fields: dict[str, Any] = (
            {"value_json": current.value_json, "note": current.note, "state": current.state,
             "na_reason": current.na_reason} if current is not None else
            {"value_json": None, "note": "", "state": AnswerState.ANSWERED.value,
             "na_reason": None})
        written = stored
        if clear:
            fields.update(value_json=None, na_reason=None, state=AnswerState.ANSWERED.value)
            written = None
        if state == AnswerState.ANSWERED:
            # `value` is validated, so plain JSON: it is what its text reads back as
            fields.update(value_json=convert.value_json(value),
                          state=state.value, na_reason=None)
            written = value
        elif state == AnswerState.NOT_APPLICABLE:
            fields.update(value_json=None, na_reason=na_reason, state=state.value)
            written = None
        if note is not None:
            fields["note"] = note
        old = _snapshot(stored, current._asdict()) if current is not None else None
        new = _snapshot(written, fields)
        if new == old or (old is None and new["value"] is None and not new["note"]
                          and new["na_reason"] is None):
            return _info(question_id, stored, current._asdict()) if current is not None else (
                AnswerInfo(question_id, None, "", AnswerState.ANSWERED, None, "", ""))
        why = limited(reason, REASON_LIMIT, "reason") if reason else None
        now = utc_now()
        sql = _sql()
        fields.update(updated_by=self.actor, updated_at=now)
        if current is None:
            connection.execute(sql.insert_answer, {"audit_id": audit.id,
                                                "question_id": question_id, **fields})
        else:
            connection.execute(sql.update_answer, {"answer_id": current.answer_id, **fields})
        seq, prev = next_link(audit.id, audit.history_head, audit.history_length,
                              (audit.last_seq, audit.last_hash or "")  # none: diverged
                              if audit.last_seq is not None else None)
        old_json, new_json = canonical_json(old), canonical_json(new)
        digest = event_digest(audit.id, seq, now, self.actor, kind.value, question_id,
                              old_json, new_json, why or None, prev)
        connection.execute(sql.insert_event, {
            "audit_id": audit.id, "seq": seq, "at": now, "actor": self.actor,
            "kind": kind.value, "question_id": question_id, "old_json": old_json,
            "new_json": new_json, "reason": why or None, "prev_hash": prev, "hash": digest})
        moved = connection.execute(sql.move_head, {
            "audit_id": audit.id, "old_length": audit.history_length,
            "old_head": audit.history_head, "head": digest, "length": seq, "at": now})
        if moved.rowcount != 1:
            raise StoreConflict(f"the history of audit {audit.id[:12]} moved while this "
                                "change was being saved; save it again")
        return _info(question_id, written, fields)


def _value(row: Any) -> Any:
    return json.loads(row.value_json) if row.value_json is not None else None


def _snapshot(value: Any, fields: Any) -> dict[str, Any]:
    """The recorded state of an answer with this value, as history events carry it
    (`answer_snapshot`)."""
    return {"value": value, "note": fields["note"], "state": fields["state"],
            "na_reason": fields["na_reason"]}


def _info(question_id: str, value: Any, fields: Any) -> AnswerInfo:
    """The plain model of a stored answer with this value, from its columns
    (`convert.answer_info`)."""
    return AnswerInfo(
        question_id=question_id, value=value, note=fields["note"],
        state=convert.answer_state(fields["state"]), na_reason=fields["na_reason"],
        updated_by=fields["updated_by"], updated_at=fields["updated_at"])


def audit_value(row: Any, field: str) -> str:
    """The audit record's value of `field` as a question that repeats it is answered."""
    return str(row.jurisdiction).lower() if field == "jurisdiction" else str(getattr(row, field))


def refuse_audit_record_change(question: Question, row: Any, change: dict[str, Any],
                               source: str | None = None) -> None:
    """Questions that repeat the audit record take its value and no other."""
    if not question.from_audit:
        return
    expected = audit_value(row, question.from_audit)
    if change.get("value", expected) != expected or "na_reason" in change or change.get(
            "clear"):
        prefix = f"{source}: " if source else ""
        raise UserFacingError(
            f"{prefix}question {question.id!r} is filled in from the audit record "
            f"({question.from_audit} {expected}); it cannot be changed here")


def hidden_message(question: Question, source: str | None = None) -> str:
    """Why an answer to a question that is not shown is refused."""
    prefix = f"{source}: " if source else ""
    from app.checklist.conditions import describe

    condition = describe(question.visible_if) if question.visible_if else "its condition"
    return (f"{prefix}question {question.id!r} does not apply to this audit: it is asked only "
            f"when {condition}. Answer the earlier questions first")
