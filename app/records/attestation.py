"""What an attestation prints, as decided by the audit services and handed to the reports."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.records.enums import ChangeKind
from app.records.models import AuditView


@dataclass(frozen=True)
class ChangeRecord:
    """One change since the previous audit: what changed, and its text before and after.

    `before` and `after` are display text ("" where the kind has no such side).
    """

    kind: ChangeKind
    subject: str
    label: str
    before: str = ""
    after: str = ""


@dataclass(frozen=True)
class Signatory:
    """Who signs, printed in the signature block; blank lines are printed for any left out."""

    name: str | None = None
    title: str | None = None
    date: str | None = None
    signed: bool = False
    """True in the rendering that is signed: the cover then says who signed, as what, when."""


@dataclass(frozen=True)
class Statement:
    """The statement the official attests to: an opening line and numbered clauses."""

    intro: str
    items: tuple[str, ...]
    qualified: bool = False
    """True when the official excepts matters from the statement."""
    capacity: str | None = None
    """The capacity the audit records for the official, which signing prints; None when the
    checklist records none (then the title typed at signing is printed)."""

    def paragraphs(self) -> list[str]:
        """The statement as printed: the opening line, then "1. …", "2. …"."""
        return [self.intro, *(f"{n}. {item}" for n, item in enumerate(self.items, start=1))]


@dataclass(frozen=True)
class RecordedAnalysis:
    """A query-log analysis the tool recorded as evidence: its SHA-256 and its content."""

    sha256: str
    analysis: Mapping[str, Any]


@dataclass(frozen=True)
class Attestation:
    """Everything an attestation or public report prints, assembled once per export.

    The audit services decide every part of it (readiness, statement, changes); the
    renderer only prints it.
    """

    view: AuditView
    ready: bool
    blockers: tuple[str, ...]
    """Why the audit cannot be signed yet, in words; empty when it is ready."""
    draft_reasons: tuple[str, ...]
    """The blockers summarised for the DRAFT banner."""
    statement: Statement
    changes: tuple[ChangeRecord, ...] | None = None
    """None when the audit was not started from another one."""
    logs: tuple[RecordedAnalysis, ...] = ()
    signatory: Signatory = field(default_factory=Signatory)
    explained_checks: frozenset[str] = frozenset()
    """The checks across answers that a note explains (by check id)."""
