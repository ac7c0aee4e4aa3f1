"""The audit screen: sections on the left, the open section's questions on the right."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import DescendantFocus
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Header, OptionList, Static

from app.audit import AuditService, AuditView
from app.audit.review import review
from app.checklist.model import Section
from app.errors import UserFacingError
from app.tui.config import remember_position
from app.tui.dialogs.confirm import ConfirmDialog
from app.tui.saving import AnswerSaver, local_time
from app.tui.widgets.footer import KeyFooter
from app.tui.widgets.question import QuestionCard
from app.tui.widgets.sections import SectionList

PaletteEntry = tuple[str, str, Callable[[], object]]
"""A command palette entry: title, help, callback."""

WIDE_HEADER = 110
"""Below this width the header names the audit by state and period, to leave room for the
progress and findings."""


def _shown_within(widget: Widget, card: Widget) -> bool:
    """True when neither `widget` nor any container up to `card` is hidden."""
    node: Widget | None = widget
    while node is not None and node is not card:
        if not node.display:
            return False
        node = node.parent if isinstance(node.parent, Widget) else None
    return True


class AuditScreen(Screen[None]):
    """Walk an audit section by section; every answer is saved as it changes.

    Only the open section's questions are mounted. After each save the screen asks the
    service for the audit again and shows what it says: which questions are visible,
    the progress and markers of every section, the findings count. Keys are ctrl and
    function keys, so that they work while typing in a field.
    """

    BINDINGS = [
        Binding("escape", "back", "Audits"),
        Binding("ctrl+t", "next_todo", "Next to do"),
        Binding("ctrl+o", "confirm", "Confirm carried"),
        Binding("ctrl+r", "review", "Review"),
        Binding("f1", "app.keys_help", "Keys"),
        Binding("ctrl+down", "next_question", "Next question", show=False),
        Binding("ctrl+up", "previous_question", "Previous question", show=False),
        Binding("ctrl+n", "next_section", "Next section", show=False),
        Binding("ctrl+p", "previous_section", "Previous section", show=False),
        Binding("ctrl+g", "sections", "Go to the section list", show=False),
        Binding("ctrl+b", "diff", "Changes since the previous audit", show=False),
        Binding("f2", "question_help", "Help and sources of the question", show=False),
        Binding("f3", "evidence", "Attach evidence to the question", show=False),
        Binding("f4", "not_applicable", "Mark the question not applicable", show=False),
        Binding("f5", "clear", "Clear the question's answer (the note stays)", show=False),
        Binding("ctrl+l", "import_log", "Import a query log", show=False),
        Binding("ctrl+s", "save", "Save now", show=False),
        Binding("ctrl+q", "app.quit", "Save and quit", show=False, priority=True),
    ]

    def __init__(self, service: AuditService, view: AuditView, *,
                 start_at: str | None = None) -> None:
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
        self.current_question: str | None = None
        """The question that last had the focus (what the question keys act on)."""
        self._start_at = start_at
        self._leave_anyway = False
        self._section_lock = asyncio.Lock()
        self._wanted_section: int | None = None

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
                yield Static("", id="carry-banner", markup=False)
                yield Static("", id="section-title", markup=False)
                with Horizontal(id="section-tools"):
                    yield Static("", id="section-counts", markup=False)
                    yield Button("Confirm all", id="confirm-all", compact=True,
                                 tooltip="Confirm every carried-forward answer shown in this "
                                         "section as still true")
                yield Static("", id="section-intro", markup=False)
                with VerticalScroll(id="questions") as questions:
                    # Tab goes from question to question; a signed audit has no fields,
                    # so there the pane itself takes focus to scroll with the keys.
                    questions.can_focus = self.read_only
        yield KeyFooter()

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
        async with self._section_lock:
            if self._start_at is not None and self.section_of(self._start_at) is not None:
                await self._jump(self._start_at, quiet=True)
            else:
                await self.show_section(0)

    def on_resize(self, event: events.Resize) -> None:
        """Keep the progress in the header on a narrow terminal."""
        self._fit_title(event.size.width)

    def _fit_title(self, width: int) -> None:
        audit = self.view.audit
        short = f"{audit.jurisdiction.upper()} {audit.period_start}–{audit.period_end}"
        self.title = audit.title if width >= WIDE_HEADER else short

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

    # ---- sections -----------------------------------------------------------------------

    def cards(self) -> list[QuestionCard]:
        """The question cards of the open section."""
        return list(self.query(QuestionCard))

    def card(self, question_id: str) -> QuestionCard | None:
        """The card of a question of the open section, if it is open."""
        return next((c for c in self.cards() if c.question.id == question_id), None)

    def section_of(self, question_id: str) -> int | None:
        """The index of the section that holds `question_id`."""
        for index, section in enumerate(self.sections):
            if any(q.id == question_id for q in section.questions):
                return index
        return None

    async def show_section(self, index: int, *, focus: bool = True) -> None:
        """Save what is pending, then mount the questions of section `index`."""
        self.flush_all()
        self.reload()
        self.section_index = max(0, min(index, len(self.sections) - 1))
        section = self.sections[self.section_index]
        cards = [QuestionCard(question, self.view.answers.get(question.id), self.saver,
                              read_only=self.read_only) for question in section.questions]
        container = self.query_one("#questions", VerticalScroll)
        container.display = False  # one layout when all is mounted, not one per frame
        for field in container.query("Input, TextArea"):
            # its own subscription would keep the removed field alive as long as the screen
            self.text_selection_started_signal.unsubscribe(field)
        await container.remove_children()
        await container.mount_all(cards)
        container.display = True
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
            if card.display and self.focus_card(card):
                return

    def focus_card(self, card: QuestionCard) -> bool:
        """Focus the first field of `card` and bring it into view; False if it has none."""
        self.current_question = card.question.id
        self.query_one("#questions", VerticalScroll).scroll_to_widget(
            card, animate=False, top=True)
        for widget in [*card.editor.query("*"), *card.query("*")]:
            if widget.focusable and _shown_within(widget, card):
                widget.focus(scroll_visible=False)
                return True
        return False

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """A section chosen in the list."""
        event.stop()
        self.open_section(event.option_index)

    def after_section_changes(self, step: Callable[[], Awaitable[None]]) -> None:
        """Run `step` once the section changes asked for before it are done.

        Changes run one at a time and are never cancelled half-way: a section half
        mounted and half removed is where fast key presses would otherwise land.
        """
        async def run() -> None:
            async with self._section_lock:
                await step()

        self.run_worker(run, group="section")

    def open_section(self, index: int) -> None:
        """Open section `index`; of several asked for in a row, only the last is opened."""
        self._wanted_section = index

        async def open_wanted() -> None:
            if self._wanted_section is not None:
                wanted, self._wanted_section = self._wanted_section, None
                await self.show_section(wanted)

        self.after_section_changes(open_wanted)

    def _target_section(self) -> int:
        return self.section_index if self._wanted_section is None else self._wanted_section

    def action_next_section(self) -> None:
        """Open the next section."""
        if self._target_section() + 1 < len(self.sections):
            self.open_section(self._target_section() + 1)

    def action_previous_section(self) -> None:
        """Open the previous section."""
        if self._target_section() > 0:
            self.open_section(self._target_section() - 1)

    def action_sections(self) -> None:
        """Put the focus in the section list (arrows and Enter open a section)."""
        self.query_one(SectionList).focus()

    # ---- moving between questions -------------------------------------------------------

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        """Remember the question that has the focus."""
        node: Widget | None = event.widget
        while node is not None and not isinstance(node, QuestionCard):
            node = node.parent if isinstance(node.parent, Widget) else None
        if isinstance(node, QuestionCard):
            self.current_question = node.question.id

    def focused_card(self) -> QuestionCard | None:
        """The card of the question that has (or last had) the focus, in this section."""
        if self.current_question is not None:
            card = self.card(self.current_question)
            if card is not None and card.display:
                return card
        return None

    def _step(self, delta: int) -> None:
        visible = [c for c in self.cards() if c.display]
        current = self.focused_card()
        if current in visible:
            position = visible.index(current) + delta
        else:
            position = 0 if delta > 0 else len(visible) - 1
        if 0 <= position < len(visible):
            self.focus_card(visible[position])
        elif delta > 0 and self.section_index + 1 < len(self.sections):
            index = self.section_index + 1
            self.after_section_changes(lambda: self._open_at(index, first=True))
        elif delta < 0 and self.section_index > 0:
            index = self.section_index - 1
            self.after_section_changes(lambda: self._open_at(index, first=False))

    async def _open_at(self, index: int, *, first: bool) -> None:
        await self.show_section(index, focus=False)
        visible = [c for c in self.cards() if c.display]
        if visible:
            self.focus_card(visible[0] if first else visible[-1])

    def action_next_question(self) -> None:
        """Go to the next question shown (into the next section at the end of this one)."""
        self._step(1)

    def action_previous_question(self) -> None:
        """Go to the previous question shown."""
        self._step(-1)

    def jump_to(self, question_id: str) -> None:
        """Open the section of `question_id` and go to its question."""
        self.after_section_changes(lambda: self._jump(question_id))

    async def _jump(self, question_id: str, *, quiet: bool = False) -> None:
        index = self.section_of(question_id)
        if index is None:
            self.notify(f"The checklist has no question {question_id!r}.", severity="warning")
            return
        if index != self.section_index or not self.cards():
            await self.show_section(index, focus=False)
        card = self.card(question_id)
        if card is None:
            return
        if not card.display:
            if quiet:  # a remembered place that later answers hid: start the section
                self.focus_first_question()
            else:
                self.notify("That question is hidden by earlier answers in this audit.",
                            severity="warning")
            return
        if not self.focus_card(card):
            self.current_question = question_id
        self.call_after_refresh(self.query_one("#questions", VerticalScroll).scroll_to_widget,
                                card, animate=False, top=True)

    def action_next_todo(self) -> None:
        """Go to the next required unanswered or carried unconfirmed question."""
        self.flush_all()
        self.reload()
        evaluation = self.view.evaluation
        todo = set(evaluation.unanswered) | set(evaluation.unconfirmed)
        if not todo:
            self.notify("Nothing left to do: every required question is answered and every "
                        "carried answer confirmed. ctrl+r opens the review.")
            return
        order = [q.id for q in self.view.checklist.checklist.questions()]
        start = order.index(self.current_question) + 1 if self.current_question in order else 0
        for question_id in order[start:] + order[:start]:
            if question_id in todo:
                self.jump_to(question_id)
                return

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
        """Show visibility, progress, markers and findings as the service evaluated them."""
        evaluation = self.view.evaluation
        stale = {e.id for e in review(self.view).stale_evidence}
        hidden = 0
        unconfirmed_shown = 0
        for card in self.cards():
            card.display = evaluation.visible.get(card.question.id, True)
            hidden += not card.display
            card.sync(self.view.answers.get(card.question.id))
            card.show_evidence(self.view.evidence_for(card.question.id), stale)
            unconfirmed_shown += card.display and card.carried
        sections = self.query_one(SectionList)
        sections.show_marks(evaluation, self.section_index)
        section = self.sections[self.section_index]
        marks = sections.marks[section.id]
        counts = f"{marks.done}/{marks.total} required answered"
        extra = f" · {hidden} hidden by earlier answers" if hidden else ""
        carried = f" · {unconfirmed_shown} to confirm" if unconfirmed_shown else ""
        self.query_one("#section-title", Static).update(
            f"Section {self.section_index + 1} of {len(self.sections)}: {section.title}"
            "   (* required)")
        self.query_one("#section-counts", Static).update(f"{counts}{carried}{extra}")
        confirm_all = self.query_one("#confirm-all", Button)
        confirm_all.display = bool(unconfirmed_shown) and not self.read_only
        confirm_all.label = f"Confirm all ({unconfirmed_shown})"
        total_unconfirmed = len(evaluation.unconfirmed)
        carry = self.query_one("#carry-banner", Static)
        if total_unconfirmed and not self.read_only:
            carry.update(f"↻ {total_unconfirmed} carried-forward answer"
                         f"{'s' if total_unconfirmed != 1 else ''} to confirm: ctrl+o "
                         "confirms one, ctrl+t goes to the next")
        carry.display = bool(total_unconfirmed) and not self.read_only
        findings = len(evaluation.findings)
        self.sub_title = (f"{evaluation.progress.percent:.0f}% complete · "
                          f"{findings} finding{'s' if findings != 1 else ''}"
                          f"{f' · {total_unconfirmed} to confirm' if total_unconfirmed else ''}"
                          f"{' · signed, read-only' if self.read_only else ''}")
        self.refresh_bindings()

    def on_question_card_saved(self, event: QuestionCard.Saved) -> None:
        """After a save: refresh visibility, progress and markers. The service evaluates
        the view again with the saved answer; only other changes (evidence) read it back."""
        self._leave_anyway = False
        if event.answer is None:
            self.reload()
        else:
            self.view = self.service.view_with(self.view, event.answer)
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
        """A last chance to save typing, should the screen go away some other way; and
        remember the question to reopen the audit at."""
        for card in self.cards():
            if card.has_pending:
                card.flush()
        if self.current_question is not None:
            remember_position(self.audit_id, self.current_question)  # a convenience only

    # ---- question actions ---------------------------------------------------------------

    def _card_for_action(self) -> QuestionCard | None:
        card = self.focused_card()
        if card is None:
            self.notify("Go to a question first (ctrl+down, or Tab into it).",
                        severity="warning")
        return card

    def action_confirm(self) -> None:
        """Confirm the carried-forward answer of the current question."""
        card = self._card_for_action()
        if card is None:
            return
        if not card.carried:
            self.notify("This answer is not waiting for confirmation. ctrl+t goes to the "
                        "next one that is.")
            return
        card.confirm()

    @on(Button.Pressed, "#confirm-all")
    def _confirm_all_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_confirm_section()

    def action_confirm_section(self) -> None:
        """Confirm every carried-forward answer shown in this section, after asking."""
        self.flush_all()
        cards = [c for c in self.cards() if c.display and c.carried]
        if not cards or self.read_only:
            self.notify("No carried-forward answer in this section waits for confirmation.")
            return
        section = self.sections[self.section_index]
        listed = "\n".join(f"  • {c.question.prompt}" for c in cards)

        def answer(confirmed: bool | None) -> None:
            if not confirmed:
                return
            try:
                stored = self.saver.confirm_many([c.question.id for c in cards])
            except UserFacingError as exc:
                self.notify(str(exc), title="Not confirmed", severity="error", markup=False)
                return
            for card in cards:
                card.sync(stored.get(card.question.id), "confirmed")
            self.reload()
            self.show_view()
            self.notify(f"Confirmed {len(cards)} carried-forward answer"
                        f"{'s' if len(cards) != 1 else ''} in {section.title}.")

        self.app.push_screen(ConfirmDialog(
            f"Confirm {len(cards)} carried-forward answer{'s' if len(cards) != 1 else ''}?",
            f"You confirm that these answers in “{section.title}”, as shown, are still true "
            f"for this audit's period:\n{listed}\n\nEach confirmation is recorded in the "
            "audit's history under your name.", confirm="Confirm them"), answer)

    def action_question_help(self) -> None:
        """Show the current question's help, options, sources and evidence in full."""
        from app.tui.dialogs.question_info import QuestionInfoDialog

        card = self._card_for_action()
        if card is not None:
            self.app.push_screen(QuestionInfoDialog(
                card.question, self.view.evidence_for(card.question.id)))

    def action_evidence(self) -> None:
        """Attach evidence to the current question."""
        card = self._card_for_action()
        if card is not None:
            card.attach_evidence()

    def action_not_applicable(self) -> None:
        """Mark the current question not applicable (asks for the reason)."""
        card = self._card_for_action()
        if card is not None:
            card.mark_not_applicable()

    def action_clear(self) -> None:
        """Remove the current question's answer and not-applicable mark."""
        card = self._card_for_action()
        if card is not None:
            card.clear()

    # ---- review, changes, export, sign --------------------------------------------------

    def action_review(self) -> None:
        """Open the review; a chosen entry comes back here at its question."""
        from app.tui.screens.review import ReviewOutcome, ReviewScreen

        self.flush_all()

        def done(outcome: ReviewOutcome | None) -> None:
            self.after_review(outcome)

        self.app.push_screen(ReviewScreen(self.service, self.audit_id), done)

    def after_review(self, outcome: object) -> None:
        """Act on how the review was left: reopen signed, or jump, or just refresh."""
        from app.tui.screens.review import ReviewOutcome

        if isinstance(outcome, ReviewOutcome) and outcome.signed:
            self.reopen()
            return
        self.reload()
        self.show_view()
        if isinstance(outcome, ReviewOutcome) and outcome.jump:
            self.jump_to(outcome.jump)

    def action_diff(self) -> None:
        """Show what changed since the previous audit; a chosen entry comes back here."""
        from app.tui.screens.diff import DiffScreen

        if not self.view.audit.based_on:
            self.notify("This audit was not started from a previous one.")
            return
        self.flush_all()

        def done(question_id: str | None) -> None:
            self.reload()
            self.show_view()
            if question_id:
                self.jump_to(question_id)

        self.app.push_screen(DiffScreen(self.service, self.view.audit.based_on,
                                        self.audit_id), done)

    def action_export(self) -> None:
        """Export the audit (PDF, JSON or transparency report)."""
        from app.tui.dialogs.export import ExportDialog

        self.flush_all()
        self.app.push_screen(ExportDialog(self.service, self.view.audit))

    def action_sign(self) -> None:
        """Sign the attestation (the dialog says what blocks it, if anything does)."""
        from app.tui.dialogs.sign import REVIEW, SIGNED, SignDialog

        self.flush_all()
        self.reload()

        def done(result: str | None) -> None:
            if result == SIGNED:
                self.reopen()
            elif result == REVIEW:
                self.action_review()

        self.app.push_screen(SignDialog(self.service, self.view.audit), done)

    def action_import_log(self) -> None:
        """Import a query log against this audit's agencies and blocks."""
        from app.audit.query_logs import query_log_map
        from app.tui.dialogs.query_log import QueryLogDialog

        try:
            plan = query_log_map(self.view)
        except UserFacingError as exc:
            self.notify(str(exc), severity="warning", markup=False)
            return
        self.flush_all()
        table = self.view.checklist.checklist.question(plan.table)

        async def show_filled() -> None:  # the filled answers, in fields built afresh
            await self.show_section(self.section_of(plan.table) or 0, focus=False)
            await self._jump(plan.table)

        def done(result: object) -> None:
            if result is not None:
                self.after_section_changes(show_filled)

        self.app.push_screen(QueryLogDialog(self.service, self.audit_id,
                                            table.prompt if table else plan.table), done)

    def reopen(self) -> None:
        """Show the audit afresh (after signing: read-only)."""
        try:
            view = self.service.view(self.audit_id)
        except UserFacingError as exc:
            self.notify(str(exc), title="Cannot read the audit", severity="error", markup=False)
            return
        self.app.switch_screen(AuditScreen(self.service, view))

    # ---- the command palette ------------------------------------------------------------

    def palette(self) -> list[PaletteEntry]:
        """This screen's entries in the command palette."""
        entries: list[PaletteEntry] = [
            ("Next to do", "Go to the next required unanswered or unconfirmed question "
             "(ctrl+t)", self.action_next_todo),
            ("Review", "What blocks signing, and the findings (ctrl+r)", self.action_review),
            ("Question help and sources", "The current question in full (F2)",
             self.action_question_help),
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
                            "Open this section", lambda i=index: self.open_section(i)))
        return entries
