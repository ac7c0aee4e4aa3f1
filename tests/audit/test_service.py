import hashlib

import pytest
from sqlalchemy import text

from app.audit import AuditService
from app.checklist.evaluate import AnswerState
from app.errors import UserFacingError
from app.store import open_store
from tests.conftest import run_sql

pytestmark = pytest.mark.both_engines


def test_create_list_and_resolve_by_prefix(service, sample, audit_id):
    audit = service.get_audit(audit_id[:6])
    assert audit.id == audit_id
    assert audit.jurisdiction == "WA" and audit.status == "draft"
    assert audit.checklist_sha256 == sample.sha256 and audit.auditor == service.actor
    assert audit.title == ("Washington — Sample data-sharing checklist, 2025-01-01 to "
                           "2025-12-31")
    [summary] = service.list_audits()
    assert (summary.done, summary.total) == (0, 4)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"jurisdiction": "Atlantis"}, "unknown jurisdiction"),
    ({"period_start": "2025-02-30"}, "period start '2025-02-30' is not a date"),
    ({"period_start": "2026-01-01"}, "starts (2026-01-01) after it ends"),
])
def test_create_refuses_bad_metadata(service, sample, kwargs, message):
    args = {"jurisdiction": "wa", "period_start": "2025-01-01", "period_end": "2025-12-31",
            **kwargs}
    with pytest.raises(UserFacingError, match=message.replace("(", r"\(").replace(")", r"\)")):
        service.create_audit(sample, **args)
    assert service.list_audits() == []


def test_unknown_and_ambiguous_audit_references(service, sample, audit_id):
    with pytest.raises(UserFacingError, match="no audit with id"):
        service.get_audit("ffff")
    with pytest.raises(UserFacingError, match="ids are hexadecimal"):
        service.get_audit("%")


def test_ambiguous_prefixes_are_refused(service, sample, monkeypatch):
    import uuid

    ids = iter(["abc" + "0" * 29, "abd" + "0" * 29])
    monkeypatch.setattr(uuid, "uuid4", lambda: uuid.UUID(next(ids)))
    for _ in range(2):
        service.create_audit(sample, jurisdiction="OR", period_start="2025-01-01",
                             period_end="2025-12-31")
    with pytest.raises(UserFacingError, match="'ab' names more than one audit"):
        service.get_audit("ab")
    assert service.get_audit("abd").id == "abd" + "0" * 29


def test_answers_are_validated_and_saved(service, audit_id):
    service.set_answer(audit_id, "connected", "yes", note="per WSP")
    service.set_answer(audit_id, "keys", ["kq", "dq"])
    with pytest.raises(UserFacingError, match="takes one of: dq, kq, rq"):
        service.set_answer(audit_id, "keys", ["xq"])
    view = service.view(audit_id)
    assert view.answers["connected"].value == "yes"
    assert view.answers["connected"].note == "per WSP"
    assert view.answers["keys"].value == ["dq", "kq"]


def test_hidden_and_unknown_questions_are_refused(service, audit_id):
    with pytest.raises(UserFacingError, match="asked only when connected is yes"):
        service.set_answer(audit_id, "switch_vendor", "Vendor")
    with pytest.raises(UserFacingError, match="no question 'nope'"):
        service.set_answer(audit_id, "nope", "x")
    assert service.view(audit_id).answers == {}


def test_not_applicable_needs_a_reason_and_counts_as_done(service, audit_id):
    with pytest.raises(UserFacingError, match="reason is required"):
        service.set_not_applicable(audit_id, "review_date", "  ")
    service.set_not_applicable(audit_id, "review_date", "No permissions exist")
    answer = service.view(audit_id).answers["review_date"]
    assert answer.state == AnswerState.NOT_APPLICABLE and answer.value is None
    assert service.view(audit_id).evaluation.progress.done == 1
    service.clear_answer(audit_id, "review_date")
    assert service.view(audit_id).evaluation.progress.done == 0


