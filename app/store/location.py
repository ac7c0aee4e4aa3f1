"""Where the data lives: the user's data directory and the default database in it. Apart
from the engine, so that what only needs the place (the trust folder, whether a database
exists) does not load SQLAlchemy."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "nlets-audit"
DATABASE_FILE = "nlets-audit.sqlite3"


def data_home() -> Path:
    """The user's data directory: NLETS_AUDIT_HOME, else the platform's user data dir."""
    configured = os.environ.get("NLETS_AUDIT_HOME")
    if configured:
        return Path(configured).expanduser()
    import platformdirs

    return platformdirs.user_data_path(APP_NAME)


def default_database_url() -> str:
    """NLETS_AUDIT_DB if set, else the SQLite file in the user's data directory."""
    return os.environ.get("NLETS_AUDIT_DB") or f"sqlite:///{data_home() / DATABASE_FILE}"
