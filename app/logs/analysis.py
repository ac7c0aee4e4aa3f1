"""Count a query log's queries by agency, month and message key, and check each block."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.errors import UserFacingError
from app.logs import federal, queries
from app.logs.federal import UnmatchedOri
from app.logs.mapping import AgencyRule, ColumnMapping, check_ori_pattern
from app.logs.source import (
    LogFile,
    columns_of,
    find_column,
    is_time_type,
    missing_column,
    opened_log,
    reason,
)

if TYPE_CHECKING:
    import duckdb

NO_KEY = "(none)"
"""The by_key entry for rows whose message key is empty."""
DEFAULT_MAPPING = ColumnMapping()
"""The column names used when no mapping is given."""
DEFAULT_ANSWERED = ("answered",)
"""The result values that mean answered when none are given."""


@dataclass(frozen=True)
class AgencyCount:
    """What the log shows for one agency: its queries, and whether its block held."""

    key: str
    label: str
    blocked_since: date | None
    queries: int
    answered: int
    after_block: int
    answered_after_block: int
    first_answered_after_block: datetime | None
    by_month: dict[str, int]
    by_key: dict[str, int]

    @property
    def block_holds(self) -> bool | None:
        """None if not blocked or no query came after the block date, else whether every
        query after the block date was refused."""
        if self.blocked_since is None or self.after_block == 0:
            return None
        return self.answered_after_block == 0

    def to_json(self) -> dict[str, Any]:
        """Plain JSON types, keys in a fixed order."""
        return {
            "key": self.key,
            "label": self.label,
            "blocked_since": _iso(self.blocked_since),
            "queries": self.queries,
            "answered": self.answered,
            "after_block": self.after_block,
            "answered_after_block": self.answered_after_block,
            "first_answered_after_block": _iso(self.first_answered_after_block),
            "block_holds": self.block_holds,
            "by_month": dict(sorted(self.by_month.items())),
            "by_key": dict(sorted(self.by_key.items())),
        }


@dataclass(frozen=True)
class LogAnalysis:
    """The result of analysing one query log file."""

    source_name: str
    source_sha256: str
    source_format: str
    rows: int
    first_day: date | None
    last_day: date | None
    answered_values: tuple[str, ...]
    agencies: tuple[AgencyCount, ...]
    unmatched: int
    ambiguous_oris: tuple[str, ...]
    unmatched_oris: tuple[UnmatchedOri, ...] = ()
    """The ORIs no agency matches: every federal-looking one, then the busiest others."""
    unmatched_ori_count: int = 0
    """How many distinct ORIs (an empty one included) no agency matches."""

    def hidden_traffic(self, count: AgencyCount) -> tuple[UnmatchedOri, ...]:
        """Federal-looking unmatched ORIs with queries after `count`'s block date: when
        the agency's own ORIs show none, its queries may be among these."""
        if count.blocked_since is None:
            return ()
        day = count.blocked_since.isoformat()
        return tuple(item for item in self.unmatched_oris
                     if item.federal and item.after_block.get(day, 0) > 0)

    def untold(self, count: AgencyCount) -> str | None:
        """A plain sentence when `count`'s block could not be checked (none of its own
        queries came after the block date) while federal-looking ORIs that no agency
        lists did query after it; else None."""
        if count.blocked_since is None or count.after_block > 0:
            return None
        hidden = self.hidden_traffic(count)
        if not hidden:
            return None
        day = count.blocked_since.isoformat()
        after = sum(item.after_block.get(day, 0) for item in hidden)
        answered = sum(item.answered_after_block.get(day, 0) for item in hidden)
        names = ", ".join(str(item.ori) for item in hidden[:5])
        more = f" and {len(hidden) - 5} more" if len(hidden) > 5 else ""
        return (f"{count.label}: none of its listed ORIs queried after {day}, but ORIs that "
                f"look federal and that no agency lists did ({names}{more}: {after:,} "
                f"queries after {day}, {answered:,} answered). This agency's traffic could "
                "not be told apart from theirs, so its block is not verified: list its ORIs")

    def unmatched_lines(self, shown: int = 10) -> list[str]:
        """The unmatched ORIs as lines of text: the federal-looking ones first."""
        lines = []
        for item in self.unmatched_oris[:shown]:
            flag = f" — looks federal: {item.federal}" if item.federal else ""
            noun = "query" if item.queries == 1 else "queries"
            lines.append(f"{item.ori or '(no ORI)'}: {item.queries:,} {noun}, "
                         f"{item.answered:,} answered{flag}")
        rest = self.unmatched_ori_count - min(shown, len(self.unmatched_oris))
        if rest > 0:
            lines.append(f"and {rest:,} more ORIs")
        return lines

    def to_json(self) -> dict[str, Any]:
        """Plain JSON types (dates as ISO strings), keys in a fixed order; kept as evidence."""
        return {
            "source_name": self.source_name,
            "source_sha256": self.source_sha256,
            "source_format": self.source_format,
            "rows": self.rows,
            "first_day": _iso(self.first_day),
            "last_day": _iso(self.last_day),
            "answered_values": list(self.answered_values),
            "agencies": [agency.to_json() for agency in self.agencies],
            "unmatched": self.unmatched,
            "ambiguous_oris": list(self.ambiguous_oris),
            "unmatched_oris": [item.to_json() for item in self.unmatched_oris],
            "unmatched_ori_count": self.unmatched_ori_count,
        }


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def analyse_log(path: Path, agencies: Sequence[AgencyRule], *,
                mapping: ColumnMapping = DEFAULT_MAPPING,
                answered: Sequence[str] = DEFAULT_ANSWERED,
                file_format: str | None = None) -> LogAnalysis:
    """Count the log's queries by agency, month and message key, and check each block.

    A row counts for the first rule whose ORI patterns match its ORI; a row is answered
    when its result equals one of `answered` (trimmed, ignoring case). Bad input raises
    UserFacingError naming the file and what to fix.
    """
    answered_values = _answered_values(answered)
    _check_rules(agencies)
    with opened_log(path, file_format) as log:
        counts = _count(log, agencies, mapping, answered_values)
    return LogAnalysis(source_name=log.name, source_sha256=log.sha256,
                       source_format=log.format, answered_values=answered_values, **counts)


