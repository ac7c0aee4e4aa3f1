"""A query log as evidence: count it against the audit's own list of agencies and blocks,
fill the answers the checklist's `log_analysis` names, and keep the analysis as hashed
evidence on the agencies table.

The agencies, their ORIs and their block dates come from the audit's answers, never from
this code: the auditor states them, the log is checked against them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.audit.answers import EvidenceToAttach
from app.checklist.conditions import describe
from app.checklist.model import QueryLogMap, Question
from app.errors import UserFacingError
from app.records import AuditView, EventKind, EvidenceInfo, RecordedAnalysis

if TYPE_CHECKING:
    from app.audit.service import AuditService
    from app.logs import AgencyRule, ColumnMapping, LogAnalysis


ANALYSIS_REASON = "query-log analysis made by nlets-audit logs import"
"""The history reason of the evidence event that keeps an analysis: the reports show only
analyses the tool recorded, never a file that merely looks like one."""


@dataclass(frozen=True)
class LogImport:
    """What importing a query log found, filled in and kept."""

    analysis: LogAnalysis
    filled: list[str] = field(default_factory=list)
    """Each answer or table cell set from the log, as a sentence."""
    not_filled: list[str] = field(default_factory=list)
    """What could not be filled or checked, and why."""
    warnings: list[str] = field(default_factory=list)
    """Limits of the log the auditor should know (such as the period it covers)."""
    evidence: EvidenceInfo | None = None
    """The analysis kept as evidence (None in a dry run)."""
    recorded: bool = False
    """False for a dry run: nothing was stored."""

    def describe(self) -> str:
        """The import as text: the log, each agency's counts and block, what was filled."""
        analysis = self.analysis
        lines = [f"{analysis.source_name}: {_queries(analysis.rows)}, "
                 f"{analysis.first_day or '—'} to {analysis.last_day or '—'} "
                 f"(SHA-256 {analysis.source_sha256})"]
        for count in analysis.agencies:
            block = "not blocked"
            if count.blocked_since is not None:
                verdict = {True: "HOLDS", False: "FAILS", None: "not checked"}[
                    count.block_holds]
                block = (f"blocked since {count.blocked_since}: {count.after_block:,} after, "
                         f"{count.answered_after_block:,} answered: block {verdict}")
            lines.append(f"  {count.label}: {_queries(count.queries)}, {count.answered:,} "
                         f"answered; {block}")
        lines.append(f"  other agencies: {_queries(analysis.unmatched)}")
        lines += [f"    {line}" for line in analysis.unmatched_lines()]
        filled = "filled" if self.recorded else "would fill"
        for title, items in ((filled, self.filled), ("not filled", self.not_filled),
                             ("warning", self.warnings)):
            lines += [f"{title}: {item}" for item in items]
        if not self.recorded:
            lines.append("dry run: nothing recorded")
        elif self.evidence is not None:
            lines.append(f"kept as evidence: {self.evidence.name} "
                         f"(SHA-256 {self.evidence.sha256})")
        return "\n".join(lines)


@dataclass(frozen=True)
class _Row:
    index: int
    rule: AgencyRule


