"""The bridge between question widgets and the audit service for one open audit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.audit import UNCHECKED, AnswerInfo, AuditService

FOLLOW_SECONDS = 3.0
"""How often an open screen looks for changes made elsewhere (its history head)."""


class AnswerSaver:
    """Saves the answers of one audit through the service.

    Every method calls the service at once (each change is committed there) and lets
    `UserFacingError` through, so the caller can show its message where the user looks.
    """

    def __init__(self, service: AuditService, audit_id: str, *, read_only: bool = False):
        self.service = service
        self.audit_id = audit_id
        self.read_only = read_only

    def set_value(self, question_id: str, value: Any | None, *,
                  expected: Any = UNCHECKED, reason: str | None = None) -> AnswerInfo:
        """Record `value` as the answer; `None` (an emptied widget) removes the answer;
        `reason`, when given, goes into the history with the change.

        `expected` is the answer the screen showed: the service refuses (StaleAnswer) when
        someone else has changed it since; likewise for the note below.
        """
        if value is None:
            return self.service.clear_answer(self.audit_id, question_id, reason,
                                             expected=expected)
        return self.service.set_answer(self.audit_id, question_id, value, reason=reason,
                                       expected=expected)

    def set_note(self, question_id: str, note: str, *, expected: Any = UNCHECKED) -> AnswerInfo:
        """Record the note on a question; an empty note removes it."""
        return self.service.set_note(self.audit_id, question_id, note, expected=expected)

    def stored(self, question_id: str) -> AnswerInfo | None:
        """The answer as the database now holds it."""
        return self.service.view(self.audit_id).answers.get(question_id)

    def set_not_applicable(self, question_id: str, reason: str, *,
                           expected: Any = UNCHECKED) -> AnswerInfo:
        """Mark the question not applicable, for `reason`."""
        return self.service.set_not_applicable(self.audit_id, question_id, reason,
                                               expected=expected)

    def confirm(self, question_id: str) -> AnswerInfo:
        """Confirm a carried-forward answer as still true; returns the stored answer."""
        return self.confirm_many([question_id])[question_id]

    def confirm_many(self, question_ids: list[str]) -> dict[str, AnswerInfo]:
        """Confirm several carried-forward answers at once (all or none)."""
        self.service.confirm(self.audit_id, question_ids)
        answers = self.service.view(self.audit_id).answers
        return {qid: answers[qid] for qid in question_ids if qid in answers}

    def clear(self, question_id: str, *, expected: Any = UNCHECKED) -> AnswerInfo:
        """Remove the answer and any not-applicable mark; the note stays."""
        return self.service.clear_answer(self.audit_id, question_id, expected=expected)


def local_time(iso_utc: str | None, *, with_date: bool = True) -> str:
    """A stored UTC timestamp as local time for display ("—" when missing or unreadable)."""
    if not iso_utc:
        return "—"
    try:
        moment = dt.datetime.fromisoformat(iso_utc.replace("Z", "+00:00")).astimezone()
    except ValueError:
        return iso_utc
    return moment.strftime("%Y-%m-%d %H:%M" if with_date else "%H:%M:%S")


def clock_now() -> str:
    """The local time of day, as shown next to a saved answer."""
    return dt.datetime.now().strftime("%H:%M:%S")
