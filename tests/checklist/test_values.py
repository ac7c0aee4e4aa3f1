import pytest

from app.checklist import load_checklist
from app.checklist.model import Column, Question
from app.checklist.values import InvalidValue, validate_value
from tests.conftest import SAMPLE

CHECKLIST = load_checklist(SAMPLE).checklist


def q(question_id):
    return CHECKLIST.question(question_id)


@pytest.mark.parametrize(("question_id", "raw", "expected"), [
    ("connected", "yes", "yes"),
    ("connected", " No ", "no"),
    ("connected", "unknown", "unknown"),
    ("connected", True, "yes"),
    ("reason_required", "never", "never"),
    ("keys", ["rq", "dq"], ["dq", "rq"]),
    ("keys", "kq", ["kq"]),
    ("switch_vendor", "  State Patrol  ", "State Patrol"),
    ("description", "line one\nline two", "line one\nline two"),
    ("review_date", "2025-03-04", "2025-03-04"),
    ("query_count", 12, 12),
    ("query_count", "1,200", 1200),
    ("agencies", [{"agency": "ice", "blocked": "YES", "since": "2025-11-19", "queries": "4"}],
     [{"agency": "ice", "blocked": "yes", "since": "2025-11-19", "queries": 4}]),
    ("agencies", [{"agency": "cbp", "blocked": "no", "method": ""}],
     [{"agency": "cbp", "blocked": "no"}]),
])
def test_valid_values_are_normalised(question_id, raw, expected):
    assert validate_value(q(question_id), raw) == expected


@pytest.mark.parametrize(("question_id", "raw", "message"), [
    ("connected", "maybe", "takes one of: yes, no, unknown"),
    ("connected", 1, "takes one of: yes, no, unknown"),
    ("reason_required", "often", "takes one of: always, sometimes, never"),
    ("keys", [], "a list of one or more of: dq, kq, rq"),
    ("keys", ["dq", "zz"], "takes one of: dq, kq, rq"),
    ("keys", ["dq", "dq"], "takes each choice once"),
    ("switch_vendor", "", "non-empty text"),
    ("switch_vendor", "two\nlines", "single line"),
    ("switch_vendor", "x" * 501, "at most 500 characters"),
    ("switch_vendor", 5, "takes text"),
    ("review_date", "2025-13-01", "'2025-13-01' is not a day of the calendar"),
    ("review_date", "2024-02-30", "not a day of the calendar"),
    ("review_date", "yesterday", "YYYY-MM-DD"),
    ("query_count", "many", "takes a whole number of 0 or more, written as digits"),
    ("query_count", 3.0, "written as digits"),
    ("query_count", -1, "at least 0"),
    ("query_count", 1.5, "whole number"),
    ("query_count", True, "takes a whole number of 0 or more"),
    ("query_count", float("nan"), "written as digits"),
    ("query_count", 10**400, "no larger than 9,007,199,254,740,992"),
    ("query_count", "1e300", "written as digits"),
    ("query_count", "9" * 17, "no larger than 9,007,199,254,740,992"),
    ("agencies", {"agency": "ice"}, "a list of rows"),
    ("agencies", [], "at least 1 row"),
    ("agencies", [{"agency": "ice"}], "“Blocked” (blocked) is required"),
    ("agencies", [{"agency": "fbi", "blocked": "no"}], "one of: ice, cbp, other"),
    ("agencies", [{"agency": "ice", "blocked": "no", "colour": "red"}],
     "row 1 has unknown column colour"),
    ("agencies", [{"agency": "ice", "blocked": "no", "since": "soon"}],
     "row 1, “Since” (since) takes a date"),
    ("agencies", ["ice"], "row 1 is not a mapping of column to value"),
])
def test_invalid_values_say_what_is_allowed(question_id, raw, message):
    with pytest.raises(InvalidValue) as caught:
        validate_value(q(question_id), raw)
    assert message in str(caught.value)
    assert question_id in str(caught.value)


def test_a_screen_showing_the_question_or_row_leaves_it_out():
    row = [{"agency": "ice", "blocked": "no", "since": "2024-02-30"}]
    with pytest.raises(InvalidValue) as caught:
        validate_value(q("agencies"), row)
    assert str(caught.value).startswith("question 'agencies', row 1, “Since” (since) takes")
    assert caught.value.relative(2, "the row").startswith("“Since” (since) takes a date")
    with pytest.raises(InvalidValue) as caught:
        validate_value(q("agencies"), [{"agency": "ice", "blocked": "no"}, ["ice"]])
    assert caught.value.relative(2, "the row") == "the row is not a mapping of column to value"
    assert caught.value.relative(1, "this answer") == "row 2 is not a mapping of column to value"


