"""One question on the audit screen: its text, its editor, a note, not-applicable, evidence,
the carried-forward mark, and the save status."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.events import DescendantBlur
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Button

from app.audit import AnswerInfo, EvidenceInfo, StaleAnswer
from app.checklist.evaluate import AnswerState
from app.checklist.model import Question, QuestionType
from app.checklist.values import InvalidValue
from app.errors import UserFacingError
from app.tui.saving import AnswerSaver, clock_now, local_time
from app.tui.widgets.base import AnswerEditor
from app.tui.widgets.card_actions import CardActions
from app.tui.widgets.card_summary import shown_value
from app.tui.widgets.card_view import NOTHING, CardView
from app.tui.widgets.requests import (
    AskDialog,
    ConfirmRequest,
    ConflictRequest,
    EvidenceRequest,
    ReasonRequest,
)
from app.tui.widgets.text import NoteArea

DEBOUNCE_SECONDS = 0.5
"""How long typing must pause before the text is saved."""


class QuestionCard(CardView):
    """A question with its prompt, help, citations, editor, note and save status.

    The card is drawn as text (`CardView`) until it is worked on: Enter, a click or
    typing opens its editor, closing the one open before. Choices are saved as soon as
    they change; typed text after a pause of `DEBOUNCE_SECONDS`, when the field loses
    focus, or when `flush()` is called (on closing the editor, section change, leaving the
    screen and quitting). The status line says when the answer was saved, or quotes the
    service's reason for refusing it.
    """

    class Saved(Message):
        """The service stored a change to this question (answer, note or mark)."""

        def __init__(self, card: QuestionCard, answer: AnswerInfo | None) -> None:
            super().__init__()
            self.card = card
            """The card whose question changed."""
            self.answer = answer
            """The stored answer after the change (None: only evidence was added)."""

    def __init__(self, question: Question, answer: AnswerInfo | None, saver: AnswerSaver,
                 *, read_only: bool = False) -> None:
        super().__init__(question, answer, read_only=read_only)
        self.saver = saver
        """Saves changes through the audit service."""
        self.refused = False
        """True while the service refuses the value last typed (so it is not saved)."""
        self._pending_value: Any = NOTHING
        self._pending_note: str | None = None
        self._timer: Timer | None = None

    @property
    def has_pending(self) -> bool:
        """True while typed text waits to be saved."""
        return self._pending_value is not NOTHING or self._pending_note is not None

    def _show_pending(self) -> None:
        """While typed text waits, the card says so: never an older "saved" beside it."""
        if not self.refused:
            self._show_status("unsaved… (saved after a pause, or on leaving the field)")

    # ---- editing ------------------------------------------------------------------------

    def on_answer_editor_edited(self, event: AnswerEditor.Edited) -> None:
        """An edit: save choices now, typing after a pause."""
        event.stop()
        if self.read_only:
            return
        if event.debounce:
            self._pending_value = event.value
            self._show_pending()
            self._schedule()
        else:
            self._pending_value = NOTHING
            self._save_value(event.value)

    @on(NoteArea.Changed, ".q-note")
    def _note_changed(self, event: NoteArea.Changed) -> None:
        event.stop()
        if not self.read_only:
            self._pending_note = event.text_area.text
            self._show_pending()
            self._schedule()

    def on_descendant_blur(self, event: DescendantBlur) -> None:
        """Leaving a field saves what was typed in it."""
        self.flush()

    def _schedule(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE_SECONDS, self.flush, name="autosave")

    def flush(self) -> bool:
        """Save whatever typed text is waiting; False if the service refused some of it."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        ok = True
        if self._pending_value is not NOTHING:
            value, self._pending_value = self._pending_value, NOTHING
            ok = self._save_value(value)
        if self._pending_note is not None:
            note, self._pending_note = self._pending_note, None
            ok = self._save_note(note) and ok
        return ok

    def commit_value(self, value: Any | None, *, expected: Any = NOTHING,
                     reason: str | None = None) -> AnswerInfo:
        """Save `value` (`None` removes the answer) against the answer the card showed (or
        `expected`); raises `UserFacingError` if refused, StaleAnswer if changed elsewhere."""
        seen = (self.answer.value if self.answer else None) if expected is NOTHING else expected
        info = self.saver.set_value(self.question.id, value, expected=seen, reason=reason)
        self._after_save(info, "saved" if value is not None else "cleared")
        return info

    def _save_value(self, value: Any | None) -> bool:
        stored = self.answer
        if stored is not None and value == stored.value and (
                value is None or stored.state == AnswerState.ANSWERED):
            self.refused = False
            self._editor_shows(invalid=False)
            self._show_status(self._stored_status())
            return True
        if stored is None and value is None:
            self.refused = False
            self._editor_shows(invalid=False)
            self._show_status("")
            return True
        try:
            self.commit_value(value)
        except StaleAnswer as refusal:
            self._conflict(refusal, value)
            return False
        except UserFacingError as exc:
            self.refused = True
            self._editor_shows(invalid=True)
            # the card is the question: "this answer" reads better here than its id
            reason = exc.relative(1, "this answer") if isinstance(exc, InvalidValue) else exc
            self._show_status(f"Not saved: {reason}", error=True)
            return False
        return True

    def _save_note(self, note: str) -> bool:
        if note == (self.answer.note if self.answer else ""):
            return True
        try:
            info = self.saver.set_note(self.question.id, note,
                                       expected=self.answer.note if self.answer else "")
        except StaleAnswer as refusal:
            self._conflict(refusal, note)
            return False
        except UserFacingError as exc:
            self._show_status(f"Note not saved: {exc}", error=True)
            return False
        self._after_save(info, "note saved")
        return True

    def _conflict(self, refusal: StaleAnswer, mine: Any) -> None:
        """Someone else changed this since the card showed it: say so, then keep theirs or
        save mine in its place, as the user chooses."""
        self.refused = True
        self._editor_shows(invalid=True)
        self._show_status(f"Not saved: {refusal}", error=True)

        def chosen(choice: str | None) -> None:
            if choice == "theirs":
                self.take_stored(self.saver.stored(self.question.id))
            elif choice == "mine" and refusal.field == "note":
                self.take_stored(self.saver.stored(self.question.id))
                self._load_note(mine)
                self._save_note(mine)
            elif choice == "mine":
                try:
                    self.commit_value(mine, expected=refusal.stored)
                except StaleAnswer as again:
                    self._conflict(again, mine)
                except UserFacingError as exc:
                    self._show_status(f"Not saved: {exc}", error=True)

        self.post_message(AskDialog(ConflictRequest(self.question.prompt, refusal, mine,
                                                    chosen)))

    def take_stored(self, answer: AnswerInfo | None) -> None:
        """Show the answer as the database now holds it, changed elsewhere: value, note,
        marks, and who changed it."""
        self.answer = answer
        self._pending_value, self._pending_note = NOTHING, None
        self.refused = False
        self._editor_shows(self._shown_value(), invalid=False)
        self._load_note(answer.note if answer else "")
        self._show_mark()
        self._show_status(f"changed {local_time(answer.updated_at)} by {answer.updated_by}"
                          if answer else "")

    def restored(self, info: AnswerInfo) -> None:
        """Show an earlier value the service has just restored, and say so."""
        self._pending_value = NOTHING
        self._editor_shows(shown_value(info))
        self._after_save(info, "restored")

    def _after_save(self, info: AnswerInfo, what: str) -> None:
        self.answer = info
        self.refused = False
        self._editor_shows(invalid=False, saved=self._shown_value())
        self._show_mark()
        self._show_status(f"{what} {clock_now()}")
        self.post_message(self.Saved(self, info))

    # ---- not applicable and clear -------------------------------------------------------

    def _from_audit_record(self) -> bool:
        """True (after saying so) when the answer is the audit record's own."""
        if self.question.from_audit is None:
            return False
        self.notify(f"This answer is the audit's {self.question.from_audit.replace('_', ' ')}, "
                    "filled in from the audit record: it cannot be changed here.",
                    severity="warning")
        return True

    def on_card_actions_chosen(self, event: CardActions.Chosen) -> None:
        """An action link was clicked."""
        event.stop()
        {"evidence": self.attach_evidence, "not_applicable": self.mark_not_applicable,
         "clear": self.clear}[event.action]()

    def mark_not_applicable(self) -> None:
        """Ask for the reason, then mark the question not applicable."""
        if self.read_only or self._from_audit_record():
            return
        if not self.question.allow_not_applicable:
            self.notify("This question cannot be marked not applicable: every audit must "
                        "answer it.", severity="warning")
            return
        self.flush()
        question_id = self.question.id

        seen = self.answer.value if self.answer else None

        def submit(reason: str) -> AnswerInfo:
            return self.saver.set_not_applicable(question_id, reason, expected=seen)

        def done(info: AnswerInfo | None) -> None:
            if info is not None:
                self._editor_shows(None)
                self._after_save(info, "marked not applicable")

        reason = self.answer.na_reason if self.answer and self.answer.na_reason else ""
        self.post_message(AskDialog(ReasonRequest(f"Not applicable — {self.question.prompt}",
                                                  submit, reason=reason, done=done)))

    def clear(self) -> None:
        """Remove the answer and any not-applicable mark (the note stays); a table's rows
        or a long text are only removed after the user confirms."""
        if self.read_only or self._from_audit_record():
            return
        stored = self.answer.value if self.answer else None
        if stored and self.question.type in (QuestionType.TABLE, QuestionType.LONG_TEXT):
            what = (f"its {len(stored)} row{'s' if len(stored) != 1 else ''}"
                    if self.question.type == QuestionType.TABLE else "its text")
            self.post_message(AskDialog(ConfirmRequest(
                f"Clear — {self.question.prompt}",
                f"The answer and {what} will be removed (the note stays). The history "
                "keeps the old answer.", confirm="Clear it", danger=True,
                done=lambda confirmed: self._clear_now() if confirmed else None)))
            return
        self._clear_now()

    def _clear_now(self) -> None:
        self._pending_value = NOTHING
        self.flush()
        try:
            info = self.saver.clear(self.question.id,
                                    expected=self.answer.value if self.answer else None)
        except UserFacingError as exc:
            self._show_status(f"Not cleared: {exc}", error=True)
            return
        self._editor_shows(None)
        self._after_save(info, "cleared")

    # ---- carried forward and evidence ---------------------------------------------------

    @on(Button.Pressed, ".q-confirm")
    def _confirm_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.confirm()

    def confirm(self) -> bool:
        """Confirm the carried-forward answer as still true; False if there was none."""
        if self.read_only or not self.carried:
            return False
        self.flush()
        if not self.carried:  # saving typed text already made it answered
            return True
        try:
            info = self.saver.confirm(self.question.id)
        except UserFacingError as exc:
            self._show_status(f"Not confirmed: {exc}", error=True)
            return False
        self._after_save(info, "confirmed")
        return True

    def attach_evidence(self) -> None:
        """Ask for a file and attach it as evidence for this question."""
        if self.read_only:
            return

        def done(info: EvidenceInfo | None) -> None:
            if info is not None:
                self._show_status(f"evidence {info.name} attached {clock_now()}")
                self.post_message(self.Saved(self, self.answer))

        self.post_message(AskDialog(EvidenceRequest(self.saver.service, self.saver.audit_id,
                                                    self.question, done)))


