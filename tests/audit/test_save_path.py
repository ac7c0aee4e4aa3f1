"""What one save costs: one transaction, the saved question's visibility alone, no scan of
the history by view(), and a view brought up to date without reading the audit again."""

from __future__ import annotations

import pytest
from sqlalchemy import event

import app.checklist.evaluate as evaluate_module
from app.audit import AuditService
from app.errors import UserFacingError


def test_a_save_is_one_transaction_and_never_evaluates_the_whole_checklist(
        monkeypatch, service: AuditService, audit_id: str):
    service.set_answer(audit_id, "connected", "yes")

    def whole(*_args, **_kwargs):
        raise AssertionError("the whole checklist was evaluated to save one answer")

    monkeypatch.setattr(evaluate_module, "evaluate", whole)  # the services import it on use
    sessions = []
    for name in ("session", "transaction"):  # an ORM session or a Core transaction
        original = getattr(type(service.store), name)

        def counted(store, original=original):
            sessions.append(1)
            return original(store)

        monkeypatch.setattr(type(service.store), name, counted)
    saved = service.set_answer(audit_id[:10], "switch_vendor", "WSP ACCESS")
    assert saved.value == "WSP ACCESS"
    assert len(sessions) == 1
    service.set_answer(audit_id, "connected", "no")
    with pytest.raises(UserFacingError, match="does not apply"):
        service.set_answer(audit_id, "switch_vendor", "Another")  # hidden: not connected


def test_view_reads_no_history_event_of_a_draft_that_was_not_carried_forward(
        service: AuditService, audit_id: str):
    for index in range(30):
        service.set_answer(audit_id, "switch_vendor" if index % 2 else "connected",
                           f"Vendor {index}" if index % 2 else "yes")
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    engine = service.store.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        service.view(audit_id)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert not [s for s in statements if "history_event" in s], statements


def test_view_with_a_saved_answer_is_the_view_read_again(service: AuditService,
                                                         audit_id: str):
    service.set_answer(audit_id, "connected", "yes")
    before = service.view(audit_id)
    for question_id, value in (("switch_vendor", "WSP ACCESS"), ("connected", "no"),
                               ("reason_required", "always")):
        saved = service.set_answer(audit_id, question_id, value)
        before = service.view_with(before, saved)
        again = service.view(audit_id)
        assert before.answers == again.answers
        assert before.evaluation == again.evaluation


def test_a_saved_value_is_its_own_copy_not_the_callers(service: AuditService, audit_id: str):
    service.set_answer(audit_id, "connected", "yes")
    keys = ["dq", "kq"]
    rows = [{"agency": "ice", "blocked": "yes", "queries": 3}]
    saved_keys = service.set_answer(audit_id, "keys", keys)
    saved_rows = service.set_answer(audit_id, "agencies", rows)
    keys.append("rq")  # an editor goes on changing what it handed over
    rows[0]["blocked"] = "no"
    rows.append({"agency": "cbp", "blocked": "no"})
    assert saved_keys.value == ["dq", "kq"]
    assert saved_rows.value == [{"agency": "ice", "blocked": "yes", "queries": 3}]
    stored = service.view(audit_id).answers
    assert stored["keys"].value == ["dq", "kq"] and stored["agencies"].value == saved_rows.value