def import_query_log(service: AuditService, ref: str, path: Path, *,
                     mapping: ColumnMapping | None = None,
                     answered: Sequence[str] = (),
                     file_format: str | None = None, dry_run: bool = False) -> LogImport:
    """Analyse the log at `path` against audit `ref` and, unless `dry_run`, record the
    results: the filled answers in one change, then the analysis as evidence. No
    `answered` values means the default ones."""
    from app.logs import DEFAULT_ANSWERED, ColumnMapping, analyse_log

    view = service.view(ref)
    if view.audit.read_only and not dry_run:
        raise UserFacingError(f"audit {view.audit.id[:12]} is signed and read-only; "
                              "import the log into a new audit based on it")
    plan = query_log_map(view)
    table = _question(view, plan.table)
    rows, counted, not_filled = _agency_rows(view, plan, table)
    analysis = analyse_log(path, [row.rule for row in counted],
                           mapping=mapping or ColumnMapping(),
                           answered=tuple(answered) or DEFAULT_ANSWERED,
                           file_format=file_format)
    entries, filled, unchecked = _fill(view, plan, table, rows, counted, analysis)
    result = LogImport(analysis, filled, not_filled + unchecked,
                       _warnings(view, analysis, plan))
    if dry_run:
        return result
    content = json.dumps(analysis.to_json(), indent=2, ensure_ascii=False).encode()
    digest = hashlib.sha256(content).hexdigest()
    kept = next((e for e in view.evidence if e.sha256 == digest
                 and e.question_id == plan.table), None)  # the same log imported again
    name = f"query-log-analysis-{Path(analysis.source_name).stem}.json"
    attach = None if kept else EvidenceToAttach(plan.table, name, content, ANALYSIS_REASON)
    if entries or attach is not None:
        # One transaction: the cells the analysis fills, each refused if it changed since
        # it was read, and the analysis as evidence.
        expected = {question_id: {"value": value, "expected": _stored(view, question_id)}
                    for question_id, value in entries.items()}
        service.import_answers(view.audit.id, expected,
                               source=f"query log {analysis.source_name} "
                                      f"(SHA-256 {analysis.source_sha256[:16]}…)",
                               attach=attach)
    evidence = kept or next((e for e in service.view(view.audit.id).evidence
                             if e.sha256 == digest and e.question_id == plan.table), None)
    return replace(result, evidence=evidence, recorded=True)


def _stored(view: AuditView, question_id: str) -> Any:
    answer = view.answers.get(question_id)
    return None if answer is None else answer.value


def query_log_map(view: AuditView) -> QueryLogMap:
    """The checklist's `log_analysis`, or a clear refusal when it has none."""
    checklist = view.checklist.checklist
    if checklist.log_analysis is None:
        raise UserFacingError(
            f"this audit's checklist ({checklist.id} version {checklist.version}, as stored "
            "when the audit was created) does not say where query-log results go: it has no "
            "`log_analysis` section. Start an audit from this one with a checklist that has "
            "it, such as the bundled nlets-dmv-data-sharing (`nlets-audit new --from AUDIT`, "
            "or f on the audit list)")
    return checklist.log_analysis


def _question(view: AuditView, question_id: str) -> Question:
    question = view.checklist.checklist.question(question_id)
    assert question is not None  # the checklist's semantics checked it
    return question


def _agency_rows(view: AuditView, plan: QueryLogMap, table: Question,
                 ) -> tuple[list[dict[str, Any]], list[_Row], list[str]]:
    from app.logs import AgencyRule, parse_ori_patterns

    rows = view.evaluation.effective.get(table.id)
    if not rows:
        raise UserFacingError(
            f"“{table.prompt}” ({table.id}) has no rows yet: list the agencies with their "
            "ORIs and block dates, then import the log")
    columns = {column.id: column for column in table.columns}
    spec = plan.columns
    counted: list[_Row] = []
    not_filled: list[str] = []
    for index, row in enumerate(rows):
        label = _agency_label(row, columns[spec.agency], spec.name)
        where = f"{table.id} row {index + 1} ({label}), {columns[spec.oris].label}"
        patterns = parse_ori_patterns(str(row.get(spec.oris) or ""), where=where)
        if not patterns:
            not_filled.append(f"row {index + 1} ({label}): no ORIs listed, so its queries "
                              "cannot be told apart; not counted")
            continue
        blocked = spec.blocked is None or row.get(spec.blocked) == "yes"
        since = row.get(spec.blocked_since) if blocked else None
        rule = AgencyRule(key=f"row-{index + 1}", label=label, ori_patterns=patterns,
                          blocked_since=dt.date.fromisoformat(since) if since else None)
        counted.append(_Row(index, rule))
    if not counted:
        raise UserFacingError(
            f"no agency in “{table.prompt}” ({table.id}) lists its ORIs: fill in "
            f"“{columns[spec.oris].label}” for the agencies to count, then import the log")
    return [dict(row) for row in rows], counted, not_filled


def _agency_label(row: dict[str, Any], agency: Any, name_column: str | None) -> str:
    value = row.get(agency.id)
    label = next((o.label for o in agency.options if o.value == value), str(value or "?"))
    name = row.get(name_column) if name_column else None
    return f"{label} — {name}" if name else label


