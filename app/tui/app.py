"""The Textual application: a thin shell around the home and audit screens."""

from __future__ import annotations

from textual.app import App
from textual.screen import Screen

from app.audit import AuditService
from app.tui.screens.audit import AuditScreen
from app.tui.screens.home import HomeScreen


class AuditApp(App[None]):
    """The nlets-audit terminal interface over an `AuditService` (tests inject their own)."""

    CSS_PATH = "app.tcss"
    TITLE = "nlets-audit"
    SUB_TITLE = "DMV records and immigration enforcement: audit and attestation"
    ENABLE_COMMAND_PALETTE = False

    def __init__(self, service: AuditService) -> None:
        super().__init__()
        self.service = service
        """The audit service every screen reads and writes through."""

    def get_default_screen(self) -> Screen:
        """The audit list is the screen underneath everything."""
        return HomeScreen(self.service)

    async def action_quit(self) -> None:
        """Save typing still waiting on any open audit, then quit."""
        for screen in self.screen_stack:
            if isinstance(screen, AuditScreen):
                screen.flush_all()
        self.exit()


def run_tui(db_url: str | None) -> None:
    """Open the database at `db_url` (default: the user's data directory) and run the TUI."""
    from app.store import open_store

    store = open_store(db_url)
    try:
        AuditApp(AuditService(store)).run()
    finally:
        store.close()
