"""Where a stored answer stands, and what evaluation needs of it: light enough for the
store's converters and the audit list, which load no checklist model."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class AnswerState(StrEnum):
    """Where an answer stands."""

    ANSWERED = "answered"
    CARRIED_UNCONFIRMED = "carried_unconfirmed"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class AnswerFacts:
    """What evaluation needs to know of one stored answer."""

    value: Any | None
    state: AnswerState
