"""The audit list's layout: each summary's cells are made once for the widths and the rows,
and a summary it was not laid out for is shown as it is, not as an earlier one was."""

from __future__ import annotations

from dataclasses import replace

from app.records import AuditInfo, AuditStatus, AuditSummary
from app.tui.screens.home_table import home_layout


def summary(title: str, done: int = 1) -> AuditSummary:
    """A summary of a draft audit with this title and `done` of 4 answered."""
    audit = AuditInfo(
        id="a" * 32, title=title, jurisdiction="WA", period_start="2025-01-01",
        period_end="2025-12-31", checklist_id="sample", checklist_version="1",
        checklist_sha256="0" * 64, status=AuditStatus.DRAFT, based_on=None, auditor="ana",
        created_at="2025-02-01T00:00:00.000000Z", updated_at="2025-02-01T00:00:00.000000Z",
        signed_by=None, signed_at=None, signed_pdf_sha256=None,
        signer_certificate_sha256=None, history_head=None, history_length=0)
    return AuditSummary(audit, done, 4, 0)


def texts(cells: list) -> list[str]:
    return [cell.plain for cell in cells]


def test_cells_of_the_laid_out_summary_and_of_a_newer_one() -> None:
    first = summary("Washington\x1b[2J audit")
    layout = home_layout([first], 160, scrollbar=False)
    shown = dict(zip([c.key for c, _ in layout.columns], texts(layout.cells(first)),
                     strict=True))
    assert shown["title"] == "Washington\\u001b[2J audit"  # escaped, as on every line
    assert shown["progress"] == "1 done · 3 to do"
    newer = replace(first, done=3)  # the same audit, changed since it was laid out
    shown = dict(zip([c.key for c, _ in layout.columns], texts(layout.cells(newer)),
                     strict=True))
    assert shown["progress"] == "3 done · 1 to do"
