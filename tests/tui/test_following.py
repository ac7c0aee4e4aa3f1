"""The audit screen follows the database: changes made through another connection appear
on the open cards, and a stale save asks whether to keep theirs or use mine."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.widgets import DataTable, Input, TextArea

from app.audit import AuditInfo, AuditService, open_store
from app.tui.app import AuditApp
from app.tui.dialogs.conflict import ConflictDialog
from app.tui.saving import FOLLOW_SECONDS
from app.tui.screens.home import HomeScreen

from .helpers import SETTLE, focus, open_first_audit, opened, type_text


@pytest.fixture
def colleague(db_url: str, service: AuditService, audit: AuditInfo) -> Iterator[AuditService]:
    """Someone else working on the same database through a connection of their own; the
    audit is connected, so the switch vendor question is asked."""
    service.set_answer(audit.id, "connected", "yes")
    other = AuditService(open_store(db_url), actor="colleague")
    yield other
    other.store.close()


async def test_a_change_made_elsewhere_appears_on_the_open_card(service: AuditService,
                                                                audit: AuditInfo,
                                                                colleague: AuditService):
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_first_audit(pilot)
        before = screen.sub_title
        vendor = await opened(pilot, "switch_vendor")
        colleague.set_answer(audit.id, "switch_vendor", "Their Switch Co", note="from CJIS")
        await pilot.pause(FOLLOW_SECONDS + 1)  # the screen looks by itself
        assert vendor.answer is not None and vendor.answer.value == "Their Switch Co"
        assert vendor.query_one(".editor Input", Input).value == "Their Switch Co"
        assert vendor.query_one(".q-note", TextArea).text == "from CJIS"
        assert "by colleague" in vendor.query_one(".q-status").render().plain
        assert screen.sub_title != before  # the progress follows too
        assert any("colleague changed" in n.message for n in app._notifications)


async def test_a_card_with_unsaved_typing_keeps_it(service, audit, colleague, monkeypatch):
    monkeypatch.setattr("app.tui.screens.audit.FOLLOW_SECONDS", 3600.0)
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_first_audit(pilot)
        vendor = await opened(pilot, "switch_vendor")
        await focus(pilot, vendor.query_one(".editor Input", Input))
        await type_text(pilot, "Mine")
        colleague.set_answer(audit.id, "switch_vendor", "Theirs")
        assert screen.follow_database() == ["switch_vendor"]
        assert vendor.query_one(".editor Input", Input).value == "Mine"


@pytest.mark.parametrize(("choice", "kept"), [("theirs", "Theirs"), ("mine", "Mine")])
async def test_a_stale_save_asks_keep_theirs_or_use_mine(service, audit, colleague,
                                                         monkeypatch, choice, kept):
    monkeypatch.setattr("app.tui.screens.audit.FOLLOW_SECONDS", 3600.0)
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first_audit(pilot)
        vendor = await opened(pilot, "switch_vendor")
        colleague.set_answer(audit.id, "switch_vendor", "Theirs")  # the card still shows none
        await focus(pilot, vendor.query_one(".editor Input", Input))
        await type_text(pilot, "Mine")
        await pilot.pause(SETTLE)
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConflictDialog)
        text = " ".join(s.render().plain for s in dialog.query(".confirm-body"))
        assert "colleague changed this answer" in text
        assert "Theirs: Theirs" in text and "Yours:  Mine" in text
        assert service.view(audit.id).answers["switch_vendor"].value == "Theirs"
        await pilot.click(f"#{choice}")
        await pilot.pause()
        assert service.view(audit.id).answers["switch_vendor"].value == kept
        assert vendor.query_one(".editor Input", Input).value == kept
        assert not vendor.refused
        assert service.verify_history(audit.id).ok


async def test_the_audit_list_follows_changes_made_elsewhere(service, audit, colleague,
                                                           monkeypatch):
    monkeypatch.setattr("app.tui.screens.home.FOLLOW_SECONDS", 3600.0)
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        progress = home.query_one("#audits", DataTable).get_cell(audit.id, "progress").plain
        assert home.follow_database() is False  # nothing changed: nothing read again
        colleague.set_answer(audit.id, "switch_vendor", "Their Switch Co")
        assert home.follow_database() is True
        after = home.query_one("#audits", DataTable).get_cell(audit.id, "progress").plain
        assert after != progress and service.list_audits()[0].done == int(
            after.split(" done")[0])


async def test_clearing_an_answer_changed_elsewhere_is_refused(service, audit, colleague,
                                                              monkeypatch):
    monkeypatch.setattr("app.tui.screens.audit.FOLLOW_SECONDS", 3600.0)
    service.set_answer(audit.id, "switch_vendor", "Old")
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first_audit(pilot)
        vendor = await opened(pilot, "switch_vendor")
        colleague.set_answer(audit.id, "switch_vendor", "Theirs")
        vendor.clear()
        await pilot.pause()
        status = vendor.query_one(".q-status").render().plain
        assert status.startswith("Not cleared: colleague changed the answer")
        assert service.view(audit.id).answers["switch_vendor"].value == "Theirs"
