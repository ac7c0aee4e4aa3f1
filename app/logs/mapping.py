"""What the analysis is told about a log: its column names and the agencies to count."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import date

from app.errors import UserFacingError

_PATTERN = re.compile(r"[A-Za-z0-9*?]{1,20}")
_SEPARATORS = re.compile(r"[,;\s]+")


@dataclass(frozen=True)
class ColumnMapping:
    """Which column of the log holds each field."""

    time: str = "time"
    ori: str = "ori"
    message_key: str = "message_key"
    destination: str = "destination"
    result: str = "result"

    @classmethod
    def parse(cls, pairs: Sequence[str]) -> ColumnMapping:
        """Build a mapping from `field=column` pairs, e.g. ["time=Timestamp", "ori=ORI"].

        Fields not given keep their default column name. An unknown field, a pair without
        `=`, an empty column name or a field given twice raises UserFacingError.
        """
        known = [field.name for field in fields(cls)]
        chosen: dict[str, str] = {}
        for pair in pairs:
            name, sep, column = pair.partition("=")
            name, column = name.strip().lower(), column.strip()
            if not sep or not name or not column:
                raise UserFacingError(
                    f"column mapping {pair!r} is not of the form field=column. "
                    f"Fix: write it like time=Timestamp; fields: {', '.join(known)}"
                )
            if name not in known:
                raise UserFacingError(
                    f"column mapping {pair!r} names an unknown field {name!r}. "
                    f"Fix: use one of: {', '.join(known)}"
                )
            if name in chosen:
                raise UserFacingError(
                    f"column mapping gives the field {name!r} twice "
                    f"({chosen[name]!r} and {column!r}). Fix: keep one of them"
                )
            chosen[name] = column
        return replace(cls(), **chosen)


@dataclass(frozen=True)
class AgencyRule:
    """An agency to count: the ORIs that identify it and when it was blocked.

    `ori_patterns` holds exact ORIs or patterns where * stands for any run of characters
    and ? for one; they match the trimmed ORI case-insensitively. `blocked_since` is the
    block date, in the same time basis as the log's timestamps; None when not blocked.
    """

    key: str
    label: str
    ori_patterns: tuple[str, ...]
    blocked_since: date | None


def parse_ori_patterns(text: str, *, where: str) -> tuple[str, ...]:
    """Split a free-text ORI list (commas, semicolons, whitespace) into patterns.

    Each pattern is 1-20 letters, digits, * or ?; it comes back upper-cased, duplicates
    dropped. An invalid one raises UserFacingError naming `where` and the bad token.
    Empty text gives ().
    """
    patterns: list[str] = []
    for token in _SEPARATORS.split(text.strip()):
        if not token:
            continue
        check_ori_pattern(token, where=where)
        if token.upper() not in patterns:
            patterns.append(token.upper())
    return tuple(patterns)


def check_ori_pattern(pattern: str, *, where: str) -> None:
    """Raise UserFacingError naming `where` unless `pattern` is a valid ORI pattern."""
    if not _PATTERN.fullmatch(pattern):
        raise UserFacingError(
            f"{where}: {pattern!r} is not an ORI or ORI pattern. Fix: use 1-20 letters or "
            "digits, with * for any run of characters and ? for one, e.g. WA0340000 or "
            "DHS*; separate several with commas"
        )


def like_pattern(pattern: str) -> str:
    """The SQL LIKE pattern (escape character backslash) equivalent to an ORI pattern."""
    escaped = pattern.upper().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped.replace("*", "%").replace("?", "_")
