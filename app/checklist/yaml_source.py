"""YAML parsing that remembers the line of every value and refuses duplicate keys.

The document is read from libyaml's event stream (PyYAML's C parser) by a loop with an
explicit stack, never by recursion: a 5 MB checklist parses in about a second, and
10,000-deep nesting is refused at the 64th level with its line instead of exhausting the
stack. The lines of values are only needed to report errors, so they are recorded by a
second pass on first use.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from app.safe_text import control_problem

Path_ = tuple[str | int, ...]

MAX_DEPTH = 64
"""How deeply mappings and lists may nest."""
MAX_DIGITS = 30
"""The longest number accepted, in characters."""

_TAG = "tag:yaml.org,2002:"
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)", re.ASCII)
_FLOAT = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?", re.ASCII)
_SUPPORTED_TAGS = {f"{_TAG}{name}" for name in
                   ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")}


@dataclass
class YamlProblem(Exception):
    """The YAML itself could not be read."""

    line: int | None
    message: str
    fix: str


@dataclass
class LocatedDocument:
    """Plain YAML data plus the 1-based line where each value starts, by path."""

    data: Any
    text: str = ""
    _lines: dict[Path_, int] | None = field(default=None, repr=False)

    @property
    def lines(self) -> dict[Path_, int]:
        """The line of each value by its path (computed on first use)."""
        if self._lines is None:
            lines: dict[Path_, int] = {}
            _read(self.text, lines)
            self._lines = lines
        return self._lines

    def line_for(self, loc: tuple[Any, ...]) -> int | None:
        """Return the line of the deepest value along `loc` that exists in the data."""
        return self.lines.get(self.split(loc)[0])

    def split(self, loc: tuple[Any, ...]) -> tuple[Path_, tuple[Any, ...]]:
        """Split `loc` into the path that exists in the data and the parts that do not.

        Parts that name no key or index (such as the tags pydantic adds for unions, or a
        missing field) are skipped along the way and returned as the second item.
        """
        node: Any = self.data
        path: Path_ = ()
        rest: tuple[Any, ...] = ()
        for part in loc:
            if _has(node, part):
                node = node[part]
                path = (*path, part)
            else:
                rest = (*rest, part)
        return path, rest


def _has(node: Any, part: Any) -> bool:
    if isinstance(node, dict):
        return part in node
    return isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)


def parse_located_yaml(text: str) -> LocatedDocument:
    """Parse one YAML document into plain data, recording the line of each value."""
    return LocatedDocument(data=_read(text, None), text=text)


def _events(text: str) -> Iterator[yaml.Event]:
    loader = yaml.CSafeLoader(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            if event is not None:
                yield event
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "unreadable YAML"
        if "nesting depth" in problem:
            raise YamlProblem(line, f"the YAML nests more than {MAX_DEPTH} levels deep",
                              "flatten the structure") from None
        raise YamlProblem(
            line, f"YAML syntax error: {problem}", "check indentation, colons and quotes"
        ) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(None, f"YAML error: {exc}", "make it one valid YAML document") from None
    finally:
        loader.dispose()


class _Frame:
    """A mapping or list being filled, with its path and, for a mapping, the key waiting
    for its value and the line of each key."""

    __slots__ = ("container", "path", "key", "key_lines")

    def __init__(self, container: dict[Any, Any] | list[Any], path: Path_) -> None:
        self.container = container
        self.path = path
        self.key: Any = _NO_KEY
        self.key_lines: dict[Any, int] = {}


_NO_KEY = object()


def _read(text: str, lines: dict[Path_, int] | None) -> Any:
    """The document's data; when `lines` is given, fill it with the line of each value."""
    resolver = yaml.resolver.Resolver()
    stack: list[_Frame] = []
    root: Any = None
    documents = 0
    for event in _events(text):
        kind = type(event)
        line = event.start_mark.line + 1 if event.start_mark is not None else 0
        if kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise YamlProblem(line, "the file holds more than one "
                                  "YAML document", "keep one document (remove the ---)")
            continue
        if kind in (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent):
            continue
        if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            stack.pop()
            continue
        if kind is yaml.AliasEvent or getattr(event, "anchor", None) is not None:
            # An alias (*name) repeats a node; refusing them keeps a small file from
            # expanding into a huge (or endless) one.
            raise YamlProblem(line, "YAML anchors and aliases (&name, *name) are not "
                              "supported", "write the value out in full")
        parent = stack[-1] if stack else None
        if parent is not None and isinstance(parent.container, dict) and parent.key is _NO_KEY:
            _take_key(parent, event, resolver, line)
            continue
        value: Any
        if kind is yaml.ScalarEvent:
            value = _scalar(event, resolver, line)
        else:
            _check_tag(event, line)
            if len(stack) >= MAX_DEPTH:
                raise YamlProblem(line, f"the YAML nests more than {MAX_DEPTH} levels deep",
                                  "flatten the structure")
            value = {} if kind is yaml.MappingStartEvent else []
        path = _attach(parent, value)
        if lines is not None:
            lines[path] = line
        if parent is None:
            root = value
        if kind is not yaml.ScalarEvent:
            stack.append(_Frame(value, path))
    return root


