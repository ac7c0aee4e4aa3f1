"""Timestamps as ISO-8601 UTC text, and the name of whoever is making a change."""

from __future__ import annotations

import datetime as dt
import getpass
import os


def utc_now() -> str:
    """The current time as ISO-8601 UTC text with microseconds, e.g. 2026-01-02T03:04:05.000006Z."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def current_actor() -> str:
    """Who is making changes: NLETS_AUDIT_USER, else the operating-system user name."""
    name = os.environ.get("NLETS_AUDIT_USER", "").strip()
    if not name:
        try:
            name = getpass.getuser()
        except (KeyError, OSError):
            name = "unknown"
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
