"""What a section switch costs Textual, counted (not timed): the questions are laid out at
most twice (once for the new cards, once for the sizes they then report) and only what
changed is painted, never the whole screen."""

from __future__ import annotations

import pytest
from textual._compositor import Compositor
from textual.screen import Screen

from app.audit import AuditInfo, AuditService
from app.tui.app import AuditApp

from .helpers import open_first_audit, settle


async def test_a_section_switch_paints_what_changed(service: AuditService, audit: AuditInfo,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    counts = {"full": 0, "layouts": 0}
    full_update, refresh_layout = Compositor.render_full_update, Screen._refresh_layout

    def counted_full_update(self: Compositor, *args: object, **kwargs: object) -> object:
        counts["full"] += 1
        return full_update(self, *args, **kwargs)  # type: ignore[arg-type]

    def counted_layout(self: Screen, *args: object, **kwargs: object) -> None:
        counts["layouts"] += 1
        refresh_layout(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Compositor, "render_full_update", counted_full_update)
    monkeypatch.setattr(Screen, "_refresh_layout", counted_layout)
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_first_audit(pilot)
        await settle(pilot)
        for index in (1, 0, 1, 0):
            counts.update(full=0, layouts=0)
            screen.open_section(index)
            await settle(pilot)
            assert screen.section_index == index
            assert counts["full"] == 0, "the whole screen was painted again"
            assert 1 <= counts["layouts"] <= 2, f"{counts['layouts']} layouts"
            assert app.focused is not None and app.focused in screen.cards()
