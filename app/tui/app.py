"""The Textual application: a thin shell around the home and audit screens."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Iterable, Sequence

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.filter import LineFilter
from textual.screen import Screen

from app.audit import AuditService
from app.tui import heap
from app.tui.safe_output import ControlCharacterFilter
from app.tui.screens.home import HomeScreen


class AuditApp(App[None]):
    """The nlets-audit terminal interface over an `AuditService` (tests inject their own).

    The command palette opens with ctrl+p (Textual's key; ctrl+k in a text field kills to
    the end of the line, as in readline); each screen adds its own entries through a
    `palette()` method.
    """

    CSS_PATH = "app.tcss"
    TITLE = "nlets-audit"
    SUB_TITLE = "DMV records and immigration enforcement: audit and attestation"
    COMMAND_PALETTE_BINDING = "ctrl+p"
    COMMAND_PALETTE_DISPLAY = "^p"

    BINDINGS = [
        Binding("f1", "keys_help", "Keys", show=False),
    ]

    def __init__(self, service: AuditService) -> None:
        super().__init__()
        self.service = service
        """The audit service every screen reads and writes through."""
        self._control_filter = ControlCharacterFilter()

    def get_line_filters(self) -> Sequence[LineFilter]:
        """Textual's filters, then the one that keeps control characters off the screen."""
        return [*super().get_line_filters(), self._control_filter]

    def on_mount(self) -> None:
        """On SIGTERM or SIGHUP (a shutdown, an ssh drop) save what was typed and leave
        the way ctrl+q does, so the terminal is restored; without this the process died at
        once, losing the last second of typing and leaving the terminal in raw mode."""
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGHUP):
            # not in the main thread (some test runners): the default handling stays
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(signum, self._on_signal, signum)

    def on_ready(self) -> None:
        """Once the first screen is drawn, keep the heap alive so far out of the
        collector's way (`heap.settle`)."""
        self.call_after_refresh(heap.settle)

    def on_unmount(self) -> None:
        """Give the signals back to their default handling, and the heap to the
        collector."""
        heap.release()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGHUP):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(signum)

    def _on_signal(self, signum: int) -> None:
        self.flush_all()
        self.exit(return_code=128 + signum)

    def flush_all(self) -> None:
        """Save typing still waiting on every open audit."""
        from app.tui.screens.audit import AuditScreen  # not loaded before an audit opens

        for screen in self.screen_stack:
            if isinstance(screen, AuditScreen):
                screen.flush_all()

    def get_default_screen(self) -> Screen:
        """The audit list is the screen underneath everything."""
        return HomeScreen(self.service)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The screen's own entries first, then help, theme and quit."""
        palette = getattr(screen, "palette", None)
        if callable(palette):
            for title, help_text, callback in palette():
                yield SystemCommand(title, help_text, callback)
        yield SystemCommand("Keys", "Every key of every screen (F1)", self.action_keys_help)
        for command in super().get_system_commands(screen):
            if command.title not in ("Keys", "Quit"):
                yield command
        yield SystemCommand("Quit", "Save everything typed and quit (ctrl+q)", self.action_quit)

    def action_keys_help(self) -> None:
        """Show the help screen that lists every key."""
        from app.tui.screens.keys import KeysScreen

        if not isinstance(self.screen, KeysScreen):
            self.push_screen(KeysScreen())

    async def action_quit(self) -> None:
        """Save typing still waiting on any open audit, then quit."""
        self.flush_all()
        self.exit()


def run_tui(db_url: str | None) -> int:
    """Open the database at `db_url` (default: the user's data directory) and run the TUI;
    returns the exit code (not 0 if the interface stopped on an error)."""
    from app.audit import open_store

    store = open_store(db_url)
    try:
        app = AuditApp(AuditService(store))
        app.run()
        return app.return_code or 0
    finally:
        store.close()
