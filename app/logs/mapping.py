"""What the analysis is told about a log: its column names and the agencies to count."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import date

from app.checklist.ori import ORI_HELP, NotAnOri, check_ori_entry, parse_ori_list
from app.errors import UserFacingError


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
    """Split an ORI list (commas, semicolons, whitespace) into ORIs and patterns.

    The grammar is app.checklist.ori's; entries come back upper-cased, duplicates dropped.
    An entry that is neither an ORI nor a pattern (a word such as "listed") raises
    UserFacingError naming `where`, the entry and what an ORI looks like. Empty text
    gives ().
    """
    try:
        return parse_ori_list(text)
    except NotAnOri as exc:
        raise _refused(where, exc) from None


def check_ori_pattern(pattern: str, *, where: str) -> None:
    """Raise UserFacingError naming `where` unless `pattern` is an ORI or ORI pattern."""
    try:
        check_ori_entry(pattern)
    except NotAnOri as exc:
        raise _refused(where, exc) from None


def _refused(where: str, exc: NotAnOri) -> UserFacingError:
    return UserFacingError(f"{where}: {exc}. Fix: list ORIs only ({ORI_HELP}); say in the "
                           "note where else they are recorded")


def like_pattern(pattern: str) -> str:
    """The SQL LIKE pattern (escape character backslash) equivalent to an ORI pattern."""
    escaped = pattern.upper().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped.replace("*", "%").replace("?", "_")
