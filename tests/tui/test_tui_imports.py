"""The interface calls the audit services through `app.audit` alone: no audit submodule,
renderer, store or log reader, even in an import inside a function."""

import ast
from pathlib import Path

TUI = Path(__file__).resolve().parents[2] / "app" / "tui"
ALLOWED = ("app.audit", "app.checklist", "app.errors", "app.inputs", "app.safe_text",
           "app.records", "app.atomic", "app.tui")


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.lineno, node.module))
    return found


def _allowed(module: str) -> bool:
    if not module.startswith("app"):
        return True
    if module.startswith("app.audit."):
        return False
    return any(module == name or module.startswith(name + ".") for name in ALLOWED)


def test_the_tui_imports_only_the_audit_surface():
    offenders = [f"{path.relative_to(TUI)}:{line}: {module}"
                 for path in sorted(TUI.rglob("*.py"))
                 for line, module in _imports(path) if not _allowed(module)]
    assert offenders == []


def test_the_check_sees_imports_inside_functions(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from app.audit.review import review\n"
                     "    import app.store.database\n    from app.report import pdf\n")
    assert [m for _, m in _imports(probe) if not _allowed(m)] == [
        "app.audit.review", "app.store.database", "app.report"]
