"""A change made against a value someone else has since changed is refused, naming them."""

from __future__ import annotations

import json

import pytest

from app.audit import AuditService, StaleAnswer, grants_sql, open_store
from app.cli import main

pytestmark = pytest.mark.both_engines


@pytest.fixture
def colleague(db_engine: str, db_url: str, store, request: pytest.FixtureRequest):
    """A second person on the same database, with a connection of their own (on PostgreSQL
    their own login, in the auditor role)."""
    url = db_url
    if db_engine == "postgresql":
        with request.getfixturevalue("pg_admin").connect() as connection:
            connection.exec_driver_sql(grants_sql(request.getfixturevalue("pg_schema")))
        url = request.getfixturevalue("pg_login")("nlets_auditor")
    service = AuditService(open_store(url), actor="colleague")
    assert service.actor != "test-auditor"
    yield service
    service.store.close()


def test_a_stale_answer_is_refused_with_who_when_and_what(service, colleague, audit_id):
    seen = service.set_answer(audit_id, "connected", "yes")
    theirs = colleague.set_answer(audit_id, "connected", "no")
    with pytest.raises(StaleAnswer) as caught:
        service.set_answer(audit_id, "connected", "unknown", expected=seen.value)
    refusal = caught.value
    assert (refusal.question_id, refusal.stored, refusal.expected) == ("connected", "no", "yes")
    assert refusal.changed_by == colleague.actor and refusal.changed_at == theirs.updated_at
    message = str(refusal)
    assert f"{colleague.actor} changed" in message and '"no"' in message
    assert '"yes"' in message and "nothing was saved" in message
    assert service.view(audit_id).answers["connected"].value == "no"
    assert service.verify_history(audit_id).ok


def test_a_change_that_expects_the_stored_value_goes_through(service, colleague, audit_id):
    service.set_answer(audit_id, "connected", "yes")
    colleague.set_answer(audit_id, "connected", "no")
    saved = service.set_answer(audit_id, "connected", "unknown", expected="no")
    assert saved.value == "unknown"
    assert service.set_answer(audit_id, "query_count", 3, expected=None).value == 3


def test_expecting_no_answer_is_refused_once_someone_answered(service, colleague, audit_id):
    colleague.set_answer(audit_id, "query_count", 7)
    with pytest.raises(StaleAnswer, match="changed"):
        service.set_answer(audit_id, "query_count", 8, expected=None)


def test_each_kind_of_change_checks_what_it_saw(service, colleague, audit_id):
    service.set_answer(audit_id, "connected", "yes", note="first")
    colleague.set_note(audit_id, "connected", "theirs")
    # A note change elsewhere does not make the answer stale, and the other way round.
    service.set_answer(audit_id, "connected", "no", expected="yes")
    with pytest.raises(StaleAnswer, match="note"):
        service.set_note(audit_id, "connected", "mine", expected="first")
    assert service.set_note(audit_id, "connected", "mine", expected="theirs").note == "mine"
    colleague.set_answer(audit_id, "connected", "unknown")
    with pytest.raises(StaleAnswer):
        service.clear_answer(audit_id, "connected", expected="no")
    service.clear_answer(audit_id, "connected", expected="unknown")


def test_without_an_expectation_the_last_writer_wins(service, colleague, audit_id):
    service.set_answer(audit_id, "connected", "yes")
    colleague.set_answer(audit_id, "connected", "no")
    assert service.set_answer(audit_id, "connected", "unknown").value == "unknown"


def test_the_command_line_says_which_value_it_expects(capsys, db_url, service, colleague,
                                                      audit_id):
    service.set_answer(audit_id, "connected", "yes")
    colleague.set_answer(audit_id, "connected", "no")
    code = main(["--db", db_url, "answer", audit_id, "connected", "unknown", "--expect", "yes"])
    err = capsys.readouterr().err
    assert code == 2 and f"{colleague.actor} changed" in err and err.count("\n") == 1
    assert main(["--db", db_url, "answer", audit_id, "connected", "unknown",
                 "--expect", "no"]) == 0
    assert main(["--db", db_url, "answer", audit_id, "query_count", "3",
                 "--expect", "null"]) == 0
    assert main(["--db", db_url, "answer", audit_id, "query_count", "4",
                 "--expect", "null"]) == 2
    capsys.readouterr()


def test_imported_answers_may_say_what_they_expect(tmp_path, capsys, db_url, service,
                                                  colleague, audit_id):
    service.set_answer(audit_id, "connected", "yes")
    colleague.set_answer(audit_id, "connected", "no")
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"connected": {"value": "unknown", "expected": "yes"},
                                   "query_count": 5}))
    code = main(["--db", db_url, "import-answers", audit_id, str(answers)])
    err = capsys.readouterr().err
    assert code == 2 and f"{colleague.actor} changed" in err
    assert service.view(audit_id).answers.get("query_count") is None  # all or nothing
    answers.write_text(json.dumps({"connected": {"value": "unknown", "expected": "no"}}))
    assert main(["--db", db_url, "import-answers", audit_id, str(answers)]) == 0
    assert service.view(audit_id).answers["connected"].value == "unknown"


def test_a_wrong_expectation_that_nobody_caused_says_only_what_is_stored(service, audit_id):
    service.set_answer(audit_id, "connected", "yes")
    with pytest.raises(StaleAnswer) as caught:
        service.set_note(audit_id, "connected", "mine", expected="what I imagined")
    assert caught.value.changed_by is None
    assert str(caught.value).startswith(
        "the note on 'connected' is \"\", not \"what I imagined\" as you expected")
