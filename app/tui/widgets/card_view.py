"""A question card's display: its text while closed, its editor's widgets while open, and
what both show (marks, status, findings, evidence, note). Editing is `QuestionCard`'s."""

from __future__ import annotations

import asyncio
from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Button, Static

from app.audit import AnswerInfo, EvidenceInfo, HistoryEvent
from app.checklist.evaluate import AnswerState, Finding
from app.checklist.model import Question
from app.tui import line_cache
from app.tui.saving import clock_now, local_time
from app.tui.widgets.base import AnswerEditor
from app.tui.widgets.card_actions import CardActions
from app.tui.widgets.card_summary import (
    CARRIED_LINE,
    FORWARDED_KEYS,
    OPENING_KEYS,
    CardState,
    evidence_lines,
    prompt_content,
    shown_value,
    summary_content,
)
from app.tui.widgets.factory import editor_for
from app.tui.widgets.findings import FindingsLine
from app.tui.widgets.text import NoteArea

NOTHING: Any = object()
"""No value given (None is a value: no answer)."""


class CardView(Static):
    """A question drawn as text until it is worked on; then its editor's widgets.

    Closed, the card is one widget that draws its text and takes the focus like a field:
    Tab goes past it without opening anything; Enter, a click, or typing opens the
    editor. What is typed (letters, arrows) is kept and handed to the editor once it is
    open, so that no keystroke is lost. `open()` closes the sibling card that is open and
    mounts the editor's widgets inside the card; `close()` saves what is typed and draws
    the text again. The state the card shows is kept in `state` and drawn by whichever of
    the two is shown.
    """

    can_focus = True

    def __init__(self, question: Question, answer: AnswerInfo | None, *,
                 read_only: bool = False) -> None:
        super().__init__("", classes="question", markup=False)
        self.question = question
        """The question shown."""
        self.read_only = read_only
        """True for a signed audit: nothing can be changed."""
        self.state = CardState(answer=answer)
        """What the card shows besides its question."""
        self.state.status = self._stored_status()
        self.set_class(self._not_applicable(), "-not-applicable")
        self.set_class(self.carried, "-carried")
        self._evidence: list[EvidenceInfo] = []
        self._stale: set[int] = set()
        self._withdrawn: list[HistoryEvent] = []
        self._opening = False
        self._body: CardBody | None = None
        self._opening_lock = asyncio.Lock()
        self._typed: list[events.Key] | None = None
        self._shown: Content | None = None
        self._redraw(focused=False)

    @property
    def answer(self) -> AnswerInfo | None:
        """The stored answer as last loaded or saved (`None`: never answered)."""
        return self.state.answer

    @answer.setter
    def answer(self, answer: AnswerInfo | None) -> None:
        self.state.answer = answer

    def commit_value(self, value: Any | None, *, expected: Any = NOTHING,
                     reason: str | None = None) -> AnswerInfo:
        """Save `value` (tables save through it); `QuestionCard` does."""
        raise NotImplementedError

    def flush(self) -> bool:
        """Save whatever typed text is waiting; `QuestionCard` does."""
        raise NotImplementedError

    # ---- layout -------------------------------------------------------------------------

    def _summary_content(self, *, focused: bool | None = None) -> Content:
        return summary_content(self.question, self.state, carried=self.carried,
                               na=self._not_applicable(), read_only=self.read_only,
                               focused=self.has_focus if focused is None else focused)

    def on_focus(self) -> None:
        """Say which keys open the editor (the keys line shows on the focused card only)."""
        self._redraw(focused=True)  # before Textual's own handler sets `has_focus`

    def on_blur(self) -> None:
        """What was typed here belongs to this moment only."""
        self._typed = None
        self._redraw(focused=False)

    def on_key(self, event: events.Key) -> None:
        """On the closed card: open the editor on Enter, space, an arrow or a letter, and
        keep letters and arrows for it. Keys typed in the open editor are its own."""
        if not self.has_focus or self.is_open:
            return
        if event.key in OPENING_KEYS or event.is_printable or event.key in FORWARDED_KEYS:
            event.prevent_default()
            event.stop()
            typing = bool(self._typed)  # a space among typed letters is text, not "open"
            self.ask_open()
            forwarded = event.key not in OPENING_KEYS or (event.key == "space" and typing)
            if forwarded and self._typed is not None:
                self._typed.append(events.Key(event.key, event.character))

    def on_click(self) -> None:
        """A click on the closed card opens the editor (clicks in the editor are its own)."""
        if not self.is_open:
            self.ask_open()

    def ask_open(self) -> None:
        """Open the editor, focus it, and hand it what is typed until then (once until
        the focus moves on)."""
        if self._typed is None:
            self._typed = []
            self._open_and_type(self._typed)

    def body_widgets(self) -> ComposeResult:
        """Prompt, help, citations, the editor, the note and buttons, and the status line."""
        yield Static(prompt_content(self.question), classes="q-prompt")
        if self.carried:  # only carrying forward makes an answer carried
            with Horizontal(classes="q-carried"):
                yield Static(CARRIED_LINE, classes="q-carried-text")
                yield Button("Confirm", classes="q-confirm", compact=True,
                             tooltip="Confirm the carried-forward answer is still true "
                                     "(ctrl+o)")
        yield Static("", classes="q-na", markup=False)
        yield editor_for(self.question, shown_value(self.answer), self.commit_value)
        yield Static("", classes="q-status", markup=False)
        if self.state.findings:
            yield FindingsLine(self.state.findings)
        yield Static("", classes="q-evidence", markup=False)
        yield NoteArea(classes="q-note")
        with Horizontal(classes="q-tools"):
            locked = self.question.from_audit is not None
            yield CardActions(not_applicable=self.question.allow_not_applicable and not locked,
                              clear=not locked, classes="q-actions")

    @property
    def is_open(self) -> bool:
        """True while the card's editor is mounted (from the end of `open()` to the start
        of `close()`)."""
        return self._body is not None

    async def open(self) -> bool:
        """Mount the editor's widgets (once); False for a signed audit, which has none."""
        if self.read_only:
            return False
        async with self._opening_lock:  # an open and a close never overlap
            if self._body is not None:
                return True
            with self.app.batch_update():  # one layout and one paint for the whole change
                for other in self._open_siblings():
                    await other.close()
                body = CardBody(self)
                await self.mount(body)
                self._body = body
                self._fill_body()
                self.can_focus = False  # its fields take the focus now
                self._shown = None
                self.update("")
        return True

    def _open_siblings(self) -> list[CardView]:
        parent = self.parent
        siblings = parent.children if isinstance(parent, Widget) else []
        return [card for card in siblings
                if isinstance(card, CardView) and card is not self and card.is_open]

    async def close(self) -> None:
        """Save what is typed, then show the card as text again."""
        async with self._opening_lock:
            body = self._body
            if body is None:
                return
            self.flush()
            self._body = None
            for field in body.query("Input, TextArea"):
                # its subscription would keep the removed field alive as long as the screen
                self.screen.text_selection_started_signal.unsubscribe(field)
            with self.app.batch_update():
                self.can_focus = True
                self._redraw()
                await body.remove()
            _forget_removed_children(self)
            line_cache.drop_removed()

    def first_field(self) -> Widget | None:
        """The first field of the open card that takes input: the editor's, else another."""
        if self._body is None:
            return None
        for widget in [*self.editor.query("*"), *self._body.query("*")]:
            if widget.focusable and _shown_within(widget, self):
                return widget
        return None

    def _open_and_type(self, typed: list[events.Key]) -> None:
        """Open the editor, focus it if the card had the focus, and hand it `typed`."""
        if self.read_only or self._opening:
            return
        self._opening = True

        async def open_and_focus() -> None:
            try:
                with self.app.batch_update():  # opened and focused in one paint
                    focused = self.has_focus or self.screen.focused is None
                    await self.open()
                    field = self.first_field()
                    if field is None or not focused:
                        return
                    field.focus(scroll_visible=False)
                for key in typed:  # as if typed now: the field's keys act on them
                    self.app.post_message(events.Key(key.key, key.character))
            finally:
                self._opening = False

        self.run_worker(open_and_focus(), group="open-card")

    def _fill_body(self) -> None:
        """Show the saved note, the not-applicable mark and the status; lock if signed."""
        self._load_note(self.answer.note if self.answer else "")
        self._show_mark()
        self._show_status(self.state.status, error=self.state.status_error)
        self.show_evidence(self._evidence, self._stale)
        if self.question.from_audit is not None:
            self.editor.make_read_only()  # the audit record says it; the service refuses edits

    @property
    def editor(self) -> AnswerEditor:
        """The editor of the answer (the card must be open)."""
        return self.query_one(".editor", AnswerEditor)

    @property
    def open_editor(self) -> AnswerEditor | None:
        """The editor of the answer, if the card is open."""
        return next(iter(self.query(".editor").results(AnswerEditor)), None)

    def _editor_shows(self, value: Any | None = NOTHING, *, invalid: bool | None = None,
                      saved: Any | None = NOTHING) -> None:
        editor = self.open_editor
        if editor is None:
            return
        if invalid is not None:
            editor.mark_invalid(invalid)
        if value is not NOTHING:
            editor.load(value)
        if saved is not NOTHING:
            editor.on_saved(saved)

    def _shown_value(self) -> Any | None:
        return shown_value(self.answer)

    @property
    def carried(self) -> bool:
        """True while the answer is carried forward and not yet confirmed."""
        return self.answer is not None and self.answer.state == AnswerState.CARRIED_UNCONFIRMED

    def _not_applicable(self) -> bool:
        return self.answer is not None and (
            self.answer.state == AnswerState.NOT_APPLICABLE
            or (self.carried and self.answer.value is None and bool(self.answer.na_reason)))

    def _redraw(self, *, focused: bool | None = None) -> None:
        """Draw the closed card's text again from its state;
        `focused` draws it as focused or not before the focus has moved."""
        self.set_class(self._not_applicable(), "-not-applicable")
        self.set_class(self.carried, "-carried")
        if self.is_open:
            return
        content = self._summary_content(focused=focused)
        if content != self._shown:  # nothing laid out or painted again when it is the same
            self._shown = content
            self.update(content)

    def focus_closed(self) -> None:
        """Give the closed card the focus, drawn focused at once (in the paint that shows
        the move, not one after it)."""
        self._redraw(focused=True)
        self.focus(scroll_visible=False)

    def _show_mark(self) -> None:
        na = self._not_applicable()
        self._redraw()
        if not self.is_open:
            return
        mark = self.query_one(".q-na", Static)
        mark.update(f"Not applicable: {self.answer.na_reason}" if na and self.answer else "")
        mark.display = na
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
        lines = evidence_lines(self._evidence, self._stale, self._withdrawn,
                               read_only=self.read_only)
        stale_shown = bool(self._stale & {e.id for e in self._evidence})
        if (lines, stale_shown) != (self.state.evidence, self.state.stale):
            self.state.evidence, self.state.stale = lines, stale_shown
            self._redraw()
        if not self.is_mounted or not self.is_open:
            return
        box = self.query_one(".q-evidence", Static)
        box.update("\n".join(lines))
        box.display = bool(lines)
        box.set_class(stale_shown, "-stale")

    def show_findings(self, findings: list[Finding]) -> None:
        """Show the findings the answers raise on this question (their severity, title and
        the table rows they concern); nothing when there are none."""
        if findings != self.state.findings:
            self.state.findings = list(findings)
            self._redraw()
            if self.is_mounted and self._body is not None:
                FindingsLine.show_in(self._body, self.state.findings,
                                     after=self.query_one(".q-status"))

    def sync(self, answer: AnswerInfo | None, what: str | None = None) -> None:
        """Take the stored answer as the service now has it (a confirmation made elsewhere);
        the value shown is unchanged, so the editor is left alone."""
        if answer == self.answer:
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

    def _show_status(self, text: str, *, error: bool = False) -> None:
        self.state.status, self.state.status_error = text, error
        if not self.is_open:
            self._redraw()
            return
        status = self.query_one(".q-status", Static)
        status.update(text)
        status.set_class(error, "-error")
        status.set_class(bool(text) and not error, "-ok")
        status.display = bool(text)
    def _load_note(self, note: str) -> None:
        """Show `note` in the open card's note area, without saving it again."""
        if not self.is_open:
            return
        area = self.query_one(".q-note", NoteArea)
        with self.prevent(NoteArea.Changed):
            area.load_text(note)
            area.move_cursor(area.document.end)


class CardBody(Vertical):
    """The open card's widgets: prompt, editor, marks, status, findings, evidence, note."""

    DEFAULT_CSS = """
    CardBody {
        height: auto;
    }
    """

    def __init__(self, card: CardView) -> None:
        super().__init__(classes="q-body")
        self.card = card
        """The card this body belongs to."""

    def compose(self) -> ComposeResult:
        """The card's editing widgets."""
        yield from self.card.body_widgets()


def _forget_removed_children(widget: Widget) -> None:
    """Drop what Textual keeps of `widget`'s removed children: a widget left without any is
    never laid out as a container again, so its cached list of shown children and its last
    arrangement would keep them (an editor, its note area) alive as long as the card."""
    if not widget.displayed_children:  # reading it computes the list again
        widget._clear_arrangement_cache()


def _shown_within(widget: Widget, card: Widget) -> bool:
    """True when neither `widget` nor any container up to `card` is hidden."""
    node: Widget | None = widget
    while node is not None and node is not card:
        if not node.display:
            return False
        node = node.parent if isinstance(node.parent, Widget) else None
    return True
