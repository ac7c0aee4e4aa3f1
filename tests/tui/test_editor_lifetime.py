"""No long-text editor outlives its card (Textual issue #6666: a TextArea's watcher of
`app.theme` kept every removed editor alive)."""

from __future__ import annotations

import gc

from textual.widgets import TextArea

from app.audit import AuditInfo, AuditService
from app.tui.app import AuditApp

from .helpers import open_first_audit, opened, settle, switch_back_and_forth


def _alive_and_mounted(app: AuditApp) -> tuple[int, int]:
    gc.collect()
    mounted = sum(len(shown.query(TextArea)) for shown in app.screen_stack)
    alive = sum(isinstance(thing, TextArea) for thing in gc.get_objects())
    return alive, mounted


async def test_no_long_text_editor_outlives_its_card(service: AuditService,
                                                     audit: AuditInfo) -> None:
    app = AuditApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_first_audit(pilot)
        await opened(pilot, "description")
        assert len(screen.query(TextArea)) >= 1  # the first section has a long text
        # a long-text editor and a note area each time back
        await switch_back_and_forth(pilot, screen, opening=("description", "review_date"))
        alive, mounted = _alive_and_mounted(app)
        assert screen.section_index == 0
        assert alive <= mounted, f"{alive} editors alive, {mounted} mounted"
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await settle(pilot)  # editors still on screen follow a theme change
        assert app.screen is screen
