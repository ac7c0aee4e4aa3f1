"""The dialogs' job mechanism: busy while running, the result handed over, a refusal
shown in the dialog (a UserFacingError by its own words, anything else named)."""

from __future__ import annotations

import threading

from textual.app import App, ComposeResult
from textual.widgets import Button, LoadingIndicator, Static

from app.errors import UserFacingError
from app.tui.dialogs.job import JobDialog, JobWidgets

from .helpers import text_of


class _Dialog(JobDialog[None]):
    JOB_WIDGETS = JobWidgets(busy="#busy", error="#error", buttons="#go", progress="#progress")

    def __init__(self) -> None:
        super().__init__()
        self.results: list[int] = []

    def compose(self) -> ComposeResult:
        yield LoadingIndicator(id="busy")
        yield Static("", id="progress")
        yield Static("", id="error")
        yield Button("Go", id="go")

    def on_mount(self) -> None:
        self.hide_job_status()


class _App(App[None]):
    def on_mount(self) -> None:
        self.push_screen(_Dialog())


async def test_a_job_runs_busy_and_hands_over_its_result() -> None:
    release = threading.Event()
    app = _App()
    async with app.run_test() as pilot:
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, _Dialog)
        assert not dialog.query_one("#busy").display

        def work() -> int:
            dialog.progress_from_thread("half way")
            release.wait()
            return 42

        dialog.run_job(work, dialog.results.append, unexpected="it failed",
                       progress="starting")
        await pilot.pause()
        assert dialog.job_running and dialog.query_one("#busy").display
        assert dialog.query_one("#go", Button).disabled
        dialog.run_job(lambda: 7, dialog.results.append, unexpected="it failed")  # ignored
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert dialog.results == [42]
        assert not dialog.job_running and not dialog.query_one("#busy").display
        assert not dialog.query_one("#go", Button).disabled
        assert not dialog.query_one("#progress").display
        assert not dialog.query_one("#error").display


async def test_a_refusal_is_shown_and_the_dialog_can_try_again() -> None:
    app = _App()
    async with app.run_test() as pilot:
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, _Dialog)

        def refused() -> int:
            raise UserFacingError("the file is not a query log")

        dialog.run_job(refused, dialog.results.append, unexpected="it failed")
        await app.workers.wait_for_complete()  # a refused job does not fail the worker
        await pilot.pause()
        assert text_of(dialog.query_one("#error")) == "the file is not a query log"
        assert not dialog.query_one("#go", Button).disabled and dialog.results == []

        def broken() -> int:
            raise RuntimeError("disk on fire")

        shown: list[str] = []
        dialog.run_job(broken, dialog.results.append, unexpected="it failed",
                       failed=shown.append)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert shown == ["it failed: RuntimeError: disk on fire"]
        assert dialog.results == []