def test_notes_stand_alone(service, audit_id):
    service.set_note(audit_id, "review_date", "Ask the CSA")
    answer = service.view(audit_id).answers["review_date"]
    assert answer.note == "Ask the CSA" and answer.value is None
    assert service.view(audit_id).evaluation.progress.done == 0


def test_unchanged_answer_adds_no_history(service, audit_id):
    service.set_answer(audit_id, "connected", "yes")
    service.set_answer(audit_id, "connected", "YES")
    kinds = [e.kind for e in service.history(audit_id)]
    assert kinds == ["audit_created", "answer_set"]


def test_import_is_all_or_nothing(service, audit_id):
    with pytest.raises(UserFacingError, match="answers.yaml: question 'review_date' takes"):
        service.import_answers(audit_id, {"connected": "yes", "review_date": "soon"},
                               source="answers.yaml")
    assert service.view(audit_id).answers == {}
    with pytest.raises(UserFacingError, match="unknown question"):
        service.import_answers(audit_id, {"nope": 1})
    changed = service.import_answers(audit_id, {
        "switch_vendor": "WSP ACCESS",  # revealed by connected, which comes earlier
        "connected": "yes",
        "reason_required": {"not_applicable": "no switch reason codes"},
        "review_date": {"value": "2025-05-01", "note": "ORION export"},
    })
    assert changed == 4
    view = service.view(audit_id)
    assert view.answers["switch_vendor"].value == "WSP ACCESS"
    assert view.answers["reason_required"].state == AnswerState.NOT_APPLICABLE
    assert view.answers["review_date"].note == "ORION export"


def test_import_refuses_hidden_questions(service, audit_id):
    with pytest.raises(UserFacingError, match="'keys' does not apply"):
        service.import_answers(audit_id, {"connected": "no", "keys": ["dq"]})


def test_evidence_is_stored_by_content(service, audit_id, tmp_path):
    path = tmp_path / "extract.csv"
    path.write_bytes(b"time,ori\n2025-01-01,WA0000000\n")
    first = service.add_evidence(audit_id, "agencies", path, "2025-06-30")
    second = service.add_evidence(audit_id, "review_date", path)
    assert first.sha256 == second.sha256
    assert first.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert first.media_type == "text/csv" and first.size == path.stat().st_size
    assert service.evidence_content(first.sha256) == path.read_bytes()
    assert [e.question_id for e in service.view(audit_id).evidence] == ["agencies",
                                                                        "review_date"]
    with pytest.raises(UserFacingError, match="evidence file .*missing.pdf does not exist"):
        service.add_evidence(audit_id, "agencies", tmp_path / "missing.pdf")
    with pytest.raises(UserFacingError, match="effective date"):
        service.add_evidence(audit_id, "agencies", path, "June")
    with pytest.raises(UserFacingError, match="already attached to 'agencies', as 'extract.csv'"):
        service.add_evidence(audit_id, "agencies", path)
    assert len(service.view(audit_id).evidence) == 2


def test_signed_audit_is_read_only(service, store, audit_id, tmp_path):
    service.set_answer(audit_id, "connected", "yes")
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE audit SET status='signed' WHERE id=:id"),
                           {"id": audit_id})
    attempts = [
        lambda: service.set_answer(audit_id, "connected", "no"),
        lambda: service.set_note(audit_id, "connected", "n"),
        lambda: service.set_not_applicable(audit_id, "review_date", "r"),
        lambda: service.clear_answer(audit_id, "connected"),
        lambda: service.import_answers(audit_id, {"connected": "no"}),
        lambda: service.add_evidence(audit_id, "connected", __file__),
    ]
    for attempt in attempts:
        with pytest.raises(UserFacingError, match="signed and read-only"):
            attempt()
    assert service.view(audit_id).answers["connected"].value == "yes"


