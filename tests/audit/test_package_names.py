"""`app.audit`, `app.checklist`, `app.records`, `app.store` and `app.store.schema` name each
name they import on first use three times: the type checker's imports, the map of where
each is imported from, and `__all__`. They must agree, or a name the type checker accepts fails
with AttributeError on first use."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path
from types import ModuleType

import pytest

import app.audit
import app.checklist
import app.records
import app.store
import app.store.schema

PACKAGES = [app.audit, app.checklist, app.records, app.store, app.store.schema]


def _type_checking_imports(package: ModuleType) -> dict[str, str]:
    tree = ast.parse(Path(str(package.__file__)).read_text(encoding="utf-8"))
    block = next(node for node in tree.body if isinstance(node, ast.If)
                 and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING")
    return {alias.asname or alias.name: node.module
            for node in block.body if isinstance(node, ast.ImportFrom) and node.module
            for alias in node.names}


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.__name__)
def test_every_name_is_imported_from_where_the_type_checker_reads_it(package) -> None:
    imported = _type_checking_imports(package)
    assert imported == package._WHERE
    assert len(set(package.__all__)) == len(package.__all__), "a name listed twice"
    own = {name for name in package.__all__ if name not in imported}
    assert set(imported) <= set(package.__all__)
    assert all(name in vars(package) for name in own), "a listed name is not defined"
    assert dir(package) == sorted(package.__all__)


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.__name__)
def test_every_public_name_resolves_to_the_object_of_its_module(package) -> None:
    for name, module in package._WHERE.items():
        assert getattr(package, name) is getattr(importlib.import_module(module), name)
    with pytest.raises(AttributeError, match="no attribute 'no_such_name'"):
        package.no_such_name  # noqa: B018
