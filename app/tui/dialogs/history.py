"""One question's history: every recorded value with who, when and why, newest first, and
"restore this value" (a new event with a reason)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, OptionList, Static
from textual.widgets.option_list import Option

from app.audit import AnswerInfo, EventKind, HistoryEvent, RecordedAnswer
from app.checklist.display import format_table, format_value
from app.checklist.evaluate import AnswerState
from app.checklist.model import Question, QuestionType
from app.safe_text import terminal_safe_line
from app.tui.dialogs import show_message
from app.tui.dialogs.reason import ReasonDialog
from app.tui.saving import local_time

KIND_WORDS: dict[EventKind, str] = {
    EventKind.ANSWER_SET: "answered",
    EventKind.ANSWER_IMPORTED: "imported",
    EventKind.NOTE_SET: "note changed",
    EventKind.NOT_APPLICABLE: "marked not applicable",
    EventKind.ANSWER_CLEARED: "cleared",
    EventKind.ANSWER_CONFIRMED: "confirmed as still true",
    EventKind.ANSWER_CARRIED: "carried forward",
    EventKind.ANSWER_RESTORED: "restored",
}
"""How each kind of answer event reads in the list."""

ROWS_SHOWN = 6
"""A table's rows shown per entry; the rest are counted."""
LINE_LIMIT = 300
"""The longest line of stored text shown per entry (the rest is cut, and says so)."""

SIGNED_REFUSAL = ("This audit is signed and read-only: its history is shown, but no value "
                  "can be restored. To change an answer, start an amendment (a new audit "
                  "from this one).")

RESTORE_HELP = ("Why is the earlier value restored? It becomes the answer again as a new "
                "event in the audit's history, under your name, with this reason; nothing "
                "recorded is removed.")


def _line(text: str) -> str:
    safe = terminal_safe_line(text)
    return safe if len(safe) <= LINE_LIMIT else safe[:LINE_LIMIT] + "… (cut)"


def recorded_value(question: Question, snapshot: Any) -> list[str]:
    """The lines that show an answer as a history event recorded it, escaped."""
    recorded = RecordedAnswer.of(snapshot)
    if recorded is None or recorded.empty:
        return ["no answer"]
    if recorded.not_applicable:
        return [_line(f"Not applicable: {recorded.na_reason or '—'}")]
    value = recorded.value
    carried = " (carried forward, not yet confirmed)" if recorded.carried else ""
    if question.type == QuestionType.TABLE and isinstance(value, list):
        header, *rows = format_table(question, value)
        lines = [f"{len(rows)} row{'s' if len(rows) != 1 else ''}{carried}"]
        for row in rows[:ROWS_SHOWN]:
            lines.append(_line("  " + "; ".join(f"{label}: {cell}" for label, cell in
                                                zip(header, row, strict=True) if cell)))
        if len(rows) > ROWS_SHOWN:
            lines.append(f"  … and {len(rows) - ROWS_SHOWN} more")
        return lines
    return [_line(format_value(question, value) + carried)]


def _same_answer(snapshot: Any, answer: AnswerInfo | None) -> bool:
    """True when `snapshot` records the answer as it stands now (restoring it changes
    nothing)."""
    recorded = RecordedAnswer.of(snapshot)
    if recorded is None:
        return answer is None
    if answer is None:
        return recorded.empty
    if recorded.value is None and answer.value is None:
        return recorded.not_applicable == (answer.state == AnswerState.NOT_APPLICABLE)
    return bool(recorded.value == answer.value
                and answer.state != AnswerState.CARRIED_UNCONFIRMED)


def entry(question: Question, event: HistoryEvent, *, current: bool) -> Content:
    """One event of the list: when, who, what, the value recorded and the reason."""
    kind = KIND_WORDS.get(event.kind, event.kind.value.replace("_", " "))
    parts: list[Content | str | tuple[str, str]] = [
        (f"#{event.seq}  {local_time(event.at)}  ", "bold"), _line(event.actor),
        f"  · {kind}", ("  (the answer now)", "bold $success") if current else "", "\n"]
    for line in recorded_value(question, event.new):
        parts += ["    ", line, "\n"]
    if event.kind == EventKind.NOTE_SET and isinstance(event.new, dict):
        parts += ["    ", ("note: ", "italic"), _line(event.new.get("note") or "(none)"), "\n"]
    if event.reason:
        parts += ["    ", ("why: ", "italic"), _line(event.reason), "\n"]
    return Content.assemble(*parts)