def test_history_verify_passes_then_detects_edits(service, db_url, audit_id, tmp_path):
    service.set_answer(audit_id, "connected", "yes")
    service.set_answer(audit_id, "reason_required", "always")
    evidence = tmp_path / "e.txt"
    evidence.write_text("log")
    service.add_evidence(audit_id, "connected", evidence)
    report = service.verify_history(audit_id)
    assert report.ok and report.events == 4
    run_sql(db_url, "UPDATE answer SET value_json='\"no\"' WHERE question_id='connected'")
    assert any("answer to 'connected' differs" in p
               for p in service.verify_history(audit_id).problems)


@pytest.mark.parametrize(("sql", "expected"), [
    ("UPDATE history_event SET new_json=replace(new_json, 'always', 'never') WHERE seq=3",
     "event 3 (answer_set) was altered"),
    ("DELETE FROM history_event WHERE seq=3", "event 3 is missing"),
    ("DELETE FROM history_event WHERE seq=(SELECT MAX(seq) FROM history_event)",
     "events were removed or added"),
    ("UPDATE audit SET jurisdiction='OR'", "jurisdiction was changed from 'WA' to 'OR'"),
    ("UPDATE evidence SET name='other.txt'", "evidence differs from its history"),
    ("UPDATE evidence_blob SET content=:byte", "does not match its SHA-256"),
    ("DELETE FROM answer WHERE question_id='reason_required'",
     "answer to 'reason_required' differs"),
])
def test_history_verify_detects_each_kind_of_tampering(service, db_url, audit_id, tmp_path,
                                                        sql, expected):
    service.set_answer(audit_id, "connected", "yes")
    service.set_answer(audit_id, "reason_required", "always")
    evidence = tmp_path / "e.txt"
    evidence.write_text("log")
    service.add_evidence(audit_id, "connected", evidence)
    assert service.verify_history(audit_id).ok
    run_sql(db_url, sql, byte=b"\x00")
    problems = service.verify_history(audit_id).problems
    assert any(expected in p for p in problems), problems


def test_changes_survive_reopening(db_url, sample):
    first = AuditService(open_store(db_url), actor="a")
    audit_id = first.create_audit(sample, jurisdiction="NY", period_start="2025-01-01",
                                  period_end="2025-06-30").id
    first.set_answer(audit_id, "connected", "no")
    first.store.close()
    second = AuditService(open_store(db_url), actor="b")
    assert second.view(audit_id).answers["connected"].value == "no"
    assert second.verify_history(audit_id).ok
    second.store.close()


def test_questions_that_refuse_not_applicable(service, audit_id, tmp_path):
    from app.checklist import load_checklist
    from tests.conftest import SAMPLE

    strict = tmp_path / "strict.yaml"
    marker = "      - id: review_date\n"
    strict.write_text(SAMPLE.read_text().replace(
        marker, marker + "        allow_not_applicable: false\n"))
    strict_id = service.create_audit(load_checklist(strict), jurisdiction="WA",
                                     period_start="2025-01-01", period_end="2025-12-31").id
    with pytest.raises(UserFacingError, match="cannot be marked not applicable"):
        service.set_not_applicable(strict_id, "review_date", "no reviews")
    with pytest.raises(UserFacingError, match="cannot be marked not applicable"):
        service.import_answers(strict_id, {"review_date": {"not_applicable": "none"}})
    service.set_not_applicable(audit_id, "review_date", "no reviews")


def test_delete_draft(service, sample, audit_id, store):
    service.set_answer(audit_id, "connected", "yes")
    child = service.create_audit(sample, jurisdiction="WA", period_start="2026-01-01",
                                 period_end="2026-12-31", based_on=audit_id).id
    with pytest.raises(UserFacingError, match="was started from this one"):
        service.delete_draft(audit_id)
    service.delete_draft(child)
    service.delete_draft(audit_id)
    assert service.list_audits() == []
    with store.engine.connect() as connection:
        for table in ("answer", "history_event", "evidence"):
            assert connection.exec_driver_sql(f"SELECT COUNT(*) FROM {table}").scalar() == 0


