"""One question on the audit screen: its text, its editor, a note, not-applicable, status."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.events import DescendantBlur
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Button, Input, Static

from app.audit import AnswerInfo
from app.checklist.evaluate import AnswerState
from app.checklist.model import Question
from app.errors import UserFacingError
from app.tui.dialogs.reason import ReasonDialog
from app.tui.saving import AnswerSaver, clock_now, local_time
from app.tui.widgets.base import AnswerEditor
from app.tui.widgets.factory import editor_for

DEBOUNCE_SECONDS = 0.5
"""How long typing must pause before the text is saved."""

_NOTHING: Any = object()


class QuestionCard(Vertical):
    """A question with its prompt, help, citations, editor, note and save status.

    Choices are saved as soon as they change; typed text after a pause of
    `DEBOUNCE_SECONDS`, when the field loses focus, or when `flush()` is called (on
    section change, leaving the screen and quitting). The status line says when the
    answer was saved, or quotes the service's reason for refusing it.
    """

    class Saved(Message):
        """The service stored a change to this question (answer, note or mark)."""

        def __init__(self, card: QuestionCard, answer: AnswerInfo) -> None:
            super().__init__()
            self.card = card
            """The card whose question changed."""
            self.answer = answer
            """The stored answer after the change."""

    def __init__(self, question: Question, answer: AnswerInfo | None, saver: AnswerSaver,
                 *, read_only: bool = False) -> None:
        super().__init__(classes="question")
        self.question = question
        """The question shown."""
        self.answer = answer
        """The stored answer as last loaded or saved (`None`: never answered)."""
        self.saver = saver
        """Saves changes through the audit service."""
        self.read_only = read_only
        """True for a signed audit: nothing can be changed."""
        self.refused = False
        """True while the service refuses the value last typed (so it is not saved)."""
        self._pending_value: Any = _NOTHING
        self._pending_note: str | None = None
        self._timer: Timer | None = None

    # ---- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """Prompt, help, citations, the editor, the note and buttons, and the status line."""
        question = self.question
        prompt = Content.assemble(("* ", "bold $error") if question.required else "",
                                  (question.prompt, "bold"))
        yield Static(prompt, classes="q-prompt")
        if question.help:
            yield Static(question.help, classes="q-help", markup=False)
        if question.citations:
            sources = "; ".join(f"{c.text} <{c.url}>" if c.url else c.text
                                for c in question.citations)
            yield Static(f"Sources: {sources}", classes="q-cite", markup=False)
        yield Static("", classes="q-na", markup=False)
        yield editor_for(question, self._shown_value(), self.commit_value)
        yield Static("", classes="q-status", markup=False)
        with Horizontal(classes="q-tools"):
            yield Input(placeholder="Note (optional)", classes="q-note", compact=True)
            yield Button("Not applicable…", classes="q-na-button", compact=True)
            yield Button("Clear", classes="q-clear", compact=True)

    def on_mount(self) -> None:
        """Show the saved note, the not-applicable mark and the status; lock if signed."""
        note = self.query_one(".q-note", Input)
        with self.prevent(Input.Changed):
            note.value = self.answer.note if self.answer else ""
        self._show_mark()
        self._show_status(self._stored_status())
        if self.read_only:
            self.editor.make_read_only()
            note.disabled = True
            note.display = bool(note.value)
            for button in self.query(Button).filter(".q-na-button, .q-clear"):
                button.display = False

    @property
    def editor(self) -> AnswerEditor:
        """The editor of the answer."""
        return self.query_one(".editor", AnswerEditor)

    @property
    def has_pending(self) -> bool:
        """True while typed text waits to be saved."""
        return self._pending_value is not _NOTHING or self._pending_note is not None

    def _shown_value(self) -> Any | None:
        if self.answer is None or self.answer.state == AnswerState.NOT_APPLICABLE:
            return None
        return self.answer.value

    def _show_mark(self) -> None:
        mark = self.query_one(".q-na", Static)
        na = self.answer is not None and self.answer.state == AnswerState.NOT_APPLICABLE
        mark.update(f"Not applicable: {self.answer.na_reason}" if na and self.answer else "")
        mark.display = na
        self.set_class(na, "-not-applicable")

    def _stored_status(self) -> str:
        answer = self.answer
        if answer is None or (answer.value is None and not answer.note
                              and answer.state != AnswerState.NOT_APPLICABLE):
            return ""
        if answer.state == AnswerState.CARRIED_UNCONFIRMED:
            return "carried forward from the previous audit: not yet confirmed"
        return f"saved {local_time(answer.updated_at)} by {answer.updated_by}"

    def _show_status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one(".q-status", Static)
        status.update(text)
        status.set_class(error, "-error")
        status.set_class(bool(text) and not error, "-ok")
        status.display = bool(text)

    # ---- editing ------------------------------------------------------------------------

    def on_answer_editor_edited(self, event: AnswerEditor.Edited) -> None:
        """An edit: save choices now, typing after a pause."""
        event.stop()
        if self.read_only:
            return
        if event.debounce:
            self._pending_value = event.value
            self._schedule()
        else:
            self._pending_value = _NOTHING
            self._save_value(event.value)

    @on(Input.Changed, ".q-note")
    def _note_changed(self, event: Input.Changed) -> None:
        event.stop()
        if not self.read_only:
            self._pending_note = event.value
            self._schedule()

    @on(Input.Submitted, ".q-note")
    def _note_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.flush()

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
        if self._pending_value is not _NOTHING:
            value, self._pending_value = self._pending_value, _NOTHING
            ok = self._save_value(value)
        if self._pending_note is not None:
            note, self._pending_note = self._pending_note, None
            ok = self._save_note(note) and ok
        return ok

    def commit_value(self, value: Any | None) -> AnswerInfo:
        """Save `value` (`None` removes the answer); raises `UserFacingError` if refused."""
        info = self.saver.set_value(self.question.id, value)
        self._after_save(info, "saved")
        return info

    def _save_value(self, value: Any | None) -> bool:
        stored = self.answer
        if stored is not None and value == stored.value and (
                value is None or stored.state == AnswerState.ANSWERED):
            self.refused = False
            self.editor.mark_invalid(False)
            self._show_status(self._stored_status())
            return True
        if stored is None and value is None:
            self.refused = False
            self.editor.mark_invalid(False)
            self._show_status("")
            return True
        try:
            self.commit_value(value)
        except UserFacingError as exc:
            self.refused = True
            self.editor.mark_invalid(True)
            self._show_status(f"Not saved: {exc}", error=True)
            return False
        return True

    def _save_note(self, note: str) -> bool:
        if note == (self.answer.note if self.answer else ""):
            return True
        try:
            info = self.saver.set_note(self.question.id, note)
        except UserFacingError as exc:
            self._show_status(f"Note not saved: {exc}", error=True)
            return False
        self._after_save(info, "note saved")
        return True

    def _after_save(self, info: AnswerInfo, what: str) -> None:
        self.answer = info
        self.refused = False
        self.editor.mark_invalid(False)
        self.editor.on_saved(self._shown_value())
        self._show_mark()
        self._show_status(f"{what} {clock_now()}")
        self.post_message(self.Saved(self, info))

    # ---- not applicable and clear -------------------------------------------------------

    @on(Button.Pressed, ".q-na-button")
    def _not_applicable_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.mark_not_applicable()

    def mark_not_applicable(self) -> None:
        """Ask for the reason, then mark the question not applicable."""
        if self.read_only:
            return
        self.flush()
        question_id = self.question.id

        def submit(reason: str) -> AnswerInfo:
            return self.saver.set_not_applicable(question_id, reason)

        def done(info: AnswerInfo | None) -> None:
            if info is not None:
                self.editor.load(None)
                self._after_save(info, "marked not applicable")

        reason = self.answer.na_reason if self.answer and self.answer.na_reason else ""
        self.app.push_screen(ReasonDialog(f"Not applicable — {self.question.prompt}", submit,
                                          reason=reason), done)

    @on(Button.Pressed, ".q-clear")
    def _clear_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.clear()

    def clear(self) -> None:
        """Remove the answer and any not-applicable mark (the note stays)."""
        if self.read_only:
            return
        self._pending_value = _NOTHING
        self.flush()
        try:
            info = self.saver.clear(self.question.id)
        except UserFacingError as exc:
            self._show_status(f"Not cleared: {exc}", error=True)
            return
        self.editor.load(None)
        self._after_save(info, "cleared")
