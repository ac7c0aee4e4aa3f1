"""Whether the slow jobs (export, signing) can run here, and default file names for them.

The report and signing code is imported only inside the worker that uses it, so the
interface opens fast; here we only look for the modules without importing them.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from app.audit import AuditInfo


def _missing(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is None
    except (ImportError, ValueError):
        return True


def export_unavailable(fmt: str) -> str | None:
    """Why exporting as `fmt` cannot work here, or None when it can."""
    if _missing("app.audit.export"):
        return "export is not available in this installation (app.audit.export is missing)"
    if fmt != "json" and _missing("weasyprint"):
        return "PDF export needs WeasyPrint, which is not installed"
    return None


def signing_unavailable() -> str | None:
    """Why signing cannot work here, or None when it can."""
    if _missing("app.report.signing") or _missing("app.report.pdf"):
        return "signing is not available in this installation (app.report is incomplete)"
    for module, name in (("pyhanko", "pyHanko"), ("weasyprint", "WeasyPrint")):
        if _missing(module):
            return f"signing needs {name}, which is not installed"
    return None


def file_stem(audit: AuditInfo) -> str:
    """A file name stem for an audit: state, period end and the start of its id."""
    text = f"{audit.jurisdiction}-{audit.checklist_id}-{audit.period_end}-{audit.id[:8]}"
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text)


def default_folder(remembered: str) -> Path:
    """The remembered export folder when it still exists, else the working directory."""
    if remembered and Path(remembered).is_dir():
        return Path(remembered)
    return Path.cwd()
