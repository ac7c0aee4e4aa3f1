"""The log file itself: its format, its hash, how DuckDB reads it, and its errors in words.

DuckDB reads `*`, `?`, `[...]` and `{...}` in a path as a glob, so it is never handed the
path the user named. The log is opened once as a regular file (app.inputs), copied into a
private temporary folder under a fixed name while its bytes are hashed, and DuckDB reads
that copy: the bytes analysed are exactly the bytes hashed, whatever the file is called and
whatever happens to it meanwhile.
"""

from __future__ import annotations

import codecs
import csv
import errno
import hashlib
import io
import re
import shutil
import tempfile
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from app.errors import UserFacingError
from app.inputs import InputKind, open_input, read_chunks

if TYPE_CHECKING:
    import duckdb

FORMATS = ("csv", "parquet")
_SUFFIXES = {
    ".csv": "csv", ".csv.gz": "csv", ".tsv": "csv", ".tsv.gz": "csv",
    ".parquet": "parquet", ".pq": "parquet",
}
# DuckDB type names that already are dates or times (the TIMESTAMP family included).
_TIME_TYPES = ("DATE", "TIMESTAMP")
_GLOB = set("*?[]{}")
_GZIP_MAGIC = b"\x1f\x8b"
DELIMITERS = (",", ";", "\t", "|")
MAX_COLUMNS = 1000
"""The most columns a log may have; a header with more is refused, naming a few."""
MAX_HEADER_BYTES = 16 * 1024 * 1024
SHOWN_NAMES = 8
"""How many names an error message lists before "and N more"."""


@dataclass(frozen=True)
class LogFile:
    """A log copied to a private file that DuckDB reads, with the SHA-256 of those bytes.

    `path` is the file the user named (for messages); `data` the private copy; `columns`
    the CSV header's names (empty for Parquet) and `delimiter` the CSV delimiter.
    """

    path: Path
    data: Path
    format: str
    sha256: str
    compression: str = "none"
    columns: tuple[str, ...] = ()
    delimiter: str = ","

    @property
    def name(self) -> str:
        """The file name alone, as shown to people."""
        return self.path.name

    def scan(self, *, row_numbers: bool = False) -> str:
        """The SQL table function reading every row; CSV columns all come back as text.

        `row_numbers` adds file_row_number (0-based) for Parquet; CSV has no such column.
        CSV is read with the dialect settled from the header, never sniffed, and strictly:
        an unterminated quote or a row with the wrong number of fields is an error.
        """
        literal = literal_sql(str(self.data))
        if self.format == "csv":
            columns = ", ".join(f"{literal_sql(name)}: 'VARCHAR'" for name in self.columns)
            return (f"read_csv({literal}, auto_detect = false, header = true, skip = 0, "
                    f"delim = {literal_sql(self.delimiter)}, quote = '\"', escape = '\"', "
                    f"strict_mode = true, compression = {literal_sql(self.compression)}, "
                    f"columns = {{{columns}}})")
        extra = ", file_row_number = true" if row_numbers else ""
        return f"read_parquet({literal}{extra})"


@contextmanager
def opened_log(path: Path, file_format: str | None) -> Iterator[LogFile]:
    """Check `path` (a regular, non-empty file under the log size limit), settle its
    format, copy it privately while hashing it, and yield the LogFile DuckDB reads.

    The private copy is removed on leaving, whatever happens.
    """
    path = Path(path)
    chosen = _format(path, file_format)
    with open_input(path, InputKind.LOG) as (stream, size):
        if size == 0:
            raise UserFacingError(
                f"query log {path.name} is empty. Fix: export the log again, with a header row")
        folder = Path(tempfile.mkdtemp(prefix="nlets-audit-log-"))
        try:
            if _GLOB & set(str(folder)):
                raise UserFacingError(
                    f"the temporary folder {folder.parent} has a name with *, ?, [ or {{, "
                    "which DuckDB would read as a pattern. Fix: set TMPDIR to a plain folder")
            data = folder / ("log.parquet" if chosen == "parquet" else "log.csv")
            sha256, head = _copy(stream, path, data)
            log = LogFile(path, data, chosen, sha256)
            if chosen == "csv":
                compression = "gzip" if head.startswith(_GZIP_MAGIC) else "none"
                delimiter, columns = read_header(path, data, compression)
                log = LogFile(path, data, chosen, sha256, compression, columns, delimiter)
            yield log
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def _copy(stream: BinaryIO, path: Path, target: Path) -> tuple[str, bytes]:
    digest = hashlib.sha256()
    head = b""
    try:
        with target.open("xb") as out:
            for chunk in read_chunks(stream, path, InputKind.LOG):
                if not head:
                    head = chunk[:16]
                digest.update(chunk)
                out.write(chunk)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise UserFacingError(
                f"no room to copy query log {path.name} for analysis in {target.parent.parent}"
                ". Fix: free some disk space, or set TMPDIR to a folder with room") from None
        raise UserFacingError(
            f"query log {path.name} could not be copied for analysis: "
            f"{exc.strerror or exc}. Fix: check the disk and TMPDIR") from None
    return digest.hexdigest(), head


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