def _answered_values(answered: Sequence[str]) -> tuple[str, ...]:
    if isinstance(answered, str):
        answered = (answered,)
    values: list[str] = []
    for value in answered:
        folded = value.strip().lower()
        if folded and folded not in values:
            values.append(folded)
    if not values:
        raise UserFacingError(
            "no result value counts as answered, so every block would look as if it held. "
            "Fix: give the result value(s) the log uses for an answered query"
        )
    return tuple(values)


def _check_rules(agencies: Sequence[AgencyRule]) -> None:
    seen: set[str] = set()
    for rule in agencies:
        if rule.key in seen:
            raise UserFacingError(f"agency {rule.key!r} is given twice. Fix: keep one rule "
                                  "per agency, with all its ORIs")
        seen.add(rule.key)
        for pattern in rule.ori_patterns:
            check_ori_pattern(pattern, where=f"agency {rule.label or rule.key}, ORIs")


def _count(log: LogFile, agencies: Sequence[AgencyRule], mapping: ColumnMapping,
           answered: tuple[str, ...]) -> dict[str, Any]:
    import duckdb

    con = duckdb.connect(":memory:", config={"autoinstall_known_extensions": False,
                                             "autoload_known_extensions": False})
    try:
        con.execute("SET TimeZone = 'UTC'")
        cols = _columns(con, log, mapping)
        queries.group_log(con, log, cols, answered, queries.block_days(agencies))
        queries.check_times(con, log, cols)
        rows, first_day, last_day = queries.one_row(con, queries.LOG_TOTALS)
        if rows == 0:
            raise UserFacingError(f"query log {log.name} holds no rows. Fix: export the "
                                  "log again, with its header row and its queries")
        queries.match_oris(con, agencies)
        counted = _agency_counts(con, agencies)
        ambiguous = tuple(ori for (ori,) in con.execute(queries.AMBIGUOUS).fetchall())
        unmatched = _unmatched(con, queries.block_days(agencies))
    except duckdb.Error as exc:
        # Reading errors were worded where the file is read; this is anything else.
        raise UserFacingError(
            f"query log {log.name} could not be analysed: {reason(exc)}. Fix: if the reason "
            "is memory or disk space, free some and try again; otherwise report it"
        ) from None
    finally:
        con.close()
    return {"rows": int(rows), "first_day": first_day, "last_day": last_day,
            "agencies": counted, "unmatched": int(rows) - sum(a.queries for a in counted),
            "ambiguous_oris": ambiguous, "unmatched_oris": federal.listed(unmatched),
            "unmatched_ori_count": len(unmatched)}


