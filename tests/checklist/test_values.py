import pytest

from app.checklist import load_checklist
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
    ("query_count", 3.0, 3),
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
    ("query_count", "many", "takes a whole number of 0 or more; got 'many'"),
    ("query_count", -1, "at least 0"),
    ("query_count", 1.5, "whole number"),
    ("query_count", True, "takes a whole number of 0 or more"),
    ("query_count", float("nan"), "no larger than 9,007,199,254,740,992"),
    ("query_count", 10**400, "no larger than 9,007,199,254,740,992"),
    ("query_count", "1e300", "no larger than"),
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
