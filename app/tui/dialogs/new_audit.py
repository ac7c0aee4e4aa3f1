"""The dialog that starts a new audit: checklist, jurisdiction, period, title, auditor."""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import QueryType
from textual.screen import ModalScreen
from textual.validation import Function
from textual.widget import Widget
from textual.widgets import Button, Footer, Input, Label, Select, Static
from textual.widgets.select import NoSelection

from app.audit import JURISDICTIONS, AuditInfo, AuditService, AuditView, state_overlays
from app.checklist.bundled import bundled_checklists, resolve_checklist
from app.checklist.loader import LoadedChecklist
from app.errors import UserFacingError
from app.tui.config import load_settings, remember
from app.tui.dialogs import show_message

DATE_HINT = "write the date as YYYY-MM-DD"


def following_period(start: str, end: str) -> tuple[str, str]:
    """A period of the same length starting the day after `end` (a default to edit)."""
    try:
        first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    except ValueError:
        return "", ""
    new_first = last + dt.timedelta(days=1)
    try:  # a calendar or fiscal year stays one: same day and month a year on
        new_last = last.replace(year=last.year + (new_first.year - first.year))
    except ValueError:
        new_last = new_first + (last - first)
    if new_last <= new_first:
        new_last = new_first + (last - first)
    return new_first.isoformat(), new_last.isoformat()


def auditor_identity(name: str, title: str) -> str | None:
    """The auditor as the audit records it: "name, title" (None: the service's default)."""
    name, title = " ".join(name.split()), " ".join(title.split())
    if name and title:
        return f"{name}, {title}"
    return name or None


def _looks_like_date(text: str) -> bool:
    """Whether `text` reads as a YYYY-MM-DD date (only to flag typing early)."""
    try:
        dt.date.fromisoformat(text.strip())
    except ValueError:
        return False
    return True