# Lenient forms that changed meaning: each is refused, saying the one accepted form.
WHOLE = Question(id="count", prompt="How many?", type="number", integer=True, min=0)
DECIMAL = Question(id="share", prompt="What share?", type="number")
DAY = Question(id="day", prompt="When?", type="date")
ORIS = Question(id="agencies", prompt="Agencies", type="table", columns=[
    Column(id="agency", label="Agency", type="short_text"),
    Column(id="oris", label="ORIs", type="ori_list")])


@pytest.mark.parametrize("raw", ["1,5", "1_0", "1e6", "1E6", "+5", "1 000", "1.000,5", "0x10",
                                 "12,34", "1,2345", ",123", "١٢", "١,٢٠٠", "5_000_000", 1e6, 3.0,
                                 "inf", "NaN", "9" * 5000])
def test_a_lenient_whole_number_is_refused(raw):
    with pytest.raises(InvalidValue) as caught:
        validate_value(WHOLE, raw)
    assert "e.g. 1,200" in str(caught.value) or "no larger than" in str(caught.value)


@pytest.mark.parametrize(("raw", "expected"), [
    ("1,200", 1200), ("1,234,567", 1234567), (" 12 ", 12), ("0", 0), (7, 7), ("007", 7)])
def test_whole_numbers_in_the_accepted_form(raw, expected):
    assert validate_value(WHOLE, raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("1,200.5", 1200.5), ("-0.25", -0.25), ("2.0", 2), (0.5, 0.5)])
def test_decimal_numbers_in_the_accepted_form(raw, expected):
    assert validate_value(DECIMAL, raw) == expected


@pytest.mark.parametrize("raw", ["1e6", "1.5e3", ".5", "5.", "1,5", "1_0.5"])
def test_a_lenient_decimal_is_refused(raw):
    with pytest.raises(InvalidValue, match="e.g. 1,200.5"):
        validate_value(DECIMAL, raw)


@pytest.mark.parametrize("raw", ["20250101", "2025-W01-1", "2025-001", "2025-1-1",
                                 "2025-01-01T00:00", "2025/01/01", "０２０２５-01-01",
                                 "２０２５-０１-０１", 20250101])
def test_a_date_not_written_yyyy_mm_dd_is_refused(raw):
    with pytest.raises(InvalidValue, match="YYYY-MM-DD"):
        validate_value(DAY, raw)


@pytest.mark.parametrize("raw", ["0000-01-01", "1899-12-31", "2200-01-01", "9999-12-31"])
def test_a_date_out_of_range_is_refused(raw):
    with pytest.raises(InvalidValue, match="from 1900 to 2199|not a day of the calendar"):
        validate_value(DAY, raw)


def test_an_ori_list_column_normalises_oris_and_patterns():
    rows = validate_value(ORIS, [{"agency": "CBP", "oris": "dhscbp0100; WACBP* wacbp*"},
                                 {"agency": "ICE", "oris": ["WAICE0100", "DHS??0100"]}])
    assert [row["oris"] for row in rows] == ["DHSCBP0100, WACBP*", "WAICE0100, DHS??0100"]


@pytest.mark.parametrize("raw", ["listed in evidence", "see attachment 3", "ICE", "*",
                                 "WA0340000, and others", 42])
def test_a_free_text_ori_cell_is_refused_at_answer_time(raw):
    with pytest.raises(InvalidValue) as caught:
        validate_value(ORIS, [{"agency": "CBP", "oris": raw}])
    message = str(caught.value)
    assert "“ORIs” (oris)" in message
    assert "an ORI is 7 to 10 letters or digits" in message


@pytest.mark.parametrize(("question", "raw"), [
    (ORIS, [{"agency": "ICE\x1b]0;owned\x07", "oris": "WAICE0100"}]),
    (ORIS, [{"agency": "ICE\u202eEBC", "oris": "WAICE0100"}]),
    (Question(id="note", prompt="Note", type="long_text"), "fine\n\x1b[2J"),
    (Question(id="note", prompt="Note", type="long_text"), "c1 \x9b31m"),
    (Question(id="name", prompt="Name", type="short_text"), "Jane\x00Doe"),
])
def test_control_characters_are_refused(question, raw):
    with pytest.raises(InvalidValue, match="control character"):
        validate_value(question, raw)


def test_long_text_keeps_tabs_newlines_and_right_to_left_marks():
    text = "line one\r\n\tline two \u202bعربي\u202c"
    assert validate_value(Question(id="n", prompt="N", type="long_text"), text) == (
        "line one\n\tline two \u202bعربي\u202c")
