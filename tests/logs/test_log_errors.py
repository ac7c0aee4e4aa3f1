"""Bad input gives one UserFacingError naming the file and what to fix, never a traceback."""

import gzip
import os
from datetime import date
from pathlib import Path

import duckdb
import pytest

from app.errors import UserFacingError
from app.logs import AgencyRule, ColumnMapping, analyse_log

ICE = AgencyRule("ice_ero", "ICE ERO", ("DHSICE*",), date(2025, 11, 19))
GOOD = "time,ori,message_key,result\n2025-11-20,DHSICE001,DQ,answered\n"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path, **options) -> str:
    with pytest.raises(UserFacingError) as caught:
        analyse_log(path, [ICE], **options)
    message = str(caught.value)
    assert "Fix:" in message
    assert "\n" not in message
    return message


def to_parquet(path: Path, select: str) -> Path:
    with duckdb.connect() as con:
        con.execute(f"COPY ({select}) TO '{path}' (FORMAT parquet)")
    return path


def test_missing_file(tmp_path):
    assert "nowhere.csv does not exist" in error_of(tmp_path / "nowhere.csv")


def test_a_directory(tmp_path):
    (tmp_path / "logs.csv").mkdir()
    assert "logs.csv is a directory, not a file" in error_of(tmp_path / "logs.csv")


