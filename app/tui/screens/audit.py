"""The audit screen: sections on the left, the open section's questions on the right."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static

from app.audit import AuditService, AuditView
from app.checklist.model import Section
from app.errors import UserFacingError
from app.tui.saving import AnswerSaver, local_time
from app.tui.widgets.question import QuestionCard
from app.tui.widgets.sections import SectionList


class AuditScreen(Screen[None]):
    """Walk an audit section by section; every answer is saved as it changes.

    Only the open section's questions are mounted. After each save the screen asks the
    service for the audit again and shows what it says: which questions are visible,
    the progress of every section, the findings count.
    """

    BINDINGS = [
        Binding("escape", "back", "Audits"),
        Binding("ctrl+s", "save", "Save now"),
        Binding("ctrl+n", "next_section", "Next section"),
        Binding("ctrl+p", "previous_section", "Previous section"),
        Binding("ctrl+q", "app.quit", "Quit", priority=True),
    ]

    def __init__(self, service: AuditService, view: AuditView) -> None:
        super().__init__()
        self.service = service
        """The audit service."""
        self.view = view
        """The audit as the service last returned it."""
        self.audit_id = view.audit.id
        """The audit's full id."""
        self.section_index = 0
        """The index of the open section."""
        self.saver = AnswerSaver(service, self.audit_id, read_only=view.audit.read_only)
        """Saves the answers of this audit."""
        self._leave_anyway = False

    @property
    def sections(self) -> list[Section]:
        """The checklist's sections."""
        return self.view.checklist.checklist.sections

    @property
    def read_only(self) -> bool:
        """True for a signed audit."""
        return self.view.audit.read_only

    def compose(self) -> ComposeResult:
        """Header, the section list, the question pane, footer."""
        yield Header()
        with Horizontal(id="audit-body"):
            yield SectionList(self.sections, id="sections")
            with Vertical(id="section-pane"):
                yield Static("", id="banner", markup=False)
                yield Static("", id="section-title", markup=False)
                yield Static("", id="section-counts", markup=False)
                yield Static("", id="section-intro", markup=False)
                with VerticalScroll(id="questions") as questions:
                    # Tab goes from question to question; a signed audit has no fields,
                    # so there the pane itself takes focus to scroll with the keys.
                    questions.can_focus = self.read_only
        yield Footer()

    async def on_mount(self) -> None:
        """Title the screen and open the first section."""
        audit = self.view.audit
        self.title = audit.title
        banner = self.query_one("#banner", Static)
        if self.read_only:
            signer = f" by {audit.signed_by}" if audit.signed_by else ""
            when = f" on {local_time(audit.signed_at)}" if audit.signed_at else ""
            banner.update(f"Signed{signer}{when}: this audit is read-only. To change it, "
                          "start an amendment.")
        banner.display = self.read_only
        await self.show_section(0)

    # ---- sections -----------------------------------------------------------------------

    def cards(self) -> list[QuestionCard]:
        """The question cards of the open section."""
        return list(self.query(QuestionCard))

    def card(self, question_id: str) -> QuestionCard | None:
        """The card of a question of the open section, if it is open."""
        return next((c for c in self.cards() if c.question.id == question_id), None)

    async def show_section(self, index: int, *, focus: bool = True) -> None:
        """Save what is pending, then mount the questions of section `index`."""
        self.flush_all()
        self.reload()
        self.section_index = max(0, min(index, len(self.sections) - 1))
        section = self.sections[self.section_index]
        cards = [QuestionCard(question, self.view.answers.get(question.id), self.saver,
                              read_only=self.read_only) for question in section.questions]
        container = self.query_one("#questions", VerticalScroll)
        await container.remove_children()
        await container.mount_all(cards)
        intro = self.query_one("#section-intro", Static)
        intro.update(section.intro)
        intro.display = bool(section.intro)
        self.query_one(SectionList).highlighted = self.section_index
        self.show_view()
        container.scroll_home(animate=False)
        if focus:
            self.focus_first_question()

    def focus_first_question(self) -> None:
        """Put the focus in the first visible question that takes input."""
        for card in self.cards():
            if card.display:
                for widget in card.query("*"):
                    if widget.focusable:
                        widget.focus()
                        return

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """A section chosen in the list."""
        event.stop()
        self.open_section(event.option_index)

    def open_section(self, index: int) -> None:
        """Open section `index` (one section change at a time)."""
        self.run_worker(self.show_section(index), exclusive=True, group="section")

    def action_next_section(self) -> None:
        """Open the next section."""
        if self.section_index + 1 < len(self.sections):
            self.open_section(self.section_index + 1)

    def action_previous_section(self) -> None:
        """Open the previous section."""
        if self.section_index > 0:
            self.open_section(self.section_index - 1)

    # ---- saving and refreshing ----------------------------------------------------------

    def flush_all(self) -> bool:
        """Save every typed answer and note still waiting; False if any was refused."""
        ok = True
        for card in self.cards():
            ok = card.flush() and ok
        return ok

    def reload(self) -> None:
        """Ask the service for the audit again."""
        try:
            self.view = self.service.view(self.audit_id)
        except UserFacingError as exc:
            self.notify(str(exc), title="Cannot read the audit", severity="error", markup=False)

    def show_view(self) -> None:
        """Show visibility, progress and findings as the service evaluated them."""
        evaluation = self.view.evaluation
        hidden = 0
        for card in self.cards():
            card.display = evaluation.visible.get(card.question.id, True)
            hidden += not card.display
        self.query_one(SectionList).set_progress(evaluation.progress.sections,
                                                 self.section_index)
        section = self.sections[self.section_index]
        progress = next((p for p in evaluation.progress.sections
                         if p.section_id == section.id), None)
        counts = f"{progress.done}/{progress.total} required answered" if progress else ""
        extra = f" · {hidden} hidden by earlier answers" if hidden else ""
        self.query_one("#section-title", Static).update(
            f"Section {self.section_index + 1} of {len(self.sections)}: {section.title}"
            "   (* required)")
        self.query_one("#section-counts", Static).update(f"{counts}{extra}")
        findings = len(evaluation.findings)
        self.sub_title = (f"{evaluation.progress.percent:.0f}% complete · "
                          f"{findings} finding{'s' if findings != 1 else ''}"
                          f"{' · signed, read-only' if self.read_only else ''}")

    def on_question_card_saved(self, event: QuestionCard.Saved) -> None:
        """After a save: refresh visibility and progress from the service."""
        self._leave_anyway = False
        self.reload()
        self.show_view()

    def refused(self) -> list[QuestionCard]:
        """The cards whose last typed value the service refused (not saved)."""
        return [card for card in self.cards() if card.refused]

    def action_save(self) -> None:
        """Save everything typed now."""
        if self.flush_all() and not self.refused():
            self.notify("All answers are saved.")
        else:
            self.notify("Some values were not saved: the red messages say what is allowed.",
                        severity="warning")

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
        """A last chance to save typing, should the screen go away some other way."""
        for card in self.cards():
            if card.has_pending:
                card.flush()
