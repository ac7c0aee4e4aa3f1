"""The home screen: the audit list and its empty state."""

from __future__ import annotations

from textual.widgets import DataTable

from app.audit import AuditService
from app.checklist import LoadedChecklist
from app.tui.app import AuditApp
from app.tui.screens.home import HomeScreen
from tests.conftest import run_sql


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
        rows = {str(key.value): dict(zip([str(c.value) for c in table.columns],
                                         [str(c) for c in table.get_row(key)], strict=True))
                for key in table.rows}
        # at 120 columns the title has 40 of them: the update time and checklist give way
        assert rows[first.id] == {
            "id": first.id[:8], "title": "Washington — Sample data-sharing checkl…",
            "state": "WA", "period": "2024", "status": "draft",
            "progress": "1 done · 3 to do", "findings": "0"}
        assert rows[second.id]["state"] == "OR" and rows[second.id]["title"] == "Oregon FY24"
        assert rows[second.id]["period"] == "2023-07-01 – 2024-06-30"  # not a calendar year
        # the most recently changed audit comes first; its details show below the table
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


async def test_the_title_takes_the_width_left_and_is_cut_when_narrow(
        service: AuditService, sample: LoadedChecklist, db_url: str) -> None:
    audit = service.create_audit(sample, jurisdiction="WA", period_start="2024-01-01",
                                 period_end="2024-12-31")
    # stored behind the tool's back (input refuses control characters)
    run_sql(db_url, "UPDATE audit SET title = :title WHERE id = :id", id=audit.id,
            title="Washington \x1b]0;pwned\x07 DMV records and Nlets access, calendar 2024")
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#audits", DataTable)
        wide = {str(c.key.value): c.width for c in table.columns.values()}
        title = table.get_cell(audit.id, "title").plain
        assert "\x1b" not in title and "\\u001b]0;pwned\\u0007" in title  # escaped
        # every column fits: the title takes the rest, to the table's edge
        assert sum(w + 2 for w in wide.values()) == 120
        assert list(wide) == ["id", "title", "state", "period", "status", "progress",
                              "findings", "checklist"]
        assert wide["title"] >= 30
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        narrow = {str(c.key.value): c.width for c in table.columns.values()}
        assert list(narrow) == ["id", "title", "period", "status", "progress", "findings"]
        assert narrow["title"] >= 20 and sum(w + 2 for w in narrow.values()) == 80
        cut = table.get_cell(audit.id, "title").plain
        assert cut.endswith("…") and len(cut) == narrow["title"]
        assert title.startswith(cut[:-1])
        assert table.get_cell(audit.id, "progress").plain == "0 done · 4 to do"


async def test_the_list_is_filled_once_at_start(service: AuditService, sample: LoadedChecklist,
                                               monkeypatch) -> None:
    # the screen is shown, then sized: a list already laid out for that width is kept
    for state in ("WA", "OR"):
        service.create_audit(sample, jurisdiction=state, period_start="2024-01-01",
                             period_end="2024-12-31")
    fills: list[int] = []
    fill = HomeScreen._fill

    def counted(screen: HomeScreen, width: int) -> None:
        fills.append(width)
        fill(screen, width)

    monkeypatch.setattr(HomeScreen, "_fill", counted)
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#audits", DataTable).row_count == 2
        assert fills == [120]
        await pilot.resize_terminal(100, 40)
        await pilot.pause()
        assert fills == [120, 100]
