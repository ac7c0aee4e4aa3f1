"""The history a page at a time, newest first, filtered by words of the question, the
actor, the kind or the reason."""

from __future__ import annotations

import pytest

from app.audit import AuditService, EventKind
from app.errors import UserFacingError
from app.store import open_store

pytestmark = pytest.mark.both_engines


@pytest.fixture
def worked(service: AuditService, audit_id: str, db_url: str) -> str:
    """An audit answered by two people over 24 events."""
    service.set_answer(audit_id, "connected", "yes")
    service.set_answer(audit_id, "switch_vendor", "WSP ACCESS")
    for round_ in range(8):
        service.set_note(audit_id, "switch_vendor", f"checked again, round {round_}")
    store = open_store(db_url)
    try:
        colleague = AuditService(store, actor="kim.lee")
        colleague.set_answer(audit_id, "reason_required", "never",
                             reason="the 100% figure was wrong")
        for count in range(10):
            colleague.set_answer(audit_id, "query_count", count)
        colleague.set_answer(audit_id, "connected", "unknown", reason="ACL export incomplete")
    finally:
        store.close()
    service.set_not_applicable(audit_id, "description", "no connection to describe")
    return audit_id


def _all_pages(service: AuditService, audit_id: str, *, limit: int, text: str = ""):
    pages = [service.history_page(audit_id, limit=limit, text=text)]
    while pages[-1].next_before is not None:
        pages.append(service.history_page(audit_id, before=pages[-1].next_before,
                                          limit=limit, text=text))
    return pages


def test_pages_read_the_whole_history_newest_first_without_gaps(service, worked):
    everything = service.history(worked)
    assert len(everything) == 24
    pages = _all_pages(service, worked, limit=5)
    assert [len(p.events) for p in pages] == [5, 5, 5, 5, 4]
    assert [p.more for p in pages] == [True, True, True, True, False]
    seqs = [e.seq for p in pages for e in p.events]
    assert seqs == list(range(24, 0, -1))
    assert [e.hash for p in pages for e in p.events] == [e.hash for e in everything[::-1]]
    assert pages[0].matching == 24 and all(p.matching is None for p in pages[1:])
    first = service.history_page(worked, limit=200)
    assert len(first.events) == 24 and not first.more and first.next_before is None


def test_words_filter_by_question_actor_kind_and_reason(service, worked):
    def seqs(text: str) -> list[int]:
        return [e.seq for p in _all_pages(service, worked, limit=3, text=text)
                for e in p.events]

    everything = {e.seq: e for e in service.history(worked)}
    # words of a prompt ("Who operates the message switch?"), in any case
    switch = seqs("Operates SWITCH")
    assert switch and all(everything[s].question_id == "switch_vendor" for s in switch)
    assert len(switch) == 9
    # the actor (on PostgreSQL the database user is recorded, not the service's name)
    newest_first = sorted(everything, reverse=True)
    colleague = next(e.actor for e in everything.values() if e.question_id == "query_count")
    by_colleague = [s for s in newest_first if everything[s].actor == colleague]
    assert by_colleague and seqs(colleague) == by_colleague
    # and a question id
    assert len(seqs("query_count")) == 10
    # the kind in words, and words of a reason
    assert [everything[s].kind for s in seqs("not applicable")] == [EventKind.NOT_APPLICABLE]
    assert [everything[s].kind for s in seqs("note")] == [EventKind.NOTE_SET] * 8
    assert [everything[s].question_id for s in seqs("ACL")] == ["connected"]
    # every word must match: the colleague's changes of the connection only
    both = seqs(f"{colleague} connected")
    assert both == [s for s in by_colleague if everything[s].question_id == "connected"]
    assert both and len(both) < len(seqs("connected")) + len(by_colleague)
    # a LIKE wildcard typed is a plain character: "%" is in one reason only
    assert [everything[s].question_id for s in seqs("%")] == ["reason_required"]
    assert seqs("nothing-matches-this") == []
    page = service.history_page(worked, text=colleague)
    assert page.matching == len(page.events) == len(by_colleague)


def test_a_page_size_out_of_bounds_is_refused(service, worked):
    for limit in (0, -1, 2001):
        with pytest.raises(UserFacingError, match="a history page holds 1 to 2000"):
            service.history_page(worked, limit=limit)
