"""What a history event's snapshot says about an answer, read one way by the CLI, the
question's history dialog and the audit's history view."""

from __future__ import annotations

import pytest

from app.audit import RecordedAnswer


@pytest.mark.parametrize(("snapshot", "empty", "not_applicable", "carried"), [
    ({"value": None, "note": "", "state": "answered", "na_reason": None}, True, False, False),
    ({"value": "yes", "state": "answered", "na_reason": None}, False, False, False),
    ({"value": None, "state": "not_applicable", "na_reason": "no such system"},
     False, True, False),
    ({"value": None, "state": "not_applicable", "na_reason": None}, False, True, False),
    ({"value": None, "state": "carried_unconfirmed", "na_reason": "kept from 2024"},
     False, True, True),
    ({"value": "no", "state": "carried_unconfirmed"}, False, False, True),
    ({"value": 0}, False, False, False),  # a zero is an answer, not "no answer"
    ({"value": False}, False, False, False),
])
def test_a_snapshot_reads_as_what_it_records(snapshot: dict[str, object], empty: bool,
                                             not_applicable: bool, carried: bool) -> None:
    recorded = RecordedAnswer.of(snapshot)
    assert recorded is not None
    assert (recorded.empty, recorded.not_applicable, recorded.carried) == (
        empty, not_applicable, carried)


@pytest.mark.parametrize("snapshot", [None, "yes", ["yes"], 3])
def test_anything_but_a_mapping_records_no_answer(snapshot: object) -> None:
    assert RecordedAnswer.of(snapshot) is None
