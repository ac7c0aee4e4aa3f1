"""Export an audit to a file: the attestation PDF, the manifest JSON or the public report.

Used by `nlets-audit export` and by the TUI (in a worker: rendering a PDF takes seconds).
The file is written to a temporary name beside the target and renamed into place, so a
failed export leaves no partial file and never clobbers an earlier good one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.atomic import write_atomically
from app.errors import UserFacingError

if TYPE_CHECKING:
    from app.audit.service import AuditService

FORMATS = ("pdf", "json", "transparency")


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
    history_head: str | None = None

    def describe(self) -> str:
        """One line for a person: what was written where."""
        what = {"pdf": "attestation PDF/A-3b", "json": "manifest JSON",
                "transparency": "transparency report PDF/A-3b"}[self.format]
        details = [f"{self.size:,} bytes"]
        if self.pages is not None:
            details.insert(0, f"{self.pages} page{'s' if self.pages != 1 else ''}")
        if self.draft and self.format != "json":
            details.append("DRAFT: the audit is not complete")
        head = (f"; history head {self.history_head} (record it: `nlets-audit history verify "
                f"AUDIT --head {self.history_head}` later shows any rewrite before it)"
                if self.history_head else "")
        return (f"wrote {what} to {self.path} ({', '.join(details)}); "
                f"manifest SHA-256 {self.manifest_sha256}{head}")

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
                 progress: Callable[[str], None] | None = None) -> ExportResult:
    """Write the audit named by `ref` to `path` as pdf (attestation), json or transparency.

    `progress` is called with a short description of each step (for a TUI worker's status
    line).
    """
    from app.report.manifest import encode_manifest

    fmt = (fmt or "pdf").strip().lower()
    if fmt not in FORMATS:
        raise UserFacingError(f"unknown export format {fmt!r}; use one of: "
                              f"{', '.join(FORMATS)}")
    target = Path(path)
    if target.is_dir():
        raise UserFacingError(f"{target} is a folder; give a file name to write")
    if not target.parent.is_dir():
        raise UserFacingError(f"the folder {target.parent} does not exist; create it first")
    attestation = service.attestation(ref)
    view = attestation.view
    if fmt == "pdf" and view.audit.read_only:
        # A signed audit's attestation is the signed file itself, never a new rendering.
        content = service.signed_pdf(view.audit.id)
        write_atomically(target, content)
        return ExportResult(target, fmt, len(content), hashlib.sha256(content).hexdigest(),
                            encode_manifest(attestation).sha256, None, False,
                            history_head=view.manifest_history[0])
    sealed = (sealed_public_report(service, view.audit.id)
              if fmt == "transparency" and view.audit.read_only else None)
    if sealed is not None:
        # The public report of a signed audit is the one sealed at signing, never a new one.
        write_atomically(target, sealed)
        return ExportResult(target, fmt, len(sealed), hashlib.sha256(sealed).hexdigest(),
                            encode_manifest(attestation).sha256, None, False,
                            history_head=view.manifest_history[0])
    missing: tuple[str, ...] = ()
    pages: int | None = None
    if fmt == "json":
        if progress is not None:
            progress("building the manifest")
        manifest = encode_manifest(attestation)
        content, manifest_sha = manifest.content, manifest.sha256
    else:
        from app.report.pdf import render_attestation, render_transparency

        rendered = (render_attestation(attestation, progress=progress) if fmt == "pdf"
                    else render_transparency(attestation, progress=progress))
        content, manifest_sha, pages = rendered.pdf, rendered.manifest_sha256, rendered.pages
        missing = tuple(rendered.missing_glyphs)
    if progress is not None:
        progress(f"writing {target}")
    write_atomically(target, content)
    return ExportResult(target, fmt, len(content), hashlib.sha256(content).hexdigest(),
                        manifest_sha, pages, not attestation.ready, missing,
                        history_head=view.manifest_history[0])


def sealed_public_report(service: AuditService, ref: str) -> bytes | None:
    """The public report sealed when the audit was signed; None when none was recorded (an
    audit signed before reports were sealed, or a draft)."""
    from app.records import EventKind
    from app.store.tables import EvidenceBlobRow

    signing = next((e for e in service.history(ref) if e.kind == EventKind.AUDIT_SIGNED), None)
    recorded = signing.new if signing is not None and isinstance(signing.new, dict) else {}
    sha256 = recorded.get("public_report_sha256")
    if not sha256:
        return None
    with service.store.session() as session:
        blob = session.get(EvidenceBlobRow, sha256)
        if blob is None:
            raise UserFacingError("the sealed public report is missing from the database; "
                                  "restore the database from a backup")
        return bytes(blob.content)
