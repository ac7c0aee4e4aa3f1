"""The home screen: the audit list and its empty state."""

from __future__ import annotations

from textual.widgets import DataTable

from app.audit import AuditService
from app.checklist import LoadedChecklist
from app.tui.app import AuditApp
from app.tui.screens.home import HomeScreen


async def test_empty_state(service: AuditService) -> None:
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        empty = screen.query_one("#empty")
        assert empty.display
        assert "No audits yet" in str(empty.render())
        assert not screen.query_one("#audits").display


async def test_lists_audits(service: AuditService, sample: LoadedChecklist) -> None:
    first = service.create_audit(sample, jurisdiction="WA", period_start="2024-01-01",
                                 period_end="2024-12-31")
    second = service.create_audit(sample, jurisdiction="or", period_start="2023-07-01",
                                  period_end="2024-06-30", title="Oregon FY24")
    service.set_answer(first.id, "connected", "no")
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        table = screen.query_one("#audits", DataTable)
        assert table.display and not screen.query_one("#empty").display
        assert table.row_count == 2
        rows = {str(key.value): [str(c) for c in table.get_row(key)]
                for key in table.rows}
        assert rows[first.id][:6] == [first.id[:8], "WA", "2024-01-01 – 2024-12-31", "draft",
                                      "1 done · 3 to do", "0"]
        assert rows[second.id][1] == "OR"
        assert rows[second.id][6] == "sample@1"
        # the most recently changed audit comes first; its title shows below the table
        assert str(table.coordinate_to_cell_key((0, 0)).row_key.value) == first.id
        await pilot.press("down")
        await pilot.pause()
        assert "Oregon FY24" in str(screen.query_one("#audit-detail").render())


async def test_q_quits(service: AuditService) -> None:
    app = AuditApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0
