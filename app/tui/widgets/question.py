"""One question on the audit screen: its text, its editor, a note, not-applicable, evidence,
the carried-forward mark, and the save status."""

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

from app.audit import AnswerInfo, EvidenceInfo, HistoryEvent, StaleAnswer
from app.checklist.evaluate import AnswerState, Finding
from app.checklist.model import Question, QuestionType
from app.checklist.values import InvalidValue
from app.errors import UserFacingError
from app.safe_text import terminal_safe_line
from app.tui.saving import AnswerSaver, clock_now, local_time
from app.tui.widgets.base import AnswerEditor
from app.tui.widgets.card_actions import CardActions
from app.tui.widgets.factory import editor_for
from app.tui.widgets.findings import FindingsLine
from app.tui.widgets.requests import (
    AskDialog,
    ConfirmRequest,
    ConflictRequest,
    EvidenceRequest,
    ReasonRequest,
)

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

        def __init__(self, card: QuestionCard, answer: AnswerInfo | None) -> None:
            super().__init__()
            self.card = card
            """The card whose question changed."""
            self.answer = answer
            """The stored answer after the change (None: only evidence was added)."""

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
        self._evidence: list[EvidenceInfo] = []
        self._stale: set[int] = set()
        self._findings: list[Finding] = []
        self._withdrawn: list[HistoryEvent] = []
        self._pending_value: Any = _NOTHING
        self._pending_note: str | None = None
        self._timer: Timer | None = None

    # ---- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """Prompt, help, citations, the editor, the note and buttons, and the status line."""
        question = self.question
        # one Static for prompt, help and sources: fewer widgets mount faster
        parts: list[Content | str | tuple[str, str]] = [
            ("* ", "bold $error") if question.required else "", (question.prompt, "bold")]
        if question.help:
            parts += ["\n", (question.help, "$text-muted")]
        if question.citations:
            sources = "; ".join(c.text for c in question.citations)
            parts += ["\n", (f"Sources: {sources} (F2: in full)", "italic $text-muted")]
        yield Static(Content.assemble(*parts), classes="q-prompt")
        if self.carried:  # only carrying forward makes an answer carried
            with Horizontal(classes="q-carried"):
                yield Static("↻ Carried forward, not yet confirmed: still true? ctrl+o",
                             classes="q-carried-text")
                yield Button("Confirm", classes="q-confirm", compact=True,
                             tooltip="Confirm the carried-forward answer is still true "
                                     "(ctrl+o)")
        yield Static("", classes="q-na", markup=False)
        yield editor_for(question, self._shown_value(), self.commit_value)
        yield Static("", classes="q-status", markup=False)
        if self._findings:  # most cards raise none: the line is mounted only when needed
            yield FindingsLine(self._findings)
        yield Static("", classes="q-evidence", markup=False)
        with Horizontal(classes="q-tools"):
            yield Input(placeholder="Note (optional)", classes="q-note", compact=True,
                        select_on_focus=False)
            locked = self.question.from_audit is not None
            yield CardActions(not_applicable=self.question.allow_not_applicable and not locked,
                              clear=not locked, classes="q-actions")

    def on_mount(self) -> None:
        """Show the saved note, the not-applicable mark and the status; lock if signed."""
        note = self.query_one(".q-note", Input)
        with self.prevent(Input.Changed):
            note.value = self.answer.note if self.answer else ""
            note.cursor_position = len(note.value)
        self._show_mark()
        self._show_status(self._stored_status())
        self.show_evidence(self._evidence, self._stale)
        if self.question.from_audit is not None:
            self.editor.make_read_only()  # the audit record says it; the service refuses edits
        if self.read_only:
            self.editor.make_read_only()
            note.disabled = True
            note.display = bool(note.value)
            self.query_one(CardActions).display = False
            for button in self.query(".q-confirm"):
                button.display = False
            self.query_one(".q-tools").display = bool(note.value)

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

    @property
    def carried(self) -> bool:
        """True while the answer is carried forward and not yet confirmed."""
        return self.answer is not None and self.answer.state == AnswerState.CARRIED_UNCONFIRMED

    def _show_mark(self) -> None:
        mark = self.query_one(".q-na", Static)
        na = self.answer is not None and (
            self.answer.state == AnswerState.NOT_APPLICABLE
            or (self.carried and self.answer.value is None and bool(self.answer.na_reason)))
        mark.update(f"Not applicable: {self.answer.na_reason}" if na and self.answer else "")
        mark.display = na
        self.set_class(na, "-not-applicable")
        self.set_class(self.carried, "-carried")
        for row in self.query(".q-carried"):
            row.display = self.carried
        for button in self.query(".q-confirm"):
            button.display = self.carried and not self.read_only

    def show_evidence(self, evidence: list[EvidenceInfo], stale: set[int],
                      withdrawn: list[HistoryEvent] | None = None) -> None:
        """List the evidence attached to the question, with each file's SHA-256, and the
        files withdrawn from it (their hash, who, when and why, as the history keeps them)."""
        self._evidence, self._stale = list(evidence), set(stale)
        if withdrawn is not None:
            self._withdrawn = [e for e in withdrawn if e.question_id == self.question.id]
        if not self.is_mounted or not self.query(".q-evidence"):
            return  # not composed yet, or being removed: on_mount shows it
        lines = []
        for item in self._evidence:
            date = f" · effective {item.effective_date}" if item.effective_date else ""
            flag = " · STALE: dated before the audit period" if item.id in self._stale else ""
            lines.append(f"Evidence: {item.name} · {item.size:,} bytes{date}{flag}\n"
                         f"  SHA-256 {item.sha256}")
        for event in self._withdrawn:
            old = event.old if isinstance(event.old, dict) else {}
            lines.append(terminal_safe_line(
                f"Withdrawn: {old.get('name', '?')} · by {event.actor} on "
                f"{local_time(event.at)}: {event.reason or '—'}") + "\n"
                         f"  SHA-256 {old.get('sha256', '?')} (bytes purged)")
        if self._evidence and not self.read_only:
            lines.append("  F7: open or withdraw a file")
        elif self._evidence:
            lines.append("  F7: open a file")
        box = self.query_one(".q-evidence", Static)
        box.update("\n".join(lines))
        box.display = bool(lines)
        box.set_class(bool(self._stale & {e.id for e in self._evidence}), "-stale")

    def show_findings(self, findings: list[Finding]) -> None:
        """Show the findings the answers raise on this question (their severity, title and
        the table rows they concern); nothing when there are none."""
        if findings != self._findings:
            self._findings = list(findings)
            if self.is_mounted and self.query(".q-status"):  # else compose shows them
                FindingsLine.show_in(self, self._findings, after=self.query_one(".q-status"))

    def sync(self, answer: AnswerInfo | None, what: str | None = None) -> None:
        """Take the stored answer as the service now has it (a confirmation made elsewhere);
        the value shown is unchanged, so the editor is left alone."""
        if answer == self.answer or not self.query(".q-na"):
            return
        self.answer = answer
        self._show_mark()
        self._show_status(f"{what} {clock_now()}" if what else self._stored_status())

    def _stored_status(self) -> str:
        answer = self.answer
        if answer is None or (answer.value is None and not answer.note
                              and answer.state != AnswerState.NOT_APPLICABLE):
            return ""
        if answer.state == AnswerState.CARRIED_UNCONFIRMED:
            return ""  # the carried-forward line says it
        return f"saved {local_time(answer.updated_at)} by {answer.updated_by}"

    def _show_pending(self) -> None:
        """While typed text waits, the card says so: never an older "saved" beside it."""
        if not self.refused:
            self._show_status("unsaved… (saved after a pause, or on leaving the field)")

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
            self._show_pending()
            self._schedule()
        else:
            self._pending_value = _NOTHING
            self._save_value(event.value)

    @on(Input.Changed, ".q-note")
    def _note_changed(self, event: Input.Changed) -> None:
        event.stop()
        if not self.read_only:
            self._pending_note = event.value
            self._show_pending()
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

    def commit_value(self, value: Any | None, *, expected: Any = _NOTHING,
                     reason: str | None = None) -> AnswerInfo:
        """Save `value` (`None` removes the answer) against the answer the card showed (or
        `expected`); raises `UserFacingError` if refused, StaleAnswer if changed elsewhere."""
        seen = (self.answer.value if self.answer else None) if expected is _NOTHING else expected
        info = self.saver.set_value(self.question.id, value, expected=seen, reason=reason)
        self._after_save(info, "saved" if value is not None else "cleared")
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
        except StaleAnswer as refusal:
            self._conflict(refusal, value)
            return False
        except UserFacingError as exc:
            self.refused = True
            self.editor.mark_invalid(True)
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
        self.editor.mark_invalid(True)
        self._show_status(f"Not saved: {refusal}", error=True)

        def chosen(choice: str | None) -> None:
            if choice == "theirs":
                self.take_stored(self.saver.stored(self.question.id))
            elif choice == "mine" and refusal.field == "note":
                self.take_stored(self.saver.stored(self.question.id))
                with self.prevent(Input.Changed):
                    self.query_one(".q-note", Input).value = mine
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
        self._pending_value, self._pending_note = _NOTHING, None
        self.refused = False
        self.editor.mark_invalid(False)
        self.editor.load(self._shown_value())
        with self.prevent(Input.Changed):
            self.query_one(".q-note", Input).value = answer.note if answer else ""
        self._show_mark()
        self._show_status(f"changed {local_time(answer.updated_at)} by {answer.updated_by}"
                          if answer else "")

    def restored(self, info: AnswerInfo) -> None:
        """Show an earlier value the service has just restored, and say so."""
        self._pending_value = _NOTHING
        self.editor.load(info.value if info.state != AnswerState.NOT_APPLICABLE else None)
        self._after_save(info, "restored")

    def _after_save(self, info: AnswerInfo, what: str) -> None:
        self.answer = info
        self.refused = False
        self.editor.mark_invalid(False)
        self.editor.on_saved(self._shown_value())
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
                self.editor.load(None)
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
        self._pending_value = _NOTHING
        self.flush()
        try:
            info = self.saver.clear(self.question.id,
                                    expected=self.answer.value if self.answer else None)
        except UserFacingError as exc:
            self._show_status(f"Not cleared: {exc}", error=True)
            return
        self.editor.load(None)
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
