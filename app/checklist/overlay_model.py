"""The state overlay format: a YAML file that localises a base checklist for named states.

An overlay is pinned to one base checklist (id, version and SHA-256 of its exact bytes) and
applies only to audits of the jurisdictions it names. It brings its own authorities; it may
add questions, options, help, citations and findings and raise severities, and it may lower
or suppress a base finding only with a rationale, an authority and counsel approval.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.checklist.authorities import Authority, Citation
from app.checklist.model import ID_PATTERN, FindingRule, Option, Question, Severity


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


class OverlayStatus(StrEnum):
    """Whether counsel has approved the overlay."""

    DRAFT = "draft"
    COUNSEL_APPROVED = "counsel_approved"


class BasePin(_Strict):
    """The one base checklist an overlay applies to."""

    checklist: str = Field(pattern=ID_PATTERN)
    version: str = Field(min_length=1)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")

    @field_validator("version", mode="before")
    @classmethod
    def _version_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, (int, float)) else value


class CounselReview(_Strict):
    """Who approved the overlay, when, and for what."""

    name: str = Field(min_length=1)
    office: str = Field(min_length=1)
    date: dt.date
    scope: str = ""

    @field_validator("date", mode="before")
    @classmethod
    def _date_text(cls, value: Any) -> Any:
        return dt.date.fromisoformat(value) if isinstance(value, str) else value


class QuestionPatch(_Strict):
    """Localise a base question: more options, more help, more citations."""

    id: str = Field(pattern=ID_PATTERN)
    add_options: list[Option] = Field(default_factory=list)
    help_append: str = ""
    add_citations: list[Citation] = Field(default_factory=list)


class AddedQuestion(Question):
    """A question the overlay adds, and where it goes."""

    section: str = Field(pattern=ID_PATTERN)
    after: str | None = None
    """The question it follows; the end of the section when left out."""


class FindingAdjustment(_Strict):
    """A change to a base finding's severity, or its suppression."""

    id: str = Field(pattern=ID_PATTERN)
    severity: Severity | None = None
    suppress: bool = False
    rationale: str = Field(min_length=1)
    citations: list[Citation] = Field(default_factory=list)

    @field_validator("citations", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, (str, dict)) else value


class Overlay(_Strict):
    """A state overlay: data only, applied to a base checklist by `apply_overlay`."""

    overlay: str = Field(pattern=ID_PATTERN)
    """The overlay's id, e.g. md-overlay."""
    version: str = Field(min_length=1)
    title: str = Field(min_length=1)
    base: BasePin
    jurisdictions: list[str] = Field(min_length=1)
    status: OverlayStatus
    counsel_review: CounselReview | None = None
    notice: str = ""
    authorities: list[Authority] = Field(default_factory=list)
    patch_questions: list[QuestionPatch] = Field(default_factory=list)
    add_questions: list[AddedQuestion] = Field(default_factory=list)
    add_findings: list[FindingRule] = Field(default_factory=list)
    adjust_findings: list[FindingAdjustment] = Field(default_factory=list)

    @field_validator("version", mode="before")
    @classmethod
    def _version_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, (int, float)) else value

    @property
    def approved(self) -> bool:
        """Whether counsel has approved the overlay."""
        return self.status == OverlayStatus.COUNSEL_APPROVED
