"""The command line calls the audit services through `app.audit` alone: no audit submodule,
no renderer, store or log reader, even in an import inside a function."""

import ast
from pathlib import Path

CLI = Path(__file__).resolve().parents[2] / "app" / "cli"
ALLOWED = ("app.audit", "app.checklist", "app.errors", "app.inputs", "app.safe_text",
           "app.records", "app.cli")
OPENS_THE_TUI = "app.tui.app"  # `nlets-audit` without a command opens the interface


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.lineno, node.module))
    return found


def _allowed(module: str) -> bool:
    if module == OPENS_THE_TUI or not module.startswith("app"):
        return True
    if module.startswith("app.audit."):
        return False
    return any(module == name or module.startswith(name + ".") for name in ALLOWED)


def test_the_cli_imports_only_the_audit_surface():
    offenders = [f"{path.name}:{line}: {module}" for path in sorted(CLI.glob("*.py"))
                 for line, module in _imports(path) if not _allowed(module)]
    assert offenders == []


def test_the_check_sees_imports_inside_functions(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from app.audit.attest import sign_audit\n"
                     "    import app.report.signing\n")
    assert [m for _, m in _imports(probe) if not _allowed(m)] == [
        "app.audit.attest", "app.report.signing"]


def test_no_cli_module_is_over_500_lines():
    assert {p.name: n for p in CLI.glob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500} == {}
