"""What the interface remembers between runs: a small JSON file in the data directory.

Only conveniences live here (the auditor's name and title, the signer's title and key
location, the last export folder); never a secret, never anything an audit depends on. An
unreadable or missing file means the defaults; a file that cannot be written is reported
by the caller and otherwise ignored.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from app.atomic import write_atomically
from app.errors import UserFacingError

CONFIG_FILE = "tui-settings.json"


@dataclass
class TuiSettings:
    """The remembered values: optional text, and where each audit was left."""

    auditor_name: str = ""
    """The auditor's name, offered in the new-audit dialog."""
    auditor_title: str = ""
    """The auditor's title (role), offered in the new-audit dialog."""
    signer_title: str = ""
    """The attesting official's title, printed in the signature block."""
    key_source: str = "pkcs12"
    """The last key source used to sign: "pkcs12" or "pkcs11"."""
    pkcs12_path: str = ""
    """The last PKCS#12 file used to sign (a path, not a secret)."""
    pkcs11_library: str = ""
    """The last PKCS#11 library used to sign."""
    pkcs11_token: str = ""
    """The last PKCS#11 token label used to sign."""
    pkcs11_key: str = ""
    """The last PKCS#11 key label used to sign."""
    export_folder: str = ""
    """The folder of the last export or signed file."""
    positions: dict[str, str] = field(default_factory=dict)
    """Audit id -> the question last worked on, to reopen the audit there."""


POSITIONS_KEPT = 200
"""How many audits' positions are remembered (the most recent)."""


def settings_path() -> Path:
    """Where the settings live: beside the database in the data directory."""
    from app.audit import data_home

    return data_home() / CONFIG_FILE


def load_settings(path: Path | None = None) -> TuiSettings:
    """The remembered settings, or the defaults when the file is missing or unreadable."""
    path = path or settings_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return TuiSettings()
    if not isinstance(data, dict):
        return TuiSettings()
    known = {f.name for f in fields(TuiSettings)} - {"positions"}
    settings = TuiSettings()
    for key, value in data.items():
        if key in known and value is not None:
            setattr(settings, key, str(value))
    positions = data.get("positions")
    if isinstance(positions, dict):
        settings.positions = {str(k): str(v) for k, v in positions.items()
                              if isinstance(v, str)}
    return settings


def save_settings(settings: TuiSettings, path: Path | None = None) -> None:
    """Write the settings atomically; raises `OSError` when the folder is not writable."""
    path = path or settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(asdict(settings), indent=2) + "\n"  # positions keep their order
    try:
        write_atomically(path, text.encode("utf-8"))
    except UserFacingError as exc:
        raise OSError(str(exc)) from None


def remember(**values: str) -> str | None:
    """Update some remembered values; returns a message when they could not be saved."""
    settings = load_settings()
    for name, value in values.items():
        setattr(settings, name, value)
    return _save(settings)


def remember_position(audit_id: str, question_id: str) -> str | None:
    """Remember where work on an audit stopped; returns a message if it could not be saved."""
    settings = load_settings()
    settings.positions.pop(audit_id, None)
    settings.positions[audit_id] = question_id  # the most recent last
    settings.positions = dict(list(settings.positions.items())[-POSITIONS_KEPT:])
    return _save(settings)


def _save(settings: TuiSettings) -> str | None:
    try:
        save_settings(settings)
    except OSError as exc:
        return f"could not remember settings in {settings_path()}: {exc.strerror or exc}"
    return None
