"""Export an audit to a file: the attestation PDF, the manifest JSON or the public report.

Used by `nlets-audit export` and by the TUI (in a worker: rendering a PDF takes seconds).
The file is written to a temporary name beside the target and renamed into place, so a
failed export leaves no partial file and never clobbers an earlier good one.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.errors import UserFacingError

if TYPE_CHECKING:
    from app.audit.service import AuditService

FORMATS = ("pdf", "json", "transparency")
FROM_SERVICE: Any = object()  # changes: ask the service what changed since the previous audit


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote."""

    path: Path
    format: str
    size: int
    sha256: str
    manifest_sha256: str
    pages: int | None
    draft: bool
    missing_glyphs: tuple[str, ...] = ()

    def describe(self) -> str:
        """One line for a person: what was written where."""
        what = {"pdf": "attestation PDF/A-3b", "json": "manifest JSON",
                "transparency": "transparency report PDF/A-3b"}[self.format]
        details = [f"{self.size:,} bytes"]
        if self.pages is not None:
            details.insert(0, f"{self.pages} page{'s' if self.pages != 1 else ''}")
        if self.draft and self.format != "json":
            details.append("DRAFT: the audit is not complete")
        return (f"wrote {what} to {self.path} ({', '.join(details)}); "
                f"manifest SHA-256 {self.manifest_sha256}")

    def font_warning(self) -> str | None:
        """A warning when some characters had no font and print as empty boxes."""
        if not self.missing_glyphs:
            return None
        shown = ", ".join(self.missing_glyphs[:10])
        extra = len(self.missing_glyphs) - 10
        more = f" and {extra} more" if extra > 0 else ""
        return (f"no installed font can draw {shown}{more}: those characters print as empty "
                "boxes (the manifest keeps them exactly). Install fonts that cover them, e.g. "
                "Debian's fonts-dejavu-core and fonts-wqy-microhei, and export again")


def export_audit(service: AuditService, ref: str, path: str | Path, fmt: str = "pdf", *,
                 changes: Iterable[Any] | None = FROM_SERVICE, signatory: Any = None,
                 progress: Callable[[str], None] | None = None) -> ExportResult:
    """Write the audit named by `ref` to `path` as pdf (attestation), json or transparency.

    `changes` (changes since the previous audit; by default the service's
    `changes_since_previous`, None for an audit not based on another) and `signatory` (name,
    title and date for the signature block) apply to the attestation PDF only. `progress`
    is called with a short description of each step (for a TUI worker's status line).
    """
    from app.report.manifest import encode_manifest, ready_to_sign

    fmt = (fmt or "pdf").strip().lower()
    if fmt not in FORMATS:
        raise UserFacingError(f"unknown export format {fmt!r}; use one of: "
                              f"{', '.join(FORMATS)}")
    target = Path(path)
    if target.is_dir():
        raise UserFacingError(f"{target} is a folder; give a file name to write")
    if not target.parent.is_dir():
        raise UserFacingError(f"the folder {target.parent} does not exist; create it first")
    view = service.view(ref)
    if fmt == "pdf" and view.audit.read_only:
        # A signed audit's attestation is the signed file itself, never a new rendering.
        content = service.signed_pdf(view.audit.id)
        write_atomically(target, content)
        return ExportResult(target, fmt, len(content), hashlib.sha256(content).hexdigest(),
                            encode_manifest(view).sha256, None, False)
    if fmt == "json":
        if progress is not None:
            progress("building the manifest")
        manifest = encode_manifest(view)
        content, manifest_sha, pages = manifest.content, manifest.sha256, None
        missing: tuple[str, ...] = ()
    else:
        from app.audit.query_logs import recorded_analyses
        from app.report.pdf import render_attestation, render_transparency

        if fmt == "pdf":
            if changes is FROM_SERVICE:
                changes = service.changes_since_previous(view.audit.id)
            rendered = render_attestation(view, changes=changes, signatory=signatory,
                                          progress=progress,
                                          logs=recorded_analyses(service, view))
        else:
            rendered = render_transparency(view, progress=progress)
        content, manifest_sha, pages = rendered.pdf, rendered.manifest_sha256, rendered.pages
        missing = tuple(rendered.missing_glyphs)
    if progress is not None:
        progress(f"writing {target}")
    write_atomically(target, content)
    return ExportResult(target, fmt, len(content), hashlib.sha256(content).hexdigest(),
                        manifest_sha, pages, not ready_to_sign(view), missing)


def write_atomically(path: Path, content: bytes) -> None:
    """Write `content` to `path` through a temporary file in the same folder.

    Only a regular file is replaced (never a device, link or folder); a replaced file keeps
    its permissions, a new one gets the user's default ones.
    """
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise UserFacingError(f"{path} exists and is not a regular file; choose another name")
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask()
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part",
                                             dir=path.parent)
    except OSError as exc:
        raise UserFacingError(f"cannot write in {path.parent}: {exc.strerror or exc}"
                              ) from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise UserFacingError(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current
