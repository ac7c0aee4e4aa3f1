"""The office's trust store: which roots a signature must chain to.

Three sources, all used together:
- `--trust FILE` on `sign`, `verify` and `extend` (repeatable);
- every `*.pem`, `*.crt`, `*.cer`, `*.der` (roots) and `*.crl` (extra CRLs, for offline
  use) in the folder `trust/` of the data directory (NLETS_AUDIT_HOME);
- NLETS_AUDIT_TRUST: files or folders, separated like PATH.
No operating-system trust list is ever used: a signature by any publicly trusted
certificate is not an attestation by the office's official.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from app.errors import UserFacingError
from app.store.location import data_home

if TYPE_CHECKING:
    from app.report.verification import TrustAnchors

TRUST_FOLDER = "trust"
TRUST_ENV = "NLETS_AUDIT_TRUST"
SUFFIXES = (".pem", ".crt", ".cer", ".der", ".crl")


def trust_files(given: list[Path] | tuple[Path, ...] = ()) -> list[Path]:
    """The trust files: those given, the data directory's trust folder, NLETS_AUDIT_TRUST."""
    files = [Path(p).expanduser() for p in given]
    folders = [data_home() / TRUST_FOLDER]
    for part in (os.environ.get(TRUST_ENV) or "").split(os.pathsep):
        if part.strip():
            path = Path(part.strip()).expanduser()
            if path.is_dir():
                folders.append(path)
            elif path.is_file():
                files.append(path)
            else:
                raise UserFacingError(f"{TRUST_ENV} names {path}, which does not exist")
    for folder in folders:
        if folder.is_dir():
            files += sorted(p for p in folder.iterdir()
                            if p.is_file() and p.suffix.lower() in SUFFIXES)
    return files


def office_trust(given: list[Path] | tuple[Path, ...] = ()) -> TrustAnchors:
    """The trust anchors from every source; see the module's description."""
    from app.report.verification import load_trust

    return load_trust(trust_files(given))


def trust_hint() -> str:
    """Where trust roots are configured, for messages."""
    return (f"give the office's root certificate with --trust FILE, put it in "
            f"{data_home() / TRUST_FOLDER}, or name it in {TRUST_ENV}")
