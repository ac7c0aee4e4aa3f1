"""The log file itself: its format, its hash, how DuckDB reads it, and its errors in words."""

from __future__ import annotations

import csv
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.errors import UserFacingError

if TYPE_CHECKING:
    import threading

    import duckdb

FORMATS = ("csv", "parquet")
_SUFFIXES = {
    ".csv": "csv", ".csv.gz": "csv", ".tsv": "csv", ".tsv.gz": "csv",
    ".parquet": "parquet", ".pq": "parquet",
}
_HASH_CHUNK = 1 << 20
# DuckDB type names that already are dates or times (the TIMESTAMP family included).
_TIME_TYPES = ("DATE", "TIMESTAMP")


@dataclass(frozen=True)
class LogFile:
    """A log file checked to exist and be non-empty, with the format it is read as."""

    path: Path
    format: str

    @property
    def name(self) -> str:
        """The file name alone, as shown to people."""
        return self.path.name

    def scan(self, *, row_numbers: bool = False) -> str:
        """The SQL table function reading every row; CSV columns all come back as text.

        `row_numbers` adds file_row_number (0-based) for Parquet; CSV has no such column.
        """
        literal = _literal(str(self.path))
        if self.format == "csv":
            # skip = 0: the header is the first line; the sniffer may otherwise skip lines.
            return f"read_csv({literal}, all_varchar = true, header = true, skip = 0)"
        extra = ", file_row_number = true" if row_numbers else ""
        return f"read_parquet({literal}{extra})"


def open_log(path: Path, file_format: str | None) -> LogFile:
    """Check that `path` is a readable, non-empty file and settle its format."""
    path = Path(path)
    if not path.exists():
        raise UserFacingError(f"query log {path} does not exist. Fix: check the path")
    if not path.is_file():
        raise UserFacingError(f"query log {path} is not a file. Fix: give the log file itself")
    if not os.access(path, os.R_OK):
        raise UserFacingError(
            f"query log {path.name} cannot be read (permission denied). "
            "Fix: make the file readable by your user"
        )
    if path.stat().st_size == 0:
        raise UserFacingError(
            f"query log {path.name} is empty. Fix: export the log again, with a header row"
        )
    return LogFile(path, _format(path, file_format))


def _format(path: Path, file_format: str | None) -> str:
    if file_format is not None:
        chosen = file_format.strip().lower()
        if chosen not in FORMATS:
            raise UserFacingError(
                f"query log format {file_format!r} is not supported. "
                f"Fix: use --format {' or --format '.join(FORMATS)}"
            )
        return chosen
    name = path.name.lower()
    for suffix, found in _SUFFIXES.items():
        if name.endswith(suffix):
            return found
    raise UserFacingError(
        f"cannot tell the format of query log {path.name} from its name (expected "
        f"{', '.join(_SUFFIXES)}). Fix: give --format csv or --format parquet"
    )


def sha256_of(path: Path, stop: threading.Event | None = None) -> str:
    """SHA-256 of the file's bytes, read in chunks; "" if `stop` is set before the end."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as stream:
            while chunk := stream.read(_HASH_CHUNK):
                if stop is not None and stop.is_set():
                    return ""
                digest.update(chunk)
    except OSError as exc:
        raise UserFacingError(
            f"query log {path.name} could not be read: {exc.strerror or exc}. "
            "Fix: check the file and its permissions"
        ) from None
    return digest.hexdigest()


def columns_of(con: duckdb.DuckDBPyConnection, log: LogFile) -> dict[str, str]:
    """The log's column names mapped to their DuckDB type names, in file order."""
    import duckdb

    try:
        described = con.execute(f"DESCRIBE SELECT * FROM {log.scan()}").fetchall()
    except duckdb.Error as exc:
        raise reworded(log, exc) from None
    columns = {row[0]: str(row[1]) for row in described}
    if log.format == "csv" and len(columns) == 1:
        _check_field_counts(con, log, next(iter(columns)))
    return columns


def _check_field_counts(con: duckdb.DuckDBPyConnection, log: LogFile, header: str) -> None:
    # When rows have different numbers of fields, DuckDB's sniffer falls back to reading
    # one column. Reading again with the header's delimiter names the first bad line.
    import duckdb

    for delimiter in ",;\t|":
        names = next(csv.reader([header], delimiter=delimiter))
        if len(names) < 2:
            continue
        columns = ", ".join(f"{_literal(name)}: 'VARCHAR'" for name in names)
        try:
            con.execute(f"""
                SELECT count(*) FROM read_csv({_literal(str(log.path))}, auto_detect = false,
                    header = true, delim = {_literal(delimiter)}, quote = '"', escape = '"',
                    columns = {{{columns}}})
            """).fetchall()
        except duckdb.Error as exc:
            raise reworded(log, exc) from None
        return


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def find_column(columns: dict[str, str], wanted: str) -> str | None:
    """The log column named `wanted`: exact, else the only one equal ignoring case."""
    if wanted in columns:
        return wanted
    folded = [name for name in columns if name.strip().lower() == wanted.strip().lower()]
    return folded[0] if len(folded) == 1 else None


def missing_column(log: LogFile, field: str, wanted: str,
                   columns: dict[str, str]) -> UserFacingError:
    """The error for a required column the log does not have."""
    shown = ", ".join(repr(name) for name in columns)
    hint = ""
    if len(columns) == 1:
        hint = (" (the whole header was read as one column: fields must be separated by "
                "commas, semicolons, tabs or |)")
    return UserFacingError(
        f"query log {log.name} has no column {wanted!r} for the {field} field; its columns "
        f"are: {shown}{hint}. Fix: map the right column, e.g. {field}=<column name>"
    )


def is_time_type(type_name: str) -> bool:
    """Whether a DuckDB column type already holds dates or timestamps."""
    return type_name.upper().startswith(_TIME_TYPES)


def reworded(log: LogFile, exc: Exception) -> UserFacingError:
    """A DuckDB error while reading `log`, as one message for the user."""
    kind = "a CSV file" if log.format == "csv" else "a Parquet file"
    fix = ("Fix: check that it is a UTF-8 CSV export with a header row and the same number "
           "of fields on every row" if log.format == "csv"
           else "Fix: check that it is a complete Parquet file, or give --format csv")
    return UserFacingError(f"query log {log.name} could not be read as {kind}: "
                           f"{reason(exc)}. {fix}")


def reason(exc: Exception) -> str:
    """The gist of a DuckDB error message, on one line."""
    # DuckDB messages open with "<Kind> Error: ", then lines up to a blank line say what
    # went wrong; the rest is hints and the reader's settings.
    lines: list[str] = []
    for line in str(exc).strip().splitlines():
        if not line.strip() or line.startswith(("LINE ", "Possible")):
            break
        if not line.startswith("Original Line"):
            lines.append(line.strip())
    text = "; ".join(lines) or "unknown error"
    head, sep, rest = text.partition(" Error: ")
    if sep and len(head.split()) <= 2 and "Memory" not in head:
        text = rest
    return text.rstrip(".")[:300]
