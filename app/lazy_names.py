"""Names a package exports but imports only when one is first used (PEP 562), so that a
caller pays only for the parts it uses."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def lazy_getattr(package: str, where: Mapping[str, str]) -> Callable[[str], Any]:
    """A module `__getattr__` for `package` that imports each name of `where` (name:
    module) from its module on first use, and keeps it on the package from then on."""

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__


def lazy_dir(package: str) -> Callable[[], list[str]]:
    """A module `__dir__` for `package` that lists its `__all__`, loaded or not."""

    def __dir__() -> list[str]:
        return sorted(sys.modules[package].__all__)

    return __dir__
