"""Conflicts are shown, not overwritten: a change says what its writer last saw, and is
refused, naming who changed it, when and to what, if the stored answer has moved on since."""

from __future__ import annotations

import contextlib
import json
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import Connection, select
from sqlmodel import Session

from app.audit.unchecked import UNCHECKED
from app.errors import UserFacingError
from app.store import schema

if TYPE_CHECKING:
    from app.checklist.model import Question

Field = Literal["value", "note"]


_UNREAD: Any = object()


class StaleAnswer(UserFacingError):
    """A change made against an answer (or note) that someone else has changed since the
    writer last saw it. Nothing was saved; the stored value and who set it are attached so
    that a screen can offer to keep theirs or save its own again."""

    def __init__(self, question_id: str, field: Field, expected: Any, stored: Any,
                 changed_by: str | None, changed_at: str | None):
        self.question_id = question_id
        self.field = field
        self.expected = expected
        self.stored = stored
        self.changed_by = changed_by
        self.changed_at = changed_at
        what = f"the answer to {question_id!r}" if field == "value" else (
            f"the note on {question_id!r}")
        if changed_by is None or changed_at is None:
            said = f"{what} is {_shown(stored)}, not {_shown(expected)} as you expected"
        else:
            said = (f"{changed_by} changed {what} to {_shown(stored)} at {_when(changed_at)}, "
                    f"after you last saw {_shown(expected)}")
        super().__init__(f"{said}; nothing was saved — look at theirs, and save yours again "
                         f"expecting {_shown(stored)} if it should replace it")


def refuse_stale(source: Session | Connection, audit_id: str, question: Question,
                 field: Field, expected: Any, *, row: Any = _UNREAD) -> None:
    """Raise StaleAnswer when the stored `field` of the answer to `question` is not what the
    writer `expected` (None: no answer); nothing when `expected` is UNCHECKED. Call it with
    the audit's lock held, so that nothing can change between the check and the change.
    `row` is the answer's stored row (None: none) when the caller has read it already."""
    if expected is UNCHECKED:
        return
    if row is _UNREAD:
        answer = schema.table_of(schema.AnswerRow)
        row = source.execute(select(answer.c.value_json, answer.c.note).where(
            answer.c.audit_id == audit_id, answer.c.question_id == question.id)).first()
    stored = _stored(row, field)
    if field == "value" and expected is not None:
        from app.checklist.values import InvalidValue, validate_value

        # an invalid expectation cannot equal a stored (valid) value; the refusal shows both
        with contextlib.suppress(InvalidValue):
            expected = validate_value(question, expected)
    if field == "note" and expected is None:
        expected = ""
    if _same(stored, expected):
        return
    changed_by, changed_at = _last_change(source, audit_id, question.id, field) or (None, None)
    raise StaleAnswer(question.id, field, expected, stored, changed_by, changed_at)


def _stored(row: Any, field: Field) -> Any:
    if row is None:
        return "" if field == "note" else None
    if field == "note":
        return row.note
    return json.loads(row.value_json) if row.value_json is not None else None


def _same(one: Any, other: Any) -> bool:
    return json.dumps(one, sort_keys=True) == json.dumps(other, sort_keys=True)


def _last_change(source: Session | Connection, audit_id: str, question_id: str,
                 field: Field) -> tuple[str, str] | None:
    """Who last changed `field` of the answer, and when, as the history records it."""
    history = schema.table_of(schema.HistoryEventRow)
    events = source.execute(select(history.c.actor, history.c.at, history.c.old_json,
                                   history.c.new_json).where(
        history.c.audit_id == audit_id, history.c.question_id == question_id)
        .order_by(history.c.seq.desc())).all()
    for event in events:
        old = json.loads(event.old_json) if event.old_json else None
        new = json.loads(event.new_json) if event.new_json else None
        if not isinstance(new, dict) or "note" not in new:
            continue  # evidence events share the question id
        before = old.get(field) if isinstance(old, dict) else ("" if field == "note" else None)
        if not _same(before, new.get(field)):
            return event.actor, event.at
    return None


def _shown(value: Any) -> str:
    if value is None:
        return "no answer"
    return json.dumps(value, ensure_ascii=False)


def _when(at: str) -> str:
    return f"{at[:19].replace('T', ' ')} UTC" if len(at) >= 19 else at