def _unmatched(con: duckdb.DuckDBPyConnection,
               days: Sequence[date]) -> list[federal.UnmatchedOri]:
    found = []
    for ori, queried, answered, *after in con.execute(
            queries.unmatched_oris(len(days))).fetchall():
        found.append(federal.UnmatchedOri(
            ori=ori, queries=int(queried), answered=int(answered),
            after_block={day.isoformat(): int(after[2 * i]) for i, day in enumerate(days)},
            answered_after_block={day.isoformat(): int(after[2 * i + 1])
                                  for i, day in enumerate(days)},
            federal=federal.federal_reason(ori)))
    return found


def _columns(con: duckdb.DuckDBPyConnection, log: LogFile,
             mapping: ColumnMapping) -> queries.LogColumns:
    columns = columns_of(con, log)
    found: dict[str, str] = {}
    for field in ("time", "ori", "message_key", "result"):
        wanted = getattr(mapping, field)
        name = find_column(columns, wanted)
        if name is None:
            raise missing_column(log, field, wanted, columns)
        found[field] = name
    time_type = columns[found["time"]]
    if not (is_time_type(time_type) or time_type.upper() == "VARCHAR"):
        raise UserFacingError(
            f"query log {log.name}: column {found['time']!r} holds {time_type} values, not "
            "dates or timestamps. Fix: map the column with the query time, e.g. time=<column>"
        )
    return queries.LogColumns(time_type=time_type, all=tuple(columns), **found)


def _agency_counts(con: duckdb.DuckDBPyConnection,
                   agencies: Sequence[AgencyRule]) -> tuple[AgencyCount, ...]:
    totals_sql = queries.agency_totals(len(queries.block_days(agencies)))
    totals = {row[0]: row[1:] for row in con.execute(totals_sql).fetchall()}
    months: dict[int, dict[str, int]] = {}
    for rule, month, count in con.execute(queries.AGENCY_MONTHS).fetchall():
        months.setdefault(rule, {})[month] = int(count)
    keys: dict[int, dict[str, int]] = {}
    for rule, key, count in con.execute(queries.AGENCY_KEYS).fetchall():
        keys.setdefault(rule, {})[key or NO_KEY] = int(count)
    counted = []
    for index, rule in enumerate(agencies):
        queried, answered, after, answered_after, first = totals.get(index, (0, 0, 0, 0, None))
        counted.append(AgencyCount(
            key=rule.key, label=rule.label, blocked_since=rule.blocked_since,
            queries=int(queried), answered=int(answered), after_block=int(after),
            answered_after_block=int(answered_after), first_answered_after_block=first,
            by_month=months.get(index, {}), by_key=dict(sorted(keys.get(index, {}).items())),
        ))
    return tuple(counted)
