"""A 200,000-row generated log, counted again independently in plain Python."""

import csv
import fnmatch
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from app.logs import AgencyRule, analyse_log

ROWS = 200_000
RULES = (
    AgencyRule("ice_ero", "ICE ERO", ("DHSICE*",), date(2025, 11, 19)),
    AgencyRule("hsi", "HSI", ("dhshsi0?", "DHSHSI1?"), date(2025, 6, 30)),
    AgencyRule("cbp", "CBP", ("DHSCBP01",), None),
    AgencyRule("overlap", "Overlap", ("DHSICE0?", "WA00000??"), date(2025, 3, 1)),
)
ANSWERED = ("answered", "hit")

# Spread over 2025 at about 158 s apart; ORIs, keys and results vary with hashes of i, and
# some values carry spaces or lower case to be folded.
GENERATE = f"""
    SELECT strftime(TIMESTAMP '2025-01-01' + to_seconds(i * 157), '%Y-%m-%d %H:%M:%S') AS time,
           CASE hash(i) % 9
               WHEN 0 THEN 'DHSICE' || lpad(CAST(hash(i + 1) % 25 AS VARCHAR), 2, '0')
               WHEN 1 THEN 'dhshsi' || CAST(hash(i + 2) % 30 AS VARCHAR)
               WHEN 2 THEN ' DHSCBP0' || CAST(hash(i + 3) % 3 AS VARCHAR) || ' '
               ELSE 'WA' || lpad(CAST(hash(i + 4) % 500 AS VARCHAR), 7, '0') END AS ori,
           ['DQ', 'kq', 'RQ', ' DNQ', ''][1 + CAST(hash(i + 5) % 5 AS BIGINT)] AS message_key,
           ['answered', 'refused', ' HIT ', 'no record'][1 + CAST(hash(i + 6) % 4 AS BIGINT)]
               AS result
    FROM range({ROWS}) AS t(i)
"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("large")
    files = {"csv": folder / "large.csv", "parquet": folder / "large.parquet"}
    with duckdb.connect() as con:
        con.execute(f"COPY ({GENERATE}) TO '{files['csv']}' (HEADER)")
        con.execute(f"COPY ({GENERATE}) TO '{files['parquet']}' (FORMAT parquet)")
    return files


def expected_counts(path: Path) -> dict:
    totals = {rule.key: Counter() for rule in RULES}
    months = {rule.key: Counter() for rule in RULES}
    keys = {rule.key: Counter() for rule in RULES}
    first_after: dict[str, datetime] = {}
    ambiguous: set[str] = set()
    unmatched = 0
    days = []
    with path.open(newline="", encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            when = datetime.fromisoformat(row["time"])
            days.append(when.date())
            ori = row["ori"].strip().upper()
            rules = [rule for rule in RULES
                     if any(fnmatch.fnmatchcase(ori, p.upper()) for p in rule.ori_patterns)]
            if not rules:
                unmatched += 1
                continue
            if len(rules) > 1:
                ambiguous.add(ori)
            rule = rules[0]
            answered = row["result"].strip().lower() in ANSWERED
            after = rule.blocked_since is not None and when.date() > rule.blocked_since
            counts = totals[rule.key]
            counts["queries"] += 1
            counts["answered"] += answered
            counts["after_block"] += after
            counts["answered_after_block"] += after and answered
            if after and answered and (rule.key not in first_after
                                       or when < first_after[rule.key]):
                first_after[rule.key] = when
            months[rule.key][when.strftime("%Y-%m")] += 1
            keys[rule.key][row["message_key"].strip().upper() or "(none)"] += 1
    return {"totals": totals, "months": months, "keys": keys, "first_after": first_after,
            "ambiguous": tuple(sorted(ambiguous)), "unmatched": unmatched,
            "first_day": min(days), "last_day": max(days), "rows": len(days)}


@pytest.mark.parametrize("file_format", ["csv", "parquet"])
def test_large_log_matches_an_independent_count(generated, file_format):
    expected = expected_counts(generated["csv"])
    result = analyse_log(generated[file_format], RULES, answered=ANSWERED)

    assert result.rows == expected["rows"] == ROWS
    assert (result.first_day, result.last_day) == (expected["first_day"], expected["last_day"])
    assert result.unmatched == expected["unmatched"]
    assert result.ambiguous_oris == expected["ambiguous"]
    assert result.ambiguous_oris  # the overlap rule must really overlap
    for count in result.agencies:
        totals = expected["totals"][count.key]
        assert (count.queries, count.answered, count.after_block, count.answered_after_block) \
            == (totals["queries"], totals["answered"], totals["after_block"],
                totals["answered_after_block"]), count.key
        assert count.first_answered_after_block == expected["first_after"].get(count.key)
        assert count.by_month == dict(expected["months"][count.key])
        assert count.by_key == dict(expected["keys"][count.key])
    assert sum(count.queries for count in result.agencies) + result.unmatched == ROWS
