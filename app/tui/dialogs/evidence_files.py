"""A question's evidence files: open one (text in place, anything else in the system
viewer) or withdraw one attached by mistake (its bytes purged, its hash kept in the
history)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, LoadingIndicator, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from app.audit import AuditService, EvidenceInfo, HistoryEvent
from app.checklist.model import Question
from app.errors import UserFacingError
from app.safe_text import terminal_safe, terminal_safe_line
from app.tui.dialogs import show_message
from app.tui.dialogs.confirm import ConfirmDialog
from app.tui.dialogs.job import JobDialog, JobWidgets
from app.tui.dialogs.reason import ReasonDialog
from app.tui.saving import local_time

TEXT_SHOWN = 200_000
"""The most bytes of a text file shown in place; the rest is left to the system viewer."""
TEXT_TYPES = frozenset({"application/json", "application/xml", "application/yaml",
                        "application/x-yaml", "application/csv", "application/x-ndjson",
                        "application/octet-stream"})
"""Media types other than text/* that are shown in place when the bytes are UTF-8 text
(octet-stream: a file whose name gave no type)."""

WITHDRAW_HELP = ("Why is the file withdrawn (attached by mistake, the wrong file, it holds "
                 "personal data)? The history keeps the reason with the file's SHA-256, "
                 "your name and the time.")
SIGNED_REFUSAL = ("This audit is signed and read-only: its evidence can be opened, not "
                  "withdrawn. To change it, start an amendment (a new audit from this one).")


def as_text(content: bytes, media_type: str) -> tuple[str, bool] | None:
    """The file as text to show in place (escaped, at most `TEXT_SHOWN` bytes) and whether
    it was cut; None when it is not UTF-8 text."""
    if not (media_type.startswith("text/") or media_type in TEXT_TYPES):
        return None
    head = content[:TEXT_SHOWN]
    if b"\x00" in head:
        return None
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # a character cut by the bound is not a reason to call the file binary
        if len(content) <= TEXT_SHOWN or exc.start < len(head) - 3:
            return None
        text = head[:exc.start].decode("utf-8")
    return terminal_safe(text), len(content) > TEXT_SHOWN


def private_copy(name: str, content: bytes) -> Path:
    """Write `content` to a new folder only this user can read, under a safe file name."""
    folder = Path(tempfile.mkdtemp(prefix="nlets-audit-evidence-"))  # mode 0700
    safe = re.sub(r"[^\w.\- ]", "_", Path(name).name).strip(" .") or "evidence"
    path = folder / safe
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(content)
    return path


def system_viewer() -> str | None:
    """The program that opens a file in the desktop's viewer, if there is one."""
    return shutil.which("open" if sys.platform == "darwin" else "xdg-open")


@dataclass(frozen=True)
class Opened:
    """What opening a file came to: text to show in place, or a copy written out."""

    item: EvidenceInfo
    text: str | None = None
    cut: bool = False
    copy: Path | None = None
    viewer: str | None = None


def open_file(service: AuditService, item: EvidenceInfo) -> Opened:
    """Read a stored file: its text when it is text, else a private copy handed to the
    system viewer when there is one."""
    content = service.evidence_content(item.sha256)
    shown = as_text(content, item.media_type)
    if shown is not None:
        return Opened(item, text=shown[0], cut=shown[1])
    copy = private_copy(item.name, content)
    viewer = system_viewer()
    if viewer is not None:
        subprocess.Popen([viewer, str(copy)], stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True)
    return Opened(item, copy=copy, viewer=viewer)


def _file_entry(item: EvidenceInfo) -> Content:
    date = f" · effective {item.effective_date}" if item.effective_date else ""
    return Content.assemble(
        (terminal_safe_line(item.name), "bold"),
        f" · {item.size:,} bytes · {terminal_safe_line(item.media_type)}{date}\n",
        ("  added by " + terminal_safe_line(item.added_by) + " on "
         + local_time(item.added_at), "$text-muted"), "\n",
        (f"  SHA-256 {item.sha256}", "$text-muted"))


def _withdrawn_entry(event: HistoryEvent) -> Content:
    old = event.old if isinstance(event.old, dict) else {}
    return Content.assemble(
        ("Withdrawn: ", "bold $warning"), terminal_safe_line(str(old.get("name", "?"))),
        f" · by {terminal_safe_line(event.actor)} on {local_time(event.at)}\n",
        "  why: ", terminal_safe_line(event.reason or "—"), "\n",
        (f"  SHA-256 {old.get('sha256', '?')} (bytes purged; the history keeps the hash)",
         "$text-muted"))


class EvidenceFilesDialog(JobDialog[bool]):
    """The files attached to a question, and those withdrawn from it.

    Open (ctrl+s, Enter) shows a text file in place and hands anything else to the
    system viewer; Withdraw… (Delete) asks why, then for confirmation that the bytes are
    purged. Returns True when a file was withdrawn (the screen reloads), else False.
    """

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("ctrl+s", "open", "Open"),
        Binding("delete", "withdraw", "Withdraw…"),
    ]

    AUTO_FOCUS = "#evidence-list"

    JOB_WIDGETS = JobWidgets(busy="#evidence-files-busy", error="#evidence-files-error",
                             buttons="#open, #withdraw")

    def __init__(self, service: AuditService, audit_id: str, question: Question,
                 evidence: list[EvidenceInfo], withdrawn: list[HistoryEvent], *,
                 read_only: bool = False) -> None:
        super().__init__(classes="dialog-screen")
        self.service = service
        """The service that reads and withdraws the files."""
        self.audit_id = audit_id
        """The audit the files belong to."""
        self.question = question
        """The question they support."""
        self.evidence = list(evidence)
        """The files attached now."""
        self.withdrawn = [e for e in withdrawn if e.question_id == question.id]
        """The withdrawals from this question, as the history records them."""
        self.read_only = read_only
        """True for a signed audit: files can be opened, not withdrawn."""
        self.changed = False
        """True once a file was withdrawn."""

    def compose(self) -> ComposeResult:
        """The list of files, a message line and the buttons."""
        with Vertical(classes="dialog", id="evidence-files-dialog"):
            yield Static(f"Evidence — {self.question.prompt}", classes="dialog-title",
                         markup=False)
            yield Static("Open shows a text file here and hands any other file to the "
                         "system viewer. Withdraw removes a file attached by mistake and "
                         "purges its bytes; the history keeps its SHA-256.",
                         classes="field-help", markup=False)
            yield OptionList(id="evidence-list")
            yield LoadingIndicator(id="evidence-files-busy")
            yield Static("", id="evidence-files-error", classes="dialog-error", markup=False)
            yield Static("", id="evidence-files-done", classes="dialog-ok", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Open", id="open", variant="primary")
                yield Button("Withdraw…", id="withdraw", variant="error")
                yield Button("Close", id="close")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        """List the files; no message yet."""
        self.hide_job_status()
        self._said("")
        self._list()

    def _list(self) -> None:
        options = self.query_one("#evidence-list", OptionList)
        options.clear_options()
        options.add_options([Option(_file_entry(item), id=str(item.id))
                             for item in self.evidence])
        options.add_options([Option(_withdrawn_entry(event), disabled=True)
                             for event in self.withdrawn])
        if self.evidence:
            options.highlighted = 0
        else:
            self.show_job_error("No file is attached to this question now.")

    def _said(self, text: str) -> None:
        show_message(self.query_one("#evidence-files-done", Static), text)

    def chosen(self) -> EvidenceInfo | None:
        """The attached file under the cursor."""
        index = self.query_one("#evidence-list", OptionList).highlighted
        return self.evidence[index] if index is not None and index < len(self.evidence) \
            else None

    def action_open(self) -> None:
        """Read the chosen file in a worker, then show it or hand it to the viewer."""
        item = self.chosen()
        if item is None:
            self.show_job_error("Choose an attached file first.")
            return
        self._said("")
        self.run_job(lambda: open_file(self.service, item), self._opened,
                     unexpected="the file could not be opened",
                     progress=f"Reading {terminal_safe_line(item.name)}…")

    def _opened(self, opened: Opened) -> None:
        name = terminal_safe_line(opened.item.name)
        if opened.text is not None:
            self.app.push_screen(EvidenceTextDialog(opened.item, opened.text, cut=opened.cut))
        elif opened.viewer is not None:
            self._said(f"Opened {name} with the system viewer; the copy it shows is "
                       f"{opened.copy} (readable by you only).")
        else:
            self._said(f"No system viewer (xdg-open) was found: {name} was written to "
                       f"{opened.copy} (readable by you only). Open it from there.")

    def action_withdraw(self) -> None:
        """Ask why, confirm that the bytes are purged, then withdraw the chosen file."""
        if self.read_only:
            self.show_job_error(SIGNED_REFUSAL)
            return
        item = self.chosen()
        if item is None:
            self.show_job_error("Choose an attached file first.")
            return
        self.show_job_error("")
        self._said("")
        name = terminal_safe_line(item.name)

        def reason_given(reason: str) -> str:
            if not reason.strip():
                raise UserFacingError("say why the file is withdrawn: a reason is required")
            return reason.strip()

        def confirm(reason: str | None) -> None:
            if reason is None:
                return
            self.app.push_screen(ConfirmDialog(
                f"Withdraw {name}?",
                f"{name} ({item.size:,} bytes) leaves this question and its bytes are purged "
                "from the database now (unless another audit holds the same file). This "
                "cannot be undone: to use it again, attach it again.\n\nThe history keeps "
                f"its SHA-256 {item.sha256}, your name, the time and the reason: "
                f"“{terminal_safe_line(reason)}”.",
                confirm="Withdraw and purge", danger=True),
                lambda confirmed: self._withdraw(item, reason) if confirmed else None)

        self.app.push_screen(ReasonDialog(f"Withdraw {name}", reason_given,
                                          action="Withdraw…", help_text=WITHDRAW_HELP),
                             confirm)

    def _withdraw(self, item: EvidenceInfo, reason: str) -> None:
        try:
            self.service.withdraw_evidence(self.audit_id, item.sha256, reason,
                                           question_id=item.question_id)
            withdrawn = self.service.withdrawn_evidence(self.audit_id)
        except UserFacingError as exc:
            self.show_job_error(f"Not withdrawn: {exc}")
            return
        self.changed = True
        self.evidence = [e for e in self.evidence if e.id != item.id]
        self.withdrawn = [e for e in withdrawn if e.question_id == self.question.id]
        self._list()
        self._said(f"Withdrew {terminal_safe_line(item.name)}: its bytes are purged; the "
                   "history keeps its SHA-256.")

    def action_close(self) -> None:
        """Back to the question (True if a file was withdrawn)."""
        if not self.job_running:
            self.dismiss(self.changed)

    @on(OptionList.OptionSelected, "#evidence-list")
    @on(Button.Pressed, "#open")
    def _open_pressed(self, event: OptionList.OptionSelected | Button.Pressed) -> None:
        event.stop()
        self.action_open()

    @on(Button.Pressed, "#withdraw")
    def _withdraw_pressed(self) -> None:
        self.action_withdraw()

    @on(Button.Pressed, "#close")
    def _close_pressed(self) -> None:
        self.action_close()


class EvidenceTextDialog(ModalScreen[None]):
    """A text evidence file shown in place, read-only, its control characters escaped."""

    BINDINGS = [Binding("escape", "close", "Close")]

    AUTO_FOCUS = "#evidence-text"

    def __init__(self, item: EvidenceInfo, text: str, *, cut: bool) -> None:
        super().__init__(classes="dialog-screen")
        self.item = item
        """The file shown."""
        self._text = text
        self._cut = cut

    def compose(self) -> ComposeResult:
        """The file's name and hash, its text, and a Close button."""
        item = self.item
        with Vertical(classes="dialog", id="evidence-text-dialog"):
            yield Static(terminal_safe_line(item.name), classes="dialog-title", markup=False)
            cut = (f" · showing the first {TEXT_SHOWN:,} bytes; open the whole file in an "
                   "editor" if self._cut else "")
            yield Static(f"{item.size:,} bytes · SHA-256 {item.sha256}{cut}",
                         classes="field-help", markup=False)
            yield TextArea(self._text, read_only=True, soft_wrap=True, show_line_numbers=True,
                           id="evidence-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Close", id="close")
        yield Footer(show_command_palette=False)

    def action_close(self) -> None:
        """Back to the list of files."""
        self.dismiss(None)

    @on(Button.Pressed, "#close")
    def _close_pressed(self) -> None:
        self.action_close()