class HistoryDialog(ModalScreen[AnswerInfo | None]):
    """Every recorded state of one question's answer, newest first.

    "Restore this value" asks for a reason and hands the chosen event's number and the
    reason to `restore` (the service records the restoration as a new event, or refuses);
    the dialog closes with the restored answer. On a signed audit the history is shown and
    restoring is refused with a message. Escape returns `None`.
    """

    BINDINGS = [Binding("escape", "close", "Close"),
                Binding("ctrl+s", "restore", "Restore this value")]

    AUTO_FOCUS = "#history-list"

    def __init__(self, question: Question, events: list[HistoryEvent],
                 answer: AnswerInfo | None, restore: Callable[[int, str], AnswerInfo], *,
                 read_only: bool = False) -> None:
        super().__init__(classes="dialog-screen")
        self.question = question
        """The question whose history is shown."""
        self.events = sorted(events, key=lambda e: e.seq, reverse=True)
        """Its answer's events, newest first."""
        self.answer = answer
        """The answer as it stands now."""
        self.read_only = read_only
        """True for a signed audit: nothing can be restored."""
        self._restore = restore

    def compose(self) -> ComposeResult:
        """The list of events, a message line and the buttons."""
        with Vertical(classes="dialog", id="history-dialog"):
            yield Static(f"History — {self.question.prompt}", classes="dialog-title",
                         markup=False)
            count = len(self.events)
            yield Static(f"{count} recorded change{'s' if count != 1 else ''}, newest first. "
                         "Choose a value and restore it (ctrl+s): that is a new event with "
                         "your reason; nothing recorded is removed." if count else
                         "Nothing recorded yet: this question has never been answered.",
                         classes="field-help", markup=False)
            yield OptionList(*[Option(entry(self.question, event, current=index == 0),
                                      id=str(event.seq))
                               for index, event in enumerate(self.events)],
                             id="history-list")
            yield Static("", id="history-message", classes="dialog-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Restore this value", id="restore", variant="primary")
                yield Button("Close", id="close")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        """Say at once when nothing can be restored."""
        self._say(SIGNED_REFUSAL if self.read_only else "")

    def _say(self, text: str) -> None:
        show_message(self.query_one("#history-message", Static), text)

    def chosen(self) -> HistoryEvent | None:
        """The event under the list's cursor."""
        index = self.query_one("#history-list", OptionList).highlighted
        return self.events[index] if index is not None and index < len(self.events) else None

    def action_restore(self) -> None:
        """Ask why, then restore the chosen value; refused on a signed audit."""
        if self.read_only:
            self._say(SIGNED_REFUSAL)
            return
        event = self.chosen()
        if event is None:
            self._say("Choose the value to restore in the list first.")
            return
        if _same_answer(event.new, self.answer):
            self._say(f"Event #{event.seq} recorded the answer as it is now: choose an "
                      "earlier value to restore.")
            return
        self._say("")
        shown = recorded_value(self.question, event.new)[0]

        def submit(reason: str) -> AnswerInfo:
            return self._restore(event.seq, reason)

        def done(info: AnswerInfo | None) -> None:
            if info is not None:
                self.dismiss(info)

        self.app.push_screen(ReasonDialog(
            f"Restore #{event.seq} — {shown}", submit, action="Restore this value",
            help_text=RESTORE_HELP), done)

    def action_close(self) -> None:
        """Close without restoring anything."""
        self.dismiss(None)

    @on(OptionList.OptionSelected, "#history-list")
    @on(Button.Pressed, "#restore")
    def _restore_pressed(self, event: OptionList.OptionSelected | Button.Pressed) -> None:
        event.stop()
        self.action_restore()

    @on(Button.Pressed, "#close")
    def _close_pressed(self) -> None:
        self.action_close()
