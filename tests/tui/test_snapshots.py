"""Snapshots of every screen and dialog at 80x24 and 120x40 (pytest-textual-snapshot).

Ids, timestamps, the clock and default folders are fixed so that the pictures do not
change from run to run. Update with `--snapshot-update` only after looking at the report.
"""

from __future__ import annotations

import itertools
import time
import types
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, TextArea

from app.audit import AuditService
from app.checklist import LoadedChecklist, load_checklist
from app.tui.app import AuditApp
from app.tui.screens.audit import AuditScreen

from .helpers import SAMPLE_V2, settle

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]

COMPLETE = {
    "connected": "yes", "switch_vendor": "Washington State Patrol ACCESS",
    "keys": ["dq", "rq"], "reason_required": "never", "review_date": "2024-06-30",
    "query_count": 1200, "description": "Through the state message switch.",
    "agencies": [{"agency": "ice", "blocked": "yes", "since": "2024-11-19",
                  "method": "switch ACL"},
                 {"agency": "cbp", "blocked": "no"}],
}


CLOCK_READERS = ("app.audit.service", "app.audit.answers", "app.audit.saving",
                 "app.audit.evidence", "app.audit.attest")
"""The modules that read the clock (each imported `utc_now` by name)."""


@pytest.fixture
def fixed_world(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sequential audit ids, a clock that ticks one second per read, UTC, fixed folders.

    Cursors stop blinking: a picture taken half a second later must not differ.
    """
    monkeypatch.setattr(Input, "_toggle_cursor", lambda _self: None)
    monkeypatch.setattr(TextArea, "_toggle_cursor_blink_visible", lambda _self: None)
    counter = itertools.count(1)
    monkeypatch.setattr("app.audit.service.uuid", types.SimpleNamespace(
        uuid4=lambda: uuid.UUID(f"{next(counter):04x}a0d1" + "7" * 24)))
    seconds = itertools.count()

    def tick() -> str:
        second = next(seconds)
        return f"2025-03-01T10:{second // 60 % 60:02d}:{second % 60:02d}.000000Z"

    for module in CLOCK_READERS:
        monkeypatch.setattr(f"{module}.utc_now", tick)
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.setattr("app.tui.widgets.question.clock_now", lambda: "10:30:00")
    exports = Path("/home/auditor/exports")
    monkeypatch.setattr("app.tui.dialogs.export.default_folder", lambda _remembered: exports)
    monkeypatch.setattr("app.tui.dialogs.sign.default_folder", lambda _remembered: exports)
    yield
    monkeypatch.delenv("TZ")
    time.tzset()


@pytest.fixture
def audits(fixed_world: None, service: AuditService, sample: LoadedChecklist
           ) -> tuple[str, str]:
    """Last year's complete audit, and this year's draft carried forward from it (v2)."""
    previous = service.create_audit(sample, jurisdiction="WA", period_start="2024-01-01",
                                    period_end="2024-12-31", auditor="Jane Roe, Senior Auditor")
    service.import_answers(previous.id, COMPLETE)
    current = service.create_audit(load_checklist(SAMPLE_V2), jurisdiction="WA",
                                   period_start="2025-01-01", period_end="2025-12-31",
                                   auditor="Jane Roe, Senior Auditor", based_on=previous.id)
    service.confirm(current.id, ["connected"])
    return previous.id, current.id


def steps(*actions: str | Callable[[Pilot], Awaitable[None]]
          ) -> Callable[[Pilot], Awaitable[None]]:
    """A `run_before` that presses keys (strings) and runs coroutines, settling after each."""
    async def run(pilot: Pilot) -> None:
        await settle(pilot)
        for action in actions:
            if isinstance(action, str):
                await pilot.press(*action.split())
            else:
                await action(pilot)
            await settle(pilot)
        await pilot.pause(0.2)
    return run


def row(index: int) -> Callable[[Pilot], Awaitable[None]]:
    """Move the home screen's cursor to row `index`."""
    async def move(pilot: Pilot) -> None:
        pilot.app.screen.query_one(DataTable).move_cursor(row=index)
    return move


def focus_question(question_id: str) -> Callable[[Pilot], Awaitable[None]]:
    """Put the focus in a question of the open section."""
    async def go(pilot: Pilot) -> None:
        screen = pilot.app.screen
        assert isinstance(screen, AuditScreen)
        screen.jump_to(question_id)
    return go


def fill(**values: str) -> Callable[[Pilot], Awaitable[None]]:
    """Set Input values on the current screen by id."""
    async def set_values(pilot: Pilot) -> None:
        for field_id, value in values.items():
            pilot.app.screen.query_one(f"#{field_id.replace('_', '-')}", Input).value = value
    return set_values


def attach(question_id: str, name: str, content: bytes) -> Callable[[Pilot], Awaitable[None]]:
    """Attach an evidence file to a question of the open audit, and show it."""
    async def add(pilot: Pilot) -> None:
        screen = pilot.app.screen
        assert isinstance(screen, AuditScreen)
        screen.service.add_evidence_content(screen.audit_id, question_id, name, content)
        screen.reload()
        screen.show_view()
    return add


def withdraw(name: str, reason: str) -> Callable[[Pilot], Awaitable[None]]:
    """Withdraw an evidence file of the open audit by its name, and show it withdrawn."""
    async def remove(pilot: Pilot) -> None:
        screen = pilot.app.screen
        assert isinstance(screen, AuditScreen)
        item = next(e for e in screen.view.evidence if e.name == name)
        screen.service.withdraw_evidence(screen.audit_id, item.sha256, reason)
        screen.reload()
        screen.show_view()
    return remove


def answer(question_id: str, value: str, reason: str) -> Callable[[Pilot], Awaitable[None]]:
    """Change an answer of the open audit through the service, and show the screen again."""
    async def change(pilot: Pilot) -> None:
        screen = pilot.app.screen
        assert isinstance(screen, AuditScreen)
        screen.service.set_answer(screen.audit_id, question_id, value, reason=reason)
        screen.reload()
        screen.show_view()
    return change


HISTORY_STEPS = (focus_question("connected"),
                 answer("connected", "unknown", "the switch ACL export was incomplete"))
MINUTES = b"ORION review, 30 June 2024\nPresent: J. Roe (auditor), WSP ACCESS staff\n" * 3
EVIDENCE_STEPS = (focus_question("review_date"),
                  attach("review_date", "wrong-driver-record.pdf", b"%PDF-1.4 personal data"),
                  withdraw("wrong-driver-record.pdf", "attached by mistake: a driver's record"),
                  attach("review_date", "review-minutes.txt", MINUTES))

CASES: dict[str, Callable[[Pilot], Awaitable[None]]] = {
    "home": steps(),
    "audit_carried": steps("enter"),
    "audit_table": steps(row(1), "enter", "ctrl+n"),
    "review": steps("enter", "ctrl+r"),
    "diff": steps("enter", "ctrl+b"),
    "new_audit": steps("n"),
    "new_from_previous": steps(row(1), "f", "enter"),
    "sign_blocked": steps("s"),
    "sign_ready": steps(row(1), "s"),
    "export": steps("x"),
    "delete_confirm": steps("delete"),
    "evidence": steps("enter", focus_question("review_date"), "f3"),
    "not_applicable": steps("enter", focus_question("review_date"), "f4"),
    "table_row": steps(row(1), "enter", "ctrl+n", "e"),
    "table_import": steps(row(1), "enter", "ctrl+n", "i"),
    "keys_help": steps("f1"),
    "question_help": steps("enter", focus_question("keys"), "f2"),
    "audit_todo_only": steps("enter", "f8"),
    "question_search": steps("enter", "ctrl+p", "n e t w o r k"),
    "history": steps("enter", *HISTORY_STEPS, "f6"),
    "history_restore": steps("enter", *HISTORY_STEPS, "f6", "down ctrl+s"),
    "evidence_card": steps("enter", *EVIDENCE_STEPS),
    "evidence_files": steps("enter", *EVIDENCE_STEPS, "f7"),
    "evidence_withdraw": steps("enter", *EVIDENCE_STEPS, "f7", "delete"),
    "evidence_text": steps("enter", *EVIDENCE_STEPS, "f7", "enter"),
    "audit_history": steps("enter", *HISTORY_STEPS, "f9", "down"),
    "audit_history_filter": steps("h", "c a r r i e d"),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("case", list(CASES))
def test_screens(case: str, size: tuple[int, int], audits: tuple[str, str],
                 service: AuditService, snap_compare) -> None:
    assert snap_compare(AuditApp(service), terminal_size=size, run_before=CASES[case])


@pytest.mark.parametrize("size", SIZES)
def test_signed_read_only(size: tuple[int, int], audits: tuple[str, str],
                          service: AuditService, snap_compare) -> None:
    from sqlalchemy import text

    previous, _current = audits
    with service.store.engine.begin() as connection:
        connection.execute(text(
            "UPDATE audit SET status='signed', signed_by='Jane Roe', "
            "signed_at='2025-03-02T09:00:00.000000Z' WHERE id=:id"), {"id": previous})
    assert snap_compare(AuditApp(service), terminal_size=size,
                        run_before=steps(row(1), "enter"))
