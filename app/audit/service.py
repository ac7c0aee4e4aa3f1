"""The audit services: the one API the TUI and the command line call."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import mimetypes
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, select

from app.audit import convert
from app.audit.carry import carry_forward
from app.audit.clock import current_actor, utc_now
from app.audit.diff import AuditDiff, change_records, diff_views
from app.audit.history import append_event
from app.audit.integrity import history_problems
from app.audit.jurisdictions import JURISDICTIONS, normalise_jurisdiction
from app.audit.models import (
    AnswerInfo,
    AuditInfo,
    AuditSummary,
    AuditView,
    CarryReport,
    EvidenceInfo,
    HistoryEvent,
    HistoryReport,
)
from app.audit.review import Review, review
from app.checklist.conditions import describe
from app.checklist.evaluate import AnswerFacts, AnswerState, Evaluation, evaluate
from app.checklist.loader import LoadedChecklist, load_checklist_bytes
from app.checklist.model import Checklist, Question
from app.checklist.values import InvalidValue, require_unicode, validate_value
from app.errors import UserFacingError
from app.store import Store, StoreError, lock_audit, retry_conflicts
from app.store.tables import (
    AnswerRow,
    AuditRow,
    ChecklistSourceRow,
    EvidenceBlobRow,
    EvidenceRow,
    HistoryEventRow,
)

NOTE_LIMIT = 20_000
REASON_LIMIT = 2_000


class AuditService:
    """Create, read and change audits; every change is committed and recorded in history."""

    def __init__(self, store: Store, actor: str | None = None):
        self.store = store
        # On a server the database says who is connected; a name given here cannot override it.
        self.actor = store.database_user() or actor or current_actor()
        self._checklists: dict[str, LoadedChecklist] = {}

    # ---- audits -------------------------------------------------------------------------

    @retry_conflicts
    def create_audit(self, checklist: LoadedChecklist, *, jurisdiction: str,
                     period_start: str, period_end: str, title: str | None = None,
                     auditor: str | None = None, based_on: str | None = None) -> AuditInfo:
        """Start a new draft audit of `jurisdiction` for the period against `checklist`.

        With `based_on`, the previous audit's answers, notes, not-applicable reasons and
        evidence are carried forward, each answer to be re-confirmed.
        """
        previous_id = self.resolve(based_on) if based_on else None
        code = normalise_jurisdiction(jurisdiction)
        start, end = _date(period_start, "period start"), _date(period_end, "period end")
        if start > end:
            raise UserFacingError(f"the period starts ({start}) after it ends ({end}); "
                                  "swap the dates")
        meta = checklist.checklist
        now = utc_now()
        row = AuditRow(
            id=uuid.uuid4().hex,
            title=_clean_line(title, "title") or f"{JURISDICTIONS[code]} — {meta.title}, "
                                                 f"{start} to {end}",
            jurisdiction=code, period_start=start, period_end=end,
            checklist_id=meta.id, checklist_version=meta.version,
            checklist_sha256=checklist.sha256, status="draft", based_on=previous_id,
            auditor=_clean_line(auditor, "auditor") or self.actor,
            created_at=now, updated_at=now,
        )
        with self.store.session() as session:
            if session.get(ChecklistSourceRow, checklist.sha256) is None:
                session.add(ChecklistSourceRow(
                    sha256=checklist.sha256, checklist_id=meta.id, version=meta.version,
                    filename=Path(checklist.filename).name, content=checklist.source,
                    added_at=now))
                session.flush()
            session.add(row)
            session.flush()
            append_event(session, row, at=now, actor=self.actor, kind="audit_created",
                         new=audit_metadata(row))
            if previous_id:
                previous = session.get(AuditRow, previous_id)
                old = self._checklist(session, previous.checklist_sha256).checklist
                if previous.jurisdiction != row.jurisdiction:
                    raise UserFacingError(
                        f"audit {previous_id[:12]} covers {previous.jurisdiction}, not "
                        f"{row.jurisdiction}; carry forward only within one jurisdiction")
                if old.id != meta.id:
                    raise UserFacingError(
                        f"audit {previous_id[:12]} used checklist {old.id!r}, not {meta.id!r};"
                        " carry forward only within the same checklist")
                carry_forward(session, previous, old, row, meta, actor=self.actor, at=now)
            self._fill_from_audit(session, row, meta)
        self._checklists[checklist.sha256] = checklist
        return convert.audit_info(row)

    def resolve(self, ref: str) -> str:
        """The full id of the audit named by `ref`, an id or a unique prefix of one."""
        ref = (ref or "").strip().lower()
        if not ref or any(c not in "0123456789abcdef" for c in ref):
            raise UserFacingError(f"{ref!r} is not an audit id: ids are hexadecimal "
                                  "(`nlets-audit list` shows them)")
        with self.store.session() as session:
            if session.get(AuditRow, ref) is not None:
                return ref
            matches = session.exec(select(AuditRow.id).where(AuditRow.id.startswith(ref))
                                   .limit(6)).all()
        if not matches:
            raise UserFacingError(f"no audit with id {ref!r}; `nlets-audit list` shows them")
        if len(matches) > 1:
            shown = ", ".join(m[:12] for m in matches[:5])
            raise UserFacingError(f"{ref!r} names more than one audit ({shown}); "
                                  "give more of the id")
        return matches[0]

    def get_audit(self, ref: str) -> AuditInfo:
        """The audit named by `ref`."""
        audit_id = self.resolve(ref)
        with self.store.session() as session:
            return convert.audit_info(session.get(AuditRow, audit_id))

    def list_audits(self) -> list[AuditSummary]:
        """Every audit, most recently changed first, with progress and finding counts."""
        with self.store.session() as session:
            rows = session.exec(select(AuditRow).order_by(AuditRow.updated_at.desc())).all()
            summaries = []
            for row in rows:
                evaluation = self._evaluate(session, row)
                summaries.append(AuditSummary(convert.audit_info(row),
                                              evaluation.progress.done,
                                              evaluation.progress.total,
                                              len(evaluation.findings)))
        return summaries

    def view(self, ref: str) -> AuditView:
        """The audit with its checklist, answers, evidence, progress and findings."""
        audit_id = self.resolve(ref)
        with self.store.session() as session:
            row = session.get(AuditRow, audit_id)
            checklist = self._checklist(session, row.checklist_sha256)
            answers = self._answers(session, audit_id)
            evidence = [convert.evidence_info(e) for e in session.exec(
                select(EvidenceRow).where(EvidenceRow.audit_id == audit_id)
                .order_by(EvidenceRow.id)).all()]
            info = convert.audit_info(row)
            carried = session.exec(select(HistoryEventRow).where(
                HistoryEventRow.audit_id == audit_id,
                HistoryEventRow.kind == "carried_forward")).first()
            signed = session.exec(select(HistoryEventRow).where(
                HistoryEventRow.audit_id == audit_id,
                HistoryEventRow.kind == "audit_signed")).first()
        evaluation = evaluate(checklist.checklist, _facts(answers))
        report = CarryReport.from_json(json.loads(carried.new_json)) if carried else None
        attested = (signed.prev_hash, signed.seq - 1) if signed else None
        return AuditView(info, checklist, answers, evidence, evaluation, report, attested)

    def signed_pdf(self, ref: str) -> bytes:
        """The signed attestation exactly as it was written when the audit was signed."""
        audit = self.get_audit(ref)
        if not audit.signed_pdf_sha256:
            raise UserFacingError(f"audit {audit.id[:12]} is not signed")
        with self.store.session() as session:
            blob = session.get(EvidenceBlobRow, audit.signed_pdf_sha256)
            if blob is None:
                raise StoreError("the signed attestation is missing from the database; "
                                 "restore the database from a backup")
            return blob.content

    @retry_conflicts
    def delete_draft(self, ref: str) -> None:
        """Delete a draft audit with its answers, history and evidence records."""
        audit_id = self.resolve(ref)
        with self.store.session() as session:
            self._writable(session, audit_id)
            based = session.exec(select(AuditRow.id).where(AuditRow.based_on == audit_id)
                                 ).first()
            if based:
                raise UserFacingError(f"audit {based[:12]} was started from this one; delete "
                                      "that one first")
            for table in (AnswerRow, EvidenceRow, HistoryEventRow, AuditRow):
                key = table.id if table is AuditRow else table.audit_id
                session.execute(delete(table).where(key == audit_id))
            kept = select(EvidenceRow.sha256).union(
                select(AuditRow.signed_pdf_sha256).where(AuditRow.signed_pdf_sha256.is_not(None)))
            session.execute(delete(EvidenceBlobRow).where(EvidenceBlobRow.sha256.not_in(kept)))

    def check_value(self, ref: str, question_id: str, value: Any) -> Any:
        """The value as it would be saved, or InvalidValue saying what is allowed; saves
        nothing."""
        audit_id = self.resolve(ref)
        with self.store.session() as session:
            row = session.get(AuditRow, audit_id)
            question = self._checklist(session, row.checklist_sha256).checklist.question(
                question_id)
        if question is None:
            raise UserFacingError(f"the checklist has no question {question_id!r}")
        return validate_value(question, value)

    def review(self, ref: str) -> Review:
        """Gaps, unconfirmed carried answers, stale evidence, and findings of an audit."""
        return review(self.view(ref))

    def diff(self, old_ref: str, new_ref: str) -> AuditDiff:
        """How the audit `new_ref` differs from the audit `old_ref`."""
        return diff_views(self.view(old_ref), self.view(new_ref))

    def changes_since_previous(self, ref: str) -> list[dict[str, str]] | None:
        """What changed since the audit this one was based on; None when it has none."""
        view = self.view(ref)
        if not view.audit.based_on:
            return None
        previous = self.view(view.audit.based_on)
        return change_records(diff_views(previous, view), previous, view)

    # ---- answers ------------------------------------------------------------------------

    def set_answer(self, ref: str, question_id: str, value: Any, *, note: str | None = None,
                   reason: str | None = None) -> AnswerInfo:
        """Record `value` as the answer to a visible question; the note too, if given."""
        return self._change(ref, question_id, "answer_set", reason, value=value, note=note,
                            state=AnswerState.ANSWERED)

    def set_note(self, ref: str, question_id: str, note: str,
                 reason: str | None = None) -> AnswerInfo:
        """Record the auditor's note on a question, leaving its answer as it is."""
        return self._change(ref, question_id, "note_set", reason, note=note)

    def set_not_applicable(self, ref: str, question_id: str, reason: str) -> AnswerInfo:
        """Mark a question not applicable; the reason is required and kept."""
        text = _limited((reason or "").strip(), REASON_LIMIT, "reason")
        if not text:
            raise UserFacingError("say why the question does not apply: a reason is required")
        self._refuse_not_applicable(ref, question_id)
        return self._change(ref, question_id, "not_applicable", None, na_reason=text,
                            state=AnswerState.NOT_APPLICABLE)

    def clear_answer(self, ref: str, question_id: str, reason: str | None = None) -> AnswerInfo:
        """Remove the answer (and not-applicable mark) of a question; the note stays."""
        return self._change(ref, question_id, "answer_cleared", reason, clear=True)

    @retry_conflicts
    def import_answers(self, ref: str, entries: Mapping[str, Any], source: str = "import",
                       ) -> int:
        """Record many answers at once, all or nothing; returns how many changed.

        Each entry maps a question id to a value, or to a mapping with any of `value`,
        `note` and `not_applicable` (the reason). Entries are applied in checklist order,
        so an answer may reveal a question answered later in the same file.
        """
        if not isinstance(entries, Mapping) or not all(isinstance(k, str) for k in entries):
            raise UserFacingError(f"{source}: expected a mapping of question id to value, "
                                  "with each question id written as text")
        audit_id = self.resolve(ref)
        with self.store.session() as session:
            row = self._writable(session, audit_id)
            checklist = self._checklist(session, row.checklist_sha256).checklist
            unknown = sorted(set(entries) - {q.id for q in checklist.questions()})
            if unknown:
                raise UserFacingError(f"{source}: unknown question(s) {', '.join(unknown)}; "
                                      "`nlets-audit show AUDIT` lists the question ids")
            answers = {a.question_id: a for a in self._answers(session, audit_id).values()}
            facts = _facts(answers)
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
                    raise UserFacingError(_hidden_message(question, source))
                _refuse_audit_record_change(question, row, change, source)
                if "value" in change:
                    facts[question.id] = AnswerFacts(change["value"], AnswerState.ANSWERED)
                elif "na_reason" in change:
                    facts[question.id] = AnswerFacts(None, AnswerState.NOT_APPLICABLE)
                planned.append((question, change))
            changed = 0
            for question, change in planned:
                if self._apply(session, row, question.id, "answer_imported", source, **change):
                    changed += 1
        return changed

    @retry_conflicts
    def confirm(self, ref: str, question_ids: list[str]) -> int:
        """Confirm carried-forward answers as still true; returns how many were confirmed."""
        audit_id = self.resolve(ref)
        with self.store.session() as session:
            row = self._writable(session, audit_id)
            evaluation = self._evaluate(session, row)
            checklist = self._checklist(session, row.checklist_sha256).checklist
            answers = {a.question_id: a for a in session.exec(
                select(AnswerRow).where(AnswerRow.audit_id == audit_id)).all()}
            for question_id in question_ids:
                answer = answers.get(question_id)
                if checklist.question(question_id) is None:
                    raise UserFacingError(f"the checklist has no question {question_id!r}")
                if answer is None or answer.state != AnswerState.CARRIED_UNCONFIRMED.value:
                    raise UserFacingError(f"{question_id!r} has no carried-forward answer "
                                          "waiting for confirmation")
                if not evaluation.visible[question_id]:
                    raise UserFacingError(_hidden_message(checklist.question(question_id)))
            for question_id in dict.fromkeys(question_ids):
                answer = answers[question_id]
                old = convert.answer_snapshot(answer)
                answer.state = (AnswerState.NOT_APPLICABLE if answer.value_json is None
                                and answer.na_reason else AnswerState.ANSWERED).value
                answer.updated_by, answer.updated_at = self.actor, utc_now()
                session.add(answer)
                append_event(session, row, at=answer.updated_at, actor=self.actor,
                             kind="answer_confirmed", question_id=question_id, old=old,
                             new=convert.answer_snapshot(answer))
        return len(dict.fromkeys(question_ids))

    def _fill_from_audit(self, session: Session, row: AuditRow, checklist: Checklist) -> None:
        """Answer the questions that repeat the audit record (jurisdiction, period)."""
        session.flush()
        for question in checklist.questions():
            if not question.from_audit:
                continue
            try:
                value = validate_value(question, _audit_value(row, question.from_audit))
            except InvalidValue:
                continue  # the checklist offers no option for this jurisdiction
            if self._evaluate(session, row).visible[question.id]:
                self._apply(session, row, question.id, "answer_set", "from the audit record",
                            value=value, state=AnswerState.ANSWERED)
                session.flush()

    def _refuse_not_applicable(self, ref: str, question_id: str) -> None:
        view = self.view(ref)
        question = view.checklist.checklist.question(question_id)
        if question is not None and not question.allow_not_applicable:
            raise UserFacingError(f"question {question_id!r} cannot be marked not applicable: "
                                  "every audit must answer it")

    @retry_conflicts
    def _change(self, ref: str, question_id: str, kind: str, reason: str | None,
                **change: Any) -> AnswerInfo:
        audit_id = self.resolve(ref)
        with self.store.session() as session:
            row = self._writable(session, audit_id)
            checklist = self._checklist(session, row.checklist_sha256).checklist
            question = checklist.question(question_id)
            if question is None:
                raise UserFacingError(f"the checklist has no question {question_id!r}; "
                                      "`nlets-audit show AUDIT` lists the question ids")
            if "value" in change:
                change["value"] = validate_value(question, change["value"])
            _refuse_audit_record_change(question, row, change)
            if "note" in change and change["note"] is not None:
                change["note"] = _limited(change["note"], NOTE_LIMIT, "note")
            if "value" in change or "na_reason" in change:
                evaluation = self._evaluate(session, row)
                if not evaluation.visible[question_id]:
                    raise UserFacingError(_hidden_message(question))
            self._apply(session, row, question_id, kind, reason, **change)
            session.flush()
            answer = session.exec(select(AnswerRow).where(
                AnswerRow.audit_id == audit_id, AnswerRow.question_id == question_id)).first()
            return convert.answer_info(answer) if answer else _empty_answer(question_id)

    def _apply(self, session: Session, audit: AuditRow, question_id: str, kind: str,
               reason: str | None, *, value: Any = None, note: str | None = None,
               state: AnswerState | None = None, na_reason: str | None = None,
               clear: bool = False) -> bool:
        """Change one answer row and append its event; False when nothing changed."""
        answer = session.exec(select(AnswerRow).where(
            AnswerRow.audit_id == audit.id, AnswerRow.question_id == question_id)).first()
        old = convert.answer_snapshot(answer)
        now = utc_now()
        if answer is None:
            answer = AnswerRow(audit_id=audit.id, question_id=question_id, value_json=None,
                               note="", state=AnswerState.ANSWERED.value, na_reason=None,
                               updated_by=self.actor, updated_at=now)
        if clear:
            answer.value_json, answer.na_reason = None, None
            answer.state = AnswerState.ANSWERED.value
        if state == AnswerState.ANSWERED:
            answer.value_json = json.dumps(value, ensure_ascii=False, sort_keys=True)
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
                     reason=_limited(reason, REASON_LIMIT, "reason") if reason else None)
        return True

    # ---- evidence -----------------------------------------------------------------------

    def add_evidence(self, ref: str, question_id: str, path: str | Path,
                     effective_date: str | None = None) -> EvidenceInfo:
        """Attach a file to a question, stored by its SHA-256 inside the database."""
        path = Path(path)
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise UserFacingError(f"cannot read evidence file {path}: "
                                  f"{exc.strerror or exc}") from None
        return self.add_evidence_content(ref, question_id, path.name, content, effective_date)

    @retry_conflicts
    def add_evidence_content(self, ref: str, question_id: str, name: str, content: bytes,
                             effective_date: str | None = None, *,
                             reason: str | None = None) -> EvidenceInfo:
        """Attach `content` under the file name `name` to a question, by its SHA-256;
        `reason` says in the history where it came from."""
        effective = _date(effective_date, "effective date") if effective_date else None
        digest = hashlib.sha256(content).hexdigest()
        audit_id = self.resolve(ref)
        with self.store.session() as session:
            row = self._writable(session, audit_id)
            if self._checklist(session, row.checklist_sha256).checklist.question(
                    question_id) is None:
                raise UserFacingError(f"the checklist has no question {question_id!r}")
            same = session.exec(select(EvidenceRow).where(
                EvidenceRow.audit_id == audit_id, EvidenceRow.question_id == question_id,
                EvidenceRow.sha256 == digest)).first()
            if same is not None:
                raise UserFacingError(
                    f"this file is already attached to {question_id!r}, as {same.name!r} "
                    f"(added {same.added_at[:10]} by {same.added_by}; SHA-256 {digest[:16]}…)")
            if session.get(EvidenceBlobRow, digest) is None:
                session.add(EvidenceBlobRow(sha256=digest, content=content))
                session.flush()
            now = utc_now()
            evidence = EvidenceRow(
                audit_id=audit_id, question_id=question_id, sha256=digest,
                name=readable_name(name),
                size=len(content),
                media_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
                effective_date=effective, added_at=now, added_by=self.actor)
            session.add(evidence)
            session.flush()
            append_event(session, row, at=now, actor=self.actor, kind="evidence_added",
                         question_id=question_id, new=convert.evidence_snapshot(evidence),
                         reason=reason)
            return convert.evidence_info(evidence)

    def evidence_content(self, sha256: str) -> bytes:
        """The bytes of a stored evidence file."""
        with self.store.session() as session:
            blob = session.get(EvidenceBlobRow, sha256)
            if blob is None:
                raise UserFacingError(f"no evidence file with SHA-256 {sha256}")
            return blob.content

    # ---- history ------------------------------------------------------------------------

    def history(self, ref: str) -> list[HistoryEvent]:
        """Every recorded change of the audit, oldest first."""
        audit_id = self.resolve(ref)
        with self.store.session() as session:
            return [convert.history_event(e) for e in _events(session, audit_id)]

    def verify_history(self, ref: str) -> HistoryReport:
        """Check the hash chain and that answers and evidence match what it records."""
        audit_id = self.resolve(ref)
        with self.store.session() as session:
            row = session.get(AuditRow, audit_id)
            events = _events(session, audit_id)
            problems = history_problems(session, row, events)
            head = events[-1].hash if events else None
        return HistoryReport(audit_id, len(events), head, problems)

    # ---- helpers ------------------------------------------------------------------------

    def _writable(self, session: Session, audit_id: str) -> AuditRow:
        """The audit's row, locked for this change; refused when it is signed."""
        row = lock_audit(session, audit_id)
        if row.status == "signed":
            raise UserFacingError(f"audit {audit_id[:12]} is signed and read-only; to change "
                                  "it, start an amendment (a new audit based on it)")
        return row

    def _checklist(self, session: Session, sha256: str) -> LoadedChecklist:
        cached = self._checklists.get(sha256)
        if cached is None:
            source = session.get(ChecklistSourceRow, sha256)
            if source is None:
                raise StoreError(f"the checklist {sha256[:12]} of this audit is missing from "
                                 "the database; restore the database from a backup")
            cached = load_checklist_bytes(source.content, source.filename)
            if cached.sha256 != sha256:
                raise StoreError(f"the stored checklist {sha256[:12]} was altered; restore "
                                 "the database from a backup")
            self._checklists[sha256] = cached
        return cached

    def _answers(self, session: Session, audit_id: str) -> dict[str, AnswerInfo]:
        rows = session.exec(select(AnswerRow).where(AnswerRow.audit_id == audit_id)).all()
        return {row.question_id: convert.answer_info(row) for row in rows}

    def _evaluate(self, session: Session, row: AuditRow) -> Evaluation:
        checklist = self._checklist(session, row.checklist_sha256).checklist
        return evaluate(checklist, _facts(self._answers(session, row.id)))


