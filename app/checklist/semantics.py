"""Checks that need the whole checklist: ids, references, operators, forward looks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from app.checklist.authorities import Citation
from app.checklist.conditions import (
    ROW_OPS,
    ColumnComparison,
    Condition,
    QuestionComparison,
    column_comparisons,
    comparisons,
)
from app.checklist.model import (
    CHOICE_TYPES,
    Checklist,
    QueryLogMap,
    Question,
    QuestionType,
    _Typed,
)
from app.checklist.values import InvalidValue, bound_problems, validate_value

Loc = tuple[str | int, ...]
Report = Callable[[Loc, str, str], None]

ORDERED_TYPES = {QuestionType.NUMBER, QuestionType.DATE}


def check_semantics(checklist: Checklist, report: Report) -> None:
    """Report every cross-reference problem in `checklist` through `report(loc, msg, fix)`."""
    _check_ids(checklist, report)
    check_citations(checklist, report)
    _check_migrations(checklist, report)
    seen: dict[str, Question] = {}
    all_questions = {q.id: q for q in checklist.questions()}
    for si, section in enumerate(checklist.sections):
        for qi, question in enumerate(section.questions):
            loc: Loc = ("sections", si, "questions", qi)
            _check_question_shape(question, loc, report)
            if question.visible_if is not None:
                _check_condition(question.visible_if, (*loc, "visible_if"), seen,
                                 all_questions, report, reader=question.id)
            seen[question.id] = question
    if checklist.log_analysis is not None:
        _check_log_analysis(checklist.log_analysis, all_questions, report)
    if checklist.attestation is not None:
        check_attestation_map(checklist, report)
    _check_checks(checklist, all_questions, report)
    for fi, rule in enumerate(checklist.findings):
        loc = ("findings", fi)
        _check_condition(rule.when, (*loc, "when"), all_questions, all_questions, report)
        for ri, question_id in enumerate(rule.questions):
            if question_id not in all_questions:
                report((*loc, "questions", ri), f"finding {rule.id!r} points to unknown "
                       f"question {question_id!r}", "use the id of a question in this checklist")


LOG_COLUMN_TYPES: dict[str, set[QuestionType]] = {
    "agency": {QuestionType.SINGLE_CHOICE, QuestionType.SHORT_TEXT},
    "name": {QuestionType.SHORT_TEXT},
    "oris": {QuestionType.SHORT_TEXT, QuestionType.ORI_LIST},
    "blocked": {QuestionType.YES_NO_UNKNOWN},
    "blocked_since": {QuestionType.DATE},
    "answered_after_block": {QuestionType.NUMBER},
    "verified": {QuestionType.YES_NO_UNKNOWN},
}
"""The types each column named in `log_analysis.columns` may have."""


def _check_log_analysis(analysis: QueryLogMap, questions: dict[str, Question],
                        report: Report) -> None:
    loc: Loc = ("log_analysis",)
    table = questions.get(analysis.table)
    if table is None or table.type != QuestionType.TABLE:
        report((*loc, "table"), f"log_analysis.table {analysis.table!r} is not a table "
               "question of this checklist", "name the table question listing the agencies")
    else:
        columns = {c.id: c for c in table.columns}
        for field, allowed in LOG_COLUMN_TYPES.items():
            column_id = getattr(analysis.columns, field)
            if column_id is None:
                continue
            column = columns.get(column_id)
            kinds = " or ".join(sorted(t.value for t in allowed))
            if column is None:
                report((*loc, "columns", field), f"log_analysis column {field} names "
                       f"{column_id!r}, which table {table.id!r} does not have",
                       f"name one of its columns ({', '.join(columns)})")
            elif column.type not in allowed:
                report((*loc, "columns", field), f"log_analysis column {field} "
                       f"({column_id!r}) is {column.type.value}", f"use a {kinds} column")
    for field in ("period_start", "period_end"):
        question_id = getattr(analysis, field)
        if question_id is None:
            continue
        question = questions.get(question_id)
        if question is None or question.type != QuestionType.DATE:
            report((*loc, field), f"log_analysis.{field} {question_id!r} is not a date "
                   "question of this checklist", "name a date question, or leave it out")


def _check_migrations(checklist: Checklist, report: Report) -> None:
    current = {q.id for q in checklist.questions()}
    for mi, migration in enumerate(checklist.migrations):
        loc: Loc = ("migrations", mi)
        if migration.from_version == checklist.version:
            report((*loc, "from_version"), f"a migration from version {checklist.version} "
                   "into the same version", "name the version it migrates from")
        targets = [(("renamed", old), [new]) for old, new in migration.renamed.items()]
        targets += [(("split", old), news) for old, news in migration.split.items()]
        for (field, old), news in targets:
            for new in news:
                if new not in current:
                    report((*loc, field, old), f"migration maps {old!r} to unknown question "
                           f"{new!r}", "map it to a question of this checklist")
        for old in migration.removed:
            if old in current:
                report((*loc, "removed", old), f"migration removes {old!r}, which is still a "
                       "question of this checklist", "remove it from `removed`")


def citation_sites(checklist: Checklist) -> list[tuple[Loc, str, list[Citation]]]:
    """Every place a citation appears: (where, what kind of place, its citations)."""
    sites: list[tuple[Loc, str, list[Citation]]] = []
    for si, section in enumerate(checklist.sections):
        for qi, question in enumerate(section.questions):
            loc: Loc = ("sections", si, "questions", qi)
            sites.append(((*loc, "citations"), "help", question.citations))
            for oi, option in enumerate(question.options):
                sites.append(((*loc, "options", oi, "citations"), "option", option.citations))
            for ci, column in enumerate(question.columns):
                for oi, option in enumerate(column.options):
                    sites.append(((*loc, "columns", ci, "options", oi, "citations"), "option",
                                  option.citations))
    for fi, rule in enumerate(checklist.findings):
        sites.append((("findings", fi, "citations"), "finding", rule.citations))
    return sites


_ARTICLE = {"option": "an option", "finding": "a finding"}


def check_citations(checklist: Checklist, report: Report) -> None:
    """A pending bill grounds help only; registry ids are unique."""
    _unique([(("authorities", i, "id"), a.id) for i, a in enumerate(checklist.authorities)],
            "authority", report)
    for loc, kind, citations in citation_sites(checklist):
        for ci, citation in enumerate(citations):
            if kind != "help" and citation.is_pending:
                report((*loc, ci), f"{citation.authority!r} is a pending bill, which is not "
                       f"law: it cannot be {_ARTICLE[kind]}'s authority",
                       "cite it only in a question's help (shown as pending — not law), or "
                       "change its status once it is enacted")


def _check_ids(checklist: Checklist, report: Report) -> None:
    _unique([(("sections", i, "id"), s.id) for i, s in enumerate(checklist.sections)],
            "section", report)
    _unique([(("sections", si, "questions", qi, "id"), q.id)
             for si, s in enumerate(checklist.sections)
             for qi, q in enumerate(s.questions)], "question", report)
    _unique([(("findings", i, "id"), f.id) for i, f in enumerate(checklist.findings)],
            "finding", report)
    current = {q.id for q in checklist.questions()}
    for si, section in enumerate(checklist.sections):
        for qi, question in enumerate(section.questions):
            for ri, old in enumerate(question.renamed_from):
                if old in current:
                    report(("sections", si, "questions", qi, "renamed_from", ri),
                           f"question {question.id!r} is renamed from {old!r}, which is still "
                           "a question of this checklist",
                           "name only ids the previous version had and this one does not")


def _unique(entries: list[tuple[Loc, str]], kind: str, report: Report) -> None:
    first: dict[str, Loc] = {}
    for loc, ident in entries:
        if ident in first:
            report(loc, f"duplicate {kind} id {ident!r}", f"give this {kind} an id of its own")
        else:
            first[ident] = loc


def _check_question_shape(question: Question, loc: Loc, report: Report) -> None:
    _check_typed(question, loc, f"question {question.id!r}", report)
    if question.from_audit:
        wanted = (QuestionType.SINGLE_CHOICE if question.from_audit == "jurisdiction"
                  else QuestionType.DATE)
        if question.type != wanted:
            report((*loc, "from_audit"), f"question {question.id!r} takes the audit's "
                   f"{question.from_audit}, which needs type {wanted.value}",
                   f"make it {wanted.value} or remove `from_audit`")
    if question.type == QuestionType.TABLE:
        if not question.columns:
            report((*loc, "type"), f"table question {question.id!r} has no columns",
                   "add `columns:`, each with an id, label and type")
        _unique([((*loc, "columns", i, "id"), c.id) for i, c in enumerate(question.columns)],
                "column", report)
        for ci, column in enumerate(question.columns):
            column_loc = (*loc, "columns", ci)
            if column.type in (QuestionType.TABLE, QuestionType.LONG_TEXT):
                report((*column_loc, "type"), f"column {column.id!r} cannot be of type "
                       f"{column.type.value}", "use short_text, a choice, date or number")
            _check_typed(column, column_loc, f"column {column.id!r}", report)
        for ri, row in enumerate(question.default_rows):
            try:
                validate_value(question.model_copy(update={"min_rows": 0}), [row])
            except InvalidValue as exc:
                report((*loc, "default_rows", ri), f"default row {ri + 1} is not valid: "
                       f"{exc}", "make the row match the columns")
    else:
        if question.type == QuestionType.ORI_LIST:
            report((*loc, "type"), f"question {question.id!r}: ori_list is a column type",
                   "make it a column of a table, or use short_text")
        for field in ("columns", "default_rows"):
            if getattr(question, field):
                report((*loc, field), f"`{field}` belongs to table questions, but "
                       f"{question.id!r} is {question.type.value}",
                       f"remove `{field}` or make the question a table")


def _check_typed(typed: _Typed, loc: Loc, subject: str, report: Report) -> None:
    if typed.type in CHOICE_TYPES:
        if not typed.options:
            report((*loc, "type"), f"{subject} is a choice with no options",
                   "add `options:`")
        _unique([((*loc, "options", i, "value"), o.value) for i, o in enumerate(typed.options)],
                "option", report)
    elif typed.options:
        report((*loc, "options"), f"{subject} has options but is {typed.type.value}",
               "remove `options` or make it single_choice or multiple_choice")
    for field, problem, fix in bound_problems(typed):
        report((*loc, field), f"{subject}: {problem}", fix)
    if typed.min is not None and typed.max is not None and typed.min > typed.max:
        report((*loc, "min"), f"{subject} has min {typed.min} above max {typed.max}",
               "swap or correct the bounds")
    if (typed.min is not None or typed.max is not None or typed.integer) and (
            typed.type != QuestionType.NUMBER):
        report((*loc, "type"), f"{subject} has number limits but is {typed.type.value}",
               "remove min/max/integer or make it a number")


def _check_condition(condition: Condition, loc: Loc, readable: dict[str, Question],
                     every: dict[str, Question], report: Report, reader: str | None = None,
                     ) -> None:
    for at, comparison in comparisons(condition):
        where = (*loc, *at)
        target = comparison.question
        if target not in readable:
            if target == reader:
                report((*where, "question"), f"the condition of {reader!r} reads its own answer",
                       "make it depend on an earlier question")
            elif target in every:
                report((*where, "question"), f"the condition of {reader!r} looks forward to "
                       f"{target!r}, which comes later",
                       "depend only on questions that come before, or move the question")
            else:
                report((*where, "question"), f"condition names unknown question {target!r}",
                       "use the id of a question in this checklist")
            continue
        _check_comparison(comparison, readable[target], where, report)


def _check_comparison(comparison: QuestionComparison | ColumnComparison, typed: _Typed,
                      loc: Loc, report: Report) -> None:
    op = comparison.op
    name = (f"question {comparison.question!r}" if isinstance(comparison, QuestionComparison)
            else f"column {comparison.column!r}")
    kind = typed.type
    if op in ROW_OPS:
        if kind != QuestionType.TABLE:
            report((*loc, op), f"`{op}` applies to tables, but {name} is {kind.value}",
                   "use equals, in, contains or another comparison")
            return
        assert isinstance(typed, Question)
        for at, column_cmp in column_comparisons(comparison.operand):
            column = typed.column(column_cmp.column)
            where = (*loc, op, *at)
            if column is None:
                report((*where, "column"), f"{name} has no column {column_cmp.column!r}",
                       f"use one of: {', '.join(c.id for c in typed.columns)}")
            else:
                _check_comparison(column_cmp, column, where, report)
        return
    if kind == QuestionType.TABLE and op != "answered":
        report((*loc, op), f"{name} is a table: compare its rows",
               "use any_row or all_rows with column comparisons")
        return
    if kind == QuestionType.MULTIPLE_CHOICE and op in ("equals", "not_equals", "in", "not_in"):
        report((*loc, op), f"{name} is multiple choice: its answer is a list, so `{op}` "
               "never compares as meant", "use contains (or not with contains)")
        return
    if op == "contains" and kind != QuestionType.MULTIPLE_CHOICE:
        report((*loc, op), f"`contains` applies to multiple choice, but {name} is {kind.value}",
               "use equals or in")
        return
    if op in ("gt", "gte", "lt", "lte") and kind not in ORDERED_TYPES:
        report((*loc, op), f"`{op}` applies to numbers and dates, but {name} is {kind.value}",
               "use equals, in or contains")
        return
    if op == "answered":
        return
    operands = comparison.operand if op in ("in", "not_in") else [comparison.operand]
    for operand in operands:
        problem = _operand_problem(typed, operand)
        if problem:
            report((*loc, "in" if op == "in" else op), f"{name}: {problem}",
                   f"compare with a value {name} can take")


def _operand_problem(typed: _Typed, operand: Any) -> str | None:
    kind = typed.type
    if kind in (QuestionType.YES_NO_UNKNOWN, *CHOICE_TYPES):
        allowed = typed.option_values()
        if operand not in allowed:
            return f"{operand!r} is not one of its options ({', '.join(allowed)})"
        return None
    if kind == QuestionType.NUMBER and (isinstance(operand, bool)
                                        or not isinstance(operand, (int, float))):
        return f"{operand!r} is not a number"
    if kind == QuestionType.DATE:
        try:
            dt.date.fromisoformat(str(operand))
        except ValueError:
            return f"{operand!r} is not a date (YYYY-MM-DD)"
    return None


ATTESTATION_TYPES: dict[str, tuple[QuestionType, ...]] = {
    "official": (QuestionType.SHORT_TEXT,),
    "capacity": (QuestionType.SINGLE_CHOICE, QuestionType.SHORT_TEXT),
    "capacity_title": (QuestionType.SHORT_TEXT,),
    "date": (QuestionType.DATE,),
    "statement": (QuestionType.SINGLE_CHOICE,),
    "exceptions": (QuestionType.LONG_TEXT,),
    "counsel_review": (QuestionType.YES_NO_UNKNOWN,),
    "counsel": (QuestionType.SHORT_TEXT,),
    "counsel_date": (QuestionType.DATE,),
    "sources": (QuestionType.TABLE,),
}
ALWAYS_ASKED = ("official", "capacity", "date", "statement", "counsel_review")
"""Procedural attestation questions every audit answers: required, never hidden, never
not applicable (an official "nobody" would skip the check of the signer's name)."""
SOURCE_COLUMNS = {"section": QuestionType.SINGLE_CHOICE, "official": QuestionType.SHORT_TEXT,
                  "office": QuestionType.SHORT_TEXT}


def check_attestation_map(checklist: Checklist, report: Report) -> None:
    """The attestation map names questions of the right types, the procedural ones always
    asked and answered, and sections that exist."""
    mapping = checklist.attestation
    if mapping is None:
        return
    where = {q.id: ("sections", si, "questions", qi)
             for si, section in enumerate(checklist.sections)
             for qi, q in enumerate(section.questions)}
    questions = {q.id: q for q in checklist.questions()}
    for field, kinds in ATTESTATION_TYPES.items():
        question_id = getattr(mapping, field)
        named = questions.get(question_id) if question_id else None
        kind_text = " or ".join(k.value for k in kinds)
        if question_id and (named is None or named.type not in kinds):
            report(("attestation", field), f"attestation.{field} {question_id!r} is not "
                   f"a {kind_text} question of this checklist",
                   f"name a {kind_text} question, or leave it out")
            continue
        if named is None or field not in ALWAYS_ASKED:
            continue
        if named.allow_not_applicable or not named.required or named.visible_if is not None:
            report(where[named.id], f"question {named.id!r} (attestation.{field}) must be "
                   "required and always asked, and cannot be marked not applicable",
                   "set allow_not_applicable: false and required: true, and remove "
                   "visible_if")
    statement = questions.get(mapping.statement or "")
    if mapping.qualified is not None and (
            statement is None or mapping.qualified not in {o.value for o in statement.options}):
        report(("attestation", "qualified"), f"attestation.qualified {mapping.qualified!r} "
               "is not an option of the attestation.statement question",
               "name the option of the statement question that excepts matters")
    section_ids = {section.id for section in checklist.sections}
    for index, section_id in enumerate(mapping.legal_sections):
        if section_id not in section_ids:
            report(("attestation", "legal_sections", index), f"attestation.legal_sections "
                   f"names unknown section {section_id!r}", "use a section id")
    sources = questions.get(mapping.sources or "")
    if sources is not None and sources.type == QuestionType.TABLE:
        for column_id, kind in SOURCE_COLUMNS.items():
            column = sources.column(column_id)
            if column is None or column.type != kind:
                report(where[sources.id], f"attestation.sources {sources.id!r} needs a "
                       f"{kind.value} column {column_id!r}", f"add the column {column_id!r}")
        column = sources.column("section")
        if column is not None and {o.value for o in column.options} - section_ids:
            report(where[sources.id], f"the section column of {sources.id!r} offers values "
                   "that are not section ids", "offer only the checklist's section ids")


def _check_checks(checklist: Checklist, questions: dict[str, Question], report: Report,
                  ) -> None:
    """Each check compares two answers that exist and can be compared."""
    _unique([(("checks", i, "id"), c.id) for i, c in enumerate(checklist.checks)], "check",
            report)
    for ci, check in enumerate(checklist.checks):
        kinds: list[QuestionType] = []
        for side in ("left", "right"):
            ref = getattr(check, side)
            loc: Loc = ("checks", ci, side)
            kind, problem = _ref_type(ref.question, ref.column, questions)
            if kind is None:
                report(loc, f"check {check.id!r}: {problem}",
                       "name a question of this checklist (and a column of a table question)")
                continue
            kinds.append(kind)
        tables = {ref.question for ref in (check.left, check.right) if ref.column}
        if len(tables) > 1:
            report(("checks", ci), f"check {check.id!r} compares columns of two tables",
                   "compare a column with an answer, or two columns of one table")
        if len(kinds) == 2 and check.op not in ("equals", "not_equals") and (
                kinds[0] != kinds[1] or kinds[0] not in ORDERED_TYPES):
            report(("checks", ci, "op"), f"check {check.id!r} orders a {kinds[0].value} and "
                   f"a {kinds[1].value}", "compare two numbers or two dates")
        for qi, question_id in enumerate(check.questions):
            if question_id not in questions:
                report(("checks", ci, "questions", qi), f"check {check.id!r} names no "
                       f"question {question_id!r}", "name questions of this checklist")


def _ref_type(question_id: str, column_id: str | None,
              questions: dict[str, Question]) -> tuple[QuestionType | None, str]:
    """The type of the answer a check side names, or None and what is wrong."""
    question = questions.get(question_id)
    if question is None:
        return None, f"there is no question {question_id!r}"
    if column_id is None:
        if question.type == QuestionType.TABLE:
            return None, f"{question_id!r} is a table: name one of its columns"
        return question.type, ""
    column = next((c for c in question.columns if c.id == column_id), None)
    if column is None:
        return None, f"{question_id!r} has no column {column_id!r}"
    return column.type, ""
