"""The log analysed is the log hashed: names DuckDB would read as globs count the named
file only; malformed CSV is refused with its line and column; wide headers stay fast."""

import gzip
import hashlib
from datetime import date
from pathlib import Path

import duckdb
import pytest

from app.errors import UserFacingError
from app.logs import AgencyRule, analyse_log
from app.logs.source import MAX_COLUMNS

ICE = AgencyRule("ice_ero", "ICE ERO", ("DHSICE*",), date(2025, 11, 19))
HEADER = "time,ori,message_key,result\n"
# The named file: ICE queries answered after the block (the block fails).
FAILING = HEADER + "".join(f"2025-12-{day:02},DHSICE001,DQ,answered\n" for day in range(1, 4))
# Its siblings: ICE queries refused after the block (the block would hold).
HOLDING = HEADER + "".join(f"2025-12-{day:02},DHSICE001,DQ,refused\n" for day in range(1, 13))


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def to_parquet(csv_path: Path, parquet_path: Path) -> Path:
    with duckdb.connect() as con:
        con.execute(f"COPY (SELECT * FROM read_csv('{csv_path}', all_varchar = true)) "
                    f"TO '{parquet_path}' (FORMAT parquet)")
    return parquet_path


def assert_counts_only(path: Path) -> None:
    result = analyse_log(path, [ICE])
    assert result.rows == 3
    assert result.agencies[0].answered_after_block == 3
    assert result.agencies[0].block_holds is False
    assert result.source_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert result.source_name == path.name


@pytest.mark.parametrize(("name", "siblings"), [
    ("switch-export[1].csv", ["switch-export1.csv"]),
    ("log*.csv", ["log1.csv", "log2.csv", "log3.csv", "log4.csv", "log5.csv"]),
    ("log?.csv", ["log1.csv", "logA.csv"]),
    ("log{1,2}.csv", ["log1.csv", "log2.csv"]),
    ("**.csv", ["a.csv"]),
])
def test_a_glob_named_csv_counts_the_named_file_only(tmp_path, name, siblings):
    for sibling in siblings:
        write(tmp_path / sibling, HOLDING)
    assert_counts_only(write(tmp_path / name, FAILING))


def test_a_glob_named_gzip_counts_the_named_file_only(tmp_path):
    (tmp_path / "export1.csv.gz").write_bytes(gzip.compress(HOLDING.encode()))
    named = tmp_path / "export[1].csv.gz"
    named.write_bytes(gzip.compress(FAILING.encode()))
    assert_counts_only(named)


@pytest.mark.parametrize("name", ["switch-export[1].parquet", "log*.parquet", "log?.pq"])
def test_a_glob_named_parquet_counts_the_named_file_only(tmp_path, name):
    for sibling in ("switch-export1.parquet", "log1.parquet", "log2.parquet", "log1.pq"):
        to_parquet(write(tmp_path / "holding.csv", HOLDING), tmp_path / sibling)
    named = to_parquet(write(tmp_path / "failing.csv", FAILING), tmp_path / "failing.parquet")
    assert_counts_only(named.rename(tmp_path / name))


def test_a_path_with_a_quote_and_a_glob_in_the_folder(tmp_path):
    folder = tmp_path / "it's [here]"
    folder.mkdir()
    (tmp_path / "it's h").mkdir()
    write(tmp_path / "it's h" / "log.csv", HOLDING)
    assert_counts_only(write(folder / "log.csv", FAILING))


def test_the_private_copy_is_removed(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    import tempfile
    monkeypatch.setattr(tempfile, "tempdir", None)
    analyse_log(write(tmp_path / "log.csv", FAILING), [ICE])
    with pytest.raises(UserFacingError):
        analyse_log(write(tmp_path / "bad.csv", HEADER + "x,y\n"), [ICE])
    assert list((tmp_path / "tmp").iterdir()) == []


def error_of(path: Path) -> str:
    with pytest.raises(UserFacingError) as caught:
        analyse_log(path, [ICE])
    message = str(caught.value)
    assert "Fix:" in message
    assert "\n" not in message
    assert "nlets-audit-log" not in message  # the private copy is never named
    return message


def test_an_unbalanced_quote_names_line_and_column(tmp_path):
    path = write(tmp_path / "log.csv", HEADER + '2025-12-01,DHSICE001,DQ,answered\n'
                 '2025-12-02,"DHSICE001,DQ,answered\n2025-12-03,DHSICE001,DQ,refused\n')
    assert "line 3, column 2: a quote is opened and never closed" in error_of(path)


def test_an_unbalanced_quote_in_a_semicolon_log(tmp_path):
    path = write(tmp_path / "log.csv", "time;ori;message_key;result\n"
                 '2025-12-02;DHSICE001;"DQ;answered\n')
    assert "line 2, column 3: a quote is opened and never closed" in error_of(path)


def test_a_quoted_field_with_a_line_break_is_read(tmp_path):
    path = write(tmp_path / "log.csv", HEADER + '2025-12-02,DHSICE001,"D\nQ",answered\n')
    assert analyse_log(path, [ICE]).rows == 1


def test_a_duplicated_column_is_refused(tmp_path):
    path = write(tmp_path / "log.csv", "time,ori,message_key,ORI,result\n"
                 "2025-12-02,WA0340000,DQ,DHSICE001,answered\n")
    message = error_of(path)
    assert "line 1, columns 2 and 4 of the header are both named 'ORI'" in message


def test_an_empty_column_name_is_refused(tmp_path):
    path = write(tmp_path / "log.csv", "time,ori,,message_key,result\n"
                 "2025-12-02,DHSICE001,x,DQ,answered\n")
    assert "line 1, column 3 of the header has no name" in error_of(path)


def test_a_200000_column_header_is_refused_with_a_capped_message(tmp_path):
    names = ["time", "ori", "message_key", "result"] + [f"extra{i}" for i in range(199_996)]
    path = write(tmp_path / "wide.csv", ",".join(names) + "\n" + ",".join(["x"] * 200_000))
    message = error_of(path)
    assert "wide.csv has 200,000 columns" in message
    assert "'time', 'ori', 'message_key', 'result', 'extra0'" in message
    assert "and 199,992 more" in message
    assert f"at most {MAX_COLUMNS:,}" in message
    assert len(message) < 600


def test_a_missing_column_message_is_capped(tmp_path):
    names = ["time", "agency", "message_key", "result"] + [f"extra{i}" for i in range(900)]
    path = write(tmp_path / "wide.csv", ",".join(names) + "\n" + ",".join(["x"] * 904) + "\n")
    message = error_of(path)
    assert "has no column 'ori'" in message
    assert "and 896 more" in message
    assert len(message) < 600


@pytest.mark.parametrize("when", ["0000-06-01", "99999-01-01", "1066-10-14", "2500-01-01"])
def test_a_time_out_of_range_is_bad_input(tmp_path, when):
    path = write(tmp_path / "log.csv", HEADER + f"2025-12-02,DHSICE001,DQ,answered\n"
                 f"{when},DHSICE001,DQ,answered\n")
    message = error_of(path)
    assert "data row 2 (line 3)" in message
    assert "from 1900-01-01 to 2199-12-31" in message


def test_a_parquet_timestamp_in_year_99999_is_bad_input(tmp_path):
    path = tmp_path / "log.parquet"
    with duckdb.connect() as con:
        con.execute(f"COPY (SELECT TIMESTAMP '99999-01-01' AS time, 'DHSICE001' AS ori, "
                    f"'DQ' AS message_key, 'answered' AS result) TO '{path}' (FORMAT parquet)")
    assert "data row 1 holds" in error_of(path)
