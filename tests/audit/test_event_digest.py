"""The text and hash of a history event never change form: every history already stored
was chained with them, and `history verify` recomputes them."""

from __future__ import annotations

from app.audit.history import canonical_json, event_digest

SNAPSHOT = {"value": ["a", "é", 1.5, 10**15], "note": 'n"q\\\n\u202e', "state": "answered",
            "na_reason": None}


def test_the_canonical_text_of_a_snapshot_is_fixed():
    assert canonical_json(SNAPSHOT) == (
        '{"na_reason":null,"note":"n\\"q\\\\\\n\u202e","state":"answered",'
        '"value":["a","é",1.5,1000000000000000]}')
    assert canonical_json(None) is None


def test_the_hash_of_an_event_is_fixed():
    assert event_digest("0" * 32, 7, "2026-01-02T03:04:05.000006Z", "Zoë", "answer_set",
                        "q1", canonical_json(SNAPSHOT), None, None, "f" * 64) == (
        "92ce03eb9aba1b3bb7ddd060cd568abdb5c50e12c3d2259d0aaaac3ff4923ce7")
