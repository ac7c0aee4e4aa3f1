"""How one event of an audit's history reads in the history view: its question by prompt,
its change as old → new in short, every stored text escaped."""

from __future__ import annotations

from typing import Any

from app.audit import EventKind, HistoryEvent, HistoryReport, RecordedAnswer
from app.checklist.display import format_value
from app.checklist.model import Checklist
from app.safe_text import terminal_safe_line
from app.tui.saving import local_time

SIDE = 60
"""The longest old or new value shown in a change (the rest is cut with …)."""
PROBLEMS_SHOWN = 3
"""Problems of the chain check listed on the screen; the rest are counted."""


def cut(text: str, width: int) -> str:
    """`text` on one line, escaped, cut to `width` with … ."""
    safe = terminal_safe_line(text)
    return safe if len(safe) <= width else safe[:max(width - 1, 0)] + "…"


def subject(checklist: Checklist, event: HistoryEvent) -> str:
    """What the event concerns: its question's prompt, the id of a question the checklist
    does not have, or "the audit" for an event about the audit as a whole."""
    if not event.question_id:
        return "the audit"
    question = checklist.question(event.question_id)
    return question.prompt if question is not None else event.question_id


def _answer(checklist: Checklist, question_id: str | None, snapshot: Any) -> str:
    recorded = RecordedAnswer.of(snapshot)
    if recorded is None or recorded.empty:
        return "no answer"
    if recorded.not_applicable:
        return f"not applicable: {recorded.na_reason or '—'}"
    question = checklist.question(question_id) if question_id else None
    value = recorded.value
    shown = format_value(question, value) if question is not None else repr(value)
    return shown + (" (carried, unconfirmed)" if recorded.carried else "")


def _named(snapshot: Any, *keys: str) -> str:
    if not isinstance(snapshot, dict):
        return "—"
    return next((str(snapshot[k]) for k in keys if snapshot.get(k)), "—")


def change_parts(checklist: Checklist, event: HistoryEvent) -> tuple[str | None, str]:
    """The change the event records: the value before (None when the event records no
    "before") and after, each on one line and escaped."""
    kind, old, new = event.kind, event.old, event.new
    if kind == EventKind.NOTE_SET:
        before = old.get("note") if isinstance(old, dict) else None
        after = new.get("note") if isinstance(new, dict) else None
        return terminal_safe_line(before or "(none)"), terminal_safe_line(after or "(none)")
    if kind.changes_answer:
        after = terminal_safe_line(_answer(checklist, event.question_id, new))
        if kind in (EventKind.ANSWER_CONFIRMED, EventKind.ANSWER_CARRIED):
            return None, after
        return terminal_safe_line(_answer(checklist, event.question_id, old)), after
    if kind == EventKind.EVIDENCE_ADDED:
        return None, f"+ {terminal_safe_line(_named(new, 'name', 'sha256'))}"
    if kind == EventKind.EVIDENCE_WITHDRAWN:
        return None, f"− {terminal_safe_line(_named(old, 'name', 'sha256'))}"
    if kind == EventKind.AUDIT_CREATED:
        return None, terminal_safe_line(_named(new, "title"))
    if kind == EventKind.CARRIED_FORWARD:
        return None, f"from {_named(new, 'from_audit')[:12]}"
    if kind == EventKind.AUDIT_SIGNED:
        return None, f"by {terminal_safe_line(_named(new, 'signed_by'))}"
    return None, ""


def change(checklist: Checklist, event: HistoryEvent, width: int = 2 * SIDE + 3) -> str:
    """The change as "old → new" in at most `width` columns: when it does not fit, the old
    value gets a third of them and the new one the rest, each cut with … ."""
    before, after = change_parts(checklist, event)
    if before is None:
        return cut(after, width)
    if width < 2 * SIDE:  # in a column, "—" says "no answer" in less room
        before, after = (("—" if side in ("no answer", "(none)") else side)
                         for side in (before, after))
    prefix = "note " if event.kind == EventKind.NOTE_SET else ""
    whole = f"{prefix}{before} → {after}"
    if len(whole) <= width:
        return whole
    room = max(width - 3 - len(prefix), 2)
    old_room = min(len(before), max(room // 3, 1))
    return f"{prefix}{cut(before, old_room)} → {cut(after, room - old_room)}"


def cells(checklist: Checklist, event: HistoryEvent) -> dict[str, str]:
    """The event's cells, by column key, each escaped and on one line (not yet cut)."""
    return {
        "when": local_time(event.at),
        "who": terminal_safe_line(event.actor),
        "what": event.kind.label,
        "question": terminal_safe_line(subject(checklist, event)),
        "change": change(checklist, event, 10_000),
        "why": terminal_safe_line(event.reason or ""),
    }


def detail(checklist: Checklist, event: HistoryEvent) -> str:
    """The event in full below the list: number, when, who, what, question, change, why."""
    lines = [f"#{event.seq}  {local_time(event.at)}  {cut(event.actor, 80)} · "
             f"{event.kind.label}",
             f"{cut(subject(checklist, event), 300)}",
             change(checklist, event, 600)]
    if event.reason:
        lines.append(f"why: {cut(event.reason, 300)}")
    return "\n".join(line for line in lines if line)


def chain_line(report: HistoryReport) -> tuple[str, bool]:
    """The result of the chain check as the screen's top line, and whether it holds."""
    if report.ok:
        return (f"VALID chain: {report.events:,} events · head {report.head}\nThe answers and "
                "evidence match it. Checked against itself: a head recorded in an export or "
                "the signed PDF also catches a rewrite of the whole chain.", True)
    shown = [f"  • {cut(problem, 150)}" for problem in report.problems[:PROBLEMS_SHOWN]]
    more = len(report.problems) - PROBLEMS_SHOWN
    if more > 0:
        shown.append(f"  … and {more} more: `nlets-audit history verify` lists them all")
    return ("NOT VALID: the history does not match the audit "
            f"({len(report.problems)} problem{'s' if len(report.problems) != 1 else ''}):\n"
            + "\n".join(shown), False)
