"""What the attestation prints of each imported query log: counts per agency, the verdict
on each block, and queries by month as bars."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup, escape

from app.records import RecordedAnalysis

BAR_CELLS = 48
"""The length of the busiest month's bar, in block characters."""

VERDICTS = {True: ("holds", "Block holds"), False: ("fails", "Block FAILS"),
            None: ("unchecked", "Not checked")}
"""block_holds -> (CSS class, words)."""


@dataclass(frozen=True)
class MonthBar:
    """One month of one agency's queries."""

    month: str
    queries: int
    bar: str
    """Blocks in proportion to the busiest month of any agency in the log."""


@dataclass(frozen=True)
class LogAgencyLine:
    """One agency's counts in one log."""

    label: str
    queries: int
    answered: int
    blocked_since: str
    after_block: int
    answered_after_block: int
    verdict_class: str
    verdict: str
    months: list[MonthBar]
    chart: Markup = Markup("")
    """The months as an SVG bar chart whose <title> is its text alternative."""


@dataclass(frozen=True)
class LogBlock:
    """One imported query log."""

    source_name: str
    source_sha256: str
    evidence_sha256: str
    rows: int
    first_day: str
    last_day: str
    unmatched: int
    agencies: list[LogAgencyLine]


def log_blocks(analyses: Iterable[RecordedAnalysis]) -> list[LogBlock]:
    """The printed form of each recorded analysis."""
    blocks = []
    for recorded in analyses:
        evidence_sha256, analysis = recorded.sha256, recorded.analysis
        agencies = list(analysis["agencies"])
        busiest = max((n for a in agencies for n in a["by_month"].values()), default=0) or 1
        lines = []
        for agency in agencies:
            since = agency["blocked_since"]
            css, words = VERDICTS[agency["block_holds"]] if since else ("", "Not blocked")
            months = sorted(agency["by_month"].items())
            lines.append(LogAgencyLine(
                label=agency["label"], queries=agency["queries"],
                answered=agency["answered"], blocked_since=since or "",
                after_block=agency["after_block"],
                answered_after_block=agency["answered_after_block"],
                verdict_class=css, verdict=words,
                months=[MonthBar(month, count, _bar(count, busiest))
                        for month, count in months],
                chart=month_chart(agency["label"], months, busiest)))
        blocks.append(LogBlock(
            source_name=analysis["source_name"], source_sha256=analysis["source_sha256"],
            evidence_sha256=evidence_sha256, rows=analysis["rows"],
            first_day=analysis["first_day"] or "—", last_day=analysis["last_day"] or "—",
            unmatched=analysis["unmatched"], agencies=lines))
    return blocks


def _bar(count: int, busiest: int) -> str:
    cells = round(BAR_CELLS * count / busiest)
    return "█" * (cells or (1 if count else 0))


CHART_WIDTH, ROW_HEIGHT, LABEL_WIDTH, COUNT_WIDTH = 480, 16, 58, 64


def month_chart(label: str, months: list[tuple[str, int]], busiest: int) -> Markup:
    """Queries by month as an inline SVG of horizontal bars, scaled to `busiest`.

    Every attribute is a number worked out here; the agency's label is only element text
    (escaped). The <title> says what the chart shows in words, month by month, so that the
    figure's alternative text (the PDF's /Alt, the page's accessible name) carries the data.
    """
    if not months:
        return Markup("")
    words = "; ".join(f"{month}: {count:,}" for month, count in months)
    title = escape(f"{label}: queries by month. {words}.")
    span = CHART_WIDTH - LABEL_WIDTH - COUNT_WIDTH
    height = ROW_HEIGHT * len(months)
    parts = [Markup('<svg xmlns="http://www.w3.org/2000/svg" class="month-chart" role="img" '
                    'viewBox="0 0 {w} {h}" width="{w}" height="{h}">'
                    '<title>{t}</title>').format(w=CHART_WIDTH, h=height, t=title)]
    for index, (month, count) in enumerate(months):
        y = index * ROW_HEIGHT
        width = max(1, round(span * count / (busiest or 1))) if count else 0
        parts.append(Markup(
            '<text x="0" y="{ty}" font-size="10" fill="#1b1f24">{m}</text>'
            '<rect x="{x}" y="{ry}" width="{bw}" height="{bh}" fill="#14304f"/>'
            '<text x="{cx}" y="{ty}" font-size="10" fill="#1b1f24">{c}</text>').format(
                ty=y + 12, m=escape(month), x=LABEL_WIDTH, ry=y + 3, bw=width,
                bh=ROW_HEIGHT - 5, cx=LABEL_WIDTH + width + 4, c=f"{count:,}"))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)