class NewAuditDialog(ModalScreen[AuditInfo | None]):
    """Create a draft audit through the service; returns it, or `None` when cancelled.

    Anything the service refuses (an unreadable checklist file, an unknown jurisdiction, a
    period that ends before it starts) is shown inside the dialog. With `previous`, the new
    audit is started from that one (its answers carried forward, each to be re-confirmed):
    the jurisdiction, the checklist and the following period are filled in. The auditor's
    name and title are remembered between runs.
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "create", "Create"),
    ]

    AUTO_FOCUS = ""

    def __init__(self, service: AuditService,
                 checklists: list[LoadedChecklist] | None = None, *,
                 previous: AuditView | None = None) -> None:
        super().__init__(classes="dialog-screen")
        self.service = service
        """The service that creates the audit."""
        self.previous = previous
        """The audit to carry forward from, if any."""
        self._load_problem = ""
        if checklists is None:
            try:
                checklists = bundled_checklists()
            except UserFacingError as exc:
                checklists, self._load_problem = [], f"A bundled checklist is broken: {exc}"
        checklists = list(checklists)
        self._preselect: int | None = 0 if len(checklists) == 1 else None
        if previous is not None:
            same = [i for i, c in enumerate(checklists)
                    if c.checklist.id == previous.checklist.checklist.id]
            if previous.checklist.sha256 not in {c.sha256 for c in checklists}:
                checklists.append(previous.checklist)
                if not same:
                    same = [len(checklists) - 1]
            # the bundled edition of the same checklist (maybe newer), else the old one
            self._preselect = same[0] if same else None
        self.checklists = checklists
        """The checklists offered in the picker (bundled, and the previous audit's)."""
        self.settings = load_settings()
        """The remembered auditor name and title."""

    def _choice_label(self, loaded: LoadedChecklist) -> Text:
        meta = loaded.checklist
        used = (" — used by the previous audit" if self.previous is not None
                and loaded.sha256 == self.previous.checklist.sha256 else "")
        return Text(f"{meta.title} ({meta.id} v{meta.version}){used}")

    def compose(self) -> ComposeResult:
        """The form: a label and a field per line."""
        choices = [(self._choice_label(c), index) for index, c in enumerate(self.checklists)]
        previous = self.previous.audit if self.previous is not None else None
        start, end = following_period(previous.period_start, previous.period_end) \
            if previous else ("", "")
        with Vertical(classes="dialog", id="new-audit"):
            yield Static("New audit" if previous is None else "New audit from a previous one",
                         classes="dialog-title")
            if previous is not None:
                yield Static(f"From: {previous.title} ({previous.jurisdiction}, "
                             f"{previous.period_start} – {previous.period_end}). Its answers, "
                             "notes and evidence are carried forward; each carried answer "
                             "must be confirmed again before anyone can sign.",
                             id="based-on", classes="field-help", markup=False)
            with VerticalScroll(classes="dialog-body") as body:
                body.can_focus = False  # Tab goes from field to field
                yield Label("Checklist", classes="field-label")
                yield Select(choices, id="checklist", allow_blank=True, compact=True,
                             prompt="Choose a bundled checklist…" if choices
                             else "No bundled checklists: give a file below",
                             value=Select.NULL if self._preselect is None else self._preselect,
                             disabled=not choices)
                yield Input(placeholder="…or the path of a checklist file (.yaml)",
                            id="checklist-path", compact=True)
                yield Label("Jurisdiction", classes="field-label")
                yield Select([(Text(f"{code} — {name}"), code)
                              for code, name in JURISDICTIONS.items()],
                             id="jurisdiction", prompt="Choose a state or territory…",
                             compact=True,
                             value=previous.jurisdiction if previous else Select.NULL)
                yield Label("Period (first and last day)", classes="field-label")
                with Horizontal(classes="period"):
                    yield Input(start, placeholder="start YYYY-MM-DD", id="period-start",
                                compact=True,
                                validators=[Function(_looks_like_date, DATE_HINT)],
                                valid_empty=False)
                    yield Input(end, placeholder="end YYYY-MM-DD", id="period-end",
                                compact=True,
                                validators=[Function(_looks_like_date, DATE_HINT)],
                                valid_empty=False)
                yield Static("", id="period-error", classes="field-error", markup=False)
                yield Label("Title (optional)", classes="field-label")
                yield Input(placeholder="default: state, checklist and period", id="title",
                            compact=True)
                yield Label("Auditor: name and title (remembered)", classes="field-label")
                with Horizontal(classes="period"):
                    yield Input(self.settings.auditor_name,
                                placeholder="name (default: your user name)", id="auditor",
                                compact=True)
                    yield Input(self.settings.auditor_title, placeholder="title, e.g. "
                                "Senior Auditor", id="auditor-title", compact=True)
            yield Static(self._load_problem, id="error", classes="dialog-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Create", id="create", variant="primary")
                yield Button("Cancel", id="cancel")
        yield Footer(show_command_palette=False)

    @on(Input.Changed, "#period-start, #period-end")
    def _check_period(self) -> None:
        """Flag a date that does not read as YYYY-MM-DD while it is typed."""
        problems = []
        for field_id, what in (("#period-start", "start"), ("#period-end", "end")):
            field = self.query_one(field_id, Input)
            if field.value.strip() and not _looks_like_date(field.value):
                problems.append(f"The period {what} {field.value.strip()!r} is not a date: "
                                f"{DATE_HINT}.")
        show_message(self.query_one("#period-error", Static), " ".join(problems))

    @on(Input.Changed)
    @on(Select.Changed)
    def _forget_refusal(self) -> None:
        """An edit may have fixed what the last refusal named: it goes (ctrl+s checks
        again), so no stale message stays beside a corrected field."""
        if self.is_mounted and self._load_problem == "":
            self._show_error("")

    def _checklist(self) -> LoadedChecklist:
        path = self.query_one("#checklist-path", Input).value.strip()
        if path:
            return resolve_checklist(path)
        chosen = self.query_one("#checklist", Select).value
        if isinstance(chosen, NoSelection):
            raise UserFacingError("choose a checklist, or give the path of a checklist file")
        return self.checklists[int(chosen)]

    def action_create(self) -> None:
        """Create the audit through the service and close, or show why it was refused."""
        jurisdiction = self.query_one("#jurisdiction", Select).value
        period_error = self.query_one("#period-error", Static)
        if period_error.display:  # already said under the period, once is enough
            self._show_error("")
            start = self.query_one("#period-start", Input)
            (start if not _looks_like_date(start.value) else
             self.query_one("#period-end", Input)).focus()
            return
        try:
            checklist = self._checklist()
            if jurisdiction is Select.NULL:
                raise UserFacingError("choose the jurisdiction the audit covers")
            name = self.query_one("#auditor", Input).value
            role = self.query_one("#auditor-title", Input).value
            audit = self.service.create_audit(
                checklist, jurisdiction=str(jurisdiction),
                period_start=self.query_one("#period-start", Input).value,
                period_end=self.query_one("#period-end", Input).value,
                title=self.query_one("#title", Input).value or None,
                auditor=auditor_identity(name, role),
                based_on=self.previous.audit.id if self.previous is not None else None,
                overlays=state_overlays(checklist, str(jurisdiction)))
        except UserFacingError as exc:
            self._show_error(str(exc))
            return
        problem = remember(auditor_name=" ".join(name.split()),
                           auditor_title=" ".join(role.split()))
        if problem:
            self.app.notify(problem, severity="warning", markup=False)
        self.dismiss(audit)

    def on_mount(self) -> None:
        """Focus the first field (keeping its label in view); hide the empty messages."""
        if self.focused is None:  # a key typed ahead of this handler may have moved it
            self.set_focus(self._first_field(), scroll_visible=False)
        show_message(self.query_one("#period-error", Static), "")
        self._show_error(self._load_problem)

    def _first_field(self) -> Widget:
        first = self.query_one("#checklist", Select)
        return self.query_one("#checklist-path", Input) if first.disabled else first

    def focus_next(self, selector: str | type[QueryType] = "*") -> Widget | None:
        """Tab; one pressed as the dialog opens, before its first field took the focus
        (the dialog is drawn before its mount handler runs), counts from that field, as
        the screen showed it, instead of landing on it and losing what is typed next."""
        if self.focused is None:
            self.set_focus(self._first_field(), scroll_visible=False)
        return super().focus_next(selector)

    def _show_error(self, text: str) -> None:
        show_message(self.query_one("#error", Static), text)

    def action_cancel(self) -> None:
        """Close without creating anything."""
        self.dismiss(None)

    @on(Button.Pressed, "#create")
    @on(Input.Submitted)
    def _create_pressed(self) -> None:
        self.action_create()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()
