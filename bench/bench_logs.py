"""Median time to analyse a generated query log (CSV and Parquet) with app.logs, against
DuckDB alone grouping the same file by ORI, month, message key and result (the least any
analysis of it must read and do), measured in the same run."""

import statistics
import sys
import tempfile
from datetime import date
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import figure, measure  # noqa: E402

from app.logs import AgencyRule, analyse_log  # noqa: E402

ROWS = 5_000_000
ROUNDS = 3

AGENCIES = (
    AgencyRule("ice_ero", "ICE ERO", ("DHSICE*",), date(2025, 11, 19)),
    AgencyRule("hsi", "HSI", ("DHSHSI*", "DHSHS?999"), date(2025, 11, 19)),
    AgencyRule("cbp", "CBP", ("DHSCBP*",), None),
    AgencyRule("wsp", "WSP", ("WA0340000", "WA034001?"), None),
)

# About 3,000 state ORIs and a few hundred federal ones over 347 days, 6 s apart.
GENERATE = f"""
    SELECT strftime(TIMESTAMP '2025-01-01' + to_seconds(i * 6), '%Y-%m-%dT%H:%M:%S') AS time,
           CASE i % 50 WHEN 0 THEN 'DHSICE' || lpad(CAST(i % 97 AS VARCHAR), 3, '0')
                       WHEN 1 THEN 'DHSHSI' || lpad(CAST(i % 89 AS VARCHAR), 3, '0')
                       WHEN 2 THEN 'DHSCBP' || lpad(CAST(i % 83 AS VARCHAR), 3, '0')
                       ELSE 'WA' || lpad(CAST(hash(i) % 3000 AS VARCHAR), 7, '0') END AS ori,
           ['DQ', 'KQ', 'RQ', 'DNQ', 'RNQ'][1 + i % 5] AS message_key,
           'WA' AS destination,
           CASE WHEN hash(i * 3) % 10 < 8 THEN 'answered' ELSE 'refused' END AS result
    FROM range({ROWS}) AS t(i)
"""


def generate(folder: Path) -> dict[str, Path]:
    files = {"csv": folder / "log.csv", "parquet": folder / "log.parquet"}
    with duckdb.connect() as con:
        con.execute(f"COPY ({GENERATE}) TO '{files['csv']}' (HEADER)")
        con.execute(f"COPY ({GENERATE}) TO '{files['parquet']}' (FORMAT parquet)")
    return files


def median_seconds(run) -> float:
    """Median wall seconds: DuckDB runs on every core, so CPU seconds of this process
    would count its threads' work, not the time a user waits."""
    return statistics.median(measure(run)[0].wall for _ in range(ROUNDS))


def baseline(path: Path, file_format: str) -> None:
    reader = "read_csv" if file_format == "csv" else "read_parquet"
    with duckdb.connect() as con:
        con.execute(f"SELECT ori, date_trunc('month', CAST(time AS TIMESTAMP)), message_key, "
                    f"result, count(*) FROM {reader}('{path}') GROUP BY ALL").fetchall()


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        files = generate(Path(folder))
        for file_format, path in files.items():
            result = analyse_log(path, AGENCIES)
            assert result.rows == ROWS, result.rows
            ours = median_seconds(lambda path=path: analyse_log(path, AGENCIES))
            bare = median_seconds(lambda path=path, f=file_format: baseline(path, f))
            size = path.stat().st_size / 1e6
            figure(f"logs_{file_format}", f"analyse_log {file_format} ({ROWS:,} rows, "
                   f"{size:.0f} MB, wall, median of {ROUNDS}; {ROWS / ours / 1e6:.1f} M "
                   "rows/s)", ours, bare, "DuckDB alone, group by ORI, month, key, result",
                   unit="s")


if __name__ == "__main__":
    main()
