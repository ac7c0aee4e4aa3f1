from app.checklist import load_checklist
from app.checklist.conditions import describe
from app.checklist.evaluate import AnswerFacts, AnswerState, evaluate, newly_revealed
from tests.conftest import SAMPLE

CHECKLIST = load_checklist(SAMPLE).checklist


def answered(**values):
    return {k: AnswerFacts(v, AnswerState.ANSWERED) for k, v in values.items()}


def test_follow_ups_are_hidden_until_their_condition_holds():
    assert evaluate(CHECKLIST, {}).visible["switch_vendor"] is False
    assert evaluate(CHECKLIST, answered(connected="no")).visible["keys"] is False
    shown = evaluate(CHECKLIST, answered(connected="yes"))
    assert shown.visible["switch_vendor"] and shown.visible["keys"]


def test_hidden_answers_count_for_nothing():
    answers = answered(connected="no", switch_vendor="Vendor", keys=["dq"])
    evaluation = evaluate(CHECKLIST, answers)
    assert "switch_vendor" not in evaluation.effective
    assert evaluation.progress.sections[0].total == 3


def test_progress_counts_required_visible_questions_answered_or_not_applicable():
    answers = answered(connected="yes", switch_vendor="V", keys=["dq"])
    answers["reason_required"] = AnswerFacts(None, AnswerState.NOT_APPLICABLE)
    answers["review_date"] = AnswerFacts("2025-01-01", AnswerState.CARRIED_UNCONFIRMED)
    evaluation = evaluate(CHECKLIST, answers)
    assert (evaluation.progress.done, evaluation.progress.total) == (4, 6)
    # a carried answer is not done, and waits in one list only: confirmation
    assert evaluation.unanswered == ["agencies"]
    assert evaluation.unconfirmed == ["review_date"]


def test_findings_fire_from_table_rows_and_compound_conditions():
    blocked = [{"agency": "ice", "blocked": "yes"}, {"agency": "cbp", "blocked": "yes"}]
    quiet = evaluate(CHECKLIST, answered(connected="no", reason_required="always",
                                         agencies=blocked))
    assert quiet.findings == []
    open_cbp = [{"agency": "ice", "blocked": "yes"}, {"agency": "cbp", "blocked": "unknown"}]
    loud = evaluate(CHECKLIST, answered(connected="yes", reason_required="never",
                                        agencies=open_cbp))
    assert [f.rule_id for f in loud.findings] == ["agency-not-blocked", "no-reason"]
    assert loud.findings[0].questions == ["agencies"]
    assert loud.findings[0].concerns == ["cbp"]
    assert loud.findings[0].rows == {"agencies": [1]}


def test_other_rows_do_not_trigger_agency_rule():
    rows = [{"agency": "other", "blocked": "no"}]
    evaluation = evaluate(CHECKLIST, answered(connected="no", agencies=rows))
    assert "agency-not-blocked" not in [f.rule_id for f in evaluation.findings]


def test_conditions_describe_themselves():
    assert describe(CHECKLIST.question("keys").visible_if) == "connected is yes"
    rule = CHECKLIST.findings[0].when
    assert describe(rule) == ("agencies has some row where agency is one of ice, cbp and "
                              "blocked is not yes")


def test_answering_never_lowers_the_answered_count_and_says_what_it_revealed():
    """Follow-ups enlarge what is to do, so the percentage falls as one answers; the
    counts do not mislead: answered only grows, and the growth of to do is the follow-ups
    the answer revealed."""
    earlier = dict(reason_required="always", review_date="2025-01-01", agencies=[])
    before = evaluate(CHECKLIST, answered(**earlier))
    after = evaluate(CHECKLIST, answered(connected="yes", **earlier))
    assert after.progress.percent < before.progress.percent  # 75 % -> 67 %: the trap
    assert (before.progress.done, after.progress.done) == (3, 4)
    assert (before.progress.to_do, after.progress.to_do) == (1, 2)
    assert newly_revealed(CHECKLIST, before, after) == ["switch_vendor", "keys"]
    # once answered, a revealed follow-up is no longer new work
    later = evaluate(CHECKLIST, answered(connected="yes", switch_vendor="V", **earlier))
    assert newly_revealed(CHECKLIST, before, later) == ["keys"]
    assert later.progress.done == 5
    # answers that hide questions reveal nothing
    hidden = evaluate(CHECKLIST, answered(connected="no", **earlier))
    assert newly_revealed(CHECKLIST, after, hidden) == []
