"""The TUI's own layers: widgets never import dialogs or screens, dialogs never import
screens, no two screens import each other, and no TUI module is over 500 lines.

Imports are read from the source (module level and inside functions alike), so a lazy
import cannot hide a cycle.
"""

from __future__ import annotations

import ast
from itertools import combinations
from pathlib import Path

import app.tui

TUI = Path(app.tui.__file__).parent
MAX_LINES = 500


def _module(path: Path) -> str:
    parts = path.relative_to(TUI.parent.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every module `path` imports, wherever in the file the import is."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _modules(package: str) -> dict[str, set[str]]:
    return {_module(path): _imports(path) for path in sorted((TUI / package).rglob("*.py"))}


def _offending(package: str, forbidden: tuple[str, ...]) -> list[str]:
    return sorted(f"{module} imports {name}"
                  for module, names in _modules(package).items() for name in names
                  if name.startswith(forbidden))


def test_widgets_know_neither_dialogs_nor_screens() -> None:
    assert _offending("widgets", ("app.tui.dialogs", "app.tui.screens")) == []


def test_dialogs_do_not_know_screens() -> None:
    assert _offending("dialogs", ("app.tui.screens",)) == []


def test_no_two_screens_import_each_other() -> None:
    screens = _modules("screens")
    cycles = [f"{one} <-> {other}" for one, other in combinations(screens, 2)
              if any(n == other or n.startswith(other + ".") for n in screens[one])
              and any(n == one or n.startswith(one + ".") for n in screens[other])]
    assert cycles == []


def test_no_tui_module_over_500_lines() -> None:
    long = {str(path.relative_to(TUI)): count for path in TUI.rglob("*.py")
            if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}
