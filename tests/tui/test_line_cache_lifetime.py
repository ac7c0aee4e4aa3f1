"""No removed widget's rendered lines stay alive (Textual 8.2.8 caches
`StylesCache.get_inner_outer` with an `lru_cache` on the method, so its keys keep the
line caches of up to 1,024 removed widgets)."""

from __future__ import annotations

import gc

from textual._styles_cache import StylesCache
from textual.widget import Widget

from app.audit import AuditInfo, AuditService
from app.tui.app import AuditApp

from .helpers import open_first_audit, settle, switch_back_and_forth


def _line_caches_and_widgets() -> tuple[int, int]:
    gc.collect()
    objects = gc.get_objects()
    return (sum(isinstance(thing, StylesCache) for thing in objects),
            sum(isinstance(thing, Widget) for thing in objects))


async def test_no_line_cache_outlives_its_widget(service: AuditService,
                                                 audit: AuditInfo) -> None:
    app = AuditApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_first_audit(pilot)
        # each switch replaces the section's cards, opened ones too
        await switch_back_and_forth(pilot, screen, opening=("description",))
        caches, widgets = _line_caches_and_widgets()
        assert screen.section_index == 0
        assert caches <= widgets, f"{caches} line caches alive, {widgets} widgets"
        screen.open_section(1)  # lines are drawn again after the caches are let go
        await settle(pilot)
        assert screen.section_index == 1
        assert all(card.region.height > 0 for card in screen.cards() if card.display)
