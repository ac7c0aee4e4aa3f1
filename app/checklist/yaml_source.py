"""YAML parsing that remembers the line of every value and refuses duplicate keys."""

from dataclasses import dataclass, field
from typing import Any

import yaml

Path_ = tuple[str | int, ...]


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
    lines: dict[Path_, int] = field(default_factory=dict)

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
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "unreadable YAML"
        raise YamlProblem(
            line, f"YAML syntax error: {problem}", "check indentation, colons and quotes"
        ) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(None, f"YAML error: {exc}", "make it one valid YAML document") from None
    doc = LocatedDocument(data=None)
    if root is None:
        return doc
    doc.data = _build(root, (), doc.lines, set())
    return doc


def _build(node: yaml.Node, path: Path_, lines: dict[Path_, int], seen: set[int]) -> Any:
    if id(node) in seen:
        # An alias (*name) repeats a node; refusing them keeps a small file from expanding
        # into a huge (or endless) one.
        raise YamlProblem(node.start_mark.line + 1, "YAML anchors and aliases (&name, *name) "
                          "are not supported", "write the value out in full")
    seen.add(id(node))
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node)
            if not isinstance(key, (str, int)):
                raise YamlProblem(
                    key_node.start_mark.line + 1,
                    "a mapping key must be a plain name",
                    "use a word as the key",
                )
            if key in result:
                raise YamlProblem(
                    key_node.start_mark.line + 1,
                    f"duplicate key {key!r} (first on line {lines[(*path, key)]})",
                    "keep one of the two entries",
                )
            lines[(*path, key)] = key_node.start_mark.line + 1
            result[key] = _build(value_node, (*path, key), lines, seen)
            # A value's own line is where its content starts; for a nested block that is
            # the line below the key, which is the more helpful place to point at.
            if not isinstance(value_node, yaml.ScalarNode):
                lines[(*path, key)] = value_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*path, i), lines, seen) for i, item in enumerate(node.value)]
    return _scalar(node)


def _scalar(node: yaml.Node) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        raise YamlProblem(
            node.start_mark.line + 1,
            "a mapping key must be a plain name",
            "use a word as the key",
        )
    tag = node.tag.rsplit(":", 1)[-1]
    raw = node.value
    if tag == "bool":
        # YAML 1.1 reads yes/no/on/off as booleans; a checklist means the words.
        return {"true": True, "false": False}.get(raw.lower(), raw)
    if tag == "int":
        return _construct(node, int)
    if tag == "float":
        return _construct(node, float)
    if tag == "null":
        return None
    # Strings, and dates kept as their ISO text.
    return raw


def _construct(node: yaml.ScalarNode, kind: type) -> Any:
    loader = yaml.SafeLoader("")
    try:
        value = loader.construct_object(node, deep=True)
    finally:
        loader.dispose()
    return kind(value)
