"""The audit screen's pane: the section list and the open section's questions as the
service last evaluated them, and saving what is typed."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Button, Header, Static

from app.audit import AuditService, AuditView, HistoryEvent, questions_to_do
from app.checklist.evaluate import Finding, newly_revealed
from app.checklist.model import Section
from app.errors import UserFacingError
from app.tui import line_cache
from app.tui.config import remember_position
from app.tui.saving import AnswerSaver
from app.tui.widgets.footer import KeyFooter
from app.tui.widgets.question import QuestionCard
from app.tui.widgets.sections import SectionList

HEADER_MARGIN = 20
"""Columns of the header not available to the title and subtitle (icon, padding)."""


POSITION_DELAY = 1.0
"""Seconds the focus rests on a question before the position is remembered."""


class AuditPane(Screen[None]):
    """What the audit screen shows: the sections with their marks, the open section's
    question cards, its counts and banners; and the saving and reloading behind them.

    Only the open section's questions are mounted. After each save the pane asks the
    service for the audit again and shows what it says: which questions are visible,
    the progress and markers of every section, the findings count.
    """

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
        self._position_timer: Timer | None = None
        self._revealed: set[str] = set()
        self._subtitles = ("", "")
        self.todo_only = False
        """True while each section shows only the questions still to do."""
        self._kept: set[str] = set()
        self._offered: tuple[bool, bool] | None = None
        self.withdrawn: list[HistoryEvent] = []
        """The evidence withdrawals of the audit, as the service last listed them."""

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

    def on_resize(self, event: events.Resize) -> None:
        """Keep the progress in the header on a narrow terminal."""
        self._fit_title(event.size.width)

    def _fit_title(self, width: int) -> None:
        """The longest title and progress line that fit: the audit's title or its state and
        period, the counts in words or as marks."""
        audit = self.view.audit
        short = f"{audit.jurisdiction.upper()} {audit.period_start}–{audit.period_end}"
        long_sub, short_sub = self._subtitles
        choices = [(audit.title, long_sub), (audit.title, short_sub), (short, long_sub),
                   (short, short_sub)]
        self.title, self.sub_title = next(
            ((t, sub) for t, sub in choices if len(t) + 3 + len(sub) <= width - HEADER_MARGIN),
            choices[-1])

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
        self._kept = set()
        section = self.sections[self.section_index]
        cards = [QuestionCard(question, self.view.answers.get(question.id), self.saver,
                              read_only=self.read_only) for question in section.questions]
        raised = self._findings_by_question()
        for card in cards:
            card.show_findings(raised.get(card.question.id, []))
        container = self.query_one("#questions", VerticalScroll)
        with self.app.batch_update():  # one layout and one paint when all is in place
            old = list(container.children)
            for field in container.query("Input, TextArea"):
                # its own subscription would keep the removed field alive as long as the
                # screen
                self.text_selection_started_signal.unsubscribe(field)
            await container.mount_all(cards)
            intro = self.query_one("#section-intro", Static)
            intro.update(section.intro)
            intro.display = bool(section.intro)
            self.query_one(SectionList).highlighted = self.section_index
            self.show_view()
            first = next((card for card in cards if card.display), None)
            if focus and first is not None:
                # before the old cards go, so the focus moves once; the editor opens when
                # the user starts on the question, not for a glance
                self.focus_card(first, open_it=False)
            await container.remove_children(old)
            line_cache.drop_removed()
            container.scroll_home(animate=False)

    def focus_first_question(self) -> None:
        """Put the focus in the first visible question."""
        for card in self.cards():
            if card.display and self.focus_card(card):
                return

    def focus_card(self, card: QuestionCard, *, open_it: bool = True) -> bool:
        """Focus the first field of `card` and bring it into view; a card not open is
        focused itself and, with `open_it`, asked to open. False if it has no field."""
        if card.question.id != self.current_question:
            self.current_question = card.question.id
            self._remember_position_soon()
        self.query_one("#questions", VerticalScroll).scroll_to_widget(
            card, animate=False, top=True)
        if not card.is_open:
            card.focus_closed()
        elif (field := card.first_field()) is not None:
            field.focus(scroll_visible=False)
        else:
            return False
        if open_it and not card.is_open and not self.read_only:
            card.ask_open()
        return True

    async def open_card(self, card: QuestionCard) -> bool:
        """Open the editor of `card`, then focus its first field (the card itself in a
        signed audit); False if it has none."""
        with self.app.batch_update():  # opened and focused in one paint
            await card.open()
            return self.focus_card(card)

    def _remember_position_soon(self) -> None:
        """Write where work stands once the focus has rested POSITION_DELAY seconds, not
        at every move: a write waits on the disk, which now and then takes a large part
        of a second. A killed program reopens at most that much movement back; leaving
        the screen writes it at once (`on_unmount`)."""
        if self._position_timer is not None:
            self._position_timer.stop()
        self._position_timer = self.set_timer(POSITION_DELAY, self._remember_position_now)

    def _remember_position_now(self) -> None:
        self._position_timer = None
        if self.current_question is not None:
            remember_position(self.audit_id, self.current_question)  # a convenience only

    def after_section_changes(self, step: Callable[[], Awaitable[None]]) -> None:
        """Run `step` once the section changes asked for before it are done.

        Changes run one at a time and are never cancelled half-way: a section half
        mounted and half removed is where fast key presses would otherwise land.
        """
        async def run() -> None:
            async with self._section_lock:
                await step()

        self.run_worker(run(), group="section")

    def flush_all(self) -> bool:
        """Save every typed answer and note still waiting; False if any was refused."""
        ok = True
        for card in self.cards():
            ok = card.flush() and ok
        return ok

    def follow_database(self) -> list[str]:
        """Show changes made elsewhere (another person, another window): a cheap look at the
        audit's history head, and when it moved, the changed cards, the progress and the
        markers brought up to date, saying who changed what. Returns the question ids of
        the open cards that changed. A card with typing not yet saved keeps it: saving it
        then meets the other change and asks which to keep."""
        before = self.view
        try:
            audit = self.service.get_audit(self.audit_id)
        except UserFacingError:
            return []  # the next look, or the next save, says what is wrong
        if (audit.history_length, audit.history_head) == (before.audit.history_length,
                                                          before.audit.history_head):
            return []
        self.reload()
        changed = [card for card in self.cards()
                   if self.view.answers.get(card.question.id) not in (
                       before.answers.get(card.question.id), card.answer)]
        for card in changed:
            if not card.has_pending:
                card.take_stored(self.view.answers.get(card.question.id))
        self.show_view()
        if changed:
            people = sorted({a.updated_by for c in changed
                             if (a := self.view.answers.get(c.question.id)) is not None})
            prompts = ", ".join(f"“{card.question.prompt}”" for card in changed)
            self.notify(f"{', '.join(people) or 'Someone'} changed {prompts}.",
                        title="Changed elsewhere", markup=False)
        return [card.question.id for card in changed]

    def reload(self) -> None:
        """Ask the service for the audit again."""
        try:
            self.view = self.service.view(self.audit_id)
            self.withdrawn = self.service.withdrawn_evidence(self.audit_id)
        except UserFacingError as exc:
            self.notify(str(exc), title="Cannot read the audit", severity="error", markup=False)

    def _findings_by_question(self) -> dict[str, list[Finding]]:
        """The findings raised, under each question they are about."""
        raised: dict[str, list[Finding]] = {}
        for finding in self.view.evaluation.findings:
            for question_id in dict.fromkeys(finding.questions):
                raised.setdefault(question_id, []).append(finding)
        return raised

    def revealed(self) -> list[str]:
        """Required questions revealed by answers given since the audit was opened, and
        still to do."""
        evaluation = self.view.evaluation
        to_do = set(evaluation.unanswered) | set(evaluation.unconfirmed)
        return [q for q in self._revealed if q in to_do and evaluation.visible.get(q)]

    def show_view(self) -> None:
        """Show visibility, progress, markers and findings as the service evaluated them."""
        evaluation = self.view.evaluation
        stale = {e.id for e in self.service.review(self.view).stale_evidence}
        raised = self._findings_by_question()
        if self.todo_only:
            # what was to do stays shown until the section is opened again, so that a
            # card does not vanish under the cursor as it is answered
            self._kept |= questions_to_do(self.view)
        hidden = 0
        done = 0
        unconfirmed_shown = 0
        for card in self.cards():
            card.display = evaluation.visible.get(card.question.id, True)
            hidden += not card.display
            if card.display and self.todo_only and card.question.id not in self._kept:
                card.display = False
                done += 1
            card.sync(self.view.answers.get(card.question.id))
            card.show_evidence(self.view.evidence_for(card.question.id), stale, self.withdrawn)
            card.show_findings(raised.get(card.question.id, []))
            unconfirmed_shown += card.display and card.carried
        sections = self.query_one(SectionList)
        sections.show_marks(evaluation, self.section_index)
        section = self.sections[self.section_index]
        marks = sections.marks[section.id]
        revealed = self.revealed()
        here = {q.id for q in section.questions}
        new_here = sum(q in here for q in revealed)
        counts = (f"{marks.done} answered · {marks.total - marks.done} to do"
                  f"{f' ({new_here} newly revealed)' if new_here else ''}")
        extra = f" · {hidden} hidden by earlier answers" if hidden else ""
        carried = f" · {unconfirmed_shown} to confirm" if unconfirmed_shown else ""
        if self.todo_only:
            left = any(card.display for card in self.cards())
            counts = (f"To do only (F8: all) · {counts} · {done} answered not shown" if left
                      else f"To do only (F8: all) · nothing left to do here · {counts}")
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
        progress = evaluation.progress
        counts = f"{progress.done} answered · {progress.to_do} to do"
        self._subtitles = (
            f"{counts}{f' ({len(revealed)} newly revealed)' if revealed else ''} · "
            f"{findings} finding{'s' if findings != 1 else ''}"
            f"{f' · {total_unconfirmed} to confirm' if total_unconfirmed else ''}"
            f"{' · signed, read-only' if self.read_only else ''}",
            f"{counts}{f' (+{len(revealed)} new)' if revealed else ''}"
            f"{f' · ⚑{findings}' if findings else ''}"
            f"{f' ↻{total_unconfirmed}' if total_unconfirmed else ''}"
            f"{' · signed' if self.read_only else ''}")
        self._fit_title(self.size.width)
        # the footer is drawn again only when what `check_action` decides on changed
        offered = (bool(evaluation.unconfirmed), bool(self.view.audit.based_on))
        if offered != self._offered:
            self._offered = offered
            self.refresh_bindings()

    def on_question_card_saved(self, event: QuestionCard.Saved) -> None:
        """After a save: refresh visibility, progress and markers. The service evaluates
        the view again with the saved answer; only other changes (evidence) read it back."""
        self._leave_anyway = False
        before = self.view.evaluation
        if event.answer is None:
            self.reload()
        else:
            self.view = self.service.view_with(self.view, event.answer)
        self._revealed.update(newly_revealed(self.view.checklist.checklist, before,
                                             self.view.evaluation))
        self.show_view()

    def refused(self) -> list[QuestionCard]:
        """The cards whose last typed value the service refused (not saved)."""
        return [card for card in self.cards() if card.refused]
