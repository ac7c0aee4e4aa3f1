"""A save in the audit screen does not read the whole audit back: the service evaluates
the screen's view again with the saved answer, and the screen shows what it says."""

from __future__ import annotations

from textual.widgets import Input

from app.audit import AuditInfo, AuditService
from app.tui.app import AuditApp

from .helpers import focus, open_first_audit, opened, settle, type_text


async def test_saving_an_answer_reads_no_whole_view(service: AuditService,
                                                    audit: AuditInfo) -> None:
    service.set_answer(audit.id, "connected", "yes")
    app = AuditApp(service)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_first_audit(pilot)
        reads: list[str] = []
        original = service.view

        def counted(ref: str):
            reads.append(ref)
            return original(ref)

        service.view = counted  # type: ignore[method-assign]
        # Only the save's own reads are counted: the look for changes made elsewhere runs
        # on a timer, and on a slow machine it can fall between the save and its refresh.
        follow = [t for t in list(screen._timers) if t.name == "follow database"]
        assert len(follow) == 1
        follow[0].pause()
        await focus(pilot, (await opened(pilot, "switch_vendor")).query_one(Input))
        await type_text(pilot, "WSP")
        await pilot.press("enter")
        await settle(pilot)
        assert service.get_audit(audit.id) is not None
        assert original(audit.id).answers["switch_vendor"].value == "WSP"
        assert reads == [], "the whole audit was read back after a save"
        assert screen.view.answers["switch_vendor"].value == "WSP"
        assert screen.view.evaluation == original(audit.id).evaluation
