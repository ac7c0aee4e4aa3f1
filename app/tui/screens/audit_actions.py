"""What the question keys do to the current question: confirm, clear, evidence, not
applicable, help, history; and saving everything typed."""

from __future__ import annotations

from textual import on
from textual.widgets import Button

from app.audit import AnswerInfo
from app.errors import UserFacingError
from app.tui.dialogs.confirm import ConfirmDialog
from app.tui.screens.audit_navigation import AuditNavigation
from app.tui.widgets.question import QuestionCard


class QuestionActions(AuditNavigation):
    """The actions on the current question (or on the open section's carried answers)."""

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
                card.question, self.view.evidence_for(card.question.id),
                self.view.checklist.checklist))

    def action_evidence(self) -> None:
        """Attach evidence to the current question."""
        card = self._card_for_action()
        if card is not None:
            card.attach_evidence()

    def action_history(self) -> None:
        """Show every earlier value of the current question; restore one with a reason."""
        from app.tui.dialogs.history import HistoryDialog

        card = self._card_for_action()
        if card is None:
            return
        card.flush()
        question_id = card.question.id
        try:
            events = self.service.answer_history(self.audit_id, question_id)
        except UserFacingError as exc:
            self.notify(str(exc), title="Cannot read the history", severity="error",
                        markup=False)
            return

        def restore(seq: int, reason: str) -> AnswerInfo:
            return self.service.restore_answer(self.audit_id, question_id, seq, reason)

        def done(info: AnswerInfo | None) -> None:
            if info is not None and card.is_mounted:
                card.restored(info)

        self.app.push_screen(HistoryDialog(card.question, events, card.answer, restore,
                                           read_only=self.read_only), done)

    def action_evidence_files(self) -> None:
        """Open or withdraw the current question's evidence files."""
        from app.tui.dialogs.evidence_files import EvidenceFilesDialog

        card = self._card_for_action()
        if card is None:
            return

        def done(withdrew: bool | None) -> None:
            if withdrew:
                self.reload()
                self.show_view()

        self.app.push_screen(EvidenceFilesDialog(
            self.service, self.audit_id, card.question,
            self.view.evidence_for(card.question.id), self.withdrawn,
            read_only=self.read_only), done)

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

    def action_save(self) -> None:
        """Save everything typed now."""
        if self.flush_all() and not self.refused():
            self.notify("All answers are saved.")
        else:
            self.notify("Some values were not saved: the red messages say what is allowed.",
                        severity="warning")
