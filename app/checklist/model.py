"""The checklist data model: sections of typed questions, and findings rules."""

from __future__ import annotations

from enum import StrEnum
from functools import cached_property
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from app.checklist.authorities import Authority, Citation
from app.checklist.checks import Check
from app.checklist.conditions import Condition

ID_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


class QuestionType(StrEnum):
    """The kinds of answer a question takes."""

    YES_NO_UNKNOWN = "yes_no_unknown"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    DATE = "date"
    NUMBER = "number"
    TABLE = "table"
    ORI_LIST = "ori_list"
    """Table columns only: ORIs and ORI patterns (grammar in app.checklist.ori)."""


CHOICE_TYPES = {QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE}
YES_NO_UNKNOWN = ("yes", "no", "unknown")


class Severity(StrEnum):
    """How serious a finding is, most serious first."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for the most serious."""
        return list(Severity).index(self)


class Option(_Strict):
    """One choice of a single- or multiple-choice question."""

    value: str = Field(pattern=ID_PATTERN)
    label: str = Field(min_length=1)
    help: str = ""
    citations: list[Citation] = Field(default_factory=list)
    """The law an option names: never a pending bill."""

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, data: Any) -> Any:
        if isinstance(data, str):
            return {"value": data, "label": data}
        if isinstance(data, dict) and "value" in data and "label" not in data:
            return {**data, "label": str(data["value"])}
        return data


class _Typed(_Strict):
    """Fields shared by questions and table columns: the type and its limits."""

    type: QuestionType
    options: list[Option] = Field(default_factory=list)
    min: float | None = None
    max: float | None = None
    integer: bool = False
    max_length: int | None = Field(default=None, gt=0)

    def option_values(self) -> list[str]:
        """The allowed values of a choice (yes/no/unknown included)."""
        if self.type == QuestionType.YES_NO_UNKNOWN:
            return list(YES_NO_UNKNOWN)
        return [option.value for option in self.options]

    def label_for(self, value: str) -> str:
        """The label shown for an option value."""
        for option in self.options:
            if option.value == value:
                return option.label
        return value.capitalize() if self.type == QuestionType.YES_NO_UNKNOWN else value


class Column(_Typed):
    """One typed column of a table question."""

    id: str = Field(pattern=ID_PATTERN)
    label: str = Field(min_length=1)
    help: str = ""
    required: bool = False


class Question(_Typed):
    """One question of a checklist."""

    id: str = Field(pattern=ID_PATTERN)
    prompt: str = Field(min_length=1)
    help: str = ""
    citations: list[Citation] = Field(default_factory=list)
    procedural: bool = False
    required: bool = True
    allow_not_applicable: bool = True
    from_audit: Literal["jurisdiction", "period_start", "period_end"] | None = None
    columns: list[Column] = Field(default_factory=list)
    default_rows: list[dict[str, Any]] = Field(default_factory=list)
    min_rows: int = Field(default=0, ge=0)
    visible_if: Condition | None = None
    renamed_from: list[str] = Field(default_factory=list)

    @field_validator("renamed_from", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    def column(self, column_id: str) -> Column | None:
        """The table column with this id, if any."""
        return next((c for c in self.columns if c.id == column_id), None)


class Section(_Strict):
    """A titled group of questions, shown one at a time."""

    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1)
    intro: str = ""
    questions: list[Question] = Field(min_length=1)


class Remedy(StrEnum):
    """What it takes to close a gap: the legislative view groups findings by it."""

    STATUTE = "statute"
    REGULATION = "regulation"
    EXECUTIVE_DIRECTIVE = "executive_directive"
    AGENCY_ACTION = "agency_action"


class FindingRule(_Strict):
    """A rule that turns answers into a finding when its condition holds."""

    id: str = Field(pattern=ID_PATTERN)
    when: Condition
    severity: Severity
    title: str = Field(min_length=1)
    detail: str = Field(min_length=1)
    recommendation: str = Field(min_length=1)
    citations: list[Citation] = Field(min_length=1)
    questions: list[str] = Field(default_factory=list)
    public: bool = True
    """False for a gap whose publication would expose it (an unremediated technical gap):
    the public report leaves it out and says how many were withheld."""
    remedy: Remedy | None = None
    """Whether closing the gap needs a statute, a regulation, an executive directive or only
    agency action (the legislative view)."""

    @field_validator("citations", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, (str, dict)) else value


