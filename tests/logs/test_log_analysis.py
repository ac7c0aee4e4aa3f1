"""analyse_log on small hand-made logs whose counts are worked out below."""

import csv
import gzip
import hashlib
import json
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from app.logs import AgencyCount, AgencyRule, ColumnMapping, LogAnalysis, analyse_log

BLOCK = date(2025, 11, 19)
ICE = AgencyRule("ice_ero", "ICE ERO", ("DHSICE*",), BLOCK)
HSI = AgencyRule("hsi", "HSI", ("dhshsi0??",), BLOCK)
CBP = AgencyRule("cbp", "CBP", ("DHSCBP001",), None)
ICE_TEST = AgencyRule("ice_test", "ICE test terminals", ("DHSICE9??",), None)
RULES = (ICE, HSI, CBP, ICE_TEST)

HEADER = ("time", "ori", "message_key", "result")
ROWS = [
    ("2025-10-05T08:00:00", "DHSICE001", "DQ", "answered"),      # ice, October
    ("2025-10-20 12:00:00", " dhsice002 ", "kq", "ANSWERED"),     # ice, trimmed, any case
    ("2025-11-19T23:59:59", "DHSICE001", "DQ", "answered"),      # ice, on the block day
    ("2025-11-20T00:00:01", "DHSICE001", "RQ", "refused"),       # ice, after, refused
    ("2025-11-21 09:15:00", "DHSICE901", "DQ", "answered"),      # ice (ambiguous), after
    ("2025-12-02T10:00:00", "DHSICE002", "DQ", " Answered "),    # ice, after, answered
    ("2025-11-18", "DHSHSI010", "DQ", "answered"),               # hsi, before
    ("2025-11-20", "DHSHSI011", "KQ", "refused"),                # hsi, after, refused
    ("2025-12-01T07:00:00", "DHSHSI012", "DQ", " Refused "),     # hsi, after, refused
    ("2025-11-25", "DHSCBP001", "RQ", "answered"),               # cbp
    ("2025-12-03", "dhscbp001", "RQ", "answered"),               # cbp
    ("2025-11-25", "DHSCBP002", "RQ", "answered"),               # unmatched: exact ORI only
    ("2025-09-30", "WA0340000", "DQ", "answered"),               # unmatched
    ("2025-11-01", "", "DQ", "answered"),                        # unmatched: no ORI
    ("2025-11-02", "DHSHSI0100", "", "answered"),                # unmatched: ? is one char
]


def write_csv(path: Path, rows=ROWS, header=HEADER, delimiter=",") -> Path:
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def to_parquet(csv_path: Path, parquet_path: Path, select: str = "*") -> Path:
    with duckdb.connect() as con:
        con.execute(f"COPY (SELECT {select} FROM read_csv('{csv_path}', all_varchar = true, "
                    f"header = true)) TO '{parquet_path}' (FORMAT parquet)")
    return parquet_path


def agency(result: LogAnalysis, key: str) -> AgencyCount:
    return next(count for count in result.agencies if count.key == key)


def test_counts_on_the_hand_made_log(tmp_path):
    result = analyse_log(write_csv(tmp_path / "log.csv"), RULES)

    assert result.source_name == "log.csv"
    assert result.source_format == "csv"
    assert result.source_sha256 == hashlib.sha256((tmp_path / "log.csv").read_bytes()).hexdigest()
    assert result.rows == 15
    assert (result.first_day, result.last_day) == (date(2025, 9, 30), date(2025, 12, 3))
    assert result.answered_values == ("answered",)
    assert [count.key for count in result.agencies] == ["ice_ero", "hsi", "cbp", "ice_test"]
    assert result.unmatched == 4
    assert result.ambiguous_oris == ("DHSICE901",)

    assert agency(result, "ice_ero") == AgencyCount(
        key="ice_ero", label="ICE ERO", blocked_since=BLOCK, queries=6, answered=5,
        after_block=3, answered_after_block=2,
        first_answered_after_block=datetime(2025, 11, 21, 9, 15),
        by_month={"2025-10": 2, "2025-11": 3, "2025-12": 1},
        by_key={"DQ": 4, "KQ": 1, "RQ": 1},
    )
    assert agency(result, "hsi") == AgencyCount(
        key="hsi", label="HSI", blocked_since=BLOCK, queries=3, answered=1, after_block=2,
        answered_after_block=0, first_answered_after_block=None,
        by_month={"2025-11": 2, "2025-12": 1}, by_key={"DQ": 2, "KQ": 1},
    )
    assert agency(result, "cbp") == AgencyCount(
        key="cbp", label="CBP", blocked_since=None, queries=2, answered=2, after_block=0,
        answered_after_block=0, first_answered_after_block=None,
        by_month={"2025-11": 1, "2025-12": 1}, by_key={"RQ": 2},
    )
    assert agency(result, "ice_test") == AgencyCount(
        key="ice_test", label="ICE test terminals", blocked_since=None, queries=0, answered=0,
        after_block=0, answered_after_block=0, first_answered_after_block=None,
        by_month={}, by_key={},
    )