def test_lone_surrogates_are_refused_clearly(service, audit_id):
    for attempt in (lambda: service.set_note(audit_id, "connected", "bad \ud800 note"),
                    lambda: service.set_answer(audit_id, "review_date", "2025-01-01",
                                               note="\udfff"),
                    lambda: service.set_not_applicable(audit_id, "review_date", "x\ud800")):
        with pytest.raises(UserFacingError, match="not valid Unicode"):
            attempt()
    assert service.view(audit_id).answers == {}


def test_questions_that_repeat_the_audit_record(service, tmp_path, audit_id):
    from app.checklist import load_checklist
    from tests.conftest import SAMPLE

    text = SAMPLE.read_text().replace("    questions:\n", """    questions:
      - id: state
        from_audit: jurisdiction
        prompt: State
        type: single_choice
        procedural: true
        options: [wa, or]
      - id: starts
        from_audit: period_start
        prompt: Start
        type: date
        procedural: true
""", 1)
    path = tmp_path / "record.yaml"
    path.write_text(text)
    checklist = load_checklist(path)
    first = service.create_audit(checklist, jurisdiction="WA", period_start="2025-01-01",
                                 period_end="2025-12-31").id
    answers = service.view(first).answers
    assert (answers["state"].value, answers["starts"].value) == ("wa", "2025-01-01")
    with pytest.raises(UserFacingError, match="filled in from the audit record"):
        service.set_answer(first, "state", "or")
    with pytest.raises(UserFacingError, match="filled in from the audit record"):
        service.clear_answer(first, "starts")
    assert service.import_answers(first, {"state": "wa"}) == 0
    second = service.create_audit(checklist, jurisdiction="WA", period_start="2026-01-01",
                                  period_end="2026-12-31", based_on=first).id
    answers = service.view(second).answers
    assert (answers["state"].value, answers["state"].state.value) == ("wa", "answered")
    assert answers["starts"].value == "2026-01-01"
    assert service.verify_history(second).ok
    other = service.create_audit(checklist, jurisdiction="NY", period_start="2025-01-01",
                                 period_end="2025-12-31").id
    assert "state" not in service.view(other).answers


def test_import_refuses_keys_and_notes_that_are_not_text(service, audit_id):
    with pytest.raises(UserFacingError, match="each question id written as text"):
        service.import_answers(audit_id, {1: "yes"})
    with pytest.raises(UserFacingError, match="note takes text"):
        service.import_answers(audit_id, {"connected": {"value": "yes", "note": [1, 2]}})
    with pytest.raises(UserFacingError, match="not_applicable takes text"):
        service.import_answers(audit_id, {"review_date": {"not_applicable": True}})
    assert service.view(audit_id).answers == {}


def test_evidence_with_a_name_that_is_not_utf8(service, audit_id, tmp_path):
    import os

    path = tmp_path / os.fsdecode(b"caf\xe9.txt")
    path.write_bytes(b"log")
    added = service.add_evidence(audit_id, "connected", path)
    assert added.name == "caf\ufffd.txt"
    assert service.verify_history(audit_id).ok


def test_deleting_a_draft_removes_its_evidence_content(service, sample, audit_id, store,
                                                       tmp_path):
    kept, dropped = tmp_path / "kept.txt", tmp_path / "dropped.txt"
    kept.write_text("kept")
    dropped.write_text("dropped")
    other = service.create_audit(sample, jurisdiction="OR", period_start="2025-01-01",
                                 period_end="2025-12-31").id
    service.add_evidence(other, "connected", kept)
    service.add_evidence(audit_id, "connected", kept)
    service.add_evidence(audit_id, "connected", dropped)
    service.delete_draft(audit_id)
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT COUNT(*) FROM evidence_blob").scalar() == 1
    assert service.evidence_content(service.view(other).evidence[0].sha256) == b"kept"
