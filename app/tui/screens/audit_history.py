"""The whole history of an audit, newest first: who changed what, when and why, with the
result of the chain check at the top. Events are read a page at a time, so a history of
any length opens at once; typing filters them; Enter goes to an event's question."""

from __future__ import annotations

import contextlib

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Header, Input, Static

from app.audit import HISTORY_PAGE, AuditService, HistoryEvent, HistoryReport
from app.checklist.model import Checklist
from app.errors import UserFacingError
from app.tui.screens.history_cells import cells, chain_line, change, cut, detail
from app.tui.widgets.footer import KeyFooter

LOOKAHEAD = 20
"""Rows left below the cursor when the next page is read."""
FILTER_PAUSE = 0.25
"""Seconds after the last key typed into the filter before the list is read again."""

COLUMNS = (("when", "When"), ("who", "Who"), ("what", "What"), ("question", "Question"),
           ("change", "Change"), ("why", "Why"))
NARROW = 100
"""Below this width the reason is left to the detail lines under the list, and the year
to the first of them."""


def column_widths(width: int, actors: int) -> dict[str, int]:
    """The width of each column shown at `width` terminal columns (each cell has one
    column of padding on either side; a scrollbar takes two)."""
    room = width - 2
    wide = width >= NARROW
    fixed = {"when": 16 if wide else 11, "who": min(max(actors, 3), 16 if wide else 10),
             "what": 22 if wide else 14}
    flex = {"question": 5, "change": 5, "why": 2} if wide else {"question": 5, "change": 4}
    left = max(room - sum(w + 2 for w in fixed.values()) - 2 * len(flex), 3 * len(flex))
    weights = sum(flex.values())
    widths = {key: left * share // weights for key, share in flex.items()}
    widths["question"] += left - sum(widths.values())
    return {**fixed, **widths}


class AuditHistoryScreen(Screen[str | None]):
    """Every event of one audit, newest first; returns the question to go to, or None.

    `jumps` is False where no audit is open to go to (the screen then says so on Enter).
    """

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+f", "filter", "Filter"),
        Binding("down", "to_list", "To the list", show=False),
        Binding("f1", "app.keys_help", "Keys"),
    ]

    AUTO_FOCUS = "#history-events"

    def __init__(self, service: AuditService, audit_id: str, checklist: Checklist, *,
                 title: str, jumps: bool = True) -> None:
        super().__init__()
        self.service = service
        """The audit service."""
        self.audit_id = audit_id
        """The audit whose history is shown."""
        self.checklist = checklist
        """The audit's checklist: prompts for the question ids."""
        self.jumps = jumps
        """True when Enter may go to a question."""
        self.audit_title = title
        """The audit's title, for the header."""
        self.loaded: list[HistoryEvent] = []
        """The events read so far under the current filter, newest first."""
        self.pages = 0
        """Pages read under the current filter."""
        self.report: HistoryReport | None = None
        """The chain check, once it has finished."""
        self._next_before: int | None = None
        self._matching: int | None = None
        self._filter_timer: Timer | None = None
        self._text = ""

    def compose(self) -> ComposeResult:
        """The chain check, the filter, the list, the event in full, the keys."""
        yield Header()
        yield Static("Checking the history chain…", id="history-chain", markup=False)
        with Horizontal(id="history-filter-row"):
            yield Static("Filter:", id="history-filter-label", markup=False)
            yield Input(placeholder="type words of a question, a person, a kind of change",
                        id="history-filter", select_on_focus=False)
        yield Static("", id="history-count", markup=False)
        yield DataTable(id="history-events", cursor_type="row", zebra_stripes=True)
        yield Static("", id="history-detail", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        """Read the first page; check the chain in the background (it reads every event)."""
        self.title = "History of the audit"
        self.sub_title = cut(self.audit_title, 80)
        self._lay_out(self.size.width)
        self.restart()
        self.verify()

    @work(thread=True, exclusive=True, group="history-verify")
    def verify(self) -> None:
        """Run the check `nlets-audit history verify` runs, and show what it found."""
        report: HistoryReport | None = None
        try:
            report, error = self.service.verify_history(self.audit_id), ""
        except Exception as failed:  # the line must never say VALID when the check failed
            error = str(failed) or type(failed).__name__
        with contextlib.suppress(RuntimeError):  # the app closed before the check finished
            self.app.call_from_thread(self._show_chain, report, error)

    def _show_chain(self, report: HistoryReport | None, error: str) -> None:
        if not self.is_mounted:
            return  # left before the check finished
        line = self.query_one("#history-chain", Static)
        self.report = report
        if report is None:
            line.update(f"The history chain could not be checked: {cut(error, 300)}")
            line.set_class(True, "chain-broken")
            return
        text, valid = chain_line(report)
        line.update(text)
        line.set_class(valid, "chain-valid")
        line.set_class(not valid, "chain-broken")

    def restart(self) -> None:
        """Read the list again from the newest event, under the filter typed."""
        self.loaded, self.pages, self._next_before, self._matching = [], 0, None, None
        self.query_one("#history-events", DataTable).clear()
        self._read_page(first=True)

    def _read_page(self, *, first: bool = False) -> None:
        if not first and self._next_before is None:
            return
        try:
            page = self.service.history_page(self.audit_id, before=self._next_before,
                                             limit=HISTORY_PAGE, text=self._text)
        except UserFacingError as exc:
            self.notify(str(exc), title="Cannot read the history", severity="error",
                        markup=False)
            return
        self.pages += 1
        if page.matching is not None:
            self._matching = page.matching
        self._next_before = page.next_before
        self.loaded += page.events
        self._add_rows(page.events)
        self._show_count()
        if first:
            self._show_detail()

    def _add_rows(self, added: list[HistoryEvent]) -> None:
        table: DataTable[Text] = self.query_one("#history-events", DataTable)
        widths = {str(key.value): column.width for key, column in table.columns.items()}
        for event in added:
            shown = cells(self.checklist, event)
            shown["change"] = change(self.checklist, event, widths["change"])
            if widths["when"] < len(shown["when"]):
                shown["when"] = shown["when"][5:]  # the month, day and time
            table.add_row(*[Text(cut(shown[key], widths[key]), no_wrap=True)
                            for key in widths], key=str(event.seq))

    def _lay_out(self, width: int) -> None:
        table: DataTable[Text] = self.query_one("#history-events", DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        widths = column_widths(width, max((len(e.actor) for e in self.loaded), default=8))
        for key, label in COLUMNS:
            if key in widths:
                table.add_column(label, width=widths[key], key=key)
        self._add_rows(self.loaded)
        if self.loaded:
            table.move_cursor(row=min(row, len(self.loaded) - 1))

    def on_resize(self, event: events.Resize) -> None:
        """Lay the list out again for the new width."""
        self._lay_out(event.size.width)

    def _show_count(self) -> None:
        total = self._matching if self._matching is not None else len(self.loaded)
        more = "; more are read as you move down" if self._next_before is not None else ""
        if self._text.strip():
            text = (f"{total:,} event{'s' if total != 1 else ''} match “{cut(self._text, 60)}”"
                    f", newest first{more}." if total else
                    f"No event matches “{cut(self._text, 60)}”.")
        else:
            text = f"{total:,} event{'s' if total != 1 else ''}, newest first{more}."
        self.query_one("#history-count", Static).update(
            text + " Enter on an event goes to its question.")

    def chosen(self) -> HistoryEvent | None:
        """The event under the cursor."""
        table = self.query_one("#history-events", DataTable)
        row = table.cursor_row
        return self.loaded[row] if 0 <= row < len(self.loaded) else None

    def _show_detail(self) -> None:
        event = self.chosen()
        self.query_one("#history-detail", Static).update(
            detail(self.checklist, event) if event is not None else "")

    @on(DataTable.RowHighlighted, "#history-events")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        """Show the event in full; near the end of what is read, read the next page."""
        event.stop()
        self._show_detail()
        if event.cursor_row >= len(self.loaded) - LOOKAHEAD:
            self._read_page()

    @on(DataTable.RowSelected, "#history-events")
    def _selected(self, event: DataTable.RowSelected) -> None:
        """Enter: go to the event's question in the audit."""
        event.stop()
        chosen = self.chosen()
        if chosen is None:
            return
        if not chosen.question_id:
            self.notify("This event concerns the audit as a whole, not one question.")
        elif self.checklist.question(chosen.question_id) is None:
            self.notify(f"The audit's checklist has no question {chosen.question_id!r} "
                        "(any more).", severity="warning", markup=False)
        else:
            self.dismiss(chosen.question_id)

    def on_key(self, event: events.Key) -> None:
        """A letter typed in the list goes to the filter."""
        table = self.query_one("#history-events", DataTable)
        if self.focused is table and event.is_printable and event.character:
            event.stop()
            event.prevent_default()
            field = self.query_one("#history-filter", Input)
            field.focus()
            field.insert_text_at_cursor(event.character)

    @on(Input.Changed, "#history-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        """Read the list again once typing pauses."""
        event.stop()
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = self.set_timer(FILTER_PAUSE, self.apply_filter)

    def apply_filter(self) -> None:
        """Read the list again under the filter as it is typed now."""
        text = self.query_one("#history-filter", Input).value
        if text != self._text:
            self._text = text
            self.restart()

    @on(Input.Submitted, "#history-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        """Enter in the filter: apply it now and go to the list."""
        event.stop()
        self.apply_filter()
        self.query_one("#history-events", DataTable).focus()

    def action_filter(self) -> None:
        """Put the cursor in the filter."""
        self.query_one("#history-filter", Input).focus()

    def action_to_list(self) -> None:
        """From the filter, down into the list."""
        self.query_one("#history-events", DataTable).focus()

    def action_back(self) -> None:
        """Back to where the history was opened."""
        self.dismiss(None)