def test_block_that_fails_holds_or_does_not_apply(tmp_path):
    result = analyse_log(write_csv(tmp_path / "log.csv"), RULES)
    assert agency(result, "ice_ero").block_holds is False
    assert agency(result, "hsi").block_holds is True
    assert agency(result, "cbp").block_holds is None


def test_no_query_after_the_block_date_says_nothing(tmp_path):
    late = AgencyRule("ice_ero", "ICE ERO", ("DHSICE*",), date(2025, 12, 2))
    count = analyse_log(write_csv(tmp_path / "log.csv"), [late]).agencies[0]
    assert (count.after_block, count.answered_after_block, count.block_holds) == (0, 0, None)


def test_queries_on_the_block_day_are_not_after_it(tmp_path):
    rows = [("2025-11-19T00:00:00", "DHSICE001", "DQ", "answered"),
            ("2025-11-19T23:59:59.999", "DHSICE001", "DQ", "answered"),
            ("2025-11-20T00:00:00", "DHSICE001", "DQ", "refused"),
            ("2025-11-20T00:00:05", "DHSICE001", "DQ", "answered")]
    count = analyse_log(write_csv(tmp_path / "log.csv", rows), [ICE]).agencies[0]
    assert (count.queries, count.after_block, count.answered_after_block) == (4, 2, 1)
    assert count.first_answered_after_block == datetime(2025, 11, 20, 0, 0, 5)


def test_the_date_is_taken_as_written_whatever_the_offset(tmp_path):
    rows = [("2025-11-19T23:30:00-07:00", "DHSICE001", "DQ", "answered"),
            ("2025-11-19T23:30:00Z", "DHSICE001", "DQ", "answered"),
            ("2025-11-20T00:30:00+05:00", "DHSICE001", "DQ", "refused")]
    count = analyse_log(write_csv(tmp_path / "log.csv", rows), [ICE]).agencies[0]
    assert (count.after_block, count.answered_after_block, count.block_holds) == (1, 0, True)


def test_parquet_gives_the_same_counts_as_csv(tmp_path):
    from_csv = analyse_log(write_csv(tmp_path / "log.csv"), RULES)
    from_parquet = analyse_log(to_parquet(tmp_path / "log.csv", tmp_path / "log.parquet"), RULES)
    assert from_parquet.source_format == "parquet"
    assert from_parquet.source_sha256 != from_csv.source_sha256
    same = {"source_name", "source_sha256", "source_format"}
    assert ({k: v for k, v in from_parquet.to_json().items() if k not in same}
            == {k: v for k, v in from_csv.to_json().items() if k not in same})
    assert from_parquet.agencies == from_csv.agencies


def test_parquet_with_a_timestamp_column(tmp_path):
    write_csv(tmp_path / "log.csv")
    typed = to_parquet(tmp_path / "log.csv", tmp_path / "typed.pq",
                       "* REPLACE (CAST(trim(time) AS TIMESTAMP) AS time)")
    with duckdb.connect() as con:
        kind = con.execute(f"SELECT typeof(time) FROM read_parquet('{typed}')").fetchone()
    assert kind == ("TIMESTAMP",)
    assert (analyse_log(typed, RULES).agencies
            == analyse_log(tmp_path / "log.csv", RULES).agencies)


def test_parquet_timestamps_with_a_time_zone_count_in_utc(tmp_path):
    path = tmp_path / "zoned.parquet"
    with duckdb.connect() as con:
        con.execute("SET TimeZone = 'America/Denver'")
        con.execute(f"""COPY (SELECT CAST(t AS TIMESTAMPTZ) AS time, 'DHSICE001' AS ori,
                                     'DQ' AS message_key, 'answered' AS result
                              FROM (VALUES ('2025-11-20 01:00:00+05:00'),
                                           ('2025-11-19 20:00:00-07:00')) AS v(t))
                        TO '{path}' (FORMAT parquet)""")
    count = analyse_log(path, [ICE]).agencies[0]
    assert (count.queries, count.after_block) == (2, 1)
    assert count.first_answered_after_block == datetime(2025, 11, 20, 3, 0)