class Migration(_Strict):
    """How questions of an earlier version map onto this one."""

    from_version: str = Field(min_length=1)
    renamed: dict[str, str] = Field(default_factory=dict)
    split: dict[str, list[str]] = Field(default_factory=dict)
    removed: dict[str, str] = Field(default_factory=dict)

    @field_validator("from_version", mode="before")
    @classmethod
    def _version_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, (int, float)) else value

    @field_validator("removed", mode="before")
    @classmethod
    def _ids_or_reasons(cls, value: Any) -> Any:
        if isinstance(value, list):
            return {str(item): "" for item in value}
        return value


class QueryLogColumns(_Strict):
    """The columns of the agencies table that query-log analysis reads and fills."""

    agency: str
    """Read: which agency the row is (a choice or text column)."""
    name: str | None = None
    """Read: a name that refines the agency, such as a 287(g) partner's (a text column)."""
    oris: str
    """Read: the agency's ORIs or ORI patterns (a text column)."""
    blocked: str | None = None
    """Read: whether the agency is blocked (yes/no/unknown); only "yes" rows are checked."""
    blocked_since: str
    """Read: the date the block took effect (a date column)."""
    answered_after_block: str | None = None
    """Filled: queries answered after the block date (a number column)."""
    verified: str | None = None
    """Filled: whether the logs show the block holding (yes/no/unknown)."""


class QueryLogMap(_Strict):
    """Where the analysis of an imported query log reads agencies and writes its results."""

    table: str
    """The table question listing the agencies, their ORIs and their blocks."""
    columns: QueryLogColumns
    period_start: str | None = None
    """A date question filled with the first day the log covers."""
    period_end: str | None = None
    """A date question filled with the last day the log covers."""
    federal_queries: str | None = None
    """A number question stating the federal queries in the period: an import warns, naming
    both numbers, when the log holds another count from the agencies and federal ORIs."""


class AttestationMap(_Strict):
    """The questions that shape the signed statement (see app/audit/statement.py)."""

    official: str | None = None
    """A text question naming the attesting official: signing checks the key's name."""
    capacity: str | None = None
    """A choice or text question: the capacity in which the official attests."""
    capacity_title: str | None = None
    """A text question giving the title when the capacity chosen is not in the list."""
    date: str | None = None
    """A date question: the date of the attestation, which must be the day of signing."""
    statement: str | None = None
    """A single-choice question whose chosen label is printed verbatim as the statement."""
    qualified: str | None = None
    """The option of `statement` that excepts matters (printed with `exceptions`)."""
    exceptions: str | None = None
    """A long-text question of matters excepted from the attestation: printed in it."""
    counsel_review: str | None = None
    """A yes/no/unknown question: has counsel reviewed the legal conclusions?"""
    counsel: str | None = None
    """A text question naming the counsel who reviewed them."""
    counsel_date: str | None = None
    """A date question: when counsel reviewed them."""
    legal_sections: list[str] = Field(default_factory=list)
    """Sections whose answers are counsel's legal conclusions rather than facts."""
    sources: str | None = None
    """A table question with columns section, official and office: who supplied each
    section."""


class Checklist(_Strict):
    """A versioned checklist: sections of questions and findings rules."""

    id: str = Field(pattern=ID_PATTERN)
    version: str = Field(min_length=1)
    title: str = Field(min_length=1)
    description: str = ""
    notice: str = Field(min_length=1)
    authorities: list[Authority] = Field(default_factory=list)
    """The registry every citation names an entry of (see app.checklist.authorities)."""
    sections: list[Section] = Field(min_length=1)
    findings: list[FindingRule] = Field(default_factory=list)
    checks: list[Check] = Field(default_factory=list)
    """Answers that cannot both be true: each raises a warning (see app.checklist.checks)."""
    migrations: list[Migration] = Field(default_factory=list)
    log_analysis: QueryLogMap | None = None
    attestation: AttestationMap | None = None

    @field_validator("version", mode="before")
    @classmethod
    def _version_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, (int, float)) else value

    def authority(self, authority_id: str) -> Authority | None:
        """The registry entry with this id, if any."""
        return next((a for a in self.authorities if a.id == authority_id), None)

    def questions(self) -> list[Question]:
        """Every question, in checklist order."""
        return [q for section in self.sections for q in section.questions]

    def question(self, question_id: str) -> Question | None:
        """The question with this id, if any."""
        return self._question_index.get(question_id)

    @cached_property
    def _question_index(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions()}

    def section_of(self, question_id: str) -> Section | None:
        """The section that holds the question."""
        for section in self.sections:
            if any(q.id == question_id for q in section.questions):
                return section
        return None
