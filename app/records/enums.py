"""Domain words that are stored, hashed into the history, or compared: never bare strings."""

from __future__ import annotations

from enum import StrEnum


class AuditStatus(StrEnum):
    """Where an audit stands: a draft changes; a signed audit is read-only."""

    DRAFT = "draft"
    SIGNED = "signed"


class EventKind(StrEnum):
    """The kinds of history event. The values are hashed into the chain: never rename one."""

    AUDIT_CREATED = "audit_created"
    ANSWER_SET = "answer_set"
    ANSWER_IMPORTED = "answer_imported"
    NOTE_SET = "note_set"
    NOT_APPLICABLE = "not_applicable"
    ANSWER_CLEARED = "answer_cleared"
    ANSWER_CONFIRMED = "answer_confirmed"
    ANSWER_CARRIED = "answer_carried"
    ANSWER_RESTORED = "answer_restored"
    CARRIED_FORWARD = "carried_forward"
    EVIDENCE_ADDED = "evidence_added"
    EVIDENCE_WITHDRAWN = "evidence_withdrawn"
    AUDIT_SIGNED = "audit_signed"

    @property
    def changes_answer(self) -> bool:
        """True for the events that record a new state of one question's answer."""
        return self in _ANSWER_EVENTS

    @property
    def label(self) -> str:
        """The kind in words, as a history list shows it."""
        return _EVENT_LABELS[self]


_EVENT_LABELS = {
    EventKind.AUDIT_CREATED: "audit created",
    EventKind.ANSWER_SET: "answered",
    EventKind.ANSWER_IMPORTED: "answer imported",
    EventKind.NOTE_SET: "note changed",
    EventKind.NOT_APPLICABLE: "marked not applicable",
    EventKind.ANSWER_CLEARED: "answer cleared",
    EventKind.ANSWER_CONFIRMED: "confirmed as still true",
    EventKind.ANSWER_CARRIED: "answer carried forward",
    EventKind.ANSWER_RESTORED: "answer restored",
    EventKind.CARRIED_FORWARD: "started from a previous audit",
    EventKind.EVIDENCE_ADDED: "evidence attached",
    EventKind.EVIDENCE_WITHDRAWN: "evidence withdrawn",
    EventKind.AUDIT_SIGNED: "audit signed",
}

_ANSWER_EVENTS = frozenset({
    EventKind.ANSWER_SET, EventKind.ANSWER_IMPORTED, EventKind.NOTE_SET,
    EventKind.NOT_APPLICABLE, EventKind.ANSWER_CLEARED, EventKind.ANSWER_CONFIRMED,
    EventKind.ANSWER_CARRIED, EventKind.ANSWER_RESTORED})


class ChangeKind(StrEnum):
    """How an audit differs from the one it was started from."""

    ANSWER_CHANGED = "answer_changed"
    QUESTION_ADDED = "question_added"
    QUESTION_DROPPED = "question_dropped"
    FINDING_NEW = "finding_new"
    FINDING_RESOLVED = "finding_resolved"

    @property
    def label(self) -> str:
        """How a report names the kind of change."""
        return _CHANGE_LABELS[self]


_CHANGE_LABELS = {
    ChangeKind.ANSWER_CHANGED: "Answer changed",
    ChangeKind.QUESTION_ADDED: "New question",
    ChangeKind.QUESTION_DROPPED: "Question dropped",
    ChangeKind.FINDING_NEW: "New finding",
    ChangeKind.FINDING_RESOLVED: "Finding resolved",
}

