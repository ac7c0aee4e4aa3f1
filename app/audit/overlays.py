"""Which state overlays an audit applies: the bundled ones for its jurisdiction."""

from __future__ import annotations

from app.checklist.bundled import bundled_overlays
from app.checklist.loader import LoadedChecklist
from app.checklist.overlay import LoadedOverlay
from app.records import normalise_jurisdiction


def state_overlays(checklist: LoadedChecklist, jurisdiction: str) -> list[LoadedOverlay]:
    """The bundled overlays pinned to `checklist` that apply to `jurisdiction`, however the
    jurisdiction is written ("MD", "md", "Maryland")."""
    code = normalise_jurisdiction(jurisdiction)
    return [overlay for overlay in bundled_overlays(checklist) if overlay.applies_to(code)]
