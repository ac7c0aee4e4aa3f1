import sqlite3
import textwrap

import pytest

from app.checklist import load_checklist
from app.checklist.evaluate import AnswerState
from app.cli import main
from app.errors import UserFacingError
from tests.conftest import FIXTURES

V2 = FIXTURES / "sample-checklist-v2.yaml"


@pytest.fixture
def last_year(service, audit_id, tmp_path):
    """A finished audit of the sample checklist, with a note, an N/A and evidence."""
    service.import_answers(audit_id, {
        "connected": "yes",
        "switch_vendor": "WSP ACCESS",
        "keys": ["dq", "rq"],
        "reason_required": {"not_applicable": "no reason codes on this switch"},
        "review_date": {"value": "2024-11-01", "note": "ORION export"},
        "query_count": 2671776,
        "agencies": [{"agency": "ice", "blocked": "yes", "since": "2025-11-19"},
                     {"agency": "cbp", "blocked": "no"}],
    })
    old = tmp_path / "orion-2024.csv"
    old.write_text("ori,permission\n")
    service.add_evidence(audit_id, "review_date", old, "2024-11-01")
    return audit_id


def new_from(service, checklist, previous):
    return service.create_audit(checklist, jurisdiction="WA", period_start="2026-01-01",
                                period_end="2026-12-31", based_on=previous).id


def test_carried_answers_wait_for_confirmation(service, sample, last_year):
    audit_id = new_from(service, sample, last_year)
    view = service.view(audit_id)
    assert view.audit.based_on == last_year
    carried = {q: a.state for q, a in view.answers.items()}
    assert set(carried.values()) == {AnswerState.CARRIED_UNCONFIRMED}
    assert view.answers["review_date"].note == "ORION export"
    assert view.answers["reason_required"].na_reason == "no reason codes on this switch"
    assert view.evaluation.progress.done == 0
    review = service.review(audit_id)
    assert review.unconfirmed == ["connected", "switch_vendor", "keys", "reason_required",
                                  "review_date", "query_count", "agencies"]
    assert not review.ready
    assert ("carried forward, not confirmed: Basics › “Which message keys reach driver data?” "
            "(keys)") in review.blockers
    assert service.verify_history(audit_id).ok


def test_confirm_and_change_both_resolve_carried_answers(service, sample, last_year):
    audit_id = new_from(service, sample, last_year)
    with pytest.raises(UserFacingError, match="no carried-forward answer"):
        service.confirm(audit_id, ["description"])
    assert service.confirm(audit_id, ["connected", "switch_vendor", "reason_required"]) == 3
    service.set_answer(audit_id, "keys", ["dq"])
    view = service.view(audit_id)
    assert view.answers["connected"].state == AnswerState.ANSWERED
    assert view.answers["reason_required"].state == AnswerState.NOT_APPLICABLE
    assert view.answers["keys"].state == AnswerState.ANSWERED
    with pytest.raises(UserFacingError, match="no carried-forward answer"):
        service.confirm(audit_id, ["connected"])
    service.confirm(audit_id, ["review_date", "query_count", "agencies"])
    assert service.review(audit_id).ready
    kinds = [e.kind for e in service.history(audit_id)]
    assert kinds.count("answer_confirmed") == 6 and kinds.count("answer_carried") == 7
    assert service.verify_history(audit_id).ok


def test_stale_evidence_is_listed(service, sample, last_year):
    audit_id = new_from(service, sample, last_year)
    [stale] = service.review(audit_id).stale_evidence
    assert (stale.name, stale.question_id, stale.effective_date) == (
        "orion-2024.csv", "review_date", "2024-11-01")


def test_carry_across_versions_applies_the_migrations(service, last_year):
    audit_id = new_from(service, load_checklist(V2), last_year)
    view = service.view(audit_id)
    assert view.answers["switch_operator"].value == "WSP ACCESS"
    assert "keys" not in view.answers
    assert "photos_reachable" not in view.answers
    report = view.carry_report
    assert report.dropped == {"query_count": "counted from the query logs instead",
                              "description": "no longer asked in version 2"}
    assert report.not_copied == {
        "keys": "question 'keys' takes one of: dq, kq, rnq; got 'rq'"}
    review = service.review(audit_id)
    assert review.dropped == report.dropped and review.not_copied == report.not_copied
    assert "keys" in review.unanswered and "photos_reachable" in review.unanswered
    assert service.verify_history(audit_id).ok


def test_carry_refuses_another_checklist(service, last_year, tmp_path):
    other = tmp_path / "other.yaml"
    other.write_text(V2.read_text().replace("id: sample", "id: other", 1))
    with pytest.raises(UserFacingError, match="used checklist 'sample', not 'other'"):
        new_from(service, load_checklist(other), last_year)
    assert len(service.list_audits()) == 1


