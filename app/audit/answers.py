"""Changing answers: set, note, not applicable, clear, import and confirm."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, select

from app.audit import convert
from app.audit.clock import utc_now
from app.audit.conflicts import refuse_stale
from app.audit.core import answer_facts, streamed_events
from app.audit.evidence import attach_evidence
from app.audit.history import append_event
from app.audit.inputs import NOTE_LIMIT, REASON_LIMIT, limited
from app.audit.saving import SaveOps, audit_value, hidden_message, refuse_audit_record_change
from app.audit.unchecked import UNCHECKED
from app.checklist.answer_state import AnswerFacts, AnswerState
from app.errors import UserFacingError
from app.records import AnswerInfo, EventKind, HistoryEvent
from app.store import schema
from app.store.locks import retry_conflicts

if TYPE_CHECKING:
    from app.checklist.model import Checklist, Question


_ANSWER_KINDS = frozenset(kind.value for kind in EventKind if kind.changes_answer)


@dataclass(frozen=True)
class EvidenceToAttach:
    """An evidence file to attach together with imported answers."""

    question_id: str
    name: str
    content: bytes
    reason: str | None = None


class AnswerOps(SaveOps):
    """The answer-changing operations of the audit services; each change is one commit."""

    def set_answer(self, ref: str, question_id: str, value: Any, *, note: str | None = None,
                   reason: str | None = None, expected: Any = UNCHECKED) -> AnswerInfo:
        """Record `value` as the answer to a visible question; the note too, if given.

        With `expected` (the answer the writer last saw, None for none) the change is
        refused with StaleAnswer when the stored answer differs; so in each method below.
        """
        return self._change(ref, question_id, EventKind.ANSWER_SET, reason, value=value, note=note,
                            state=AnswerState.ANSWERED, expected=expected)

    def set_note(self, ref: str, question_id: str, note: str,
                 reason: str | None = None, *, expected: Any = UNCHECKED) -> AnswerInfo:
        """Record the auditor's note on a question, leaving its answer as it is; `expected`
        is the note the writer last saw."""
        return self._change(ref, question_id, EventKind.NOTE_SET, reason, note=note,
                            expected=expected)

    def set_not_applicable(self, ref: str, question_id: str, reason: str, *,
                           expected: Any = UNCHECKED) -> AnswerInfo:
        """Mark a question not applicable; the reason is required and kept."""
        text = limited((reason or "").strip(), REASON_LIMIT, "reason")
        if not text:
            raise UserFacingError("say why the question does not apply: a reason is required")
        return self._change(ref, question_id, EventKind.NOT_APPLICABLE, None, na_reason=text,
                            state=AnswerState.NOT_APPLICABLE, expected=expected)

    def clear_answer(self, ref: str, question_id: str, reason: str | None = None, *,
                     expected: Any = UNCHECKED) -> AnswerInfo:
        """Remove the answer (and not-applicable mark) of a question; the note stays."""
        return self._change(ref, question_id, EventKind.ANSWER_CLEARED, reason, clear=True,
                            expected=expected)

    @retry_conflicts
    def import_answers(self, ref: str, entries: Mapping[str, Any], source: str = "import",
                       *, attach: EvidenceToAttach | None = None) -> int:
        """Record many answers at once, all or nothing; returns how many changed.

        Each entry maps a question id to a value, or to a mapping with any of `value`,
        `note`, `not_applicable` (the reason) and `expected` (the answer the writer last
        saw: the import is refused if it has changed since). Entries are applied in
        checklist order, so an answer may reveal a question answered later in the same
        file. `attach` adds an evidence file in the same transaction.
        """
        if not isinstance(entries, Mapping) or not all(isinstance(k, str) for k in entries):
            raise UserFacingError(f"{source}: expected a mapping of question id to value, "
                                  "with each question id written as text")
        from app.checklist.evaluate import evaluate
        from app.checklist.values import InvalidValue

        audit_id = self.resolve(ref)
        with self.store.session() as session:
            row = self._writable(session, audit_id)
            checklist = self._for_audit(session, row).checklist
            unknown = sorted(set(entries) - {q.id for q in checklist.questions()})
            if unknown:
                raise UserFacingError(f"{source}: unknown question(s) {', '.join(unknown)}; "
                                      "`nlets-audit show AUDIT` lists the question ids")
            answers = {a.question_id: a for a in self._answers(session, audit_id).values()}
            facts = answer_facts(answers)
            planned: list[tuple[Question, dict[str, Any]]] = []
            for question in checklist.questions():
                if question.id not in entries:
                    continue
                try:
                    change = _import_entry(question, entries[question.id], source)
                except InvalidValue as exc:
                    raise UserFacingError(f"{source}: {exc}") from None
                evaluation = evaluate(checklist, facts)
                if not evaluation.visible[question.id] and ("value" in change
                                                            or "na_reason" in change):
                    raise UserFacingError(hidden_message(question, source))
                refuse_audit_record_change(question, row, change, source)
                if "value" in change:
                    facts[question.id] = AnswerFacts(change["value"], AnswerState.ANSWERED)
                elif "na_reason" in change:
                    facts[question.id] = AnswerFacts(None, AnswerState.NOT_APPLICABLE)
                planned.append((question, change))
            for question, change in planned:
                refuse_stale(session, audit_id, question, "value",
                             change.pop("expected", UNCHECKED))
            changed = 0
            for question, change in planned:
                if self._apply(session, row, question.id, EventKind.ANSWER_IMPORTED, source,
                               **change):
                    changed += 1
            if attach is not None:
                attach_evidence(session, row, self.actor, attach.question_id, attach.name,
                                attach.content, reason=attach.reason)
        return changed

    @retry_conflicts
    def confirm(self, ref: str, question_ids: list[str]) -> int:
        """Confirm carried-forward answers as still true; returns how many were confirmed."""
        audit_id = self.resolve(ref)
        with self.store.session() as session:
            row = self._writable(session, audit_id)
            evaluation = self._evaluate(session, row)
            checklist = self._for_audit(session, row).checklist
            answers = {a.question_id: a for a in session.exec(
                select(schema.AnswerRow).where(schema.AnswerRow.audit_id == audit_id)).all()}
            for question_id in question_ids:
                answer = answers.get(question_id)
                question = checklist.question(question_id)
                if question is None:
                    raise UserFacingError(f"the checklist has no question {question_id!r}")
                if answer is None or answer.state != AnswerState.CARRIED_UNCONFIRMED.value:
                    raise UserFacingError(f"{question_id!r} has no carried-forward answer "
                                          "waiting for confirmation")
                if not evaluation.visible[question_id]:
                    raise UserFacingError(hidden_message(question))
            for question_id in dict.fromkeys(question_ids):
                answer = answers[question_id]
                old = convert.answer_snapshot(answer)
                answer.state = (AnswerState.NOT_APPLICABLE if answer.value_json is None
                                and answer.na_reason else AnswerState.ANSWERED).value
                answer.updated_by, answer.updated_at = self.actor, utc_now()
                session.add(answer)
                append_event(session, row, at=answer.updated_at, actor=self.actor,
                             kind=EventKind.ANSWER_CONFIRMED, question_id=question_id, old=old,
                             new=convert.answer_snapshot(answer))
        return len(dict.fromkeys(question_ids))

    def _fill_from_audit(self, session: Session, row: schema.AuditRow,
                         checklist: Checklist) -> None:
        """Answer the questions that repeat the audit record (jurisdiction, period)."""
        from app.checklist.values import InvalidValue, validate_value

        session.flush()
        for question in checklist.questions():
            if not question.from_audit:
                continue
            try:
                value = validate_value(question, audit_value(row, question.from_audit))
            except InvalidValue:
                continue  # the checklist offers no option for this jurisdiction
            if self._evaluate(session, row).visible[question.id]:
                self._apply(session, row, question.id, EventKind.ANSWER_SET,
                            "from the audit record", value=value, state=AnswerState.ANSWERED)
                session.flush()

    def answer_history(self, ref: str, question_id: str) -> list[HistoryEvent]:
        """Every recorded state of one question's answer, oldest first, with who, when
        and why."""
        audit_id = self.resolve(ref)
        with self.store.session() as session:
            return [convert.history_event(e) for e in streamed_events(session, audit_id)
                    if e.question_id == question_id and e.kind in _ANSWER_KINDS]

    def restore_answer(self, ref: str, question_id: str, seq: int, reason: str,
                       ) -> AnswerInfo:
        """Make the answer what history event `seq` recorded, as a new event with `reason`.

        The note stays as it is; the restored value is checked as any new answer is.
        """
        why = limited((reason or "").strip(), REASON_LIMIT, "reason")
        if not why:
            raise UserFacingError("say why the earlier value is restored: a reason is required")
        event = next((e for e in self.answer_history(ref, question_id) if e.seq == seq), None)
        if event is None or not isinstance(event.new, dict):
            raise UserFacingError(f"the history of {question_id!r} has no event {seq}; "
                                  f"`nlets-audit history show AUDIT --question {question_id}` "
                                  "lists its events")
        recorded = event.new
        why = f"restored the answer of event {seq}: {why}"
        if recorded.get("state") == AnswerState.NOT_APPLICABLE.value:
            return self._change(ref, question_id, EventKind.ANSWER_RESTORED, why,
                                na_reason=recorded.get("na_reason") or why,
                                state=AnswerState.NOT_APPLICABLE)
        if recorded.get("value") is None:
            return self._change(ref, question_id, EventKind.ANSWER_RESTORED, why, clear=True)
        return self._change(ref, question_id, EventKind.ANSWER_RESTORED, why,
                            value=recorded["value"], state=AnswerState.ANSWERED)

    def _apply(self, session: Session, audit: schema.AuditRow, question_id: str, kind: EventKind,
               reason: str | None, *, value: Any = None, note: str | None = None,
               state: AnswerState | None = None, na_reason: str | None = None,
               clear: bool = False) -> bool:
        """Change one answer row and append its event; False when nothing changed."""
        answer = session.exec(select(schema.AnswerRow).where(
            schema.AnswerRow.audit_id == audit.id,
            schema.AnswerRow.question_id == question_id)).first()
        old = convert.answer_snapshot(answer)
        now = utc_now()
        if answer is None:
            answer = schema.AnswerRow(audit_id=audit.id, question_id=question_id,
                                      value_json=None, note="",
                                      state=AnswerState.ANSWERED.value, na_reason=None,
                                      updated_by=self.actor, updated_at=now)
        if clear:
            answer.value_json, answer.na_reason = None, None
            answer.state = AnswerState.ANSWERED.value
        if state == AnswerState.ANSWERED:
            answer.value_json = convert.value_json(value)
            answer.state, answer.na_reason = state.value, None
        elif state == AnswerState.NOT_APPLICABLE:
            answer.value_json, answer.na_reason = None, na_reason
            answer.state = state.value
        if note is not None:
            answer.note = note
        new = convert.answer_snapshot(answer)
        if new == old or (old is None and new["value"] is None and not new["note"]
                          and new["na_reason"] is None):
            return False
        answer.updated_by, answer.updated_at = self.actor, now
        session.add(answer)
        append_event(session, audit, at=now, actor=self.actor, kind=kind,
                     question_id=question_id, old=old, new=new,
                     reason=limited(reason, REASON_LIMIT, "reason") if reason else None)
        return True


def _import_entry(question: Question, raw: Any, source: str) -> dict[str, Any]:
    from app.checklist.values import validate_value

    if not isinstance(raw, dict):
        return {"value": validate_value(question, raw), "state": AnswerState.ANSWERED}
    unknown = set(raw) - {"value", "note", "not_applicable", "expected"}
    if unknown or ("value" in raw and "not_applicable" in raw):
        raise UserFacingError(
            f"{source}: {question.id}: an entry is a value, or a mapping of value, note, "
            "not_applicable (the reason) and expected (the answer you last saw), not both "
            "value and not_applicable")
    change: dict[str, Any] = {}
    if "expected" in raw:
        change["expected"] = raw["expected"]
    if "value" in raw:
        change.update(value=validate_value(question, raw["value"]), state=AnswerState.ANSWERED)
    for key in ("note", "not_applicable"):
        if key in raw and not isinstance(raw[key], str):
            raise UserFacingError(f"{source}: {question.id}: {key} takes text; got "
                                  f"{raw[key]!r}")
    if "not_applicable" in raw:
        if not question.allow_not_applicable:
            raise UserFacingError(f"{source}: {question.id}: this question cannot be marked "
                                  "not applicable")
        reason = limited(str(raw["not_applicable"] or "").strip(), REASON_LIMIT, "reason")
        if not reason:
            raise UserFacingError(f"{source}: {question.id}: not_applicable needs a reason")
        change.update(na_reason=reason, state=AnswerState.NOT_APPLICABLE)
    if "note" in raw:
        change["note"] = limited(str(raw["note"] or ""), NOTE_LIMIT, "note")
    return change
