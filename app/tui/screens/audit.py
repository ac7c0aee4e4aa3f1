"""The audit screen: sections on the left, the open section's questions on the right.

It is put together from four parts, each in its own module: `AuditPane` (what is shown,
saving and reloading), `AuditNavigation` (moving between sections and questions),
`QuestionActions` (the question keys) and `AuditRoutes` (review, changes, export, signing,
query-log import and the dialogs the question cards ask for).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.binding import Binding
from textual.reactive import Reactive
from textual.widget import Widget
from textual.widgets import Static

from app.tui.config import remember_position
from app.tui.saving import FOLLOW_SECONDS, local_time
from app.tui.screens.audit_actions import QuestionActions
from app.tui.screens.audit_routes import AuditRoutes
from app.tui.screens.question_search import QuestionSearch

PaletteEntry = tuple[str, str, Callable[[], object]]
"""A command palette entry: title, help, callback."""


class AuditScreen(QuestionActions, AuditRoutes):
    """Walk an audit section by section; every answer is saved as it changes.

    Only the open section's questions are mounted. After each save the screen asks the
    service for the audit again and shows what it says: which questions are visible,
    the progress and markers of every section, the findings count. Keys are ctrl and
    function keys, so that they work while typing in a field.
    """

    COMMANDS = {QuestionSearch}

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
    """The focused widget. Textual's screen paints itself whole when the focus moves;
    here the widget that takes it and the one that loses it repaint themselves (and the
    cards' focus styles are updated), so a move costs the paint of what changed."""

    BINDINGS = [
        Binding("escape", "back", "Audits"),
        Binding("ctrl+t", "next_todo", "Next to do"),
        Binding("f8", "todo_only", "To do only / all questions", show=False),
        Binding("ctrl+o", "confirm", "Confirm carried"),
        Binding("ctrl+r", "review", "Review"),
        Binding("f1", "app.keys_help", "Keys"),
        Binding("ctrl+down", "next_question", "Next question", show=False),
        Binding("ctrl+up", "previous_question", "Previous question", show=False),
        Binding("ctrl+n", "next_section", "Next section", show=False),
        Binding("ctrl+pagedown", "next_section", "Next section", show=False, priority=True),
        Binding("ctrl+pageup", "previous_section", "Previous section", show=False,
                priority=True),
        Binding("ctrl+g", "sections", "Go to the section list", show=False),
        Binding("ctrl+b", "diff", "Changes since the previous audit", show=False),
        Binding("f2", "question_help", "Help and sources of the question", show=False),
        Binding("f3", "evidence", "Attach evidence to the question", show=False),
        Binding("f4", "not_applicable", "Mark the question not applicable", show=False),
        Binding("f5", "clear", "Clear the question's answer (the note stays)", show=False),
        Binding("f6", "history", "History of the question's answer: restore an earlier value",
                show=False),
        Binding("f7", "evidence_files", "Evidence files of the question: open or withdraw",
                show=False),
        Binding("f9", "audit_history", "History of the whole audit, and its chain check",
                show=False),
        Binding("ctrl+l", "import_log", "Import a query log", show=False),
        Binding("ctrl+s", "save", "Save now", show=False),
        Binding("ctrl+q", "app.quit", "Save and quit", show=False, priority=True),
    ]

    async def on_mount(self) -> None:
        """Title the screen and open the first section."""
        audit = self.view.audit
        self._fit_title(self.size.width)
        banner = self.query_one("#banner", Static)
        if self.read_only:
            signer = f" by {audit.signed_by}" if audit.signed_by else ""
            when = f" on {local_time(audit.signed_at)}" if audit.signed_at else ""
            banner.update(f"Signed{signer}{when}: this audit is read-only. To change it, "
                          "start an amendment (a new audit from this one).")
        banner.display = self.read_only
        if not self.read_only:
            self.set_interval(FOLLOW_SECONDS, self.follow_database, name="follow database")
        async with self._section_lock:
            if self._start_at is not None and self.section_of(self._start_at) is not None:
                await self._jump(self._start_at, quiet=True)
            else:
                await self.show_section(0)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Editing keys do nothing on a signed audit; the diff needs a previous audit."""
        if action in ("confirm", "evidence", "not_applicable", "clear", "save",
                      "import_log") and self.read_only:
            return False
        if action == "confirm":
            return bool(self.view.evaluation.unconfirmed) or None
        if action == "diff":
            return bool(self.view.audit.based_on) or None
        return True

    def action_back(self) -> None:
        """Save what is pending and go back to the audit list.

        If a typed value was refused, the first Escape only warns; a second one leaves.
        """
        self.flush_all()
        if self.refused() and not self._leave_anyway:
            self._leave_anyway = True
            self.notify("Some values were not saved (see the red messages). Fix them, or "
                        "press Escape again to leave without them.", severity="warning")
            return
        self.dismiss(None)

    def on_unmount(self) -> None:
        """A last chance to save typing, should the screen go away some other way; and
        remember the question to reopen the audit at."""
        for card in self.cards():
            if card.has_pending:
                card.flush()
        if self._position_timer is not None:
            self._position_timer.stop()
        if self.current_question is not None:
            remember_position(self.audit_id, self.current_question)  # a convenience only

    def palette(self) -> list[PaletteEntry]:
        """This screen's entries in the command palette."""
        entries: list[PaletteEntry] = [
            ("Next to do", "Go to the next required unanswered or unconfirmed question "
             "(ctrl+t)", self.action_next_todo),
            ("To do only / all questions", "Show only the questions still to do in each "
             "section, or all again (F8)", self.action_todo_only),
            ("Review", "What blocks signing, and the findings (ctrl+r)", self.action_review),
            ("Question help and sources", "The current question in full (F2)",
             self.action_question_help),
            ("History of the question…", "Every earlier value, who, when and why; restore "
             "one (F6)", self.action_history),
            ("History of the audit", "Every change, newest first, with the chain check "
             "(F9)", self.action_audit_history),
            ("Evidence files of the question…", "Open an attached file, or withdraw one "
             "attached by mistake (F7)", self.action_evidence_files),
            ("Export…", "Write the attestation PDF, the manifest JSON or the transparency "
             "report", self.action_export),
            ("Sign…", "Sign the attestation with your certificate", self.action_sign),
            ("Back to the audit list", "Save and leave this audit (Escape)", self.action_back),
        ]
        if not self.read_only:
            entries += [
                ("Attach evidence…", "A file for the current question (F3)",
                 self.action_evidence),
                ("Mark not applicable…", "The current question, with a reason (F4)",
                 self.action_not_applicable),
                ("Save now", "Save everything typed (ctrl+s)", self.action_save),
            ]
            if self.view.checklist.checklist.log_analysis is not None:
                entries.append(("Import a query log…", "Count a switch or Nlets log against "
                                "the agencies and their blocks (ctrl+l)",
                                self.action_import_log))
            if self.view.evaluation.unconfirmed:
                entries += [
                    ("Confirm carried answer", "The current question's carried-forward "
                     "answer is still true (ctrl+o)", self.action_confirm),
                    ("Confirm all shown in this section", "Every carried-forward answer "
                     "shown in the open section", self.action_confirm_section),
                ]
        if self.view.audit.based_on:
            entries.append(("Changes since the previous audit", "Answers, questions and "
                            "findings that changed (ctrl+b)", self.action_diff))
        for index, section in enumerate(self.sections):
            entries.append((f"Go to section {index + 1}: {section.title}",
                            "Open this section", partial(self.open_section, index)))
        return entries
