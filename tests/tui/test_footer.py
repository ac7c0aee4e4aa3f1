"""At 80 columns the footer keeps the keys that fit, never cutting one in half, and F1,
which lists them all, is always among them."""

from __future__ import annotations

from textual.widgets._footer import FooterKey

from app.audit import AuditInfo, AuditService
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