def test_gzip_tsv_and_semicolon_files_read_the_same(tmp_path):
    plain = analyse_log(write_csv(tmp_path / "log.csv"), RULES)
    with gzip.open(tmp_path / "log.csv.gz", "wb") as stream:
        stream.write((tmp_path / "log.csv").read_bytes())
    variants = [
        tmp_path / "log.csv.gz",
        write_csv(tmp_path / "log.tsv", delimiter="\t"),
        write_csv(tmp_path / "semicolons.csv", delimiter=";"),
        write_csv(tmp_path / "log.txt"),
    ]
    for path in variants:
        fmt = "csv" if path.suffix == ".txt" else None
        result = analyse_log(path, RULES, file_format=fmt)
        assert result.source_format == "csv"
        assert result.agencies == plain.agencies, path.name
        assert result.unmatched == plain.unmatched


def test_column_mapping_and_a_destination_column(tmp_path):
    header = ("Destination", "Timestamp", "Originating ORI", "MKE", "Status", "Extra")
    rows = [("NL", t, o, k, r, "x") for t, o, k, r in ROWS]
    path = write_csv(tmp_path / "renamed.csv", rows, header)
    mapping = ColumnMapping.parse(["time=Timestamp", "ori=originating ori", "message_key=MKE",
                                   "result=Status", "destination=Destination"])
    renamed = analyse_log(path, RULES, mapping=mapping)
    assert renamed.agencies == analyse_log(write_csv(tmp_path / "log.csv"), RULES).agencies


def test_several_answered_values(tmp_path):
    rows = [("2025-11-20", "DHSICE001", "DQ", "HIT"),
            ("2025-11-21", "DHSICE001", "DQ", "no record"),
            ("2025-11-22", "DHSICE001", "DQ", " response sent "),
            ("2025-11-23", "DHSICE001", "DQ", ""),
            ("2025-11-24", "DHSICE001", "DQ", "refused")]
    result = analyse_log(write_csv(tmp_path / "log.csv", rows), [ICE],
                         answered=[" hit", "Response Sent", "HIT"])
    assert result.answered_values == ("hit", "response sent")
    count = result.agencies[0]
    assert (count.queries, count.answered, count.answered_after_block) == (5, 2, 2)


def test_wildcards_and_case(tmp_path):
    oris = ("wa0340000", "WA0340001", "WA034000", "TC0001", "tcx", "XTC1", "WA03400001")
    rows = [("2025-01-01", ori, "DQ", "answered") for ori in oris]
    rules = [AgencyRule("wsp", "WSP", ("WA034000?",), None),
             AgencyRule("tecs", "TECS", ("tc*",), None)]
    result = analyse_log(write_csv(tmp_path / "log.csv", rows), rules)
    assert [count.queries for count in result.agencies] == [2, 2]
    assert result.unmatched == 3
    assert result.ambiguous_oris == ()


def test_ambiguous_ori_counts_for_the_first_rule_given(tmp_path):
    path = write_csv(tmp_path / "log.csv")
    reordered = analyse_log(path, (ICE_TEST, ICE))
    assert [count.queries for count in reordered.agencies] == [1, 5]
    assert reordered.ambiguous_oris == ("DHSICE901",)


def test_no_rules_leaves_every_row_unmatched(tmp_path):
    result = analyse_log(write_csv(tmp_path / "log.csv"), [])
    assert (result.agencies, result.unmatched, result.rows) == ((), 15, 15)


def test_empty_message_key_is_counted_as_none(tmp_path):
    rows = [("2025-01-01", "DHSICE001", "", "answered"), ("2025-01-02", "DHSICE001", " dq ", "x")]
    count = analyse_log(write_csv(tmp_path / "log.csv", rows), [ICE]).agencies[0]
    assert count.by_key == {"(none)": 1, "DQ": 1}


def test_to_json_is_plain_and_round_trips(tmp_path):
    result = analyse_log(write_csv(tmp_path / "log.csv"), RULES)
    data = result.to_json()
    assert json.loads(json.dumps(data)) == data
    assert list(data) == ["source_name", "source_sha256", "source_format", "rows", "first_day",
                          "last_day", "answered_values", "agencies", "unmatched",
                          "ambiguous_oris", "unmatched_oris", "unmatched_ori_count"]
    ice = data["agencies"][0]
    assert ice["blocked_since"] == "2025-11-19"
    assert ice["first_answered_after_block"] == "2025-11-21T09:15:00"
    assert ice["block_holds"] is False
    assert data["first_day"] == "2025-09-30"
    assert data["agencies"][2]["blocked_since"] is None
    again = analyse_log(tmp_path / "log.csv", RULES).to_json()
    assert json.dumps(again) == json.dumps(data)


@pytest.mark.parametrize(("blocked", "after", "answered_after", "holds"), [
    (None, 0, 0, None),
    (BLOCK, 0, 0, None),
    (BLOCK, 3, 0, True),
    (BLOCK, 3, 1, False),
])
def test_block_holds(blocked, after, answered_after, holds):
    count = AgencyCount("k", "K", blocked, 5, 2, after, answered_after, None, {}, {})
    assert count.block_holds is holds