def test_diff_across_versions(service, last_year):
    audit_id = new_from(service, load_checklist(V2), last_year)
    service.confirm(audit_id, ["connected", "switch_operator", "review_date"])
    service.set_answer(audit_id, "agencies", [{"agency": "ice", "blocked": "yes"},
                                              {"agency": "cbp", "blocked": "yes"}])
    service.set_answer(audit_id, "reason_required", "always")
    diff = service.diff(last_year, audit_id)
    assert [(c.question_id, c.prompt, c.old, c.new) for c in diff.changed] == [
        ("keys", "Which message keys reach driver data?", "DQ driver query; RQ registration",
         "—"),
        ("reason_required", "Is a reason code required?",
         "not applicable: no reason codes on this switch", "always"),
        ("agencies", "Agencies and their access [ice]", "Blocked: Yes; Since: 2025-11-19",
         "Blocked: Yes"),
        ("agencies", "Agencies and their access [cbp]", "Blocked: No", "Blocked: Yes"),
    ]
    assert diff.new_questions == ["photos_reachable"]
    assert diff.dropped_questions == ["query_count", "description"]
    assert [f.label for f in diff.findings_resolved] == [
        "An immigration agency is not blocked — cbp"]
    assert diff.findings_new == []


def test_diff_names_the_agency_a_finding_moved_to(service, last_year):
    audit_id = new_from(service, load_checklist(V2), last_year)
    service.set_answer(audit_id, "agencies", [{"agency": "ice", "blocked": "no"},
                                              {"agency": "cbp", "blocked": "yes"}])
    diff = service.diff(last_year, audit_id)
    assert [f.label for f in diff.findings_new] == ["An immigration agency is not blocked — ice"]
    assert [f.label for f in diff.findings_resolved] == [
        "An immigration agency is not blocked — cbp"]


def test_cli_new_from_confirm_and_diff(capsys, db_url, service, last_year):
    code = main(["--db", db_url, "new", "--checklist", str(V2), "--jurisdiction", "WA",
                 "--period-start", "2026-01-01", "--period-end", "2026-12-31",
                 "--from", last_year[:10]])
    out, err = capsys.readouterr()
    assert code == 0
    new_id = out.strip()
    assert len(new_id) == 32
    assert "carried 5 answer(s) and 1 evidence file(s)" in err
    assert "not carried: query_count: counted from the query logs instead" in err
    assert main(["--db", db_url, "confirm", new_id, "connected", "agencies"]) == 0
    assert "confirmed 2 answer(s)" in capsys.readouterr().out
    assert main(["--db", db_url, "answer", new_id, "review_date", "2026-02-01"]) == 0
    capsys.readouterr()
    assert main(["--db", db_url, "diff", last_year, new_id]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[2:] == textwrap.dedent("""\
        changed answers:
          keys: DQ driver query; RQ registration -> —
          review_date: 2024-11-01 -> 2026-02-01
        new questions: photos_reachable
        dropped questions: query_count, description""").splitlines()


def test_carried_history_detects_tampering(service, sample, last_year, db_url):
    audit_id = new_from(service, sample, last_year)
    with sqlite3.connect(db_url.removeprefix("sqlite:///")) as connection:
        connection.execute("UPDATE answer SET state='answered' WHERE audit_id=? AND "
                           "question_id='connected'", (audit_id,))
    assert any("'connected' differs" in p for p in service.verify_history(audit_id).problems)


def test_not_applicable_is_not_carried_into_a_question_that_refuses_it(service, last_year,
                                                                      tmp_path):
    strict = tmp_path / "strict.yaml"
    marker = "      - id: reason_required\n"
    strict.write_text(V2.read_text().replace(
        marker, marker + "        allow_not_applicable: false\n"))
    audit_id = new_from(service, load_checklist(strict), last_year)
    view = service.view(audit_id)
    assert "reason_required" not in view.answers
    assert "must now be answered" in view.carry_report.not_copied["reason_required"]
    assert "reason_required" in view.evaluation.unanswered


def test_a_refused_not_applicable_never_counts_as_done(service, db_url, last_year, tmp_path):
    strict = tmp_path / "strict.yaml"
    marker = "      - id: reason_required\n"
    strict.write_text(V2.read_text().replace(
        marker, marker + "        allow_not_applicable: false\n"))
    audit_id = new_from(service, load_checklist(strict), last_year)
    with sqlite3.connect(db_url.removeprefix("sqlite:///")) as connection:
        connection.execute("INSERT INTO answer (audit_id, question_id, note, state, na_reason,"
                           " updated_by, updated_at) VALUES (?, 'reason_required', '',"
                           " 'not_applicable', 'none', 'x', 'y')", (audit_id,))
    assert "reason_required" in service.view(audit_id).evaluation.unanswered


def test_carry_refuses_another_jurisdiction(service, sample, last_year):
    with pytest.raises(UserFacingError, match="covers WA, not OR"):
        service.create_audit(sample, jurisdiction="OR", period_start="2026-01-01",
                             period_end="2026-12-31", based_on=last_year)
    assert len(service.list_audits()) == 1
