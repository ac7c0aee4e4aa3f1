"""Where the bundled checklists and templates live, installed or in a source tree."""

from __future__ import annotations

from pathlib import Path

from app.checklist.errors import ChecklistError, ChecklistIssue
from app.checklist.loader import LoadedChecklist, load_checklist, read_checklist_file
from app.checklist.overlay import LoadedOverlay, load_overlay, overlay_pin

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


def bundled_overlay_files() -> list[Path]:
    """The bundled state overlay files, sorted by name."""
    folder = data_dir("checklists") / "overlays"
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def bundled_overlays(base: LoadedChecklist) -> list[LoadedOverlay]:
    """The bundled overlays for this base checklist's id and version, validated against it.

    An overlay for another version of the checklist is skipped; one for this version whose
    pinned SHA-256 differs from the base's is refused.
    """
    loaded: list[LoadedOverlay] = []
    for path in bundled_overlay_files():
        pin = overlay_pin(path.read_bytes())
        if pin == (base.checklist.id, base.checklist.version):
            loaded.append(load_overlay(path, base))
    return loaded


def validate_file(path: Path) -> LoadedChecklist | LoadedOverlay:
    """Validate a checklist file, or an overlay file against the bundled base it pins."""
    data = read_checklist_file(path)
    pin = overlay_pin(data)
    if pin is None:
        return load_checklist(path)
    for base in bundled_checklists():
        if (base.checklist.id, base.checklist.version) == pin:
            return load_overlay(path, base)
    raise ChecklistError([ChecklistIssue(
        str(path), None, f"the overlay is pinned to checklist {pin[0]!r} version {pin[1]!r}, "
        "which is not bundled", "pin it to a bundled checklist (`nlets-audit checklists`)")])