def test_an_unreadable_file(tmp_path, monkeypatch):
    # Permissions do not stop root, so the check itself is made to say no.
    path = write(tmp_path / "secret.csv", GOOD)
    real_open = os.open

    def refuse(name, *args, **kwargs):
        if str(name) == str(path):
            raise PermissionError(13, "Permission denied")
        return real_open(name, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    assert "secret.csv cannot be read (permission denied)" in error_of(path)


def test_an_empty_file(tmp_path):
    assert "empty.csv is empty" in error_of(write(tmp_path / "empty.csv", ""))


def test_a_header_without_rows(tmp_path):
    path = write(tmp_path / "header.csv", "time,ori,message_key,result\n")
    assert "header.csv holds no rows" in error_of(path)


def test_an_empty_parquet_file(tmp_path):
    path = to_parquet(tmp_path / "none.parquet", "SELECT 'x' AS time, 'y' AS ori, "
                      "'DQ' AS message_key, 'answered' AS result WHERE false")
    assert "none.parquet holds no rows" in error_of(path)


def test_a_name_that_does_not_say_the_format(tmp_path):
    message = error_of(write(tmp_path / "traffic.log", GOOD))
    assert "traffic.log" in message
    assert "--format csv" in message


def test_an_unknown_format(tmp_path):
    message = error_of(write(tmp_path / "log.csv", GOOD), file_format="xlsx")
    assert "'xlsx'" in message
    assert "--format csv" in message


def test_not_a_parquet_file(tmp_path):
    message = error_of(write(tmp_path / "log.parquet", GOOD))
    assert "log.parquet could not be read as a Parquet file" in message
    assert "Error:" not in message


def test_csv_given_as_parquet(tmp_path):
    message = error_of(write(tmp_path / "log.csv", GOOD), file_format="parquet")
    assert "log.csv could not be read as a Parquet file" in message


def test_not_utf8_text(tmp_path):
    path = tmp_path / "binary.csv"
    path.write_bytes(b"time,ori,message_key,result\n" + bytes(range(128, 256)) * 40)
    message = error_of(path)
    assert "binary.csv could not be read as a CSV file" in message
    assert "utf-8" in message.lower()


def test_a_row_with_too_many_fields(tmp_path):
    rows = "".join(f"2025-11-{day:02},DHSICE001,DQ,answered\n" for day in range(1, 29))
    path = write(tmp_path / "ragged.csv", "time,ori,message_key,result\n" + rows
                 + "2025-11-29,DHSICE001,DQ,answered,surplus\n")
    message = error_of(path)
    assert "ragged.csv could not be read as a CSV file" in message
    assert "line 30 has 5 fields; the header has 4" in message


def test_a_row_with_too_few_fields(tmp_path):
    rows = "".join(f"2025-11-{day:02};DHSICE001;DQ;answered\n" for day in range(1, 29))
    path = write(tmp_path / "short.csv", "time;ori;message_key;result\n2025-11-01;X\n" + rows)
    message = error_of(path)
    assert "short.csv could not be read as a CSV file" in message
    assert "line 2 has 2 fields; the header has 4" in message


def test_a_missing_column(tmp_path):
    path = write(tmp_path / "log.csv", "time,agency,message_key,result\n2025-11-20,X,DQ,a\n")
    message = error_of(path)
    assert "log.csv has no column 'ori' for the ori field" in message
    assert "'time', 'agency', 'message_key', 'result'" in message
    assert "ori=<column name>" in message


def test_a_mapped_column_that_is_not_there(tmp_path):
    message = error_of(write(tmp_path / "log.csv", GOOD),
                       mapping=ColumnMapping.parse(["time=Timestamp"]))
    assert "log.csv has no column 'Timestamp' for the time field" in message


def test_destination_may_be_absent_even_when_mapped(tmp_path):
    result = analyse_log(write(tmp_path / "log.csv", GOOD), [ICE],
                         mapping=ColumnMapping.parse(["destination=Dest"]))
    assert result.rows == 1


def test_an_unusual_delimiter(tmp_path):
    path = write(tmp_path / "odd.csv", "time:ori:message_key:result\n2025-11-20:X:DQ:a\n")
    message = error_of(path)
    assert "odd.csv has no column 'time'" in message
    assert "'time:ori:message_key:result'" in message
    assert "separated by commas, semicolons, tabs or |" in message


def test_ragged_rows_with_pipes(tmp_path):
    path = write(tmp_path / "odd.csv", "time|ori|message_key|result\n2025-11-20|X|DQ|a\n"
                 "2025-11-21|X\n")
    assert "line 3 has 2 fields; the header has 4" in error_of(path)


def test_a_bad_time_names_the_row_line_and_value(tmp_path):
    path = write(tmp_path / "log.csv",
                 "time,ori,message_key,result\n"
                 "2025-11-20,DHSICE001,DQ,answered\n"
                 '2025-11-21,DHSICE001,DQ,"answered\nafter a line break"\n'
                 "21/11/2025,DHSICE001,DQ,answered\n"
                 "yesterday,DHSICE001,DQ,answered\n")
    message = error_of(path)
    assert ("log.csv: column 'time' on data row 3 (line 5) holds '21/11/2025', which is not "
            "a date or timestamp from 1900-01-01 to 2199-12-31; 1 other row(s)") in message
    assert "ISO 8601" in message


def test_an_empty_time(tmp_path):
    path = write(tmp_path / "log.csv", GOOD + ",DHSICE001,DQ,answered\n")
    message = error_of(path)
    assert "log.csv: column 'time' on data row 2 (line 3) has no time value" in message


def test_a_bad_time_in_a_mapped_column(tmp_path):
    path = write(tmp_path / "log.csv", "When,ori,message_key,result\nsoon,X,DQ,a\n")
    message = error_of(path, mapping=ColumnMapping(time="When"))
    assert "log.csv: column 'When' on data row 1 (line 2) holds 'soon'" in message


def test_a_bad_time_in_parquet_names_the_row(tmp_path):
    path = to_parquet(tmp_path / "log.parquet",
                      "SELECT CASE WHEN i = 1234 THEN '2025-02-30' ELSE '2025-11-20' END AS time, "
                      "'DHSICE001' AS ori, 'DQ' AS message_key, 'answered' AS result "
                      "FROM range(5000) AS t(i)")
    message = error_of(path)
    assert "log.parquet: column 'time' on data row 1235 holds '2025-02-30'" in message


def test_a_missing_timestamp_in_parquet(tmp_path):
    path = to_parquet(tmp_path / "log.parquet",
                      "SELECT CASE WHEN i = 7 THEN NULL ELSE TIMESTAMP '2025-11-20' END AS time, "
                      "'DHSICE001' AS ori, 'DQ' AS message_key, 'answered' AS result "
                      "FROM range(10) AS t(i)")
    assert "log.parquet: column 'time' on data row 8 has no time value" in error_of(path)


def test_a_time_column_that_holds_numbers(tmp_path):
    path = to_parquet(tmp_path / "log.parquet", "SELECT 1732060800 AS time, 'DHSICE001' AS ori, "
                      "'DQ' AS message_key, 'answered' AS result")
    message = error_of(path)
    assert "log.parquet: column 'time' holds INTEGER values, not dates" in message


def test_a_gz_name_on_plain_text_reads_the_bytes_as_they_are(tmp_path):
    # Compression is told from the bytes, not the name: what is hashed is what is read.
    assert analyse_log(write(tmp_path / "log.csv.gz", GOOD), [ICE]).rows == 1


def test_a_truncated_gzip(tmp_path):
    path = tmp_path / "log.csv.gz"
    path.write_bytes(gzip.compress(GOOD.encode() * 2000)[:300])
    assert "log.csv.gz could not be read as a CSV file" in error_of(path)


def test_gzip_of_an_empty_log(tmp_path):
    with gzip.open(tmp_path / "log.csv.gz", "wb") as stream:
        stream.write(b"time,ori,message_key,result\n")
    assert "log.csv.gz holds no rows" in error_of(tmp_path / "log.csv.gz")


def test_no_answered_value(tmp_path):
    message = error_of(write(tmp_path / "log.csv", GOOD), answered=[" ", ""])
    assert "no result value counts as answered" in message


def test_an_agency_given_twice(tmp_path):
    with pytest.raises(UserFacingError, match="agency 'ice_ero' is given twice"):
        analyse_log(write(tmp_path / "log.csv", GOOD), [ICE, ICE])


def test_an_invalid_pattern_in_a_rule(tmp_path):
    rule = AgencyRule("ice_ero", "ICE ERO", ("DHS-ICE",), None)
    with pytest.raises(UserFacingError, match="agency ICE ERO, ORIs: 'DHS-ICE' is not an ORI"):
        analyse_log(write(tmp_path / "log.csv", GOOD), [rule])
