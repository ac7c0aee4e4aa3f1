"""Where the bundled checklists and templates live, installed or in a source tree."""

from __future__ import annotations

from pathlib import Path

from app.checklist.errors import ChecklistError, ChecklistIssue
from app.checklist.loader import LoadedChecklist, load_checklist

_PACKAGE = Path(__file__).resolve().parent.parent


def data_dir(name: str) -> Path:
    """The folder of bundled `name` data ("checklists" or "templates")."""
    installed = _PACKAGE / "_bundled" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name


def bundled_checklist_files() -> list[Path]:
    """The bundled checklist files, sorted by name."""
    folder = data_dir("checklists")
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def bundled_checklists() -> list[LoadedChecklist]:
    """Every bundled checklist, loaded and validated."""
    return [load_checklist(path) for path in bundled_checklist_files()]


def resolve_checklist(ref: str) -> LoadedChecklist:
    """Load a checklist named by a file path or by the id of a bundled checklist."""
    path = Path(ref)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return load_checklist(path)
    for loaded in bundled_checklists():
        if loaded.checklist.id == ref:
            return loaded
    known = ", ".join(c.checklist.id for c in bundled_checklists()) or "none"
    raise ChecklistError([ChecklistIssue(
        ref, None, "no checklist file or bundled checklist by this name",
        f"give a path to a .yaml file or one of the bundled ids ({known})")])
