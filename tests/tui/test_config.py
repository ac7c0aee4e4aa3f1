"""What the interface remembers: positions kept in order, bounded, and a bad file ignored."""

from __future__ import annotations

import json

from app.tui.config import POSITIONS_KEPT, load_settings, remember_position, settings_path


def test_positions_keep_the_most_recent_audits() -> None:
    for number in range(POSITIONS_KEPT + 5):
        remember_position(f"{number:032x}", f"q{number}")
    remember_position(f"{7:032x}", "moved")  # worked on again: now the most recent
    positions = load_settings().positions
    assert len(positions) == POSITIONS_KEPT
    assert f"{4:032x}" not in positions and f"{5:032x}" in positions
    assert list(positions.items())[-1] == (f"{7:032x}", "moved")


def test_a_malformed_settings_file_means_the_defaults() -> None:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"auditor_name": "Jane Roe", "positions": ["not", "a", "map"]}))
    settings = load_settings()
    assert settings.auditor_name == "Jane Roe" and settings.positions == {}
    path.write_text("{not json")
    assert load_settings().auditor_name == ""
