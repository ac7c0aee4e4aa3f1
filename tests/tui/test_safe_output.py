"""Text stored with escape sequences never reaches the terminal raw through the interface:
the home list and the audit screen draw no ESC, C1 or bidi control, and answer values
show them as visible escapes."""

from __future__ import annotations

import json
import sqlite3

from app.audit import AuditService
from app.checklist import LoadedChecklist
from app.checklist.display import format_value
from app.tui.app import AuditApp

OSC_TITLE = "\x1b]0;owned\x07"
RAW = ("\x1b", "\x07", "\x9b", "\u202e")


async def test_stored_escapes_are_not_drawn(service: AuditService, sample: LoadedChecklist,
                                            db_url: str) -> None:
    audit = service.create_audit(sample, jurisdiction="WA", period_start="2024-01-01",
                                 period_end="2024-12-31")
    service.set_answer(audit.id, "connected", "yes")
    service.set_answer(audit.id, "switch_vendor", "Vendor")
    with sqlite3.connect(db_url.removeprefix("sqlite:///")) as con:
        con.execute("UPDATE audit SET title = ?, auditor = ?",
                    (f"Audit {OSC_TITLE} \u202eevil", "Eve \x9b2J"))
        con.execute("UPDATE answer SET value_json = ?, note = ? WHERE question_id = ?",
                    (json.dumps(f"Vendor {OSC_TITLE}"), "note \x1b[2J", "switch_vendor"))
    app = AuditApp(service)
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        home = app.export_screenshot()
        assert "Audit" in home
        await pilot.press("enter")
        await pilot.pause()
        audit_screen = app.export_screenshot()
    for drawn in (home, audit_screen):
        for raw in RAW:
            assert raw not in drawn


def test_answer_values_show_escapes(sample: LoadedChecklist) -> None:
    question = sample.checklist.question("switch_vendor")
    assert format_value(question, f"Vendor {OSC_TITLE}") == "Vendor \\u001b]0;owned\\u0007"