def audit_metadata(row: AuditRow) -> dict[str, Any]:
    """The audit fields fixed at creation, as the first history event records them."""
    return {
        "title": row.title, "jurisdiction": row.jurisdiction,
        "period_start": row.period_start, "period_end": row.period_end,
        "checklist_id": row.checklist_id, "checklist_version": row.checklist_version,
        "checklist_sha256": row.checklist_sha256, "based_on": row.based_on,
        "auditor": row.auditor,
    }


def _events(session: Session, audit_id: str) -> list[HistoryEventRow]:
    return list(session.exec(select(HistoryEventRow).where(HistoryEventRow.audit_id == audit_id)
                             .order_by(HistoryEventRow.seq)).all())


def readable_name(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 become the replacement character."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _audit_value(row: AuditRow, field: str) -> str:
    return row.jurisdiction.lower() if field == "jurisdiction" else getattr(row, field)


def _refuse_audit_record_change(question: Question, row: AuditRow, change: dict[str, Any],
                                source: str | None = None) -> None:
    """Questions that repeat the audit record take its value and no other."""
    if not question.from_audit:
        return
    expected = _audit_value(row, question.from_audit)
    if change.get("value", expected) != expected or "na_reason" in change or change.get(
            "clear"):
        prefix = f"{source}: " if source else ""
        raise UserFacingError(
            f"{prefix}question {question.id!r} is filled in from the audit record "
            f"({question.from_audit} {expected}); it cannot be changed here")


def _facts(answers: Mapping[str, AnswerInfo]) -> dict[str, AnswerFacts]:
    return {qid: convert.answer_facts(a) for qid, a in answers.items()}


def _import_entry(question: Question, raw: Any, source: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        return {"value": validate_value(question, raw), "state": AnswerState.ANSWERED}
    unknown = set(raw) - {"value", "note", "not_applicable"}
    if unknown or ("value" in raw and "not_applicable" in raw):
        raise UserFacingError(
            f"{source}: {question.id}: an entry is a value, or a mapping of value, note and "
            "not_applicable (the reason), not both value and not_applicable")
    change: dict[str, Any] = {}
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
        reason = _limited(str(raw["not_applicable"] or "").strip(), REASON_LIMIT, "reason")
        if not reason:
            raise UserFacingError(f"{source}: {question.id}: not_applicable needs a reason")
        change.update(na_reason=reason, state=AnswerState.NOT_APPLICABLE)
    if "note" in raw:
        change["note"] = _limited(str(raw["note"] or ""), NOTE_LIMIT, "note")
    return change


def _hidden_message(question: Question, source: str | None = None) -> str:
    prefix = f"{source}: " if source else ""
    condition = describe(question.visible_if) if question.visible_if else "its condition"
    return (f"{prefix}question {question.id!r} does not apply to this audit: it is asked only "
            f"when {condition}. Answer the earlier questions first")


def _empty_answer(question_id: str) -> AnswerInfo:
    return AnswerInfo(question_id, None, "", AnswerState.ANSWERED, None, "", "")


def _date(text: str | None, what: str) -> str:
    try:
        return dt.date.fromisoformat(str(text or "").strip()).isoformat()
    except ValueError:
        raise UserFacingError(f"the {what} {text!r} is not a date; write it as YYYY-MM-DD"
                              ) from None


def _clean_line(text: str | None, what: str) -> str:
    cleaned = " ".join((text or "").split())
    return _limited(cleaned, 300, what)


def _limited(text: str, limit: int, what: str) -> str:
    require_unicode(text, (f"the {what}",))
    if len(text) > limit:
        raise UserFacingError(f"the {what} is {len(text)} characters long; the limit is {limit}")
    return text