def _header_text(path: Path, data: Path, compression: str) -> tuple[str, bool]:
    """The start of the file as text (at most MAX_HEADER_BYTES), and whether it is all."""
    raw = b""
    complete = True
    with data.open("rb") as stream:
        if compression == "gzip":
            inflate = zlib.decompressobj(wbits=31)
            while len(raw) <= MAX_HEADER_BYTES:
                chunk = stream.read(1 << 16)
                if not chunk:
                    break
                try:
                    raw += inflate.decompress(chunk, MAX_HEADER_BYTES + 1 - len(raw))
                except zlib.error:
                    raise UserFacingError(
                        f"query log {path.name} could not be read as a CSV file: it is not "
                        "a complete gzip file. Fix: export or compress the log again"
                    ) from None
                if b"\n" in raw:
                    break
        else:
            raw = stream.read(MAX_HEADER_BYTES + 1)
    if len(raw) > MAX_HEADER_BYTES:
        raw, complete = raw[:MAX_HEADER_BYTES], False
    text = codecs.getincrementaldecoder("utf-8")(errors="strict")
    try:
        decoded = text.decode(raw, final=False)
    except UnicodeDecodeError:
        raise UserFacingError(
            f"query log {path.name} could not be read as a CSV file: its header (line 1) "
            "is not UTF-8 text. Fix: export the log as UTF-8 CSV") from None
    return decoded.removeprefix("\ufeff"), complete


def read_header(path: Path, data: Path, compression: str) -> tuple[str, tuple[str, ...]]:
    """The delimiter and the column names of the CSV header, checked: every column named,
    no name twice (ignoring case), at most MAX_COLUMNS columns."""
    text, complete = _header_text(path, data, compression)
    first = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=lambda d: len(_fields(first, d)))
    source = io.StringIO(text, newline="")
    try:
        names = next(csv.reader(source, delimiter=delimiter, quotechar='"', strict=True), [])
    except csv.Error:
        names = []
    if not complete and source.tell() >= len(text):
        raise UserFacingError(
            f"query log {path.name}: its header (line 1) is longer than "
            f"{MAX_HEADER_BYTES // (1024 * 1024)} MiB. Fix: export the log with only the "
            "columns needed (time, ori, message_key, result)")
    if not names:
        raise UserFacingError(
            f"query log {path.name} could not be read as a CSV file: line 1 has no header "
            "(or a quote that is never closed). Fix: export the log again, with a header row")
    if len(names) > MAX_COLUMNS:
        raise UserFacingError(
            f"query log {path.name} has {len(names):,} columns ({capped(names)}); a log may "
            f"have at most {MAX_COLUMNS:,}. Fix: export the log with only the columns needed "
            "(time, ori, message_key, result)")
    seen: dict[str, int] = {}
    for number, name in enumerate(names, start=1):
        if not name.strip():
            raise UserFacingError(
                f"query log {path.name}: line 1, column {number} of the header has no name. "
                "Fix: name every column of the header row")
        folded = name.strip().lower()
        if folded in seen:
            raise UserFacingError(
                f"query log {path.name}: line 1, columns {seen[folded]} and {number} of the "
                f"header are both named {name.strip()!r}, so it is not clear which one to "
                "read. Fix: rename or remove one of them")
        seen[folded] = number
    return delimiter, tuple(names)


