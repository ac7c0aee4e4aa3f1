"""`app.audit` names each public name three times: the type checker's imports, the map of
where each is imported from on first use, and `__all__`. They must agree, or a name the
type checker accepts fails with AttributeError on first use."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import app.audit

SOURCE = Path(app.audit.__file__)


def _type_checking_imports() -> dict[str, str]:
    tree = ast.parse(SOURCE.read_text(encoding="utf-8"))
    block = next(node for node in tree.body if isinstance(node, ast.If)
                 and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING")
    return {alias.asname or alias.name: node.module
            for node in block.body if isinstance(node, ast.ImportFrom) and node.module
            for alias in node.names}


def test_every_name_is_imported_from_where_the_type_checker_reads_it() -> None:
    imported = _type_checking_imports()
    assert imported == app.audit._WHERE
    assert sorted(imported) == sorted(app.audit.__all__)


def test_every_public_name_resolves_to_the_object_of_its_module() -> None:
    for name, module in app.audit._WHERE.items():
        assert getattr(app.audit, name) is getattr(importlib.import_module(module), name)
