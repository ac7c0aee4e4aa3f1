"""A question card drawn as text: what the card says while its editor is not open.

A section shows each of its questions as one widget of text (prompt, answer, marks,
status, findings, evidence, note); only the question being worked on opens its editor.
A section then mounts one widget per question instead of a dozen, which is what keeps a
section switch quick on a long checklist. The card draws this text itself while closed
(`CardView`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from textual.content import Content

from app.audit import AnswerInfo, EvidenceInfo, HistoryEvent
from app.checklist.display import format_table, format_value
from app.checklist.evaluate import AnswerState, Finding
from app.checklist.model import Question, QuestionType
from app.safe_text import terminal_safe, terminal_safe_line
from app.tui.labels import finding_line
from app.tui.saving import local_time

SHOWN_LINES = 12
"""The most lines of a long text or a note the summary shows (the editor shows it all)."""
SHOWN_ROWS = 8
"""The most table rows the summary names."""
CARRIED_LINE = "↻ Carried forward, not yet confirmed: still true? ctrl+o"

Part = Content | str | tuple[str, str]


def prompt_content(question: Question) -> Content:
    """The prompt (starred when required), its help and its sources."""
    parts: list[Part] = [("* ", "bold $error") if question.required else "",
                         (question.prompt, "bold")]
    if question.help:
        parts += ["\n", (question.help, "$text-muted")]
    if question.citations:
        sources = "; ".join(c.text for c in question.citations)
        parts += ["\n", (f"Sources: {sources} (F2: in full)", "italic $text-muted")]
    return Content.assemble(*parts)


def evidence_lines(evidence: list[EvidenceInfo], stale: set[int],
                   withdrawn: list[HistoryEvent], *, read_only: bool) -> list[str]:
    """The evidence attached (name, size, date, SHA-256, stale mark) and the files
    withdrawn (their hash, who, when and why, as the history keeps them)."""
    lines = []
    for item in evidence:
        date = f" · effective {item.effective_date}" if item.effective_date else ""
        flag = " · STALE: dated before the audit period" if item.id in stale else ""
        lines.append(terminal_safe_line(f"Evidence: {item.name} · {item.size:,} bytes{date}"
                                        f"{flag}") + f"\n  SHA-256 {item.sha256}")
    for event in withdrawn:
        old = event.old if isinstance(event.old, dict) else {}
        lines.append(terminal_safe_line(
            f"Withdrawn: {old.get('name', '?')} · by {event.actor} on "
            f"{local_time(event.at)}: {event.reason or '—'}") + "\n"
                     f"  SHA-256 {old.get('sha256', '?')} (bytes purged)")
    if evidence:
        lines.append("  F7: open a file" if read_only else "  F7: open or withdraw a file")
    return lines


def _cut_lines(text: str, most: int) -> str:
    lines = terminal_safe(text).splitlines() or [""]
    if len(lines) <= most:
        return "\n".join(lines)
    return "\n".join([*lines[:most], f"… {len(lines) - most} more lines"])


def answer_content(question: Question, answer: AnswerInfo | None) -> Content:
    """The stored answer as text: the choice, the text, the table's rows, or that there
    is none yet."""
    value = None if answer is None or answer.state == AnswerState.NOT_APPLICABLE \
        else answer.value
    if value is None:
        return Content.styled("— no answer yet", "$text-muted")
    if question.type == QuestionType.LONG_TEXT:
        return Content(_cut_lines(str(value), SHOWN_LINES))
    if question.type == QuestionType.TABLE and isinstance(value, list):
        header, *body = format_table(question, value)
        lines = [f"{len(body)} row{'s' if len(body) != 1 else ''}:"]
        for cells in body[:SHOWN_ROWS]:
            lines.append("  " + " · ".join(f"{label}: {cell}" for label, cell
                                           in zip(header[:4], cells[:4], strict=False)
                                           if cell)[:160])
        if len(body) > SHOWN_ROWS:
            lines.append(f"  … {len(body) - SHOWN_ROWS} more rows")
        return Content("\n".join(lines))
    return Content.assemble(("Answer: ", "$text-muted"), (format_value(question, value),
                                                           "bold"))


@dataclass
class CardState:
    """What a card shows besides its question: kept by the card, drawn by the summary
    (and by the open editor's own widgets)."""

    answer: AnswerInfo | None = None
    status: str = ""
    status_error: bool = False
    findings: list[Finding] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    stale: bool = False


def summary_content(question: Question, state: CardState, *, carried: bool, na: bool,
                    read_only: bool, focused: bool = False) -> Content:
    """Everything the card says, as one block of text."""
    answer = state.answer
    parts: list[Part] = [prompt_content(question)]
    if carried:
        parts += ["\n", (CARRIED_LINE, "$secondary")]
    if na and answer is not None:
        parts += ["\n", (f"Not applicable: {terminal_safe_line(answer.na_reason or '')}",
                         "$warning")]
    else:
        parts += ["\n", answer_content(question, answer)]
    if state.status:
        parts += ["\n", (state.status, "$error" if state.status_error else "$success")]
    if state.findings:
        parts += ["\n", Content("\n").join(
            Content.assemble(("⚑ ", "bold $error"), finding_line(f)) for f in state.findings)]
    if state.evidence:
        parts += ["\n", ("\n".join(state.evidence), "$warning" if state.stale
                         else "$text-muted")]
    if answer is not None and answer.note:
        parts += ["\n", ("Note: ", "$text-muted"), _cut_lines(answer.note, SHOWN_LINES)]
    if focused and not read_only:
        what = ("Enter: the note · F3 evidence" if question.from_audit is not None
                else "Enter: answer · F3 evidence · F4 N/A · F5 clear")
        parts += ["\n", (what, "$text-muted")]
    return Content.assemble(*parts)


OPENING_KEYS = frozenset({"enter", "space"})
"""Keys that open the editor and are not handed to it (they would pick a choice)."""
FORWARDED_KEYS = frozenset({"left", "right", "up", "down", "home", "end", "backspace"})
"""Keys that open the editor and are handed to it, as every printable key is."""


def shown_value(answer: AnswerInfo | None) -> Any | None:
    """The value an editor shows for `answer` (none for not applicable)."""
    if answer is None or answer.state == AnswerState.NOT_APPLICABLE:
        return None
    return answer.value