def _fill(view: AuditView, plan: QueryLogMap, table: Question, rows: list[dict[str, Any]],
          counted: list[_Row], analysis: LogAnalysis,
          ) -> tuple[dict[str, Any], list[str], list[str]]:
    spec = plan.columns
    labels = {column.id: column.label for column in table.columns}
    filled: list[str] = []
    unchecked: list[str] = []
    new_rows = [dict(row) for row in rows]
    by_key = {count.key: count for count in analysis.agencies}
    for row in counted:
        count = by_key[row.rule.key]
        where = f"row {row.index + 1} ({row.rule.label})"
        if count.blocked_since is None:
            continue
        cells: dict[str, Any] = {}
        if spec.answered_after_block:
            cells[spec.answered_after_block] = count.answered_after_block
        holds = count.block_holds
        if spec.verified and holds is not None:
            cells[spec.verified] = "yes" if holds else "no"
        if holds is None:
            untold = analysis.untold(count)
            unchecked.append(f"{where}: " + (untold or (
                f"the log has no query from it after {count.blocked_since.isoformat()}, "
                "so the block could not be checked")))
        for column_id, value in cells.items():
            if new_rows[row.index].get(column_id) != value:
                new_rows[row.index][column_id] = value
                filled.append(f"{where}: {labels[column_id]} = {_shown(value)}")
    entries: dict[str, Any] = {}
    if new_rows != rows:
        entries[table.id] = new_rows
    days = {plan.period_start: analysis.first_day, plan.period_end: analysis.last_day}
    for question_id, day in days.items():
        if question_id is None or day is None:
            continue
        question = _question(view, question_id)
        if not view.evaluation.visible.get(question_id, True):
            condition = describe(question.visible_if) if question.visible_if else ""
            unchecked.append(f"“{question.prompt}” ({question_id}) is asked only when "
                             f"{condition}: not filled")
            continue
        if view.evaluation.effective.get(question_id) != day.isoformat():
            entries[question_id] = day.isoformat()
            filled.append(f"“{question.prompt}” = {day.isoformat()}")
    return entries, filled, unchecked


def _queries(count: int) -> str:
    return f"{count:,} quer{'y' if count == 1 else 'ies'}"


def _shown(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value).capitalize()


def _warnings(view: AuditView, analysis: LogAnalysis, plan: QueryLogMap) -> list[str]:
    warnings = _count_warnings(view, analysis, plan)
    start, end = view.audit.period_start, view.audit.period_end
    if analysis.first_day is None or analysis.last_day is None:
        return ["the log holds no dated query"]
    if analysis.first_day.isoformat() > start or analysis.last_day.isoformat() < end:
        warnings.append(f"the log covers {analysis.first_day} to {analysis.last_day}; the "
                        f"audit period is {start} to {end}: what the log does not cover is "
                        "not checked")
    if analysis.ambiguous_oris:
        shown = ", ".join(analysis.ambiguous_oris[:10])
        warnings.append(f"ORIs listed for more than one agency (counted for the first): "
                        f"{shown}")
    return warnings


def _count_warnings(view: AuditView, analysis: LogAnalysis, plan: QueryLogMap) -> list[str]:
    """The federal queries the answers state, when the log holds another number."""
    question_id = plan.federal_queries
    stated = view.evaluation.effective.get(question_id) if question_id else None
    if question_id is None or not isinstance(stated, int):
        return []
    counted = (sum(count.queries for count in analysis.agencies)
               + sum(item.queries for item in analysis.unmatched_oris if item.federal))
    if stated == counted:
        return []
    question = _question(view, question_id)
    return [f"the answers say {stated:,} federal queries (“{question.prompt}”, {question_id}), "
            f"but this log holds {counted:,} from the listed agencies and federal-looking "
            "ORIs: correct the answer, or say in its note why the numbers differ"]


def recorded_analyses(service: AuditService, view: AuditView) -> list[RecordedAnalysis]:
    """Each query log imported into the audit, oldest first, as the history records it;
    evidence removed since is left out."""
    attached = {item.sha256 for item in view.evidence}
    found: dict[str, RecordedAnalysis] = {}
    for event in service.history(view.audit.id):
        if event.kind != EventKind.EVIDENCE_ADDED or event.reason != ANALYSIS_REASON:
            continue
        digest = (event.new or {}).get("sha256")
        if isinstance(digest, str) and digest in attached and digest not in found:
            found[digest] = RecordedAnalysis(
                digest, json.loads(service.evidence_content(digest)))
    return list(found.values())
