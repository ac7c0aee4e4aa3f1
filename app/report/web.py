"""The transparency report for the web: one self-contained accessible HTML page and the
public figures as open data (JSON and CSV), written together as a folder.

The page holds the same content as the transparency PDF, its stylesheet inlined and its
charts as inline SVG: it loads nothing from anywhere (no script, no font, no image file).
`transparency.json` is byte for byte the public data embedded in the transparency PDF.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from app.records import Attestation
from app.report.context import transparency_context
from app.report.html import transparency_page_html
from app.report.manifest import PUBLIC_FILENAME, encode_manifest, encode_public_data

PAGE_FILENAME = "transparency.html"
FINDINGS_CSV = "findings.csv"
ANSWERS_CSV = "answers.csv"
QUERIES_CSV = "queries-by-month.csv"
QUERIES_JSON = "queries-by-month.json"


def transparency_bundle(attestation: Attestation) -> dict[str, bytes]:
    """File name -> content of the web page and the open data files.

    findings.csv: one row per finding; answers.csv: the public answers in long form (one
    row per answer, or per table cell); queries-by-month (CSV and JSON): the query counts of
    each imported log by agency and month.
    """
    manifest = encode_manifest(attestation)
    public = encode_public_data(attestation, manifest.sha256)
    context = transparency_context(attestation, public.sha256, manifest.sha256)
    page = transparency_page_html(context).encode("utf-8")
    data = public.data
    months = _month_rows(attestation)
    return {
        PAGE_FILENAME: page,
        PUBLIC_FILENAME: public.content,
        FINDINGS_CSV: _csv(["severity", "rule_id", "title", "detail"],
                           ([f["severity"], f["rule_id"], f["title"], f["detail"]]
                            for f in data["findings"])),
        ANSWERS_CSV: _csv(["section_id", "question_id", "state", "row", "column", "value"],
                          _answer_rows(data["answers"])),
        QUERIES_CSV: _csv(["log_sha256", "agency", "month", "queries"], months),
        QUERIES_JSON: (json.dumps([dict(zip(["log_sha256", "agency", "month", "queries"], row,
                                            strict=True)) for row in months],
                                  ensure_ascii=False, indent=2) + "\n").encode("utf-8"),
    }


def _answer_rows(answers: Iterable[dict[str, Any]]) -> Iterable[list[Any]]:
    for entry in answers:
        base = [entry["section_id"], entry["question_id"], entry["state"]]
        value = entry.get("value")
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for index, row in enumerate(value, start=1):
                for column, cell in row.items():
                    yield [*base, index, column, _cell(cell)]
        elif isinstance(value, list):
            for item in value:
                yield [*base, "", "", _cell(item)]
        else:
            yield [*base, "", "", "" if entry.get("withheld") else _cell(value)]


def _month_rows(attestation: Attestation) -> list[list[Any]]:
    rows = []
    for recorded in attestation.logs:
        analysis = recorded.analysis
        for agency in analysis["agencies"]:
            for month, count in sorted(agency["by_month"].items()):
                rows.append([analysis["source_sha256"], agency["label"], month, count])
    return rows


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _csv(header: list[str], rows: Iterable[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_safe(cell) for cell in row])
    return buffer.getvalue().encode("utf-8")


def _safe(cell: Any) -> Any:
    """A cell a spreadsheet will not run as a formula (CSV injection)."""
    text = "" if cell is None else str(cell)
    try:
        float(text)
    except ValueError:
        return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else cell
    return cell
