"""At 80 columns the footer keeps the keys that fit, never cutting one in half, and F1,
which lists them all, is always among them; each section name in the sidebar takes one
line (cut with … ), never wrapping under its marker."""

from __future__ import annotations

from pathlib import Path

from textual.widgets._footer import FooterKey

from app.audit import AuditInfo, AuditService
from app.checklist import load_checklist
from app.tui.app import AuditApp

from .helpers import settle


def _shown(app: AuditApp) -> list[FooterKey]:
    return [key for key in app.screen.query(FooterKey) if key.display]


async def test_the_footer_keeps_f1_and_whole_keys_at_80_columns(service: AuditService,
                                                                 audit: AuditInfo) -> None:
    app = AuditApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for screen_name in ("home", "audit"):
            if screen_name == "audit":
                await pilot.press("enter")
                await settle(pilot)
            shown = _shown(app)
            assert "f1" in [key.key for key in shown], screen_name
            for key in shown:  # each key drawn whole, inside the screen
                assert key.region.right <= 80 and key.region.width >= len(key.description)
            hidden = [key for key in app.screen.query(FooterKey) if not key.display]
            if screen_name == "home":
                assert hidden  # ten keys do not fit in 80 columns
    async with AuditApp(service).run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        assert all(key.display for key in pilot.app.screen.query(FooterKey))


FLAGSHIP = Path(__file__).resolve().parents[2] / "checklists" / "nlets-dmv-data-sharing.yaml"


async def test_each_section_name_takes_one_line_at_80_columns(service: AuditService) -> None:
    checklist = load_checklist(FLAGSHIP)
    service.create_audit(checklist, jurisdiction="WA", period_start="2025-01-01",
                         period_end="2025-12-31")
    app = AuditApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        sections = app.screen.query_one("#sections")
        count = len(checklist.checklist.sections)
        assert sections.size.width < 30
        assert any(len(s.title) > sections.size.width for s in checklist.checklist.sections)
        # two lines per section: its name, then its counts and marks
        assert sections.virtual_size.height == 2 * count
