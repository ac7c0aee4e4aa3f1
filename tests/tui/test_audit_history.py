"""The history of the whole audit (F9 in an audit, h in the list): every change newest first,
a filter by typing, Enter to the event's question, the chain check at the top, and a long
history read a page at a time."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from sqlalchemy import insert, select
from textual.widgets import DataTable, Input

from app.audit import HISTORY_PAGE, AuditInfo, AuditService
from app.audit.history import canonical_json, event_hash
from app.store import open_store
from app.store.tables import AnswerRow, AuditRow, HistoryEventRow
from app.tui.app import AuditApp
from app.tui.screens.audit import AuditScreen
from app.tui.screens.audit_history import AuditHistoryScreen
from app.tui.screens.home import HomeScreen
from tests.conftest import run_sql

from .helpers import open_first_audit, settle, text_of, type_text


@pytest.fixture
def worked(service: AuditService, audit: AuditInfo, db_url: str) -> AuditInfo:
    """An audit answered by the auditor and a colleague, with a reason and evidence."""
    service.set_answer(audit.id, "connected", "yes")
    service.set_answer(audit.id, "switch_vendor", "Orion Switch Co")
    service.set_note(audit.id, "switch_vendor", "on site")
    store = open_store(db_url)
    try:
        AuditService(store, actor="kim.lee").set_answer(
            audit.id, "agencies", [{"agency": "ice", "blocked": "yes", "since": "2024-11-19"}],
            reason="the block order was found")
    finally:
        store.close()
    service.set_answer(audit.id, "connected", "unknown", reason="the ACL export was incomplete")
    service.add_evidence_content(audit.id, "review_date", "minutes.txt", b"minutes")
    return audit


def _rows(screen: AuditHistoryScreen) -> list[dict[str, str]]:
    table = screen.query_one("#history-events", DataTable)
    keys = [str(c.value) for c in table.columns]
    return [dict(zip(keys, [cell.plain for cell in table.get_row_at(i)], strict=True))
            for i in range(table.row_count)]


def _chain(screen: AuditHistoryScreen) -> str:
    return text_of(screen.query_one("#history-chain"))


async def _open_history(pilot) -> AuditHistoryScreen:
    await pilot.press("f9")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, AuditHistoryScreen)
    return screen


async def test_f9_lists_every_change_newest_first_with_a_valid_chain(
        service: AuditService, worked: AuditInfo) -> None:
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first_audit(pilot)
        screen = await _open_history(pilot)
        rows = _rows(screen)
        history = service.history(worked.id)
        assert len(rows) == len(history) == 7
        assert [r["what"] for r in rows] == [
            "evidence attached", "answered", "answered", "note changed", "answered",
            "answered", "audit created"]
        # the question by its prompt, not its id; who; old → new in short; why
        newest_answer = rows[1]
        assert newest_answer["question"].startswith("Is the state connect")
        assert newest_answer["question"] != "connected"
        assert newest_answer["change"] == "Yes → Unknown"
        assert "the ACL export was incomplete".startswith(newest_answer["why"].rstrip("…"))
        assert rows[2]["who"] == "kim.lee" and rows[2]["question"].startswith("Agencies")
        assert rows[3]["change"] == "note — → on site"
        assert rows[-1]["question"] == "the audit"
        assert not any("switch_vendor" in r["question"] for r in rows)
        table = screen.query_one("#history-events", DataTable)
        table.move_cursor(row=1)
        await pilot.pause()
        assert text_of(screen.query_one("#history-detail")).split("\n")[1:] == [
            "Is the state connected to the network?", "Yes → Unknown",
            "why: the ACL export was incomplete"]
        # the same check as `history verify`: valid, with the count and the head
        report = service.verify_history(worked.id)
        assert report.ok
        chain = _chain(screen)
        assert chain.startswith(f"VALID chain: 7 events · head {report.head}")
        assert screen.query_one("#history-chain").has_class("chain-valid")
        assert "7 events, newest first" in text_of(screen.query_one("#history-count"))
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, AuditScreen)


async def test_typing_filters_by_question_words_actor_and_kind(
        service: AuditService, worked: AuditInfo) -> None:
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first_audit(pilot)
        screen = await _open_history(pilot)
        assert screen.focused is screen.query_one("#history-events")
        await type_text(pilot, "connected")  # typed in the list: it goes to the filter
        await pilot.pause(0.4)
        await settle(pilot)
        assert screen.query_one("#history-filter", Input).value == "connected"
        rows = _rows(screen)
        assert [r["change"] for r in rows] == ["Yes → Unknown", "— → Yes"]
        assert "2 events match “connected”" in text_of(screen.query_one("#history-count"))
        field = screen.query_one("#history-filter", Input)
        field.value = "kim"
        await pilot.pause(0.4)
        assert [r["who"] for r in _rows(screen)] == ["kim.lee"]
        field.value = "evidence"
        await pilot.pause(0.4)
        assert [r["what"] for r in _rows(screen)] == ["evidence attached"]
        field.value = "note SWITCH"  # every word: the note of the switch question
        await pilot.pause(0.4)
        assert [r["what"] for r in _rows(screen)] == ["note changed"]
        field.value = "no such words"
        await pilot.pause(0.4)
        assert _rows(screen) == []
        assert "No event matches" in text_of(screen.query_one("#history-count"))
        field.value = ""
        await pilot.pause(0.4)
        assert len(_rows(screen)) == 7


async def test_enter_on_an_event_goes_to_its_question_card(
        service: AuditService, worked: AuditInfo) -> None:
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        audit_screen = await open_first_audit(pilot)
        assert audit_screen.section_index == 0
        screen = await _open_history(pilot)
        table = screen.query_one("#history-events", DataTable)
        table.move_cursor(row=2)  # kim's answer to the agencies table, in section 2
        await pilot.pause()
        assert "Agencies and their access" in text_of(screen.query_one("#history-detail"))
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is audit_screen
        assert audit_screen.section_index == 1
        assert audit_screen.current_question == "agencies"
        card = audit_screen.card("agencies")
        assert card is not None and card.has_focus_within
        # an event about the audit as a whole goes nowhere, and says so
        screen = await _open_history(pilot)
        screen.query_one("#history-events", DataTable).move_cursor(row=6)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen


async def test_h_in_the_list_opens_the_history_and_enter_opens_the_audit_there(
        service: AuditService, worked: AuditInfo) -> None:
    app = AuditApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("h")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AuditHistoryScreen)
        assert len(_rows(screen)) == 7 and _chain(screen).startswith("VALID chain: 7 events")
        screen.query_one("#history-events", DataTable).move_cursor(row=2)
        await pilot.press("enter")
        await settle(pilot)
        audit_screen = app.screen
        assert isinstance(audit_screen, AuditScreen)
        assert audit_screen.current_question == "agencies"


@pytest.mark.parametrize("tamper", [
    "UPDATE history_event SET actor = 'mallory' WHERE audit_id = :id AND seq = 2",
    "UPDATE answer SET value_json = '\"no\"' WHERE audit_id = :id AND question_id = "
    "'connected'",
    "DELETE FROM history_event WHERE audit_id = :id AND seq = 7",
    "UPDATE history_event SET kind = 'answer_erased' WHERE audit_id = :id AND seq = 3",
], ids=["event-rewritten", "answer-changed", "event-removed", "unknown-kind"])
async def test_a_tampered_database_shows_the_problem_not_valid(
        service: AuditService, worked: AuditInfo, db_url: str, tamper: str) -> None:
    run_sql(db_url, tamper, id=worked.id)
    problems = service.verify_history(worked.id).problems
    assert problems
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first_audit(pilot)
        screen = await _open_history(pilot)
        chain = _chain(screen)
        assert chain.startswith("NOT VALID: the history does not match the audit")
        assert "VALID chain" not in chain
        assert problems[0][:60] in chain
        assert screen.query_one("#history-chain").has_class("chain-broken")
        assert not screen.query_one("#history-chain").has_class("chain-valid")


async def test_stored_text_is_shown_escaped(service: AuditService, worked: AuditInfo,
                                            db_url: str) -> None:
    run_sql(db_url, "UPDATE history_event SET reason = :reason, actor = :actor "
            "WHERE audit_id = :id AND seq = 6", id=worked.id,
            reason="\x1b]52;c;cGF5bG9hZA==\x07 cleared", actor="eve\u202e")
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first_audit(pilot)
        screen = await _open_history(pilot)
        row = _rows(screen)[1]
        assert row["why"].startswith("\\u001b") and "\x1b" not in row["why"]
        assert row["who"] == "eve\\u202e"
        screen.query_one("#history-events", DataTable).move_cursor(row=1)
        await pilot.pause()
        detail = text_of(screen.query_one("#history-detail"))
        assert "why: \\u001b]52;c;cGF5bG9hZA==\\u0007 cleared" in detail
        assert "\x1b" not in detail and "\u202e" not in detail and "eve\\u202e" in detail
        assert _chain(screen).startswith("NOT VALID")  # the rewrite is caught as well


def _append_note_events(service: AuditService, audit_id: str, count: int) -> None:
    """`count` more note changes of switch_vendor, chained as the service chains them,
    written in bulk (plain rows: building 100,000 models would take most of the test)."""
    with service.store.session() as session:
        audit = session.get(AuditRow, audit_id)
        answer = session.exec(select(AnswerRow).where(
            AnswerRow.audit_id == audit_id, AnswerRow.question_id == "switch_vendor")).one()[0]
        old = {"value": json.loads(answer.value_json), "note": answer.note,
               "state": answer.state, "na_reason": answer.na_reason}
        seq, previous, at = audit.history_length, audit.history_head, audit.updated_at
        batch: list[dict[str, object]] = []
        for index in range(count):
            seq += 1
            new = {**old, "note": f"checked again, round {index}"}
            row = SimpleNamespace(audit_id=audit_id, seq=seq, at=at, actor="tester",
                                  kind="note_set", question_id="switch_vendor",
                                  old_json=canonical_json(old), new_json=canonical_json(new),
                                  reason=None, prev_hash=previous)
            row.hash = previous = event_hash(row)  # type: ignore[arg-type]
            old = new
            batch.append(vars(row))
            if len(batch) == 10_000:
                session.execute(insert(HistoryEventRow.__table__), batch)
                batch = []
        if batch:
            session.execute(insert(HistoryEventRow.__table__), batch)
        answer.note, answer.updated_by, answer.updated_at = old["note"], "tester", at
        session.add(answer)
        audit.history_head, audit.history_length = previous, seq
        session.add(audit)


async def test_a_100k_event_history_opens_reading_one_page(
        service: AuditService, worked: AuditInfo, monkeypatch: pytest.MonkeyPatch) -> None:
    _append_note_events(service, worked.id, 100_000)
    total = 100_007
    read: list[tuple[int | None, int]] = []
    page_of = service.history_page

    def counted(*args, **kwargs):
        page = page_of(*args, **kwargs)
        read.append((kwargs.get("before"), len(page.events)))
        return page

    monkeypatch.setattr(service, "history_page", counted)
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first_audit(pilot)
        screen = await _open_history(pilot)
        table = screen.query_one("#history-events", DataTable)
        # one page of the newest events is read, not the history
        assert read == [(None, HISTORY_PAGE)]
        assert table.row_count == len(screen.loaded) == HISTORY_PAGE == 200
        assert screen.loaded[0].new["note"] == "checked again, round 99999"
        assert f"{total:,} events, newest first; more are read" in text_of(
            screen.query_one("#history-count"))
        # moving down to the end of what is read reads the next page, and only it
        await pilot.press("ctrl+end")
        await pilot.pause()
        assert read == [(None, 200), (total - 199, 200)]
        assert table.row_count == 400 and screen.pages == 2
        seqs = [e.seq for e in screen.loaded]
        assert seqs == list(range(total, total - 400, -1))
        # the chain check streams every event, in the background
        await settle(pilot)
        assert _chain(screen).startswith(f"VALID chain: {total:,} events")
