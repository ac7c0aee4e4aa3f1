"""One way for a dialog to run a slow job: in a worker thread, busy while it runs, its
refusal shown in the dialog, its typed result handed to the dialog."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar, cast

from textual.screen import ModalScreen
from textual.widgets import Button, Static
from textual.worker import Worker, WorkerState

from app.errors import UserFacingError
from app.safe_text import terminal_safe
from app.tui.dialogs import show_message

ResultT = TypeVar("ResultT")
"""What the dialog returns with `dismiss()`."""
JobT = TypeVar("JobT")
"""What one job returns."""

JOB_GROUP = "dialog-job"
"""The worker group of a dialog's job."""


@dataclass(frozen=True)
class JobWidgets:
    """The selectors of the widgets a dialog's job drives."""

    busy: str
    """The loading indicator shown while the job runs."""
    error: str
    """The message line that says why the job was refused."""
    buttons: str
    """The buttons disabled while the job runs."""
    progress: str | None = None
    """The line that says what the job is doing, if the dialog has one."""


@dataclass(frozen=True)
class _Failed:
    """What a job raised (caught in its thread, so that the worker itself succeeds)."""

    error: Exception


@dataclass(frozen=True)
class _Running(Generic[JobT]):
    worker: Worker[JobT | _Failed]
    done: Callable[[JobT], object]
    failed: Callable[[str], None] | None
    unexpected: str

    def finish(self) -> str | None:
        """Hand the result to the dialog; the refusal's text when the job failed."""
        # the job's function returns its result or _Failed, and never raises
        outcome = cast("JobT | _Failed", self.worker.result)
        if not isinstance(outcome, _Failed):
            self.done(outcome)
            return None
        error = outcome.error
        if isinstance(error, UserFacingError):
            return str(error)
        return f"{self.unexpected}: {type(error).__name__}: {error}"


class JobDialog(ModalScreen[ResultT]):
    """A modal dialog that runs at most one slow job at a time in a worker thread.

    A subclass names its widgets in `JOB_WIDGETS`, calls `hide_job_status()` when mounted
    and `run_job()` to start. While the job runs the loading indicator shows, the job's
    buttons are disabled and `job_running` is true; afterwards the result goes to the
    `done` callback, or the refusal (a `UserFacingError`'s own message, else the
    `unexpected` text and the error) to the error line, or to `failed` when given.
    What the job raises is caught in its thread and handed over as its outcome, so the
    worker itself never fails (waiting for workers in a test does not raise).
    """

    JOB_WIDGETS: ClassVar[JobWidgets]
    """The widgets the job drives."""

    _job: _Running[Any] | None = None

    @property
    def job_running(self) -> bool:
        """True while a job runs."""
        return self._job is not None

    def hide_job_status(self) -> None:
        """No activity, progress or refusal shown (nothing has run yet)."""
        self.query_one(self.JOB_WIDGETS.busy).display = False
        self.show_job_error("")
        self.show_progress("")

    def show_job_error(self, text: str) -> None:
        """Say why the job cannot run or was refused ("" hides the line); a control
        character in it (a file's name may hold one) is shown as an escape."""
        show_message(self.query_one(self.JOB_WIDGETS.error, Static), terminal_safe(text))

    def show_progress(self, text: str) -> None:
        """Say what the job is doing ("" hides the line)."""
        if self.JOB_WIDGETS.progress is not None:
            show_message(self.query_one(self.JOB_WIDGETS.progress, Static), text)

    def progress_from_thread(self, text: str) -> None:
        """`show_progress` for the job's own thread."""
        self.app.call_from_thread(self.show_progress, text)

    def run_job(self, work: Callable[[], JobT], done: Callable[[JobT], object], *,
                unexpected: str, progress: str = "",
                failed: Callable[[str], None] | None = None) -> None:
        """Run `work` in a worker thread; `done` receives its result in the app's thread.

        `progress` is the first line shown while it runs; `unexpected` introduces an error
        that is not a `UserFacingError`; `failed` receives the refusal's text instead of
        the error line.
        """
        if self._job is not None:
            return
        self._set_running(True)
        self.show_job_error("")
        self.show_progress(progress)

        def guarded() -> JobT | _Failed:
            try:
                return work()
            except Exception as error:  # shown in the dialog, whatever it is
                return _Failed(error)

        worker: Worker[JobT | _Failed] = self.run_worker(
            guarded, name=getattr(work, "__name__", JOB_GROUP), thread=True, exclusive=True,
            group=JOB_GROUP)
        self._job = _Running(worker, done, failed, unexpected)

    def _set_running(self, running: bool) -> None:
        self.query_one(self.JOB_WIDGETS.busy).display = running
        for button in self.query(Button).filter(self.JOB_WIDGETS.buttons):
            button.disabled = running

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Once the job has finished, hand over its result or show its refusal."""
        job = self._job
        if job is None or event.worker is not job.worker or event.state not in (
                WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
            return
        self._job = None
        self._set_running(False)
        self.show_progress("")
        refusal = (job.finish() if event.state == WorkerState.SUCCESS
                   else f"{job.unexpected}: {event.worker.error or 'it was stopped'}")
        if refusal is None:
            return
        if job.failed is not None:
            job.failed(refusal)
        else:
            self.show_job_error(refusal)
