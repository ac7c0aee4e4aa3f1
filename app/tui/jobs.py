"""Default file names and folders for the slow jobs (export, signing)."""

from __future__ import annotations

import re
from pathlib import Path

from app.audit import AuditInfo


def file_stem(audit: AuditInfo) -> str:
    """A file name stem for an audit: state, period end and the start of its id."""
    text = f"{audit.jurisdiction}-{audit.checklist_id}-{audit.period_end}-{audit.id[:8]}"
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text)


def default_folder(remembered: str) -> Path:
    """The remembered export folder when it still exists, else the working directory."""
    if remembered and Path(remembered).is_dir():
        return Path(remembered)
    return Path.cwd()
