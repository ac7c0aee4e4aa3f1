"""The columns of the audit list at a given width: the title takes what the others leave,
and the least needed columns give way on a narrow terminal."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from rich.text import Text

from app.audit import AuditSummary
from app.safe_text import terminal_safe_line
from app.tui.saving import local_time

CELL_PADDING = 1
"""The DataTable's padding on each side of a cell."""
TITLE_MIN = 20
"""The narrowest title column kept before other columns give way (a quarter of the width
on a wide terminal)."""
SCROLLBAR = 2
"""The width of the list's vertical scrollbar, when it has one."""


@dataclass(frozen=True)
class HomeColumn:
    """One column of the audit list: its key, its header and how a summary fills it."""

    key: str
    label: str
    cell: Callable[[AuditSummary], str]


def period_label(start: str, end: str) -> str:
    """A period as the list shows it: "2024" for a calendar year, else both dates."""
    if start[:4] == end[:4] and start[4:] == "-01-01" and end[4:] == "-12-31":
        return start[:4]
    return f"{start} – {end}"


def _period(summary: AuditSummary) -> str:
    return period_label(summary.audit.period_start, summary.audit.period_end)


TITLE = HomeColumn("title", "Title", lambda s: s.audit.title)
COLUMNS: tuple[HomeColumn, ...] = (
    HomeColumn("id", "ID", lambda s: s.audit.id[:8]),
    TITLE,
    HomeColumn("state", "State", lambda s: s.audit.jurisdiction),
    HomeColumn("period", "Period", _period),
    HomeColumn("status", "Status", lambda s: str(s.audit.status)),
    HomeColumn("progress", "Progress", lambda s: f"{s.done} done · {s.to_do} to do"),
    HomeColumn("findings", "Findings", lambda s: str(s.findings)),
    HomeColumn("checklist", "Checklist",
               lambda s: f"{s.audit.checklist_id}@{s.audit.checklist_version}"),
    HomeColumn("updated", "Updated", lambda s: local_time(s.audit.updated_at)),
)
"""Every column, in the order shown."""
GIVE_WAY = ("updated", "checklist", "state", "period", "findings")
"""The columns left out, in this order, while the title would be narrower than its least
width (the title itself names the state and the period unless the auditor renamed it)."""


@dataclass(frozen=True)
class HomeLayout:
    """The columns shown at one width, with the width of each."""

    columns: list[tuple[HomeColumn, int]]
    lines: dict[str, tuple[AuditSummary, dict[str, str]]] = field(default_factory=dict,
                                                                  compare=False)
    """The cells of each summary it was laid out for, as shown (by column key): made
    once, for the widths and the rows."""

    def cells(self, summary: AuditSummary) -> list[Text]:
        """One row of the list: each cell fits its column, the title cut with … ."""
        laid_out, lines = self.lines.get(summary.audit.id, (None, {}))
        if laid_out is not summary:
            lines = _lines(summary)
        return [Text(_fit(lines[column.key], width), no_wrap=True)
                for column, width in self.columns]


def _lines(summary: AuditSummary) -> dict[str, str]:
    return {column.key: terminal_safe_line(column.cell(summary)) for column in COLUMNS}


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[:max(width - 1, 0)] + "…"


def home_layout(summaries: list[AuditSummary], width: int, *, scrollbar: bool) -> HomeLayout:
    """The columns that fit `width` terminal columns: every column is as wide as its
    widest cell, the title gets the rest (at least TITLE_MIN or a quarter of the width,
    unless every title is shorter)."""
    available = width - (SCROLLBAR if scrollbar else 0)
    lines = {s.audit.id: (s, _lines(s)) for s in summaries}
    natural = {column.key: max([len(column.label)] + [len(cells[column.key])
                                                     for _, cells in lines.values()])
               for column in COLUMNS}
    shown = list(COLUMNS)

    def others() -> int:
        return sum(natural[c.key] + 2 * CELL_PADDING for c in shown if c is not TITLE)

    least = min(max(TITLE_MIN, width // 4), natural["title"])
    for key in GIVE_WAY:
        if available - others() - 2 * CELL_PADDING >= least:
            break
        shown = [column for column in shown if column.key != key]
    title = max(available - others() - 2 * CELL_PADDING, len(TITLE.label))
    return HomeLayout([(column, title if column is TITLE else natural[column.key])
                       for column in shown], lines)
