"""Load a checklist file into a validated Checklist, or fail naming file, line and fix."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from app.checklist.authorities import REGISTRY_KEY, parse_registry
from app.checklist.errors import ChecklistError, ChecklistIssue
from app.checklist.model import Checklist
from app.checklist.semantics import check_semantics
from app.checklist.yaml_source import LocatedDocument, YamlProblem, parse_located_yaml
from app.inputs import InputKind, InputRefused, read_input

TOP_LEVEL_HINT = "start the file with id, version, title, notice and sections"


@dataclass(frozen=True)
class LoadedChecklist:
    """A validated checklist with the exact bytes it came from and their SHA-256."""

    checklist: Checklist
    sha256: str
    source: bytes
    filename: str


def read_checklist_file(path: Path) -> bytes:
    """The bytes of a checklist or overlay file: a regular file under the checklist size
    limit, else ChecklistError naming it."""
    try:
        return read_input(path, InputKind.CHECKLIST)
    except InputRefused as exc:
        message, _, fix = str(exc).partition(". Fix: ")
        message = message.removeprefix(f"checklist {path} ")
        raise ChecklistError([ChecklistIssue(str(path), None, f"cannot read the file: "
                                             f"{message}", fix or "check the path")]) from None


def load_checklist(path: str | Path) -> LoadedChecklist:
    """Read and validate the checklist file at `path`."""
    path = Path(path)
    data = read_checklist_file(path)
    return load_checklist_bytes(data, str(path))


def parse_document(data: bytes, filename: str) -> LocatedDocument:
    """Decode and parse YAML bytes, remembering lines; errors name the file and line."""
    def fail(line: int | None, message: str, fix: str) -> ChecklistError:
        return ChecklistError([ChecklistIssue(filename, line, message, fix)])

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise fail(line, "the file is not UTF-8 text", "save it as UTF-8") from None
    try:
        return parse_located_yaml(text)
    except YamlProblem as problem:
        raise fail(problem.line, problem.message, problem.fix) from None


def load_checklist_bytes(data: bytes, filename: str) -> LoadedChecklist:
    """Validate checklist YAML given as bytes; `filename` is used in error messages."""
    doc = parse_document(data, filename)
    if not isinstance(doc.data, dict):
        raise ChecklistError([ChecklistIssue(
            filename, 1, "the file is not a checklist (a mapping at the top level)",
            TOP_LEVEL_HINT)])
    try:
        checklist = Checklist.model_validate(doc.data, context=registry_context(doc.data))
    except ValidationError as exc:
        raise ChecklistError(schema_issues(exc, doc, filename)) from None

    issues: list[ChecklistIssue] = []

    def report(loc: tuple[Any, ...], message: str, fix: str) -> None:
        issues.append(ChecklistIssue(filename, doc.line_for(loc), message, fix))

    check_semantics(checklist, report)
    if issues:
        raise ChecklistError(sorted(issues, key=lambda i: i.line or 0))
    return LoadedChecklist(checklist, hashlib.sha256(data).hexdigest(), data, filename)


def registry_context(data: dict[str, Any]) -> dict[str, Any] | None:
    """Validation context resolving citations against the file's `authorities`, if any."""
    if REGISTRY_KEY not in data:
        return None
    registry = parse_registry(data[REGISTRY_KEY])
    return None if registry is None else {REGISTRY_KEY: registry}


def schema_issues(exc: ValidationError, doc: LocatedDocument, filename: str,
                  ) -> list[ChecklistIssue]:
    """One issue per validation error, each at the line of the value it concerns."""
    issues = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        path, rest = doc.split(loc)
        leftover = [p for p in rest if isinstance(p, str) and p not in _UNION_TAGS]
        where = _describe(path, doc.data)
        field = leftover[-1] if leftover else (path[-1] if path else None)
        message = error["msg"].removeprefix("Value error, ")
        kind = error["type"]
        if kind == "missing":
            message, fix = f"{where}missing field {field!r}", f"add `{field}:`"
        elif kind == "extra_forbidden":
            message = f"{where}unknown field {field!r}"
            fix = f"remove `{field}` or correct its spelling"
        else:
            named = isinstance(field, str) and kind != "value_error"
            subject = f"field {field!r}: " if named else ""
            message = f"{where}{subject}{message}"
            fix = _FIXES.get(kind, "correct the value as described")
        issues.append(ChecklistIssue(filename, doc.line_for(loc), message, fix))
    unique = {(i.line, i.message): i for i in issues}
    return sorted(unique.values(), key=lambda i: i.line or 0)


_UNION_TAGS = {"all", "any", "not", "question", "column"}

_FIXES = {
    "enum": "use one of the values listed",
    "literal_error": "use one of the values listed",
    "string_pattern_mismatch": "use lower-case letters, digits, '_', '-' or '.'",
    "condition": "write all:, any:, not:, or question: with one operator",
    "row_condition": "write all:, any:, not:, or column: with one operator",
    "too_short": "fill it in",
    "value_error": "use exactly one operator",
    "string_type": "write it as text",
    "list_type": "write it as a list (lines starting with '- ')",
    "dict_type": "write it as a mapping (key: value lines)",
    "model_type": "write it as a mapping (key: value lines)",
    "bool_type": "write true or false",
    "bool_parsing": "write true or false",
    "int_type": "write a whole number",
    "int_parsing": "write a whole number",
    "float_parsing": "write a number",
    "greater_than": "use a larger number",
    "greater_than_equal": "use a larger number",
    "unknown_authority": "add an entry to `authorities` (cite, url, status, checked) or use "
                         "the id of an existing one",
    "citation_not_id": "move the text and address into an `authorities` entry and cite its id",
    "date_from_datetime_parsing": "write the date as YYYY-MM-DD",
    "date_type": "write the date as YYYY-MM-DD",
    "url_parsing": "give the full address starting with https://",
}


def _describe(path: tuple[Any, ...], data: Any) -> str:
    """Name the innermost section, question, column or finding along `path`."""
    label = ""
    node = data
    previous: str | int | None = None
    for part in path:
        node = node[part]
        if isinstance(part, int) and isinstance(node, dict) and isinstance(node.get("id"), str):
            kind = {"sections": "section", "questions": "question", "columns": "column",
                    "findings": "finding", "options": "option",
                    "authorities": "authority", "add_questions": "question",
                    "add_findings": "finding", "add_options": "option",
                    "patch_questions": "patch of question",
                    "adjust_findings": "adjustment of finding"}.get(str(previous), "entry")
            label = f"{kind} {node['id']!r}: "
        previous = part
    return label
