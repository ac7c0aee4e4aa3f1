"""The authorities registry: every citation names an entry with its source and status.

A checklist (and a state overlay) lists its `authorities`; a citation anywhere in it is the
id of one entry. The loader resolves each id into a `Citation` carrying the entry's text,
official source address, status and the date it was checked, and refuses an id that names
no entry. A pending bill is not law: it may ground a question's help (its text then says
"pending — not law"), never an option offered as applicable law or a finding.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

ID_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"
PENDING_LABEL = "pending — not law"


class AuthorityStatus(StrEnum):
    """Where an authority stands as law."""

    IN_FORCE = "in_force"
    PENDING_BILL = "pending_bill"
    REPEALED = "repealed"
    UNVERIFIED = "unverified"
    DOCUMENT = "document"
    """A public document, report, guide or agency policy: evidence, not law."""


class Authority(BaseModel):
    """One entry of the registry: a statute, bill, regulation, document or report."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=ID_PATTERN)
    cite: str = Field(min_length=1)
    """The citation as printed, e.g. "18 U.S.C. 2721(c)"."""
    url: str = Field(pattern=r"^https?://\S+$")
    """Where its text (or, failing that, the best public copy) was read."""
    status: AuthorityStatus
    checked: dt.date
    """The date the citation was last checked against its source."""
    summary: str = ""
    """What the source says, in a sentence, for help texts and docs/authorities.md."""
    note: str = ""
    """What is not yet verified, or what counsel must confirm."""

    @field_validator("checked", mode="before")
    @classmethod
    def _date_text(cls, value: Any) -> Any:
        return dt.date.fromisoformat(value) if isinstance(value, str) else value

    def citation_fields(self) -> dict[str, Any]:
        """The fields of a `Citation` that refers to this entry."""
        text = self.cite
        if self.status == AuthorityStatus.PENDING_BILL:
            text = f"{text} ({PENDING_LABEL})"
        elif self.status == AuthorityStatus.UNVERIFIED:
            text = f"{text} (unverified)"
        elif self.status == AuthorityStatus.REPEALED:
            text = f"{text} (repealed)"
        return {"text": text, "url": self.url, "authority": self.id,
                "status": self.status, "checked": self.checked.isoformat()}


class Citation(BaseModel):
    """A citation resolved against the registry (or, in a checklist with none, free text)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str = Field(min_length=1)
    url: str | None = None
    authority: str | None = None
    """The registry id this citation names."""
    status: AuthorityStatus | None = None
    checked: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _resolve(cls, data: Any, info: ValidationInfo) -> Any:
        registry = registry_of(info.context)
        if registry is None:
            return {"text": data} if isinstance(data, str) else data
        if isinstance(data, dict) and data.get("authority") in registry:
            return data  # already resolved (a model copied or merged)
        if not isinstance(data, str):
            raise PydanticCustomError(
                "citation_not_id", "a citation must be the id of an entry of `authorities`")
        entry = registry.get(data)
        if entry is None:
            raise PydanticCustomError(
                "unknown_authority", "citation '{ref}' names no entry of `authorities`",
                {"ref": data})
        return entry.citation_fields()

    @property
    def is_pending(self) -> bool:
        """Whether the citation names a pending bill (not law)."""
        return self.status == AuthorityStatus.PENDING_BILL

    def printed(self) -> str:
        """The citation with its source address, as reports print it."""
        return f"{self.text} <{self.url}>" if self.url else self.text


REGISTRY_KEY = "authorities"


def registry_of(context: Any) -> Mapping[str, Authority] | None:
    """The registry given as validation context, or None for a checklist without one."""
    if isinstance(context, Mapping):
        found = context.get(REGISTRY_KEY)
        if isinstance(found, Mapping):
            return found
    return None


def parse_registry(raw: Any) -> dict[str, Authority] | None:
    """The registry entries by id, or None when they do not validate (reported later)."""
    if not isinstance(raw, list):
        return None
    entries: dict[str, Authority] = {}
    for item in raw:
        try:
            entry = Authority.model_validate(item)
        except ValueError:
            return None
        entries.setdefault(entry.id, entry)
    return entries