def _fields(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return line.split(delimiter)


def capped(names: Sequence[str], shown: int = SHOWN_NAMES) -> str:
    """The first `shown` names quoted, then "and N more" for the rest."""
    listed = ", ".join(repr(name[:60]) for name in names[:shown])
    rest = len(names) - shown
    return f"{listed} and {rest:,} more" if rest > 0 else listed


def columns_of(con: duckdb.DuckDBPyConnection, log: LogFile) -> dict[str, str]:
    """The log's column names mapped to their DuckDB type names, in file order."""
    import duckdb

    if log.format == "csv":
        return {name: "VARCHAR" for name in log.columns}
    try:
        described = con.execute(f"DESCRIBE SELECT * FROM {log.scan()}").fetchall()
    except duckdb.Error as exc:
        raise reworded(log, exc) from None
    names = [row[0] for row in described]
    if len(names) > MAX_COLUMNS:
        raise UserFacingError(
            f"query log {log.name} has {len(names):,} columns ({capped(names)}); a log may "
            f"have at most {MAX_COLUMNS:,}. Fix: export the log with only the columns needed")
    return {row[0]: str(row[1]) for row in described}


def literal_sql(text: str) -> str:
    """`text` as a SQL string literal."""
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
    shown = capped(list(columns))
    hint = ""
    if len(columns) == 1:
        hint = (" (the whole header was read as one column: fields must be separated by "
                "commas, semicolons, tabs or |)")
    return UserFacingError(
        f"query log {log.name} has no column {wanted[:60]!r} for the {field} field; its "
        f"columns are: {shown}{hint}. Fix: map the right column, e.g. {field}=<column name>"
    )


def is_time_type(type_name: str) -> bool:
    """Whether a DuckDB column type already holds dates or timestamps."""
    return type_name.upper().startswith(_TIME_TYPES)


def reworded(log: LogFile, exc: Exception) -> UserFacingError:
    """A DuckDB error while reading `log`, as one message for the user."""
    kind = "a CSV file" if log.format == "csv" else "a Parquet file"
    fix = ("Fix: check that it is a UTF-8 CSV export with a header row, the same number "
           "of fields on every row and every quote closed" if log.format == "csv"
           else "Fix: check that it is a complete Parquet file, or give --format csv")
    return UserFacingError(f"query log {log.name} could not be read as {kind}: "
                           f"{reason(exc, log.delimiter)}. {fix}")


def reason(exc: Exception, delimiter: str = ",") -> str:
    """The gist of a DuckDB error message, on one line."""
    message = str(exc).strip()
    csv_problem = _csv_problem(message, delimiter)
    if csv_problem is not None:
        return csv_problem
    # DuckDB messages open with "<Kind> Error: ", then lines up to a blank line say what
    # went wrong; the rest is hints and the reader's settings.
    lines: list[str] = []
    for line in message.splitlines():
        if not line.strip() or line.startswith(("LINE ", "Possible")):
            break
        if not line.startswith("Original Line"):
            lines.append(line.strip())
    text = "; ".join(lines) or "unknown error"
    head, sep, rest = text.partition(" Error: ")
    if sep and len(head.split()) <= 2 and "Memory" not in head:
        text = rest
    return text.rstrip(".")[:300]


def _csv_problem(message: str, delimiter: str) -> str | None:
    """A DuckDB CSV reading error as "line N: what is wrong"; None for other errors.

    The message names the line, quotes it after "Original Line:" (the quote may span
    lines), then says what is wrong on the last line before the "Possible ..." hints.
    """
    found = re.search(r"CSV Error on Line: (\d+)", message)
    if not found:
        return None
    line = int(found.group(1))
    before = message.split("\nPossible", 1)[0]
    said = [text.strip() for text in before.splitlines() if text.strip()]
    problem = said[-1] if said else ""
    if not problem or problem.startswith(("Original Line", "Invalid Input Error")):
        return f"line {line} could not be read"
    if "unterminated quote" in problem:
        quoted = before.partition("Original Line:")[2].lstrip(" ")
        column = _open_quote_column(quoted, delimiter)
        return f"line {line}, column {column}: a quote is opened and never closed"
    counts = re.fullmatch(r"Expected Number of Columns: (\d+) Found: (\d+)", problem)
    if counts:
        return (f"line {line} has {counts.group(2)} fields; the header has "
                f"{counts.group(1)}")
    return f"line {line}: {problem.rstrip('.')[:200]}"


def _open_quote_column(line: str, delimiter: str) -> int:
    """The 1-based field of `line` in which a quote is opened and never closed."""
    column, opened, quoted, at_start = 1, 1, False, True
    for char in line:
        if quoted:
            if char == '"':
                quoted = False
            continue
        if char == '"' and at_start:
            quoted, opened = True, column
        elif char == delimiter:
            column += 1
            at_start = True
            continue
        at_start = False
    return opened