def _take_key(frame: _Frame, event: yaml.Event, resolver: yaml.resolver.Resolver,
              line: int) -> None:
    if type(event) is not yaml.ScalarEvent:
        raise YamlProblem(line, "a mapping key must be a plain name", "use a word as the key")
    key = _scalar(event, resolver, line)
    if not isinstance(key, (str, int)) or isinstance(key, bool):
        raise YamlProblem(line, "a mapping key must be a plain name", "use a word as the key")
    if key in frame.key_lines:
        raise YamlProblem(line, f"duplicate key {key!r} (first on line "
                          f"{frame.key_lines[key]})", "keep one of the two entries")
    frame.key_lines[key] = line
    frame.key = key


def _attach(parent: _Frame | None, value: Any) -> Path_:
    if parent is None:
        return ()
    if isinstance(parent.container, list):
        parent.container.append(value)
        return (*parent.path, len(parent.container) - 1)
    key = parent.key
    parent.container[key] = value
    parent.key = _NO_KEY
    return (*parent.path, key)


def _check_tag(event: Any, line: int) -> None:
    tag = event.tag
    if tag is not None and tag != "!" and tag not in _SUPPORTED_TAGS:
        raise YamlProblem(line, f"the YAML tag {tag[:60]!r} is not supported",
                          "remove the tag and write the value plainly")


def _scalar(event: Any, resolver: yaml.resolver.Resolver, line: int) -> Any:
    raw: str = event.value
    _check_tag(event, line)
    problem = control_problem(raw, newlines=True, bidi=True) if not raw.isprintable() else None
    if problem is not None:
        raise YamlProblem(line, f"a value {problem.partition(';')[0]}",
                          "remove it (control characters are not accepted)")
    tag = event.tag
    if tag is None or tag == "!":
        tag = resolver.resolve(yaml.ScalarNode, raw, event.implicit)
    name = tag.removeprefix(_TAG)
    if name == "bool":
        # YAML 1.1 reads yes/no/on/off as booleans; a checklist means the words.
        return {"true": True, "false": False}.get(raw.lower(), raw)
    if name == "null":
        return None if raw in ("", "~", "null", "Null", "NULL") else raw
    explicit = event.tag not in (None, "!")
    if name == "int":
        return _number(raw, line, explicit, int)
    if name == "float":
        return _number(raw, line, explicit, float)
    # Strings, and dates kept as their ISO text.
    return raw


def _number(raw: str, line: int, explicit: bool, kind: type) -> Any:
    text = raw.strip()
    if len(text) > MAX_DIGITS and (_INT.fullmatch(text) or _FLOAT.fullmatch(text)):
        raise YamlProblem(line, f"the number {text[:20]}… has {len(text)} characters; at "
                          f"most {MAX_DIGITS} are accepted", "write a smaller number")
    if kind is int and _INT.fullmatch(text):
        return int(text)
    if kind is float and (_FLOAT.fullmatch(text) or _INT.fullmatch(text)):
        value = float(text)
        if not math.isfinite(value):
            raise YamlProblem(line, f"{text[:20]!r} is not a finite number",
                              "write an ordinary number")
        return value
    if explicit:
        wanted = "a whole number" if kind is int else "a number"
        raise YamlProblem(line, f"{raw[:40]!r} is tagged as {wanted} but is not one",
                          f"write {wanted} in digits, or remove the tag")
    if kind is float and text.lower().lstrip("+-") in (".inf", ".nan"):
        raise YamlProblem(line, f"{text!r} is not a finite number",
                          "write an ordinary number")
    # YAML 1.1 forms such as 0x1F, 017 (octal), 1_000 or 1:30 stay text, so they are
    # never read as a number other than the one written.
    return raw
