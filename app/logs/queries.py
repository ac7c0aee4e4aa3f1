"""The SQL of the analysis, run on an in-memory DuckDB connection.

One pass over the log fills the temp table `log_groups`: queries by ORI, month, message key
and answered or not, with, for each distinct block date, the queries after it and the first
of them. Every count after that reads `log_groups`, which is small whatever the log's size.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from app.errors import UserFacingError
from app.logs.mapping import AgencyRule, like_pattern
from app.logs.source import LogFile, is_time_type, reworded

if TYPE_CHECKING:
    import duckdb


@dataclass(frozen=True)
class LogColumns:
    """The log's actual column names for the fields the analysis reads, and all columns."""

    time: str
    time_type: str
    ori: str
    message_key: str
    result: str
    all: tuple[str, ...]


def quote(name: str) -> str:
    """`name` as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


EARLIEST = "1900-01-01"
LATEST = "2199-12-31"
"""Times outside these days are not query times (year 0000 or 99999 are typing errors)."""


def _time_value(cols: LogColumns) -> str:
    column = quote(cols.time)
    if is_time_type(cols.time_type):
        value = f"TRY_CAST({column} AS TIMESTAMP)"
    else:
        # Trimming every value costs more than the cast; only values that fail get trimmed.
        value = (f"coalesce(TRY_CAST({column} AS TIMESTAMP), "
                 f"TRY_CAST(trim(CAST({column} AS VARCHAR)) AS TIMESTAMP))")
    return value


def in_range(column: str) -> str:
    """`column` (a TIMESTAMP) when it lies between EARLIEST and LATEST, else NULL."""
    return (f"CASE WHEN {column} >= TIMESTAMP '{EARLIEST}' AND {column} < TIMESTAMP "
            f"'{LATEST}' + INTERVAL 1 DAY THEN {column} END")


def group_log(con: duckdb.DuckDBPyConnection, log: LogFile, cols: LogColumns,
              answered: Sequence[str], block_days: Sequence[date]) -> None:
    """Read the log once into `log_groups`; rows whose time does not parse get month NULL.

    Columns after_<i> and first_after_<i> count the queries dated strictly after
    block_days[i] and hold the earliest of their times.
    """
    import duckdb

    con.execute("CREATE TEMP TABLE answered_values (value VARCHAR)")
    con.executemany("INSERT INTO answered_values VALUES (?)", [[value] for value in answered])
    after = "".join(
        f", count(*) FILTER (WHERE day > DATE '{day.isoformat()}') AS after_{i}"
        f", min(ts) FILTER (WHERE day > DATE '{day.isoformat()}') AS first_after_{i}"
        for i, day in enumerate(block_days)
    )
    rolled = "".join(f", sum(after_{i}) AS after_{i}, min(first_after_{i}) AS first_after_{i}"
                     for i in range(len(block_days)))
    # The inner aggregate groups the raw text, so the per-row work is parsing the time;
    # trimming and folding case happen on the groups.
    try:
        con.execute(f"""
            CREATE TEMP TABLE log_groups AS
            SELECT {_folded("ori", upper=True)} AS ori, month,
                   {_folded("message_key", upper=True)} AS message_key,
                   coalesce({_folded("result", upper=False)}
                            IN (SELECT value FROM answered_values), false) AS is_answered,
                   sum(queries) AS queries, min(first) AS first, max(last) AS last{rolled}
            FROM (
                SELECT ori, date_trunc('month', day) AS month, message_key, result,
                       count(*) AS queries, min(ts) AS first, max(ts) AS last{after}
                FROM (
                    SELECT *, CAST(ts AS DATE) AS day FROM (
                        SELECT ori, message_key, result, {in_range("parsed")} AS ts FROM (
                            SELECT {quote(cols.ori)} AS ori,
                                   {quote(cols.message_key)} AS message_key,
                                   {quote(cols.result)} AS result, {_time_value(cols)} AS parsed
                            FROM {log.scan()}
                        )
                    )
                )
                GROUP BY ALL
            )
            GROUP BY ALL
        """)
    except duckdb.Error as exc:
        raise reworded(log, exc) from None


def one_row(con: duckdb.DuckDBPyConnection, sql: str,
            params: Sequence[object] = ()) -> tuple[Any, ...]:
    """The single row an aggregate query returns."""
    found = con.execute(sql, list(params)).fetchone()
    if found is None:
        raise RuntimeError("an aggregate query returned no row")
    return found


def _folded(column: str, *, upper: bool) -> str:
    text = f"trim(CAST({column} AS VARCHAR))"
    return f"NULLIF(upper({text}), '')" if upper else f"lower({text})"


def check_times(con: duckdb.DuckDBPyConnection, log: LogFile, cols: LogColumns) -> None:
    """Raise UserFacingError naming the first row whose time is missing or not a date."""
    import duckdb

    bad = one_row(con, "SELECT sum(queries) FROM log_groups WHERE month IS NULL")[0]
    if not bad:
        return
    try:
        row, raw, line = _first_bad_time(con, log, cols)
    except duckdb.Error as exc:
        raise reworded(log, exc) from None
    where = f"data row {row}" + (f" (line {line})" if line else "")
    what = "has no time value" if raw is None or not str(raw).strip() else (
        f"holds {str(raw)[:60]!r}, which is not a date or timestamp from {EARLIEST} to "
        f"{LATEST}")
    others = f"; {bad - 1} other row(s) have the same problem" if bad > 1 else ""
    raise UserFacingError(
        f"query log {log.name}: column {cols.time!r} on {where} {what}{others}. Fix: give "
        "every row a time in ISO 8601 (YYYY-MM-DD or YYYY-MM-DD HH:MM:SS), or map the right "
        "column with time=<column name>"
    )


def _first_bad_time(con: duckdb.DuckDBPyConnection, log: LogFile,
                    cols: LogColumns) -> tuple[int, object, int | None]:
    if log.format == "parquet":
        found = one_row(con, f"""
            SELECT file_row_number + 1, CAST({quote(cols.time)} AS VARCHAR)
            FROM {log.scan(row_numbers=True)}
            WHERE ({in_range(f"({_time_value(cols)})")}) IS NULL
            ORDER BY file_row_number LIMIT 1
        """)
        return found[0], found[1], None
    # CSV rows carry no number: on one thread row_number() follows the file order. A row's
    # line is the header, plus one per earlier row, plus line breaks inside earlier fields.
    con.execute("SET threads = 1")
    numbered = f"""
        SELECT row_number() OVER () AS row, {in_range(f"({_time_value(cols)})")} AS ts,
               {quote(cols.time)} AS raw, {_line_breaks(cols.all)} AS breaks
        FROM {log.scan()}
    """
    row, raw = one_row(
        con, f"SELECT row, raw FROM ({numbered}) WHERE ts IS NULL ORDER BY row LIMIT 1")
    breaks = one_row(
        con, f"SELECT coalesce(sum(breaks), 0) FROM ({numbered}) WHERE row < ?", [row])[0]
    return row, raw, 1 + row + int(breaks)


def _line_breaks(columns: Sequence[str]) -> str:
    return " + ".join(
        f"coalesce(length({quote(c)}) - length(replace({quote(c)}, chr(10), '')), 0)"
        for c in columns
    )


def match_oris(con: duckdb.DuckDBPyConnection, agencies: Sequence[AgencyRule]) -> None:
    """Fill `matched` (ORI -> first matching rule, number of rules matched), `rules`.

    Only the distinct ORIs of `log_groups` are compared with the patterns, so the LIKE join
    stays small whatever the size of the log.
    """
    con.execute("CREATE TEMP TABLE rules (rule INTEGER, slot INTEGER)")
    con.execute("CREATE TEMP TABLE patterns (rule INTEGER, pattern VARCHAR)")
    slots = block_days(agencies)
    rules = [[index, None if rule.blocked_since is None else slots.index(rule.blocked_since)]
             for index, rule in enumerate(agencies)]
    patterns = [[index, like_pattern(pattern)]
                for index, rule in enumerate(agencies) for pattern in rule.ori_patterns]
    # executemany refuses an empty list.
    if rules:
        con.executemany("INSERT INTO rules VALUES (?, ?)", rules)
    if patterns:
        con.executemany("INSERT INTO patterns VALUES (?, ?)", patterns)
    con.execute(r"""
        CREATE TEMP TABLE matched AS
        SELECT o.ori, min(p.rule) AS rule, count(DISTINCT p.rule) AS rules_matched
        FROM (SELECT DISTINCT ori FROM log_groups WHERE ori IS NOT NULL) AS o
        JOIN patterns AS p ON o.ori LIKE p.pattern ESCAPE '\'
        GROUP BY o.ori
    """)


def block_days(agencies: Sequence[AgencyRule]) -> list[date]:
    """The distinct block dates of `agencies`, in order."""
    return sorted({rule.blocked_since for rule in agencies if rule.blocked_since is not None})


def agency_totals(slots: int) -> str:
    """Per rule: queries, answered, after its block, answered after it, first answered after."""
    def chosen(column: str) -> str:
        if not slots:
            return "NULL"
        cases = " ".join(f"WHEN {i} THEN g.{column}_{i}" for i in range(slots))
        return f"CASE r.slot {cases} END"

    return f"""
        SELECT m.rule, sum(g.queries), coalesce(sum(g.queries) FILTER (WHERE g.is_answered), 0),
               coalesce(sum({chosen("after")}), 0),
               coalesce(sum({chosen("after")}) FILTER (WHERE g.is_answered), 0),
               min({chosen("first_after")}) FILTER (WHERE g.is_answered)
        FROM log_groups AS g JOIN matched AS m USING (ori) JOIN rules AS r USING (rule)
        GROUP BY m.rule
    """


AGENCY_MONTHS = """
    SELECT m.rule, strftime(g.month, '%Y-%m'), sum(g.queries)
    FROM log_groups AS g JOIN matched AS m USING (ori)
    GROUP BY ALL ORDER BY ALL
"""

AGENCY_KEYS = """
    SELECT m.rule, g.message_key, sum(g.queries)
    FROM log_groups AS g JOIN matched AS m USING (ori)
    GROUP BY ALL ORDER BY ALL
"""

LOG_TOTALS = """
    SELECT coalesce(sum(queries), 0), CAST(min(first) AS DATE), CAST(max(last) AS DATE)
    FROM log_groups
"""

AMBIGUOUS = "SELECT ori FROM matched WHERE rules_matched > 1 ORDER BY ori"


def unmatched_oris(slots: int) -> str:
    """Per ORI that no rule matches: queries, answered, then for each block slot the
    queries after it and the answered ones among them."""
    after = "".join(f", coalesce(sum(g.after_{i}), 0), "
                    f"coalesce(sum(g.after_{i}) FILTER (WHERE g.is_answered), 0)"
                    for i in range(slots))
    return f"""
        SELECT g.ori, sum(g.queries),
               coalesce(sum(g.queries) FILTER (WHERE g.is_answered), 0){after}
        FROM log_groups AS g LEFT JOIN matched AS m USING (ori)
        WHERE m.ori IS NULL
        GROUP BY g.ori
    """
